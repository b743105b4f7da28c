"""The desk as each after-sales role finds it (issue 16): where they land, the live warranty
decision, the technician picker, the vehicle section and who is offered which action."""

import json
from unittest.mock import patch

import frappe
from frappe.boot import get_bootinfo
from frappe.desk.search import search_link
from frappe.tests.utils import FrappeTestCase
from frappe.utils import CallbackManager, add_days, nowdate

from aftersales.api.desk import intake_flags, technician_query
from aftersales.api.warranty import check_warranty
from aftersales.desk import extend_bootinfo
from aftersales.domain import desk_actions
from aftersales.domain import work_order_flow as flow
from aftersales.domain.warranty import IN_WARRANTY, OUT_OF_WARRANTY, REFUND, REPAIR, REPLACE
from aftersales.patches.v1_0 import status_log_note_codes
from aftersales.roles import ROLES, SERVICE_TECHNICIAN
from aftersales.service.work_order.status_notes import FOLLOW_UP_OUTCOME, status_note
from aftersales.service.work_order.vehicle import CACHE_KEY, is_vehicle_item
from aftersales.setup.roles import HOME_PAGE, WORKSPACE, set_default_workspaces, set_home_pages
from aftersales.tests import work_orders as wo
from aftersales.tests.utils import demo

TECHNICIAN_QUERY = "aftersales.api.desk.technician_query"


def fresh_user(email: str) -> None:
	"""A test user starts new: a run before may have left it committed (with roles and workspace)."""
	if frappe.db.exists("User", email):
		frappe.delete_doc("User", email, ignore_permissions=True, force=True)


class TestRoleHome(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_every_role_has_the_workspace_as_home_page(self):
		set_home_pages()
		for role in ROLES:
			self.assertEqual(frappe.db.get_value("Role", role, "home_page"), HOME_PAGE, role)

	def test_a_role_home_page_the_site_chose_is_kept(self):
		frappe.db.set_value("Role", SERVICE_TECHNICIAN, "home_page", "/app/todo")
		set_home_pages()
		self.assertEqual(frappe.db.get_value("Role", SERVICE_TECHNICIAN, "home_page"), "/app/todo")

	def test_staff_land_on_after_sales_at_login_and_from_app(self):
		for user in (wo.DESK, wo.DISPATCHER, wo.TECH_EAST, wo.INSPECTOR, wo.MANAGER):
			frappe.db.set_value("User", user, "default_workspace", None)
		set_default_workspaces()
		for user in (wo.DESK, wo.DISPATCHER, wo.TECH_EAST, wo.INSPECTOR, wo.MANAGER):
			self.assertEqual(frappe.db.get_value("User", user, "default_workspace"), WORKSPACE, user)
		# what the desk's router reads (frappe/utils/user.py load_user -> boot.user.default_workspace)
		frappe.set_user(wo.TECH_EAST)
		frappe.clear_cache(user=wo.TECH_EAST)
		self.assertEqual(get_bootinfo().user.default_workspace["name"], WORKSPACE)

	def test_a_new_user_given_a_role_lands_on_after_sales_and_a_chosen_workspace_stays(self):
		fresh_user("_test.desk.home@example.com")
		user = frappe.get_doc(
			{"doctype": "User", "email": "_test.desk.home@example.com", "first_name": "Home"}
		).insert(ignore_permissions=True)
		self.assertFalse(user.default_workspace)
		user.add_roles(ROLES[1])
		self.assertEqual(frappe.db.get_value("User", user.name, "default_workspace"), WORKSPACE)
		frappe.db.set_value("User", user.name, "default_workspace", "Home")
		set_default_workspaces()
		self.assertEqual(frappe.db.get_value("User", user.name, "default_workspace"), "Home")

	def test_a_user_without_an_after_sales_role_keeps_erpnext_home(self):
		fresh_user("_test.desk.accounts@example.com")
		user = frappe.get_doc(
			{"doctype": "User", "email": "_test.desk.accounts@example.com", "first_name": "Acc"}
		).insert(ignore_permissions=True)
		user.add_roles("Accounts User")
		set_default_workspaces()
		self.assertFalse(frappe.db.get_value("User", user.name, "default_workspace"))


class TestLiveWarranty(FrappeTestCase):
	"""What the intake form calls while product, serial and dates are typed, and that the save
	gives the same decision."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_desk_agent_gets_the_decision_before_saving_and_the_save_agrees(self):
		purchase = add_days(nowdate(), -3)
		with wo.as_user(wo.DESK):
			live = frappe.call(
				"aftersales.api.warranty.check_warranty",
				item_code="TV-55-U8",
				purchase_date=purchase,
				fault_date=nowdate(),
			)
			self.assertEqual((live["status"], live["remedies"]), (IN_WARRANTY, [REFUND, REPLACE, REPAIR]))
			# the form sends back what it showed: the server computes the same and saves it
			order = frappe.get_doc(
				{
					"doctype": "Service Work Order",
					"company": self.demo["company"],
					"order_type": "Repair",
					"channel": "Phone",
					"customer": self.demo["customers"][0],
					"item_code": "TV-55-U8",
					"purchase_date": purchase,
					"fault_date": nowdate(),
					"symptoms": "No picture",
					"warranty_status": live["status"],
					"warranty_end": live["warranty_end"],
					"warranty_basis": live["basis"],
					"allowed_remedies": ", ".join(live["remedies"]),
				}
			).insert()
		self.assertEqual(order.warranty_status, IN_WARRANTY)
		self.assertEqual(order.allowed_remedies, "Refund, Replace, Repair")

	def test_an_old_purchase_is_out_of_warranty_live(self):
		with wo.as_user(wo.DESK):
			live = check_warranty(item_code="TV-55-U8", purchase_date=add_days(nowdate(), -800))
		self.assertEqual((live["status"], live["remedies"]), (OUT_OF_WARRANTY, []))


class TestTechnicianPicker(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def pick(self, service_point, txt="", user=wo.DISPATCHER):
		with wo.as_user(user):
			return search_link(
				"Employee",
				txt,
				query=TECHNICIAN_QUERY,
				filters={"service_point": service_point, "company": self.demo["company"]},
			)

	def test_only_the_points_technicians_by_name_with_open_orders(self):
		east, west = self.demo["service_points"]
		tech_east, tech_west = self.demo["employees"][3], self.demo["employees"][4]
		before = frappe.db.count(
			"Service Work Order", {"technician": tech_east, "status": ["not in", flow.FINAL_STATES]}
		)
		wo.dispatch(wo.new_work_order())
		results = self.pick(east)
		self.assertEqual([r["value"] for r in results], [tech_east])  # not the dispatcher, not West's
		name = frappe.db.get_value("Employee", tech_east, "employee_name")
		self.assertEqual(results[0]["description"], f"{name} · {before + 1} open orders")
		self.assertEqual([r["value"] for r in self.pick(west)], [tech_west])

	def test_search_by_name_and_nothing_without_a_point(self):
		east = self.demo["service_points"][0]
		name = frappe.db.get_value("Employee", self.demo["employees"][3], "employee_name")
		self.assertEqual(len(self.pick(east, name[:3])), 1)
		self.assertEqual(self.pick(east, "no such person"), [])
		self.assertEqual(self.pick(""), [])

	def test_a_user_who_may_not_read_the_point_gets_nothing(self):
		fresh_user("_test.desk.nobody@example.com")
		user = frappe.get_doc(
			{"doctype": "User", "email": "_test.desk.nobody@example.com", "first_name": "Nobody"}
		).insert(ignore_permissions=True)
		user.add_roles("Blogger")
		with wo.as_user(user.name):
			self.assertRaises(
				frappe.PermissionError,
				technician_query,
				"Employee",
				"",
				"name",
				0,
				20,
				{"service_point": self.demo["service_points"][0]},
			)

	def test_whoever_the_picker_offers_the_server_accepts(self):
		order = wo.new_work_order()
		east = self.demo["service_points"][0]
		order = wo.move(order, flow.ACCEPTED, wo.DISPATCHER, service_point=east)
		offered = self.pick(east)[0]["value"]
		order = wo.move(order, flow.ASSIGNED, wo.DISPATCHER, technician=offered)
		self.assertEqual(order.technician, offered)


class TestVehicleSection(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_only_items_of_a_vehicle_group_or_below_one_show_it(self):
		item_group = frappe.db.get_value("Item", "TV-55-U8", "item_group")
		with wo.as_user(wo.DESK):
			self.assertEqual(intake_flags("TV-55-U8"), {"is_vehicle": 0})
		order = wo.new_work_order()
		self.assertEqual(order.is_vehicle, 0)
		parent = frappe.get_doc(
			"Item Group", frappe.db.get_value("Item Group", item_group, "parent_item_group")
		)
		parent.aftersales_is_vehicle = 1  # a parent group, marked on its form
		parent.save()
		with wo.as_user(wo.DESK):
			self.assertEqual(intake_flags("TV-55-U8"), {"is_vehicle": 1})
		order = wo.new_work_order()
		self.assertEqual(order.is_vehicle, 1)
		# a client cannot switch the section on for a kettle: the server decides the flag
		parent.aftersales_is_vehicle = 0
		parent.save()
		order = wo.new_work_order(is_vehicle=1)
		self.assertEqual(order.is_vehicle, 0)

	def test_the_cached_answer_is_forgotten_when_a_group_change_is_rolled_back(self):
		item_group = frappe.db.get_value("Item", "TV-55-U8", "item_group")
		self.assertFalse(is_vehicle_item("TV-55-U8"))  # cached: not a vehicle
		group = frappe.get_doc("Item Group", item_group)
		group.aftersales_is_vehicle = 1
		group.save()
		self.assertTrue(is_vehicle_item("TV-55-U8"))  # cached inside the change
		frappe.db.rollback()
		self.assertFalse(frappe.db.get_value("Item Group", item_group, "aftersales_is_vehicle"))
		self.assertFalse(is_vehicle_item("TV-55-U8"))

	def test_an_answer_cached_by_another_request_before_the_commit_is_forgotten(self):
		"""The callbacks the save leaves for the commit are run here by hand (nothing is committed)."""
		item_group = frappe.db.get_value("Item", "TV-55-U8", "item_group")
		group = frappe.get_doc("Item Group", item_group)
		group.aftersales_is_vehicle = 1
		commit = CallbackManager()
		with patch.object(frappe.db, "after_commit", commit):
			group.save()
		# another request read the group before this change was committed, and cached its answer
		frappe.cache.hset(CACHE_KEY, item_group, False)
		self.assertFalse(is_vehicle_item("TV-55-U8"))
		commit.run()
		self.assertTrue(is_vehicle_item("TV-55-U8"))

	def test_a_group_moved_under_a_vehicle_group_is_one(self):
		item_group = frappe.db.get_value("Item", "TV-55-U8", "item_group")
		self.assertFalse(is_vehicle_item("TV-55-U8"))
		vehicles = frappe.get_doc(
			{
				"doctype": "Item Group",
				"item_group_name": "Test Vehicles",
				"parent_item_group": "All Item Groups",
				"is_group": 1,
				"aftersales_is_vehicle": 1,
			}
		).insert()
		group = frappe.get_doc("Item Group", item_group)
		group.parent_item_group = vehicles.name
		group.save()
		self.assertTrue(is_vehicle_item("TV-55-U8"))


class TestActionsByRole(FrappeTestCase):
	"""The forms show a button when `aftersales.desk.may` says so: the same rules the server
	checks, sent at boot."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def boot_map(self, user):
		with wo.as_user(user):
			bootinfo = frappe._dict()
			extend_bootinfo(bootinfo)
			return bootinfo.get("aftersales_actions")

	def test_the_map_reaches_desk_users_only(self):
		actions = self.boot_map(wo.DISPATCHER)
		self.assertEqual(
			actions["Service Work Order"]["approve_parts"][0]["roles"],
			list(desk_actions.roles_for("Service Work Order", "approve_parts")),
		)
		self.assertIn("Accept", actions["Service Work Order"])
		with wo.as_user(wo.DISPATCHER):
			bootinfo = frappe._dict()
			extend_bootinfo(bootinfo)
		self.assertEqual(
			bootinfo.aftersales_field_owners["Service Work Order"],
			[
				{
					"fields": ["qc_result", "qc_remarks", "qc_type"],
					"roles": ["Quality Inspector"],
					"states": ["Quality Check"],
				}
			],
		)
		self.assertIsNone(self.boot_map("Guest"))

	def test_what_the_map_offers_matches_what_the_server_allows(self):
		order = wo.request_part(wo.start_work(wo.new_work_order()), self.demo["spare_parts"][0])
		action = ("Service Work Order", "approve_parts", order.status)
		for user in (wo.TECH_EAST, wo.STOCK, wo.DESK):
			self.assertFalse(desk_actions.may(set(frappe.get_roles(user)), *action), user)
			with wo.as_user(user):
				doc = frappe.get_doc("Service Work Order", order.name)
				self.assertRaises(frappe.PermissionError, doc.approve_parts)
		self.assertTrue(desk_actions.may(set(frappe.get_roles(wo.MANAGER)), *action))
		self.assertTrue(desk_actions.may(set(frappe.get_roles(wo.DISPATCHER)), *action))
		self.assertEqual(len(wo.call(order, "approve_parts", wo.DISPATCHER)), 1)
		# and not in a state the server refuses it in
		self.assertFalse(desk_actions.may(set(frappe.get_roles(wo.DISPATCHER)), *action[:2], flow.NEW))


class TestStoredCodesShownTranslated(FrappeTestCase):
	"""The app's status notes are stored as English messages with their values (shown in the
	reader's language by the form); older rows, English or Chinese, are converted by a patch."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_a_note_the_app_writes_keeps_its_message_and_values(self):
		order = wo.new_work_order()
		order.flags.status_note = status_note(FOLLOW_UP_OUTCOME, "SFU-TEST-1", "Satisfied")
		order.status = flow.CANCELLED
		order.outcome_reason = "Customer withdrew"
		order.flags.ignore_permissions = True
		with wo.as_user(wo.DESK):
			order.save()
		row = order.status_log[-1]
		self.assertEqual((row.status, row.previous_status), (flow.CANCELLED, flow.NEW))
		self.assertEqual(row.note, "Follow-up SFU-TEST-1: Satisfied")
		self.assertEqual(
			(row.note_code, json.loads(row.note_args)), (FOLLOW_UP_OUTCOME, ["SFU-TEST-1", "Satisfied"])
		)

	def test_the_patch_converts_english_and_chinese_notes_once(self):
		order = wo.new_work_order()
		row = order.status_log[0]
		typed = "Customer will bring the remote"
		cases = {
			"回访 SFU-TEST-2：满意": ("Follow-up SFU-TEST-2: Satisfied", ["SFU-TEST-2", "Satisfied"]),
			"Consent given on the service portal by a@example.com": (
				"Consent given on the service portal by a@example.com",
				["a@example.com"],
			),
			typed: (typed, None),
		}
		for stored, (note, values) in cases.items():
			frappe.db.set_value(
				"Service Work Order Log", row.name, {"note": stored, "note_code": None, "note_args": None}
			)
			status_log_note_codes.execute()
			status_log_note_codes.execute()
			after = frappe.db.get_value(
				"Service Work Order Log", row.name, ["note", "note_args"], as_dict=True
			)
			self.assertEqual(after.note, note, stored)
			self.assertEqual(json.loads(after.note_args) if after.note_args else None, values, stored)
