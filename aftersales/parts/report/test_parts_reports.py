"""The spare-part reports cost the same number of queries for N and 3N rows (issue 15)."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, flt, nowdate

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.parts.report.dead_stock import dead_stock
from aftersales.parts.report.spare_parts_below_warning_line import spare_parts_below_warning_line
from aftersales.parts.report.stocktake_summary import stocktake_summary
from aftersales.tests.parts import PartsTestCase
from aftersales.tests.queries import count_queries
from aftersales.tests.work_orders import STOCK, as_user

N = 2


class TestPartsReports(PartsTestCase):
	def run_report(self, module, filters=None):
		get_settings()  # cached before counting
		with count_queries() as log:
			rows = module.execute(filters or {})[1]
		return rows, log.count

	def dead_parts(self, start, count):
		for number in range(start, start + count):
			code = f"_AS-DSR-{number}"
			self.make_part(code, qty=3 + number, rate=10, posting_date=add_days(nowdate(), -200))
			part = frappe.get_doc("Spare Part", code)
			part.append("warning_lines", {"warehouse": self.warehouse, "warning_level": 50, "reorder_qty": 5})
			part.save()

	def mine(self, rows, prefix):
		return sorted((r for r in rows if r.item_code.startswith(prefix)), key=lambda r: r.item_code)

	def test_dead_stock_and_below_warning_line_cost_the_same_for_n_and_3n_parts(self):
		filters = {"warehouse": self.warehouse}
		self.dead_parts(0, N)
		dead, dead_queries = self.run_report(dead_stock, filters)
		below, below_queries = self.run_report(spare_parts_below_warning_line, filters)
		self.assertEqual(len(self.mine(dead, "_AS-DSR")), N)
		self.assertEqual(len(self.mine(below, "_AS-DSR")), N)

		self.dead_parts(N, 2 * N)
		dead, dead_queries_3n = self.run_report(dead_stock, filters)
		below, below_queries_3n = self.run_report(spare_parts_below_warning_line, filters)
		self.assertEqual((dead_queries_3n, below_queries_3n), (dead_queries, below_queries))
		self.assertLessEqual(dead_queries, 2)

		rows = self.mine(dead, "_AS-DSR")
		self.assertEqual(len(rows), 3 * N)
		first = rows[0]
		self.assertEqual((flt(first.actual_qty), flt(first.stock_value), first.age_days), (3, 30, 200))
		self.assertEqual(len(self.mine(below, "_AS-DSR")), 3 * N)

		# a part that moved recently is not dead stock
		self.move("_AS-DSR-0", 1, source=self.warehouse)
		dead, _count = self.run_report(dead_stock, filters)
		self.assertNotIn("_AS-DSR-0", [r.item_code for r in dead])

	def test_dead_stock_lists_the_most_valuable_up_to_the_limit(self):
		filters = {"warehouse": self.warehouse}
		self.dead_parts(0, 3)
		_columns, every, message = dead_stock.execute(filters)
		self.assertIsNone(message)
		_columns, rows, message = dead_stock.execute({**filters, "limit": 2})
		self.assertEqual(rows, every[:2])
		self.assertGreaterEqual(every[0].stock_value, every[1].stock_value)
		self.assertIn(str(len(every)), message)
		self.assertEqual(dead_stock.execute({**filters, "limit": 0})[1], every)

	def post_stocktake(self, counts: dict[str, tuple[float, str, str]]):
		"""counts: item -> (counted qty, reason, proposal); every item holds 10 at the freeze."""
		doc = frappe.get_doc(
			{
				"doctype": "Stocktake",
				"kind": "Ad-hoc",
				"company": self.company,
				"warehouse": self.warehouse,
				"items": [{"item_code": code, "warehouse": self.warehouse} for code in counts],
			}
		)
		with as_user(STOCK):
			doc.insert()
			doc.status = "Counting"
			doc.save()
			for row in doc.items:
				row.counted_qty, row.reason, row.proposal = counts[row.item_code]
				row.counted = 1
			doc.save()
			apply_workflow(doc, "Submit Count")
			doc.reload()
			apply_workflow(doc, "Approve and Post")
		self.assertEqual(frappe.db.get_value("Stocktake", doc.name, "status"), "Posted")
		return doc

	def test_stocktake_summary_costs_the_same_for_more_causes(self):
		filters = {"company": self.company, "from_date": nowdate(), "to_date": nowdate()}
		# stocktakes posted on the site today before this test are part of the report too
		before = {r.reason: r for r in self.run_report(stocktake_summary, filters)[0]}

		def added(rows, reason, field):
			previous = before.get(reason)
			return flt(rows[reason][field]) - flt(previous[field] if previous else 0)

		for number in range(4):
			self.make_part(f"_AS-SUM-{number}", qty=10, rate=10)
		self.post_stocktake({"_AS-SUM-0": (9, "Damaged", "Pack the part in foam")})
		rows, queries = self.run_report(stocktake_summary, filters)
		by_reason = {r.reason: r for r in rows}
		self.assertEqual(added(by_reason, "Damaged", "lines"), 1)
		self.assertIn("Pack the part in foam", by_reason["Damaged"].suggestions)

		self.post_stocktake(
			{
				"_AS-SUM-1": (8, "Lost or Stolen", "Lock the cage"),
				"_AS-SUM-2": (11, "Counting Error", "Count twice"),
				"_AS-SUM-3": (7, "Damaged", "Pack the part in foam"),
			}
		)
		rows, queries_3 = self.run_report(stocktake_summary, filters)
		self.assertEqual(queries_3, queries)
		by_reason = {r.reason: r for r in rows}
		self.assertLessEqual({"Damaged", "Lost or Stolen", "Counting Error"}, set(by_reason))
		self.assertEqual(
			[flt(added(by_reason, "Damaged", f), 2) for f in ("lines", "difference_qty", "loss_value")],
			[2, -4, 40],
		)
		self.assertEqual(by_reason["Damaged"].suggestions.count("Pack the part in foam"), 1)
		self.assertEqual(added(by_reason, "Counting Error", "gain_value"), 10)
		self.assertIn("Lock the cage", by_reason["Lost or Stolen"].suggestions)
