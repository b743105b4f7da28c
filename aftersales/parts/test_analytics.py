"""The daily spare-parts job, the weekly ABC recompute and the Material Requests (issue 15, SP-4):
a fixed number of queries for N and 3N parts, and only the rows that changed are written."""

import frappe
from frappe.utils import add_days, flt, getdate, nowdate

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.parts.analytics import raise_material_requests, recompute_abc_classes, update_stock_status
from aftersales.tests.parts import PartsTestCase
from aftersales.tests.queries import count_queries

N = 3


class TestSparePartJobs(PartsTestCase):
	def make_parts(self, prefix: str, start: int, count: int) -> list[str]:
		codes = []
		for number in range(start, start + count):
			code = f"{prefix}-{number}"
			self.make_part(code, qty=10 + number, rate=10, posting_date=add_days(nowdate(), -60))
			self.move(code, 1 + number, source=self.warehouse, posting_date=add_days(nowdate(), -30))
			part = frappe.get_doc("Spare Part", code)
			part.append("warning_lines", {"warehouse": self.warehouse, "warning_level": 50, "reorder_qty": 5})
			part.save()
			codes.append(code)
		return codes

	def modified(self, codes) -> dict:
		return dict(frappe.get_all("Spare Part", {"name": ["in", codes]}, ["name", "modified"], as_list=True))

	def test_daily_job_costs_the_same_for_n_and_3n_parts_and_writes_only_changes(self):
		get_settings()  # the cached settings, read once before counting
		first_parts = self.make_parts("_AS-DAILY", 0, N)
		with count_queries() as first:
			self.assertEqual(update_stock_status(), {"parts": N, "warning_lines": N})
		more_parts = self.make_parts("_AS-DAILY", N, 2 * N)
		with count_queries() as second:
			self.assertEqual(update_stock_status(), {"parts": 2 * N, "warning_lines": 2 * N})
		self.assertEqual(first.count, second.count, second.statements)
		self.assertEqual(len(second.writes("Spare Part")), 1)

		# the figures: 10 + n received, 1 + n issued, 9 left, below the warning line of 50
		codes = first_parts + more_parts
		for code in codes:
			part = frappe.get_doc("Spare Part", code)
			self.assertEqual((flt(part.stock_qty), flt(part.stock_value)), (9, 90))
			self.assertEqual(getdate(part.last_movement_date), getdate(add_days(nowdate(), -30)))
			self.assertEqual((part.is_dead_stock, part.warning_lines[0].below_warning_line), (0, 1))
			self.assertEqual(flt(part.warning_lines[0].stock_qty), 9)

		# nothing changed: nothing is written and no part's modified moves
		before = self.modified(codes)
		with count_queries() as third:
			self.assertEqual(update_stock_status(), {"parts": 0, "warning_lines": 0})
		self.assertEqual(third.writes("Spare Part") + third.writes("Spare Part Warning Line"), [])
		self.assertEqual(self.modified(codes), before)

		# one part moves: only that part is written
		self.move(codes[0], 2, source=self.warehouse)
		self.assertEqual(update_stock_status(), {"parts": 1, "warning_lines": 1})
		after = self.modified(codes)
		self.assertEqual([code for code in codes if after[code] != before[code]], [codes[0]])
		self.assertEqual(flt(frappe.db.get_value("Spare Part", codes[0], "stock_qty")), 7)

	def test_dead_stock_flag_and_suggested_warning_line(self):
		code = "_AS-DEAD-1"
		self.make_part(code, qty=4, rate=10, posting_date=add_days(nowdate(), -200))
		frappe.db.set_value("Spare Part", code, {"lead_time_days": 15, "safety_stock": 3})
		update_stock_status()
		part = frappe.get_doc("Spare Part", code)
		self.assertEqual(part.is_dead_stock, 1)
		# nothing issued: no forecast, the suggested line is the safety stock alone
		self.assertEqual((flt(part.forecast_qty), flt(part.suggested_warning_line)), (0, 3))

	def test_abc_recompute_costs_the_same_for_n_and_3n_parts_and_keeps_overrides(self):
		get_settings()
		codes = self.make_parts("_AS-ABCJ", 0, N)
		with count_queries() as first:
			recompute_abc_classes()
		codes += self.make_parts("_AS-ABCJ", N, 2 * N)
		# a manual override is kept whatever is computed, with no history row for the computed change
		override = codes[0]
		part = frappe.get_doc("Spare Part", override)
		part.class_override, part.override_reason = "A", "Safety-critical part"
		part.save()
		history_before = len(part.class_history)
		with count_queries() as second:
			classes = recompute_abc_classes()
		self.assertEqual(first.count, second.count, second.statements)
		self.assertEqual(len(second.writes("Spare Part")), 1)
		self.assertEqual(len(second.writes("Spare Part Class Change")), 1)

		part.reload()
		self.assertEqual(part.abc_class, "A")
		self.assertEqual(part.computed_class, classes[override])
		self.assertNotEqual(classes[override], "A")
		self.assertEqual(len(part.class_history), history_before)
		# every other part is in its computed class; its history ends with the move to it, each row
		# starting where the previous one ended, numbered in order
		for code in codes[1:]:
			other = frappe.get_doc("Spare Part", code)
			self.assertEqual(other.abc_class, classes[code])
			history = sorted(other.class_history, key=lambda row: row.idx)
			self.assertEqual(history[-1].to_class, classes[code])
			self.assertEqual([row.idx for row in history], list(range(1, len(history) + 1)))
			self.assertEqual(
				[row.from_class or None for row in history], [None] + [row.to_class for row in history[:-1]]
			)

		# a recompute that changes nothing writes nothing
		before = self.modified(codes)
		with count_queries() as third:
			recompute_abc_classes()
		self.assertEqual(third.writes("Spare Part") + third.writes("Spare Part Class Change"), [])
		self.assertEqual(self.modified(codes), before)

	def test_one_material_request_per_company_for_every_line_and_none_again(self):
		"""As ERPNext's own auto re-order: one Purchase Material Request per company whatever the
		number of lines (each line carrying its warehouse, a part in two warehouses on two lines),
		inserted and submitted through the document; a second run finds every line covered and
		costs one query."""
		codes = [f"_AS-MR-GROUP-{number}" for number in range(3)]
		for code in codes:
			self.make_part(code, qty=5, rate=10)
			part = frappe.get_doc("Spare Part", code)
			for warehouse in (self.warehouse, self.scrap):
				part.append("warning_lines", {"warehouse": warehouse, "warning_level": 20, "reorder_qty": 10})
			part.save()

		with count_queries() as first:
			requests = raise_material_requests()
		self.assertEqual(len(requests), 1)
		inserted = [q for q in first.writes("Material Request") if q.lstrip().lower().startswith("insert")]
		self.assertEqual(len(inserted), 1)
		request = frappe.get_doc("Material Request", requests[0])
		self.assertEqual((request.material_request_type, request.docstatus), ("Purchase", 1))
		lines = sorted((r.item_code, r.warehouse, flt(r.qty)) for r in request.items if r.item_code in codes)
		# 5 in stock against 20: 15 short; none in the scrap warehouse: 20 short
		expected = sorted(
			[(code, self.warehouse, 15.0) for code in codes] + [(code, self.scrap, 20.0) for code in codes]
		)
		self.assertEqual(lines, expected)

		with count_queries() as second:
			self.assertEqual(raise_material_requests(), [])
		self.assertEqual(second.count, 1, second.statements)
		self.assertEqual(frappe.db.count("Material Request Item", {"item_code": ("in", codes)}), 6)

	def test_one_material_request_per_warehouse_where_buying_settings_refuse_an_item_twice(self):
		"""With Buying Settings' "allow the same item multiple times" off, ERPNext refuses a request
		naming a part twice: a part below its line in two warehouses gets one request per warehouse,
		and the other parts are still requested."""
		frappe.db.set_single_value("Buying Settings", "allow_multiple_items", 0)
		# the value is cached in this process: forgotten once the test's transaction is rolled back
		self.addCleanup(frappe.db.value_cache.pop, "Buying Settings", None)
		code = "_AS-MR-TWICE"
		self.make_part(code, qty=5, rate=10)
		part = frappe.get_doc("Spare Part", code)
		for warehouse in (self.warehouse, self.scrap):
			part.append("warning_lines", {"warehouse": warehouse, "warning_level": 20, "reorder_qty": 10})
		part.save()

		requests = raise_material_requests()
		self.assertEqual(len(requests), 2)
		lines = sorted(
			(r.warehouse, flt(r.qty))
			for r in frappe.get_all(
				"Material Request Item", {"parent": ("in", requests)}, ["warehouse", "qty"]
			)
		)
		self.assertEqual(lines, sorted([(self.warehouse, 15.0), (self.scrap, 20.0)]))

	def test_material_request_in_whole_batches_once_per_part_and_warehouse(self):
		code = "_AS-MR-1"
		self.make_part(code, qty=13, rate=10)
		part = frappe.get_doc("Spare Part", code)
		part.update({"lead_time_days": 5, "order_batch_qty": 12})
		part.append("warning_lines", {"warehouse": self.warehouse, "warning_level": 40, "reorder_qty": 20})
		part.save()

		requests = raise_material_requests()
		self.assertEqual(len(requests), 1)
		request = frappe.get_doc("Material Request", requests[0])
		self.assertEqual((request.material_request_type, request.docstatus), ("Purchase", 1))
		lines = [(r.item_code, r.warehouse, flt(r.qty)) for r in request.items if r.item_code == code]
		# 40 - 13 = 27 short, reorder qty 20: three batches of 12
		self.assertEqual(lines, [(code, self.warehouse, 36)])
		self.assertEqual(getdate(request.items[0].schedule_date), getdate(add_days(nowdate(), 5)))

		# the open request covers the part: no second one, even when stock falls further
		self.move(code, 10, source=self.warehouse)
		self.assertEqual(raise_material_requests(), [])
		self.assertEqual(frappe.db.count("Material Request Item", {"item_code": code, "docstatus": 1}), 1)

		# once it is stopped, the part is requested again
		request.reload()
		request.update_status("Stopped")
		again = raise_material_requests()
		self.assertEqual(len(again), 1)
		# projected 3 (the stopped request no longer counts): 37 short -> four batches
		self.assertEqual(flt(frappe.db.get_value("Material Request Item", {"parent": again[0]}, "qty")), 48)
