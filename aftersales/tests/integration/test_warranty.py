import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from aftersales.api.warranty import check_warranty
from aftersales.domain.warranty import IN_WARRANTY, OUT_OF_WARRANTY, REFUND, REPAIR, REPLACE
from aftersales.service.warranty import SerialNoMismatchError, WarrantyDecisionError
from aftersales.setup.demo import ensure_serial_no
from aftersales.tests.utils import demo


class TestWarrantyOnRealRecords(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_serial_no_expiry_date_decides(self):
		serial = ensure_serial_no("TV-55-U8", "_TEST-WTY-1", self.demo["company"], purchase_date="2026-01-01")
		frappe.db.set_value("Serial No", serial, "warranty_expiry_date", "2026-06-30")
		inside = check_warranty(serial_no=serial, purchase_date="2026-01-01", fault_date="2026-06-30")
		outside = check_warranty(serial_no=serial, purchase_date="2026-01-01", fault_date="2026-07-01")
		self.assertEqual((inside["status"], inside["remedies"]), (IN_WARRANTY, [REPAIR]))
		self.assertEqual(inside["basis"], "Serial No")
		self.assertEqual((outside["status"], outside["remedies"]), (OUT_OF_WARRANTY, []))

	def test_item_warranty_period_decides_without_serial(self):
		# FRIDGE-BCD-450 has a 1095-day warranty period on the Item
		result = check_warranty(
			item_code="FRIDGE-BCD-450", purchase_date="2024-01-01", fault_date="2026-12-30"
		)
		self.assertEqual(result["status"], IN_WARRANTY)
		self.assertEqual(getdate(result["warranty_end"]), getdate(add_days("2024-01-01", 1095)))

	def test_refund_window_from_settings(self):
		day7 = check_warranty(item_code="TV-55-U8", purchase_date="2026-03-01", fault_date="2026-03-08")
		day8 = check_warranty(item_code="TV-55-U8", purchase_date="2026-03-01", fault_date="2026-03-09")
		self.assertEqual(day7["remedies"], [REFUND, REPLACE, REPAIR])
		self.assertEqual(day8["remedies"], [REPLACE, REPAIR])

	def test_missing_purchase_date_is_a_clear_error(self):
		self.assertRaises(
			WarrantyDecisionError, check_warranty, item_code="TV-55-U8", fault_date="2026-03-08"
		)

	def test_serial_of_another_item_is_refused(self):
		serial = ensure_serial_no("TV-55-U8", "_TEST-WTY-2", self.demo["company"])
		self.assertRaises(
			SerialNoMismatchError,
			check_warranty,
			item_code="FRIDGE-BCD-450",
			serial_no=serial,
			purchase_date="2026-01-01",
		)

	def test_guest_cannot_read_serial_numbers(self):
		frappe.set_user("Guest")
		serial = self.demo["serial_nos"][0]
		self.assertRaises(
			frappe.PermissionError, check_warranty, serial_no=serial, purchase_date="2026-01-01"
		)

	def test_unknown_serial_is_a_clear_error(self):
		self.assertRaises(
			SerialNoMismatchError, check_warranty, serial_no="NO-SUCH-SERIAL", purchase_date="2026-01-01"
		)
