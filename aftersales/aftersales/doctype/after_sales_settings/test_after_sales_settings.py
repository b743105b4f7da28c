import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import (
	FeeSplitError,
	SettingsValueError,
	WarrantyWindowError,
)
from aftersales.tests.utils import demo


class TestAfterSalesSettings(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		demo()

	def setUp(self):
		self.settings = frappe.get_single("After-Sales Settings")

	def tearDown(self):
		frappe.db.rollback()

	def assert_not_saved(self, exc, **changes):
		before = frappe.db.get_singles_dict("After-Sales Settings")
		self.settings.update(changes)
		self.assertRaises(exc, self.settings.save)
		after = frappe.db.get_singles_dict("After-Sales Settings")
		for fieldname in changes:
			self.assertEqual(before.get(fieldname), after.get(fieldname), fieldname)

	def test_in_warranty_shares_must_add_up_to_100(self):
		self.assert_not_saved(FeeSplitError, in_warranty_company_share=30)

	def test_out_of_warranty_shares_must_add_up_to_100(self):
		self.assert_not_saved(FeeSplitError, out_of_warranty_manager_share=10)

	def test_share_above_100_is_refused_even_when_total_is_100(self):
		self.assert_not_saved(
			FeeSplitError,
			in_warranty_company_share=-20,
			in_warranty_technician_share=120,
			in_warranty_manager_share=0,
		)

	def test_valid_shares_are_saved(self):
		self.settings.update(
			{
				"in_warranty_company_share": 20,
				"in_warranty_technician_share": 60,
				"in_warranty_manager_share": 20,
			}
		)
		self.settings.save()
		self.assertEqual(
			frappe.db.get_single_value("After-Sales Settings", "in_warranty_technician_share"), 60
		)

	def test_warranty_windows_must_be_ordered(self):
		self.assert_not_saved(WarrantyWindowError, refund_window_days=20, replacement_window_days=15)

	def test_appointment_limit_must_be_positive(self):
		self.assert_not_saved(SettingsValueError, appointment_limit_hours=0)

	def test_negative_days_are_refused(self):
		self.assert_not_saved(SettingsValueError, dead_stock_days=-1)

	def test_group_warehouse_is_refused(self):
		group = frappe.db.get_value("Warehouse", {"company": demo()["company"], "is_group": 1})
		self.assert_not_saved(SettingsValueError, scrap_warehouse=group)
