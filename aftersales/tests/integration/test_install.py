import frappe
from frappe.apps import get_apps
from frappe.tests.utils import FrappeTestCase
from frappe.utils.fixtures import sync_fixtures
from frappe.utils.password import update_password

from aftersales.desk import has_app_permission
from aftersales.install import after_install
from aftersales.roles import ROLES
from aftersales.setup.app import app_doctypes
from aftersales.setup.custom_fields import CUSTOM_FIELDS
from aftersales.setup.leftovers import find_leftovers, unused_workflow_masters
from aftersales.setup.workflows import (
	created_masters,
	delete_workflows,
	ensure_workflow_masters,
	forget_created,
)
from aftersales.tests import work_orders as wo
from aftersales.tests.api import commit, request
from aftersales.tests.utils import demo, portal_user_for


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


class TestSharedWorkflowRecords(FrappeTestCase):
	"""Workflow States and Actions belong to the whole site (issue 10, F): Frappe's own "Approved"
	and "Rejected" and what the site's other workflows use stay as the site has them through
	install, migrate and uninstall; uninstall removes only what the app made and nothing uses.

	Install and migrate are run as Frappe runs them (`after_install`, the fixtures sync, which
	commits, and `after_migrate`); uninstall as far as workflows go (`delete_workflows`), and undone
	by the rollback in tearDown."""

	FRAMEWORK_STATES = ("Approved", "Rejected")

	def setUp(self):
		self.saved = {
			name: frappe.db.get_value("Workflow State", name, ["icon", "style"], as_dict=True)
			for name in self.FRAMEWORK_STATES
		}

	def tearDown(self):
		frappe.db.rollback()
		for name, values in self.saved.items():
			if values and frappe.db.exists("Workflow State", name):
				frappe.db.set_value("Workflow State", name, values)
		if frappe.db.exists("Workflow", SITE_WORKFLOW):
			frappe.delete_doc("Workflow", SITE_WORKFLOW, force=True, ignore_permissions=True)
		frappe.db.commit()

	def install_and_migrate(self):
		after_install()
		sync_fixtures("aftersales")
		ensure_workflow_masters()

	def style(self, name: str) -> dict:
		return frappe.db.get_value("Workflow State", name, ["icon", "style"], as_dict=True)

	def test_site_owned_approved_keeps_its_style_through_install_migrate_and_uninstall(self):
		frappe.db.set_value("Workflow State", "Approved", {"icon": "thumbs-up", "style": "Warning"})
		frappe.db.commit()
		self.install_and_migrate()
		self.assertEqual(self.style("Approved"), {"icon": "thumbs-up", "style": "Warning"})
		delete_workflows(app_doctypes())
		self.assertEqual(self.style("Approved"), {"icon": "thumbs-up", "style": "Warning"})
		self.assertTrue(frappe.db.exists("Workflow Action Master", "Approve"))

	def test_a_state_another_workflow_uses_survives_uninstall(self):
		"""Frappe's "Rejected" as Frappe made it, and a state the app made that a site workflow now
		uses too, stay; a state only the app used goes."""
		rejected = self.style("Rejected")
		make_site_workflow(states=("Rejected", "Quality Check"), action="Pass")
		frappe.db.commit()
		self.install_and_migrate()
		delete_workflows(app_doctypes())
		self.assertEqual(self.style("Rejected"), rejected)
		self.assertTrue(frappe.db.exists("Workflow State", "Quality Check"))
		self.assertTrue(frappe.db.exists("Workflow Action Master", "Pass"))
		self.assertFalse(frappe.db.exists("Workflow State", "Counting"))  # the stocktake's alone
		self.assertFalse(frappe.db.exists("Workflow Action Master", "Freeze and Count"))

	def test_uninstall_leaves_nothing_of_its_own_and_forgets_what_it_made(self):
		self.install_and_migrate()
		self.assertIn("Counting", created_masters()["Workflow State"])
		self.assertNotIn("Approved", created_masters()["Workflow State"])
		delete_workflows(app_doctypes())
		self.assertEqual(unused_workflow_masters(), [])
		self.assertEqual(created_masters(), {"Workflow State": [], "Workflow Action Master": []})
		self.assertTrue(frappe.db.exists("Workflow State", "Approved"))

	def test_patch_gives_frappe_its_approved_back_on_a_site_the_old_fixtures_restyled(self):
		from aftersales.patches.v1_0 import workflow_masters_not_fixtures as patch

		frappe.db.set_value("Workflow State", "Approved", {"icon": "", "style": "Primary"})
		forget_created()
		patch.execute()
		self.assertEqual(self.style("Approved"), {"icon": "ok-sign", "style": "Success"})
		created = created_masters()["Workflow State"]
		self.assertIn("Quality Check", created)
		self.assertNotIn("Approved", created)


SITE_WORKFLOW = "aftersales test: a site's own workflow"


def make_site_workflow(states: tuple[str, str], action: str):
	"""An inactive workflow of the site's own on ToDo (its `status` field holds the state, so
	Frappe adds no custom field)."""
	return frappe.get_doc(
		{
			"doctype": "Workflow",
			"workflow_name": SITE_WORKFLOW,
			"document_type": "ToDo",
			"workflow_state_field": "status",
			"is_active": 0,
			"states": [{"state": s, "doc_status": "0", "allow_edit": "System Manager"} for s in states],
			"transitions": [
				{"state": states[0], "action": action, "next_state": states[1], "allowed": "System Manager"}
			],
		}
	).insert(ignore_permissions=True)


class TestAppsScreen(FrappeTestCase):
	"""The After-Sales tile (and so the page after login) is for desk users with an app role; a
	portal customer goes to the portal, never to /app/after-sales (a 403 for them)."""

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_has_permission_for_staff_not_for_customers(self):
		customer_user = portal_user_for(demo()["customers"][0])
		for user, expected in ((wo.DESK, True), ("Administrator", True), (customer_user, False)):
			frappe.set_user(user)
			self.assertEqual(has_app_permission(), expected, user)
			self.assertEqual("aftersales" in [app["name"] for app in get_apps()], expected, user)

	def test_a_desk_user_without_an_app_role_does_not_see_it(self):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": "no.app.role@example.com",
				"first_name": "Plain",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
		user.add_roles("Accounts User")
		frappe.set_user(user.name)
		self.assertFalse(has_app_permission())
		# the warehouse issues parts and counts stock in the app with ERPNext's stock roles
		frappe.set_user("Administrator")
		user.add_roles("Stock User")
		frappe.set_user(user.name)
		self.assertTrue(has_app_permission())

	def test_a_portal_customer_logs_in_to_the_portal(self):
		customer_user = portal_user_for(demo()["customers"][0])
		update_password(customer_user, PASSWORD)
		update_password(wo.DESK, PASSWORD)
		commit()
		response = request(None, "POST", "/api/method/login", {"usr": customer_user, "pwd": PASSWORD})
		self.assertEqual(response.status, 200, response)
		self.assertFalse(response.json["home_page"].startswith("/app"), response)
		staff = request(None, "POST", "/api/method/login", {"usr": wo.DESK, "pwd": PASSWORD})
		self.assertTrue(staff.json["home_page"].startswith("/app"), staff)


PASSWORD = "Portal-Test-2026!"
