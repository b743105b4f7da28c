import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales.install import after_install
from aftersales.roles import ROLES
from aftersales.setup.app import app_doctypes
from aftersales.setup.custom_fields import CUSTOM_FIELDS
from aftersales.setup.leftovers import find_leftovers


class TestInstall(FrappeTestCase):
	def test_roles_exist_with_desk_access(self):
		for role in ROLES:
			self.assertTrue(frappe.db.get_value("Role", role, "desk_access"), role)

	def test_custom_fields_exist(self):
		for doctype, fields in CUSTOM_FIELDS.items():
			meta = frappe.get_meta(doctype)
			for df in fields:
				self.assertIsNotNone(meta.get_field(df["fieldname"]), f"{doctype}.{df['fieldname']}")

	def test_app_doctypes_are_installed(self):
		doctypes = set(app_doctypes())
		for name in ("After-Sales Settings", "Service Point", "Service Point Member", "Fault Code"):
			self.assertIn(name, doctypes)
			self.assertEqual(
				frappe.db.get_value("DocType", name, "module")
				in frappe.get_all("Module Def", filters={"app_name": "aftersales"}, pluck="name"),
				True,
			)

	def test_settings_defaults(self):
		settings = frappe.get_single("After-Sales Settings")
		self.assertEqual(settings.appointment_limit_hours, 2)
		self.assertEqual(settings.refund_window_days, 7)
		self.assertEqual(settings.replacement_window_days, 15)
		self.assertEqual(settings.fee_shares(in_warranty=True).as_tuple(), (25, 50, 25))
		self.assertEqual(settings.fee_shares(in_warranty=False).as_tuple(), (50, 50, 0))

	def test_install_is_idempotent(self):
		after_install()
		after_install()
		self.assertEqual(frappe.db.count("Role", {"name": ["in", ROLES]}), len(ROLES))
		self.assertEqual(
			frappe.db.count("Custom Field", {"dt": "Stock Entry", "fieldname": ["like", "aftersales_%"]}), 3
		)

	def test_leftover_check_sees_an_installed_app(self):
		"""The uninstall check (run by the test command after `uninstall-app`) must be able to fail:
		while the app is installed it reports its roles, custom fields and tables."""
		leftovers = find_leftovers()
		self.assertTrue(any(line.startswith("Role:") for line in leftovers), leftovers)
		self.assertTrue(any(line.startswith("Custom Field:") for line in leftovers), leftovers)
		self.assertTrue(any(line.startswith("Table:") for line in leftovers), leftovers)
