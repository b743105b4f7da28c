"""The Customer 360 content (FV-5): the customer's class and preferences, what they bought with its
warranty, their orders, complaints and follow-up scores (who may read it: aftersales/tests/security/
test_customer_file.py)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from aftersales.service import follow_ups
from aftersales.service.customer_file import get_customer_360
from aftersales.service.doctype.follow_up_plan.test_follow_up_plan import customer_class, make_plan
from aftersales.tests import work_orders as wo
from aftersales.tests.portal import sell
from aftersales.tests.utils import demo, keep_in_transaction


class TestCustomer360(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.zhang = demo()["customers"][0]  # the demo commits: before any change of the test

	def setUp(self):
		frappe.set_user("Administrator")
		keep_in_transaction(self)
		frappe.db.set_value("Follow-up Plan", {"enabled": 1}, "enabled", 0)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_the_file_of_a_customer(self):
		frappe.db.set_value(
			"Customer",
			self.zhang,
			{
				"aftersales_customer_class": customer_class("360 Test Class"),
				"aftersales_contact_channel": "SMS",
				"aftersales_preferred_time": "Evening",
			},
		)
		note = sell(self.zhang, days=-20)
		order = wo.new_work_order()
		complaint = frappe.get_doc(
			{
				"doctype": "Customer Complaint",
				"subject": "Rude on the phone",
				"channel": "Hotline",
				"category": "Service Attitude",
				"customer": self.zhang,
				"complainant": "Zhang Wei",
				"description": "Rude on the phone",
			}
		).insert(ignore_permissions=True)
		plan = make_plan("360 test plan")
		posted = getdate(frappe.db.get_value("Delivery Note", note.name, "posting_date"))
		follow_ups.create_due_follow_ups(add_days(posted, 7))
		follow_up = frappe.get_all("Service Follow-up", {"follow_up_plan": plan}, pluck="name")[0]
		rows = frappe.get_doc("Service Follow-up", follow_up).answers
		with wo.as_user(wo.DESK):
			follow_ups.record_outcome(
				follow_up, "Satisfied", scores={"answers": {row.name: {"score": 3} for row in rows}}
			)
			data = get_customer_360(self.zhang)

		self.assertEqual(data["customer"]["customer_class"], "360 Test Class")
		self.assertEqual(data["customer"]["contact_channel"], "SMS")
		self.assertEqual(data["customer"]["preferred_time"], "Evening")
		tv = next(p for p in data["products"] if p["serial_no"] == note.serial_no)
		self.assertEqual(tv["source"], note.name)
		self.assertEqual(tv["warranty_status"], "In Warranty")  # bought 20 days ago, 365 days' warranty
		self.assertEqual(getdate(tv["warranty_end"]), add_days(posted, 365))
		self.assertIn(order.name, [row.name for row in data["orders"]])
		self.assertIn(complaint.name, [row.name for row in data["complaints"]])
		scored = next(row for row in data["follow_ups"] if row.name == follow_up)
		self.assertEqual(scored.outcome, "Satisfied")
		self.assertEqual(scored.total_score, 60)
