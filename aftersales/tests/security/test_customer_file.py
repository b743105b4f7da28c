"""Attacks over HTTP on follow-up plans and the customer file (FV-2, FV-5):

- a desk agent cannot forge what a plan set on its follow-up (plan, trigger, period, due date,
  customer, the questions), nor create a plan follow-up of their own, but still records the answers;
- `get_customer_360` returns only what the caller may read: a technician of another service point
  does not see the order, a technician gets no follow-up section, a portal customer is refused.
"""

import frappe
from frappe.utils import add_days, nowdate

from aftersales.integrity import ServerOwnedFieldError
from aftersales.service import follow_ups
from aftersales.service.customer_file import CustomerFileAccessError
from aftersales.tests import work_orders as wo
from aftersales.tests.api import APITestCase, call, commit, post_resource, put_resource, stored
from aftersales.tests.portal import portal_users
from aftersales.tests.utils import demo

FOLLOW_UP = "Service Follow-up"
METHOD = "aftersales.service.customer_file.get_customer_360"


class TestPlanFollowUpForgery(APITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()
		cls.zhang, cls.li = cls.demo["customers"][:2]

	@classmethod
	def tearDownClass(cls):
		# the committed plans of this class and their draft follow-ups leave the site's call list
		frappe.set_user("Administrator")
		frappe.db.rollback()
		plans = frappe.get_all("Follow-up Plan", {"plan_name": ["like", "Attack %"]}, pluck="name")
		for name in frappe.get_all(FOLLOW_UP, {"follow_up_plan": ["in", plans or [""]]}, pluck="name"):
			frappe.delete_doc(FOLLOW_UP, name, ignore_permissions=True, force=True)
		for name in plans:
			frappe.delete_doc("Follow-up Plan", name, ignore_permissions=True, force=True)
		commit()
		super().tearDownClass()

	def plan_follow_up(self) -> str:
		"""A plan's follow-up as the daily job makes it (the plan disabled again at once, so the
		site's own job never runs it), committed for the request threads."""
		plan = frappe.get_doc(
			{
				"doctype": "Follow-up Plan",
				"plan_name": "Attack plan " + frappe.generate_hash(length=6),
				"trigger": "Monthly",
				"day_of_month": 1,
				"channel": "Phone",
				"applies_from": "2020-01-01",
				"questions": [{"question": "Are you happy with us?", "weight": 1}],
			}
		).insert()
		name = follow_ups.make_follow_up(
			plan,
			{
				"customer": self.zhang,
				"customer_name": frappe.db.get_value("Customer", self.zhang, "customer_name"),
				"phone": "13800138001",
				"scheduled_date": nowdate(),
				"period": "attack-" + frappe.generate_hash(length=6),
			},
		)
		plan.db_set("enabled", 0)
		commit()
		return name

	def test_desk_cannot_move_a_plan_follow_up(self):
		name = self.plan_follow_up()
		other_plan = frappe.get_doc(
			{
				"doctype": "Follow-up Plan",
				"plan_name": "Attack other " + frappe.generate_hash(length=6),
				"trigger": "Monthly",
				"enabled": 0,
				"applies_from": "2020-01-01",
			}
		).insert()
		commit()
		for values in (
			{"scheduled_date": add_days(nowdate(), 30)},
			{"follow_up_plan": other_plan.name},
			{"period": "2099-01"},
			{"plan_trigger": "After Delivery"},
			{"customer": self.li},
			{"plan_key": "forged"},
			{"total_score": 100},
		):
			with self.subTest(values=values):
				self.assertPutRefused(wo.DESK, FOLLOW_UP, name, values, ServerOwnedFieldError)

	def test_desk_cannot_rewrite_or_add_a_question(self):
		name = self.plan_follow_up()
		doc = stored(FOLLOW_UP, name)
		row = doc["answers"][0]
		self.assertPutRefused(
			wo.DESK,
			FOLLOW_UP,
			name,
			{"answers": [dict(row, question="Did the technician steal anything?")]},
			ServerOwnedFieldError,
		)
		self.assertPutRefused(
			wo.DESK,
			FOLLOW_UP,
			name,
			{"answers": [row, {"question": "An extra question", "score": 1}]},
			ServerOwnedFieldError,
		)
		self.assertPutRefused(wo.DESK, FOLLOW_UP, name, {"answers": []}, ServerOwnedFieldError)

	def test_desk_records_the_answers(self):
		name = self.plan_follow_up()
		row = stored(FOLLOW_UP, name)["answers"][0]
		response = put_resource(
			wo.DESK, FOLLOW_UP, name, {"remarks": "Call back later", "answers": [dict(row, score=0.8)]}
		)
		self.assertEqual(response.status, 200, response)
		after = stored(FOLLOW_UP, name)
		self.assertEqual(after["answers"][0]["score"], 0.8)
		self.assertEqual(after["total_score"], 80)

	def test_desk_cannot_create_a_plan_follow_up(self):
		plan_name = frappe.db.get_value(FOLLOW_UP, self.plan_follow_up(), "follow_up_plan")
		before = frappe.db.count(FOLLOW_UP)
		response = post_resource(
			wo.DESK,
			FOLLOW_UP,
			{
				"customer": self.li,
				"scheduled_date": nowdate(),
				"follow_up_plan": plan_name,
				"period": "2099-12",
				"channel": "Phone",
			},
		)
		self.assertRefused(response, ServerOwnedFieldError)
		commit()
		self.assertEqual(frappe.db.count(FOLLOW_UP), before)


class TestCustomer360Access(APITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()
		cls.zhang = cls.demo["customers"][0]
		muted, frappe.flags.mute_emails = frappe.flags.mute_emails, True
		# an order of the east service point, for Zhang Wei
		cls.order = wo.dispatch(wo.new_work_order()).name
		cls.portal_user = portal_users()[0]
		commit()
		frappe.flags.mute_emails = muted

	def test_desk_sees_the_whole_file(self):
		response = call(wo.DESK, METHOD, customer=self.zhang)
		self.assertEqual(response.status, 200, response)
		data = response.data
		self.assertEqual(data["customer"]["name"], self.zhang)
		self.assertIn(self.order, [row["name"] for row in data["orders"]])
		self.assertIsInstance(data["follow_ups"], list)
		self.assertIsInstance(data["complaints"], list)
		product = next(p for p in data["products"] if p["item_code"] == "TV-55-U8")
		self.assertIn(product["warranty_status"], ("In Warranty", "Out of Warranty"))

	def test_technician_of_the_point_sees_its_order(self):
		response = call(wo.TECH_EAST, METHOD, customer=self.zhang)
		self.assertEqual(response.status, 200, response)
		self.assertIn(self.order, [row["name"] for row in response.data["orders"]])

	def test_technician_of_another_point_does_not(self):
		response = call(wo.TECH_WEST, METHOD, customer=self.zhang)
		self.assertEqual(response.status, 200, response)
		self.assertNotIn(self.order, [row["name"] for row in response.data["orders"]])
		self.assertNotIn(self.order, [p["source"] for p in response.data["products"]])
		self.assertIsNone(response.data["follow_ups"], "technicians do not read follow-ups")

	def test_portal_customer_is_refused(self):
		response = call(self.portal_user, METHOD, customer=self.zhang)
		self.assertRefused(response, CustomerFileAccessError, status=403)

	def test_unknown_customer_is_refused(self):
		response = call(wo.DESK, METHOD, customer="No Such Customer " + frappe.generate_hash(length=6))
		self.assertRefused(response, CustomerFileAccessError, status=403)
