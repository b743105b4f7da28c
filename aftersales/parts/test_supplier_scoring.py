"""Supplier evaluation (SP-7) on known receipts: the app's variables as ERPNext's Supplier Scorecard
Period computes them, the criteria scores, and the comparison report agreeing with both."""

import frappe
from erpnext.buying.doctype.purchase_order.purchase_order import make_purchase_receipt as receipt_from_order
from erpnext.buying.doctype.supplier_scorecard_period.supplier_scorecard_period import (
	make_supplier_scorecard,
)
from frappe.utils import add_days, flt, nowdate

from aftersales.parts import supplier_scoring
from aftersales.parts.doctype.dead_stock_disposition.test_dead_stock_disposition import (
	buying_price_list,
	make_purchase_receipt,
	make_supplier,
)
from aftersales.parts.report.spare_part_supplier_comparison.spare_part_supplier_comparison import (
	execute as comparison,
)
from aftersales.tests import work_orders as wo
from aftersales.tests.parts import PartsTestCase

A, B = "_AS Scoring Supplier A", "_AS Scoring Supplier B"


class TestSupplierScoring(PartsTestCase):
	def setUp(self):
		super().setUp()
		supplier_scoring.ensure_scoring_setup()
		self.code = self.make_part("_AS-SCORE-1")
		self.start, self.end = add_days(nowdate(), -30), nowdate()
		for supplier in (A, B):
			make_supplier(supplier)

	def purchase_order(self, supplier, qty, rate, schedule_date, transaction_date=None):
		order = frappe.get_doc(
			{
				"doctype": "Purchase Order",
				"company": self.company,
				"supplier": supplier,
				"transaction_date": transaction_date or nowdate(),
				"schedule_date": schedule_date,
				"currency": frappe.get_cached_value("Company", self.company, "default_currency"),
				"conversion_rate": 1,
				"buying_price_list": buying_price_list(self.company),
				"items": [
					{
						"item_code": self.code,
						"qty": qty,
						"rate": rate,
						"schedule_date": schedule_date,
						"warehouse": self.warehouse,
					}
				],
			}
		)
		order.insert()
		order.submit()
		receipt = receipt_from_order(order.name)
		receipt.insert()
		receipt.submit()
		return receipt

	def inspect(self, receipt, status):
		# ERPNext makes Quality Inspections only of items marked for inspection on purchase
		frappe.db.set_value("Item", self.code, "inspection_required_before_purchase", 1)
		frappe.get_doc(
			{
				"doctype": "Quality Inspection",
				"inspection_type": "Incoming",
				"reference_type": "Purchase Receipt",
				"reference_name": receipt.name,
				"item_code": self.code,
				"sample_size": 1,
				"inspected_by": "Administrator",
				"status": status,
				"manual_inspection": 1,
			}
		).submit()

	def make_history(self):
		"""A: 6 on time and 4 late against orders, 10 more received of which 1 rejected, all at 20.
		B (last): 10 at 30, two inspections of which one rejected, and one of its parts failed under
		warranty on a work order."""
		self.purchase_order(A, 6, 20, schedule_date=add_days(nowdate(), 5))
		self.purchase_order(
			A, 4, 20, schedule_date=add_days(nowdate(), -3), transaction_date=add_days(nowdate(), -10)
		)
		make_purchase_receipt(
			self.company, A, self.code, self.warehouse, 9, 20, rejected_qty=1, rejected_warehouse=self.scrap
		)
		receipt_b = make_purchase_receipt(self.company, B, self.code, self.warehouse, 10, 30)
		self.inspect(receipt_b, "Accepted")
		self.inspect(receipt_b, "Rejected")
		order = wo.start_work(wo.new_work_order())
		with wo.as_user(wo.TECH_EAST):
			doc = frappe.get_doc("Service Work Order", order.name)
			doc.append("old_parts", {"item_code": self.code, "qty": 1, "condition": "Scrap"})
			doc.save()

	def period(self, supplier):
		scorecard = supplier_scoring.ensure_supplier_scorecard(supplier)
		period = make_supplier_scorecard(scorecard)
		period.start_date, period.end_date = self.start, self.end
		period.insert(ignore_permissions=True)  # ERPNext computes the variables and criteria
		return (
			{v.param_name: flt(v.value) for v in period.variables},
			{c.criteria_name: flt(c.score) for c in period.criteria},
			flt(period.total_score),
		)

	def test_variables_and_criteria_on_known_receipts(self):
		self.make_history()
		average = (19 * 20 + 10 * 30) / 29

		values, scores, total_a = self.period(A)
		self.assertEqual(values["total_received_items"], 20)
		self.assertEqual(values["total_rejected_items"], 1)
		self.assertEqual(values["as_ordered_received_qty"], 10)
		self.assertEqual(values["as_on_time_qty"], 6)
		self.assertEqual(values["as_inspections"], 0)
		self.assertEqual(values["as_warranty_failures"], 0)
		self.assertAlmostEqual(values["as_price_index"], 100 * 20 / average, places=1)
		self.assertAlmostEqual(scores["Spare Parts Receipt Quality"], 95)
		self.assertAlmostEqual(scores["Spare Parts On-time Delivery"], 60)
		self.assertAlmostEqual(scores["Spare Parts Price"], 100)  # cheaper than the average
		self.assertAlmostEqual(scores["Spare Parts Inspection Quality"], 100)  # none made
		self.assertAlmostEqual(scores["Spare Parts Warranty Failures"], 100)
		self.assertAlmostEqual(total_a, 0.2 * 95 + 0.15 * 100 + 0.25 * 100 + 0.2 * 100 + 0.2 * 60)

		values, scores, total = self.period(B)
		self.assertEqual(values["total_received_items"], 10)
		self.assertEqual(values["as_inspections"], 2)
		self.assertEqual(values["as_inspections_rejected"], 1)
		self.assertEqual(values["as_warranty_failures"], 1)  # its receipt was the latest of the part
		self.assertEqual(values["as_ordered_received_qty"], 0)
		self.assertAlmostEqual(values["as_price_index"], 100 * 30 / average, places=1)
		self.assertAlmostEqual(scores["Spare Parts Inspection Quality"], 50)
		self.assertAlmostEqual(scores["Spare Parts Warranty Failures"], 0)  # 1 in 10: 10% fails
		self.assertAlmostEqual(scores["Spare Parts Price"], 200 - 100 * 30 / average, places=1)
		self.assertAlmostEqual(scores["Spare Parts On-time Delivery"], 100)  # nothing ordered

		# the comparison report shows the same measures and period scores for both
		_columns, rows, _message, chart = comparison(
			{"from_date": self.start, "to_date": self.end, "supplier": None}
		)
		by_supplier = {r.supplier: r for r in rows}
		self.assertAlmostEqual(by_supplier[A].period_score, total_a, places=1)
		self.assertEqual(by_supplier[A].on_time_percent, 60)
		self.assertEqual(by_supplier[A].rejected_percent, 5)
		self.assertEqual(by_supplier[B].warranty_failures, 1)
		self.assertAlmostEqual(by_supplier[B].period_score, total, places=1)
		self.assertEqual(by_supplier[B].standing, frappe.db.get_value("Supplier Scorecard", B, "status"))
		order = [r.supplier for r in rows]
		self.assertLess(order.index(A), order.index(B), "the better period score first")
		self.assertIn(B, chart["data"]["labels"])

	def test_set_up_is_idempotent_and_covers_every_spare_part_supplier(self):
		make_purchase_receipt(self.company, A, self.code, self.warehouse, 1, 20)
		supplier_scoring.ensure_scoring_setup()
		counts = (
			frappe.db.count("Supplier Scorecard Variable", {"is_custom": 1}),
			frappe.db.count("Supplier Scorecard Criteria"),
		)
		self.assertIn(A, supplier_scoring.spare_part_suppliers())
		self.assertNotIn(B, supplier_scoring.spare_part_suppliers())  # bought nothing
		frappe.db.delete("Supplier Scorecard", {"supplier": A})
		made = supplier_scoring.ensure_spare_part_supplier_scorecards()
		self.assertIn(A, made)
		self.assertEqual(supplier_scoring.ensure_spare_part_supplier_scorecards(), [])
		supplier_scoring.ensure_scoring_setup()
		self.assertEqual(
			counts,
			(
				frappe.db.count("Supplier Scorecard Variable", {"is_custom": 1}),
				frappe.db.count("Supplier Scorecard Criteria"),
			),
		)
		card = frappe.get_doc("Supplier Scorecard", A)
		self.assertEqual(
			sorted(c.criteria_name for c in card.criteria), sorted(c[0] for c in supplier_scoring.CRITERIA)
		)
		self.assertEqual(sum(flt(c.weight) for c in card.criteria), 100)

	def test_uninstall_removes_the_apps_scorecards_and_criteria_but_not_a_sites_own(self):
		make_purchase_receipt(self.company, A, self.code, self.warehouse, 1, 20)
		supplier_scoring.ensure_supplier_scorecard(A)
		period = make_supplier_scorecard(A)
		period.start_date, period.end_date = self.start, self.end
		period.insert(ignore_permissions=True)
		period.submit()
		supplier_scoring.remove_scoring_setup()
		self.assertFalse(frappe.db.exists("Supplier Scorecard", A))
		self.assertFalse(frappe.db.exists("Supplier Scorecard Period", period.name))
		self.assertFalse(frappe.db.exists("Supplier Scorecard Criteria", "Spare Parts Price"))
		self.assertFalse(frappe.db.exists("Supplier Scorecard Variable", {"param_name": "as_price_index"}))
		# ERPNext's own variables stay
		self.assertTrue(
			frappe.db.exists("Supplier Scorecard Variable", {"param_name": "total_received_items"})
		)
