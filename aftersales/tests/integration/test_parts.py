import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, nowdate

from aftersales.domain import stocktake_flow as flow
from aftersales.parts.analytics import notify_below_warning_line, recompute_abc_classes, update_stock_status
from aftersales.parts.doctype.dead_stock_disposition.dead_stock_disposition import DispositionError
from aftersales.parts.doctype.spare_part.spare_part import SparePartItemError, make_spare_part
from aftersales.parts.doctype.stocktake.stocktake import (
	ApprovalError,
	CountError,
	ItemNotOnSheetError,
	ReasonRequiredError,
	StocktakeStateError,
)
from aftersales.parts.report.dead_stock.dead_stock import execute as dead_stock_report
from aftersales.tests.utils import demo
from aftersales.tests.work_orders import MANAGER, STOCK, as_user, bin_qty


class PartsTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()
		cls.company = cls.demo["company"]
		cls.warehouse = frappe.get_single("After-Sales Settings").spare_parts_warehouse
		cls.scrap = frappe.get_single("After-Sales Settings").scrap_warehouse

	def setUp(self):
		# only this test's parts take part in classification
		frappe.db.set_value("Spare Part", {"disabled": 0}, "disabled", 1)
		# the values the expectations below are computed with
		settings = frappe.get_single("After-Sales Settings")
		settings.update(
			{
				"stocktake_approval_value": 5000,
				"abc_a_share": 80,
				"abc_b_share": 95,
				"abc_lookback_months": 12,
			}
		)
		settings.update({"dead_stock_days": 180, "cycle_days_a": 30, "cycle_days_b": 90, "cycle_days_c": 180})
		settings.save()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.clear_document_cache("After-Sales Settings", "After-Sales Settings")

	def make_part(
		self, code: str, qty: float = 0, rate: float = 10, posting_date=None, warehouse=None
	) -> str:
		if not frappe.db.exists("Item", code):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": code,
					"item_name": code,
					"item_group": "Spare Parts",
					"stock_uom": "Nos",
					"is_stock_item": 1,
					"valuation_rate": rate,
				}
			).insert()
		if qty:
			self.move(code, qty, rate=rate, posting_date=posting_date, target=warehouse or self.warehouse)
		return make_spare_part(code)

	def move(self, code, qty, rate=10, posting_date=None, target=None, source=None):
		purpose = "Material Receipt" if target else "Material Issue"
		entry = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": purpose,
				"purpose": purpose,
				"company": self.company,
				"set_posting_time": 1 if posting_date else 0,
				"posting_date": posting_date or nowdate(),
				"items": [
					{
						"item_code": code,
						"qty": qty,
						"basic_rate": rate,
						"t_warehouse": target,
						"s_warehouse": source,
					}
				],
			}
		)
		entry.insert()
		entry.submit()
		return entry


class TestSparePart(PartsTestCase):
	def test_one_click_from_an_item_and_never_twice(self):
		name = self.make_part("_AS-PART-1")
		self.assertEqual(make_spare_part("_AS-PART-1"), name)
		duplicate = frappe.get_doc({"doctype": "Spare Part", "item_code": "_AS-PART-1"})
		self.assertRaises(frappe.DuplicateEntryError, duplicate.insert)

	def test_non_stock_item_is_refused(self):
		self.assertRaises(SparePartItemError, make_spare_part, self.demo_labour_item())

	def demo_labour_item(self):
		return frappe.get_single("After-Sales Settings").labour_item

	def test_abc_classes_from_issued_value_with_override_kept(self):
		settings = frappe.get_single("After-Sales Settings")
		settings.abc_lookback_months = 3
		settings.save()
		# issued value over the 3-month look-back window: 800 / 150 / 40 / 10 of 1000
		for code, issued in (("_AS-ABC-1", 80), ("_AS-ABC-2", 15), ("_AS-ABC-3", 4), ("_AS-ABC-4", 1)):
			self.make_part(code, qty=100, rate=10, posting_date=add_days(nowdate(), -60))
			self.move(code, issued, source=self.warehouse, posting_date=add_days(nowdate(), -30))
		# an issue before the window does not count
		self.make_part("_AS-ABC-5", qty=100, rate=10, posting_date=add_days(nowdate(), -150))
		self.move("_AS-ABC-5", 90, source=self.warehouse, posting_date=add_days(nowdate(), -120))

		classes = recompute_abc_classes()
		self.assertEqual(
			[classes[c] for c in ("_AS-ABC-1", "_AS-ABC-2", "_AS-ABC-3", "_AS-ABC-4", "_AS-ABC-5")],
			["A", "B", "C", "C", "C"],
		)
		self.assertAlmostEqual(flt(frappe.db.get_value("Spare Part", "_AS-ABC-1", "issued_value")), 800)

		part = frappe.get_doc("Spare Part", "_AS-ABC-4")
		part.class_override, part.override_reason = "A", "Safety-critical part"
		part.save()
		recompute_abc_classes()
		part.reload()
		self.assertEqual((part.abc_class, part.computed_class), ("A", "C"))
		self.assertEqual(
			[(r.from_class or "", r.to_class, r.source) for r in part.class_history],
			[("", "C", "Computed"), ("C", "A", "Manual")],
		)

	def test_warning_line_raises_erpnext_material_request(self):
		code = "_AS-WARN-1"
		part = frappe.get_doc("Spare Part", self.make_part(code, qty=5))
		part.append("warning_lines", {"warehouse": self.warehouse, "warning_level": 10, "reorder_qty": 20})
		part.save()
		reorder = frappe.get_all(
			"Item Reorder",
			{"parent": code},
			["warehouse", "warehouse_reorder_level", "warehouse_reorder_qty"],
		)
		self.assertEqual(
			[(r.warehouse, r.warehouse_reorder_level, r.warehouse_reorder_qty) for r in reorder],
			[(self.warehouse, 10, 20)],
		)

		from erpnext.stock.reorder_item import reorder_item

		frappe.db.set_single_value("Stock Settings", "auto_indent", 1)
		before = frappe.db.count("Material Request Item", {"item_code": code})
		reorder_item()
		requests = frappe.get_all(
			"Material Request Item", {"item_code": code, "warehouse": self.warehouse}, ["qty", "parent"]
		)
		self.assertEqual(len(requests), before + 1)
		self.assertEqual(flt(requests[-1].qty), 20)
		self.assertEqual(
			frappe.db.get_value("Material Request", requests[-1].parent, "material_request_type"), "Purchase"
		)

		update_stock_status()
		self.assertIn(code, notify_below_warning_line())

		# removing the warning line removes the Item's reorder row
		part.reload()
		part.warning_lines = []
		part.save()
		self.assertFalse(frappe.get_all("Item Reorder", {"parent": code}))


class TestDeadStock(PartsTestCase):
	def test_dead_stock_is_listed_and_scrapped_through_a_stock_entry(self):
		code = "_AS-DEAD-1"
		self.make_part(code, qty=7, rate=12, posting_date=add_days(nowdate(), -200))
		fresh = "_AS-FRESH-1"
		self.make_part(fresh, qty=3, rate=12)
		_columns, rows = dead_stock_report({"warehouse": self.warehouse})
		dead = {r.item_code: r for r in rows}
		self.assertIn(code, dead)
		self.assertNotIn(fresh, dead)
		self.assertGreaterEqual(dead[code].age_days, 200)
		self.assertAlmostEqual(flt(dead[code].stock_value), 84)

		update_stock_status()
		self.assertTrue(frappe.db.get_value("Spare Part", code, "is_dead_stock"))
		self.assertFalse(frappe.db.get_value("Spare Part", fresh, "is_dead_stock"))

		disposition = frappe.get_doc(
			{
				"doctype": "Dead Stock Disposition",
				"spare_part": code,
				"company": self.company,
				"warehouse": self.warehouse,
				"qty": 8,
				"disposition": "Scrap",
				"reason": "Model discontinued",
			}
		)
		self.assertRaises(DispositionError, disposition.insert)  # more than in stock
		disposition.qty = 7
		disposition.insert()
		disposition.submit()
		self.assertEqual(bin_qty(code, self.warehouse), 0)
		self.assertEqual(bin_qty(code, self.scrap), 7)
		self.assertEqual(
			frappe.db.get_value("Stock Entry", disposition.stock_entry, "purpose"), "Material Transfer"
		)
		disposition.cancel()
		self.assertEqual(bin_qty(code, self.warehouse), 7)


class TestStocktake(PartsTestCase):
	def new_stocktake(self, **kw):
		doc = frappe.get_doc(
			{
				"doctype": "Stocktake",
				"kind": "Ad-hoc",
				"company": self.company,
				"warehouse": self.warehouse,
				**kw,
			}
		)
		doc.insert()
		return doc

	def freeze(self, doc):
		doc.status = flow.COUNTING
		doc.save()
		return doc

	def count(self, doc, counts: dict, reasons: dict | None = None):
		for row in doc.items:
			if row.item_code in counts:
				row.counted_qty, row.counted = counts[row.item_code], 1
				row.reason = (reasons or {}).get(row.item_code)
		doc.save()
		return doc

	def test_movement_between_freeze_and_posting_is_kept(self):
		code = "_AS-STK-1"
		self.make_part(code, qty=20, rate=10)
		with as_user(STOCK):
			doc = self.new_stocktake(items=[{"item_code": code, "warehouse": self.warehouse}])
			self.freeze(doc)
		self.assertEqual(doc.items[0].book_qty, 20)

		# 3 leave the warehouse after the freeze, before the posting
		self.move(code, 3, source=self.warehouse)
		self.assertEqual(bin_qty(code, self.warehouse), 17)

		with as_user(STOCK):
			# the shelf held 18 when counted: 2 are missing against the frozen book quantity
			self.count(doc, {code: 18}, {code: "Lost or Stolen"})
			self.assertEqual(doc.items[0].difference_qty, -2)
			apply_workflow(doc, "Submit Count")
			doc.reload()
			apply_workflow(doc, "Approve and Post")
		doc.reload()
		self.assertEqual((doc.docstatus, doc.status), (1, flow.POSTED))
		# book = physical: 18 on the shelf at the count, 3 issued since
		self.assertEqual(bin_qty(code, self.warehouse), 15)
		reconciliation = frappe.get_doc("Stock Reconciliation", doc.stock_reconciliation)
		self.assertEqual([(r.item_code, flt(r.qty)) for r in reconciliation.items], [(code, 15)])
		ledger = frappe.get_all(
			"Stock Ledger Entry",
			{"voucher_no": reconciliation.name, "is_cancelled": 0},
			["qty_after_transaction", "stock_value_difference"],
		)
		# ERPNext records a reconciliation as the new balance and the value it changed by: 2 x 10 lost
		self.assertEqual(
			[(flt(e.qty_after_transaction), flt(e.stock_value_difference)) for e in ledger], [(15, -20)]
		)
		self.assertEqual(doc.items[0].posted_qty, 15)
		self.assertTrue(frappe.db.get_value("Spare Part", code, "last_counted_on"))

		# posting twice is refused; cancelling the stocktake cancels the reconciliation
		self.assertRaises(StocktakeStateError, doc.submit)
		self.assertEqual(
			frappe.db.count("Stock Reconciliation", {"docstatus": 1, "name": reconciliation.name}), 1
		)
		with as_user(STOCK):
			doc = frappe.get_doc("Stocktake", doc.name)
			doc.cancel()
		self.assertEqual(doc.status, flow.CANCELLED)
		self.assertEqual(frappe.db.get_value("Stock Reconciliation", reconciliation.name, "docstatus"), 2)
		self.assertEqual(bin_qty(code, self.warehouse), 17)

	def test_large_differences_need_the_after_sales_manager(self):
		code = "_AS-STK-2"
		self.make_part(code, qty=100, rate=100)
		with as_user(STOCK):
			doc = self.freeze(self.new_stocktake(items=[{"item_code": code, "warehouse": self.warehouse}]))
			self.count(doc, {code: 10}, {code: "Unrecorded Issue"})  # 90 x 100 = 9000 > 5000
			self.assertTrue(doc.needs_manager_approval)
			apply_workflow(doc, "Submit Count")
			doc.reload()
			self.assertRaises(WorkflowTransitionError, apply_workflow, doc, "Approve and Post")
			doc.reload()
			self.assertRaises(ApprovalError, doc.submit)
			doc.reload()
			apply_workflow(doc, "Approve")
		with as_user(MANAGER):
			doc = frappe.get_doc("Stocktake", doc.name)
			apply_workflow(doc, "Approve and Post")
		self.assertEqual(bin_qty(code, self.warehouse), 10)

	def test_cycle_count_sheet_is_filled_from_the_book_at_freeze(self):
		codes = ["_AS-STK-3", "_AS-STK-4"]
		for code in codes:
			self.make_part(code, qty=4)
		with as_user(STOCK):
			doc = self.freeze(self.new_stocktake(kind="Monthly Cycle Count"))
		on_sheet = {row.item_code: row.book_qty for row in doc.items}
		self.assertEqual({c: on_sheet.get(c) for c in codes}, {c: 4 for c in codes})

	def test_bad_counts_are_refused_and_write_nothing(self):
		code = "_AS-STK-5"
		self.make_part(code, qty=6)
		self.make_part("_AS-STK-OTHER", qty=1)
		with as_user(STOCK):
			doc = self.freeze(self.new_stocktake(items=[{"item_code": code, "warehouse": self.warehouse}]))
			# a count for an item that is not on the sheet
			csv = f"item_code,warehouse,counted_qty\n{code},{self.warehouse},5\n_AS-STK-OTHER,{self.warehouse},1\n"
			self.assertRaises(ItemNotOnSheetError, doc.import_counts, csv)
			self.assertEqual(frappe.db.get_value("Stocktake Item", {"parent": doc.name}, "counted"), 0)
			# a negative count
			doc.reload()
			doc.items[0].counted_qty, doc.items[0].counted = -1, 1
			self.assertRaises(CountError, doc.save)
			# a difference without a reason
			doc.reload()
			self.assertEqual(
				doc.import_counts(f"item_code,warehouse,counted_qty\n{code},{self.warehouse},5\n"), 1
			)
			doc.reload()
			doc.status = flow.COUNTED
			self.assertRaises(ReasonRequiredError, doc.save)
			# a posting straight from counting
			doc.reload()
			self.assertRaises(ApprovalError, doc.submit)
			# the sheet is fixed after the freeze
			doc.reload()
			doc.append("items", {"item_code": "_AS-STK-OTHER", "warehouse": self.warehouse})
			self.assertRaises(StocktakeStateError, doc.save)
		self.assertEqual(bin_qty(code, self.warehouse), 6)
		self.assertFalse(frappe.db.get_value("Stocktake", doc.name, "stock_reconciliation"))
