import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales.service.doctype.fault_code.fault_code import FaultCodeFormatError, get_troubleshooting
from aftersales.tests.utils import demo


class TestFaultCode(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_code_is_normalised(self):
		fault = frappe.get_doc(
			{
				"doctype": "Fault Code",
				"fault_code": " tv-x1 ",
				"fault_name": "Test",
				"symptom": "Test symptom",
			}
		).insert()
		self.assertEqual(fault.name, "TV-X1")

	def test_code_with_spaces_is_refused(self):
		fault = frappe.get_doc(
			{"doctype": "Fault Code", "fault_code": "TV X1", "fault_name": "Test", "symptom": "Test symptom"}
		)
		self.assertRaises(FaultCodeFormatError, fault.insert)

	def test_troubleshooting_reads_the_help_article(self):
		frappe.set_user("desk@aftersales.demo")
		result = get_troubleshooting("WM-E21")
		self.assertTrue(result["solvable_by_phone"])
		self.assertIn("filter", result["help_article"]["content"])

	def test_troubleshooting_needs_read_permission(self):
		frappe.set_user("Guest")
		self.assertRaises(frappe.PermissionError, get_troubleshooting, "WM-E21")
