"""Shared base of the spare-part, dead-stock and stocktake tests."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import nowdate

from aftersales.parts.doctype.spare_part.spare_part import make_spare_part
from aftersales.tests.utils import demo


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
