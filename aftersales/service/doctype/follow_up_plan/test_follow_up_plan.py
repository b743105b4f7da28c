# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Follow-up plans (FV-2): the daily job makes each follow-up on its day, not the day before and
never twice, for the plan's customer groups, classes and item groups; a delivery takes the After
Delivery plan's delay, channel and questions; the call list records the outcome."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, getdate

from aftersales.domain import work_order_flow as flow
from aftersales.service import follow_ups
from aftersales.service.doctype.follow_up_plan.follow_up_plan import FollowUpPlanError
from aftersales.service.doctype.service_follow_up.service_follow_up import FollowUpSourceError
from aftersales.tests import work_orders as wo
from aftersales.tests.portal import sell
from aftersales.tests.utils import demo, keep_in_transaction

FOLLOW_UP = "Service Follow-up"


def make_plan(name: str, trigger: str = "Days After Purchase", **values) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Follow-up Plan",
			"plan_name": name,
			"trigger": trigger,
			"purchase_document": "Delivery Note",
			"days_after": 7,
			"day_of_month": 5,
			"channel": "Phone",
			"applies_from": "2020-01-01",
			"questions": [
				{"question": "Did the product arrive in good order?", "weight": 2},
				{"question": "How easy was the installation?", "weight": 1},
			],
		}
	)
	customer_groups = values.pop("customer_groups", [])
	item_groups = values.pop("item_groups", [])
	doc.update(values)
	for group in customer_groups:
		doc.append("customer_groups", {"customer_group": group})
	for group in item_groups:
		doc.append("item_groups", {"item_group": group})
	return doc.insert().name


def customer_group(name: str) -> str:
	if not frappe.db.exists("Customer Group", name):
		frappe.get_doc(
			{
				"doctype": "Customer Group",
				"customer_group_name": name,
				"parent_customer_group": "All Customer Groups",
			}
		).insert()
	return name


def customer_class(name: str) -> str:
	if not frappe.db.exists("Customer Class", name):
		frappe.get_doc({"doctype": "Customer Class", "class_name": name}).insert()
	return name


def made_for(plan: str, **filters) -> list[dict]:
	return frappe.get_all(
		FOLLOW_UP,
		{"follow_up_plan": plan, **filters},
		["name", "customer", "scheduled_date", "period", "reference_name", "channel"],
	)


class FollowUpPlanTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()
		cls.zhang, cls.li = cls.demo["customers"][0], cls.demo["customers"][1]

	def setUp(self):
		frappe.set_user("Administrator")
		keep_in_transaction(self)
		# the plans of the site (the demo's) are left out: only the test's plans run
		frappe.db.set_value("Follow-up Plan", {"enabled": 1}, "enabled", 0)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()


class TestPurchasePlan(FollowUpPlanTestCase):
	def test_due_on_the_day_not_the_day_before_and_not_twice(self):
		plan = make_plan("Test 7 days after purchase")
		note = sell(self.zhang, days=-20)
		posted = getdate(frappe.db.get_value("Delivery Note", note.name, "posting_date"))

		follow_ups.create_due_follow_ups(add_days(posted, 6))
		self.assertEqual(made_for(plan, reference_name=note.name), [], "not the day before")

		follow_ups.create_due_follow_ups(add_days(posted, 7))
		made = made_for(plan, reference_name=note.name)
		self.assertEqual(len(made), 1)
		self.assertEqual(made[0].customer, self.zhang)
		self.assertEqual(getdate(made[0].scheduled_date), add_days(posted, 7))

		follow_ups.create_due_follow_ups(add_days(posted, 7))
		follow_ups.create_due_follow_ups(add_days(posted, 8))
		self.assertEqual(len(made_for(plan, reference_name=note.name)), 1, "never twice")

		doc = frappe.get_doc(FOLLOW_UP, made[0].name)
		self.assertEqual(doc.reference_doctype, "Delivery Note")
		self.assertEqual(
			[row.question for row in doc.answers],
			["Did the product arrive in good order?", "How easy was the installation?"],
		)
		self.assertEqual(doc.phone, frappe.db.get_value("Customer", self.zhang, "mobile_no"))

	def test_a_missed_day_is_caught_up(self):
		plan = make_plan("Test catch-up")
		note = sell(self.zhang, days=-20)
		posted = getdate(frappe.db.get_value("Delivery Note", note.name, "posting_date"))
		follow_ups.create_due_follow_ups(add_days(posted, 10))
		made = made_for(plan, reference_name=note.name)
		self.assertEqual(len(made), 1)
		self.assertEqual(
			getdate(made[0].scheduled_date), add_days(posted, 7), "due on its own day, overdue now"
		)

	def test_sales_invoice_plan_leaves_out_repair_invoices(self):
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

		plan = make_plan("Test invoice plan", purchase_document="Sales Invoice")
		note = sell(self.zhang, days=-20, serial=False)
		posted = getdate(frappe.db.get_value("Delivery Note", note.name, "posting_date"))
		invoices = []
		for _n in range(2):
			invoice = make_sales_invoice(note.name)
			invoice.update({"set_posting_time": 1, "posting_date": posted, "due_date": posted})
			invoice.items[0].qty = 1
			invoice.insert(ignore_permissions=True).submit()
			invoices.append(invoice.name)
		# the second stands for the invoice of a repair (the work order's own follow-up covers it)
		repair_order = wo.new_work_order()
		frappe.db.set_value("Sales Invoice", invoices[1], "service_work_order", repair_order.name)

		follow_ups.create_due_follow_ups(add_days(posted, 7))
		self.assertEqual(len(made_for(plan, reference_name=invoices[0])), 1)
		self.assertEqual(made_for(plan, reference_name=invoices[1]), [])
		self.assertEqual(made_for(plan, reference_name=note.name), [], "the plan counts invoices only")

	def test_customer_group_and_item_group_filters(self):
		zhang_group = frappe.db.get_value("Customer", self.zhang, "customer_group")
		other_group = customer_group("Follow-up Test Long-term")
		parts_group = frappe.db.get_value("Item", "SP-WASHER-BEARING", "item_group")
		product_group = frappe.db.get_value("Item", "TV-55-U8", "item_group")
		right_group = make_plan("Test right customer group", customer_groups=[zhang_group])
		wrong_group = make_plan("Test other customer group", customer_groups=[other_group])
		parts = make_plan("Test parts bought", item_groups=[parts_group])
		products = make_plan("Test products bought", item_groups=[product_group])
		note = sell(self.zhang, days=-20, serial=False)  # bearing kits only: spare parts
		posted = getdate(frappe.db.get_value("Delivery Note", note.name, "posting_date"))

		follow_ups.create_due_follow_ups(add_days(posted, 7))
		self.assertEqual(len(made_for(right_group, reference_name=note.name)), 1)
		self.assertEqual(made_for(wrong_group, reference_name=note.name), [])
		self.assertEqual(len(made_for(parts, reference_name=note.name)), 1)
		self.assertEqual(made_for(products, reference_name=note.name), [])

	def test_a_subgroup_belongs_to_its_group(self):
		parent = frappe.get_doc(
			{
				"doctype": "Customer Group",
				"customer_group_name": "Follow-up Test Parent",
				"parent_customer_group": "All Customer Groups",
				"is_group": 1,
			}
		).insert()
		child = frappe.get_doc(
			{
				"doctype": "Customer Group",
				"customer_group_name": "Follow-up Test Child",
				"parent_customer_group": parent.name,
			}
		).insert()
		frappe.db.set_value("Customer", self.zhang, "customer_group", child.name)
		plan = make_plan("Test parent group", customer_groups=[parent.name])
		note = sell(self.zhang, days=-20, serial=False)
		posted = getdate(frappe.db.get_value("Delivery Note", note.name, "posting_date"))
		follow_ups.create_due_follow_ups(add_days(posted, 7))
		self.assertEqual(len(made_for(plan, reference_name=note.name)), 1)

	def test_do_not_contact_is_respected_and_returns_are_no_purchase(self):
		plan = make_plan("Test opt-out")
		frappe.db.set_value("Customer", self.zhang, "aftersales_do_not_contact", 1)
		note = sell(self.zhang, days=-20, serial=False)
		posted = getdate(frappe.db.get_value("Delivery Note", note.name, "posting_date"))
		follow_ups.create_due_follow_ups(add_days(posted, 7))
		self.assertEqual(made_for(plan, reference_name=note.name), [])

	def test_a_purchase_follow_up_is_recorded_from_the_call_list(self):
		plan = make_plan("Test record outcome")
		note = sell(self.zhang, days=-20, serial=False)
		posted = getdate(frappe.db.get_value("Delivery Note", note.name, "posting_date"))
		follow_ups.create_due_follow_ups(add_days(posted, 7))
		name = made_for(plan, reference_name=note.name)[0].name
		doc = frappe.get_doc(FOLLOW_UP, name)
		first, second = doc.answers

		from aftersales.service.report.follow_up_call_list.follow_up_call_list import execute

		with wo.as_user(wo.DESK):
			_columns, rows = execute({"date": add_days(posted, 7), "follow_up_plan": plan})
			self.assertEqual([r.name for r in rows], [name])
			self.assertEqual(rows[0].phone, frappe.db.get_value("Customer", self.zhang, "mobile_no"))
			self.assertRaises(
				FollowUpSourceError,
				follow_ups.record_outcome,
				name,
				"Not Fixed at First Visit",
				scores={"answers": {first.name: {"score": 2}, second.name: {"score": 2}}},
			)
			result = follow_ups.record_outcome(
				name,
				"Satisfied",
				remarks="All good",
				scores={"answers": {first.name: {"score": 5}, second.name: {"score": 2, "answer": "Hard"}}},
			)
		# (5/5 x 2 + 2/5 x 1) / 3 = 80%
		self.assertEqual(result["total_score"], 80)
		doc.reload()
		self.assertEqual(doc.docstatus, 1)
		self.assertEqual(doc.followed_up_by, wo.DESK)
		with wo.as_user(wo.DESK):
			_columns, rows = execute({"date": add_days(posted, 7), "follow_up_plan": plan})
		self.assertEqual(rows, [], "a recorded follow-up leaves the call list")


class TestMonthlyPlan(FollowUpPlanTestCase):
	def test_monthly_follow_up_of_a_customer_class(self):
		long_term = customer_class("Follow-up Test Long-term")
		frappe.db.set_value("Customer", self.li, "aftersales_customer_class", long_term)
		plan = make_plan("Test monthly", trigger="Monthly", customer_class=long_term)
		month = getdate(add_months(getdate(), 1)).replace(day=1)

		follow_ups.create_due_follow_ups(month.replace(day=4))
		self.assertEqual(made_for(plan), [], "not before the plan's day of the month")

		follow_ups.create_due_follow_ups(month.replace(day=5))
		follow_ups.create_due_follow_ups(month.replace(day=6))
		made = made_for(plan)
		self.assertEqual([row.customer for row in made], [self.li], "only the class's customers, once")
		self.assertEqual(getdate(made[0].scheduled_date), month.replace(day=5))

		next_month = getdate(add_months(month, 1)).replace(day=5)
		follow_ups.create_due_follow_ups(next_month)
		self.assertEqual(
			sorted(row.period for row in made_for(plan)),
			[month.strftime("%Y-%m"), next_month.strftime("%Y-%m")],
		)

	def test_make_due_follow_ups_now_is_the_managers(self):
		long_term = customer_class("Follow-up Test Long-term")
		frappe.db.set_value("Customer", self.li, "aftersales_customer_class", long_term)
		plan = frappe.get_doc(
			"Follow-up Plan",
			make_plan("Test now", trigger="Monthly", day_of_month=1, customer_class=long_term),
		)
		with wo.as_user(wo.DESK):  # the desk reads plans, it does not run them
			self.assertRaises(
				frappe.PermissionError, frappe.get_doc("Follow-up Plan", plan.name).make_due_follow_ups
			)
		with wo.as_user(wo.MANAGER):
			made = frappe.get_doc("Follow-up Plan", plan.name).make_due_follow_ups()
			self.assertEqual([frappe.db.get_value(FOLLOW_UP, n, "customer") for n in made], [self.li])
			self.assertEqual(frappe.get_doc("Follow-up Plan", plan.name).make_due_follow_ups(), [], "once")
		delivery_plan = frappe.get_doc(
			"Follow-up Plan", make_plan("Test now delivery", trigger="After Delivery")
		)
		self.assertRaises(FollowUpPlanError, delivery_plan.make_due_follow_ups)

	def test_day_of_month_must_exist(self):
		self.assertRaises(FollowUpPlanError, make_plan, "Test bad day", trigger="Monthly", day_of_month=32)


class TestAfterDeliveryPlan(FollowUpPlanTestCase):
	def test_delivery_follow_up_takes_the_plan_and_closes_the_order(self):
		product_group = frappe.db.get_value("Item", "TV-55-U8", "item_group")
		plan = make_plan(
			"Test after delivery",
			trigger="After Delivery",
			days_after=2,
			channel="SMS",
			item_groups=[product_group],
		)
		order = wo.deliver(wo.pass_quality_check(wo.finish_work(wo.start_work(wo.new_work_order()))))
		follow_up = frappe.get_doc(FOLLOW_UP, order.follow_up)
		self.assertEqual(follow_up.follow_up_plan, plan)
		self.assertEqual(follow_up.channel, "SMS")
		self.assertEqual(getdate(follow_up.scheduled_date), add_days(getdate(order.delivered_on), 2))
		self.assertEqual(len(follow_up.answers), 2)

		scores = {"repair_quality": 5, "attitude": 4, "duration": 4}
		with wo.as_user(wo.DESK):
			scores["answers"] = {row.name: {"score": 4} for row in follow_up.answers}
			follow_ups.record_outcome(follow_up.name, "Satisfied", scores=scores)
		self.assertEqual(frappe.db.get_value("Service Work Order", order.name, "status"), flow.CLOSED)
		self.assertEqual(frappe.db.get_value(FOLLOW_UP, follow_up.name, "total_score"), 80)

	def test_no_plan_keeps_the_settings_delay(self):
		order = wo.deliver(wo.pass_quality_check(wo.finish_work(wo.start_work(wo.new_work_order()))))
		follow_up = frappe.get_doc(FOLLOW_UP, order.follow_up)
		self.assertFalse(follow_up.follow_up_plan)
		self.assertEqual(follow_up.channel, "Phone")
		self.assertEqual(follow_up.answers, [])
