from unittest.mock import patch

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.utils import flt

from aftersales.domain import stocktake_flow as flow
from aftersales.parts.doctype.stocktake.stocktake import (
	ApprovalError,
	CountError,
	ItemNotOnSheetError,
	OverlappingStocktakeError,
	ReasonRequiredError,
	Stocktake,
	StocktakeStateError,
	post_stocktake,
)
from aftersales.tests.parts import PartsTestCase
from aftersales.tests.work_orders import MANAGER, STOCK, as_user, bin_qty


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

	def test_a_part_is_counted_by_one_open_stocktake_at_a_time(self):
		code = "_AS-STK-TWICE"
		self.make_part(code, qty=10, rate=10)
		with as_user(STOCK):
			first = self.new_stocktake(items=[{"item_code": code, "warehouse": self.warehouse}])
			self.freeze(first)
			second = self.new_stocktake(items=[{"item_code": code, "warehouse": self.warehouse}])
			self.assertRaises(OverlappingStocktakeError, self.freeze, second)
		self.assertEqual(frappe.db.get_value("Stocktake", second.name, "status"), flow.DRAFT)
		# once the first is posted, a new count starts from the new book quantity
		with as_user(STOCK):
			self.count(first, {code: 9}, {code: "Lost or Stolen"})
			apply_workflow(first, "Submit Count")
			first.reload()
			apply_workflow(first, "Approve and Post")
			second = frappe.get_doc("Stocktake", second.name)
			self.freeze(second)
		self.assertEqual(second.items[0].book_qty, 9)

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
			# nor by setting the state or submitting past the workflow
			doc.status = flow.POSTING
			self.assertRaises(ApprovalError, doc.save)
			doc.reload()
			self.assertRaises(StocktakeStateError, doc.submit)
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
			self.assertRaises(StocktakeStateError, doc.submit)
			doc.reload()
			doc.status = flow.POSTING
			self.assertRaises(StocktakeStateError, doc.save)
			# the sheet is fixed after the freeze
			doc.reload()
			doc.append("items", {"item_code": "_AS-STK-OTHER", "warehouse": self.warehouse})
			self.assertRaises(StocktakeStateError, doc.save)
		self.assertEqual(bin_qty(code, self.warehouse), 6)
		self.assertFalse(frappe.db.get_value("Stocktake", doc.name, "stock_reconciliation"))

	# ------------------------------------------------------------ the posting job (issue 15)

	def counted_stocktake(self, code, book=10, counted=8, rate=10):
		self.make_part(code, qty=book, rate=rate)
		with as_user(STOCK):
			doc = self.freeze(self.new_stocktake(items=[{"item_code": code, "warehouse": self.warehouse}]))
			self.count(doc, {code: counted}, {code: "Damaged"})
			apply_workflow(doc, "Submit Count")
			doc.reload()
		return doc

	def ledger_of(self, code) -> list:
		return frappe.get_all(
			"Stock Ledger Entry", {"item_code": code, "voucher_type": "Stock Reconciliation"}, pluck="name"
		)

	def test_a_failed_posting_leaves_nothing_posted_and_shows_the_error(self):
		code = "_AS-STK-FAIL"
		doc = self.counted_stocktake(code)
		reconciliations = frappe.db.count("Stock Reconciliation")
		# the reconciliation is made and submitted, then the last step fails
		with (
			patch.object(Stocktake, "mark_parts_counted", side_effect=RuntimeError("the disk is full")),
			as_user(STOCK),
		):
			apply_workflow(doc, "Approve and Post")
		doc.reload()
		self.assertEqual((doc.docstatus, doc.status, doc.stock_reconciliation), (0, flow.COUNTED, None))
		self.assertIn("the disk is full", doc.posting_error)
		self.assertEqual(frappe.db.count("Stock Reconciliation"), reconciliations)
		self.assertEqual(self.ledger_of(code), [])
		self.assertEqual(bin_qty(code, self.warehouse), 10)
		self.assertEqual((doc.items[0].current_qty, doc.items[0].posted_qty), (0, 0))
		self.assertTrue(frappe.db.exists("Error Log", {"method": ["like", f"%{doc.name}%"]}))

		# posted again once the cause is gone: Posted together with its reconciliation
		with as_user(STOCK):
			apply_workflow(doc, "Approve and Post")
		doc.reload()
		self.assertEqual((doc.docstatus, doc.status, doc.posting_error), (1, flow.POSTED, None))
		self.assertEqual(
			frappe.db.get_value("Stock Reconciliation", doc.stock_reconciliation, "docstatus"), 1
		)
		self.assertEqual(len(self.ledger_of(code)), 1)
		self.assertEqual(bin_qty(code, self.warehouse), 8)

	def test_a_failure_needing_the_manager_goes_back_to_the_manager(self):
		code = "_AS-STK-FAIL-2"
		doc = self.counted_stocktake(code, book=100, counted=10, rate=100)  # 90 x 100 = 9,000 > 5,000
		with as_user(STOCK):
			apply_workflow(doc, "Approve")
		# 95 leave after the freeze: today's 5 less the 90 lost would be negative
		self.move(code, 95, source=self.warehouse)
		with as_user(MANAGER):
			doc = frappe.get_doc("Stocktake", doc.name)
			apply_workflow(doc, "Approve and Post")
		doc.reload()
		self.assertEqual((doc.docstatus, doc.status), (0, flow.APPROVED_BY_WAREHOUSE))
		self.assertIn(code, doc.posting_error)
		self.assertEqual(self.ledger_of(code), [])
		self.assertEqual(bin_qty(code, self.warehouse), 5)

	def test_posting_happens_once(self):
		code = "_AS-STK-ONCE"
		doc = self.counted_stocktake(code)
		# submitting directly, past the approval and the job, is refused
		with as_user(STOCK):
			self.assertRaises(StocktakeStateError, frappe.get_doc("Stocktake", doc.name).submit)
			apply_workflow(doc, "Approve and Post")
		doc.reload()
		self.assertEqual(doc.status, flow.POSTED)
		# a second job (queued twice, or a second worker) finds it posted and does nothing
		self.assertEqual(post_stocktake(doc.name), flow.POSTED)
		self.assertEqual(len(self.ledger_of(code)), 1)
		with as_user(STOCK):
			self.assertRaises(StocktakeStateError, frappe.get_doc("Stocktake", doc.name).queue_posting_again)

	def test_a_stocktake_being_posted_cannot_be_changed(self):
		code = "_AS-STK-POSTING"
		doc = self.counted_stocktake(code)
		# the job has not run yet (a worker will take it)
		with patch("aftersales.parts.doctype.stocktake.stocktake.queue_posting") as queued, as_user(STOCK):
			apply_workflow(doc, "Approve and Post")
		queued.assert_called_once_with(doc.name)
		doc.reload()
		self.assertEqual(doc.status, flow.POSTING)
		with as_user(STOCK):
			doc.items[0].counted_qty = 1
			self.assertRaises(StocktakeStateError, doc.save)
			doc.reload()
			self.assertRaises(WorkflowTransitionError, apply_workflow, doc, "Approve and Post")
		# the job, when it runs, posts what was approved
		self.assertEqual(post_stocktake(doc.name), flow.POSTED)
		self.assertEqual(bin_qty(code, self.warehouse), 8)
