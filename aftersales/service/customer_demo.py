"""Demo of follow-up plans and the customer file (FV-2, FV-5), called by aftersales.setup.demo.load
outside tests (idempotent): two customer classes, the demo customers' classes, preferences and a
birthday today, three follow-up plans (7 days after a purchase, monthly for long-term customers,
after every repair delivery, each with scored questions) and a birthday care message. The plans'
follow-ups due today are made at once, so the call list has work."""

import frappe
from frappe.utils import getdate, nowdate

from aftersales.service import follow_ups

CLASSES = (
	("A Existing Customer", "Bought from us; called monthly and greeted on birthdays and holidays."),
	("B Prospect", "Asked about our products or services but has not bought yet."),
)


def ensure_class(name: str, description: str) -> str:
	if not frappe.db.exists("Customer Class", name):
		frappe.get_doc({"doctype": "Customer Class", "class_name": name, "description": description}).insert(
			ignore_permissions=True
		)
	return name


def ensure_plan(values: dict, questions: list[tuple[str, int]], **groups) -> str:
	if frappe.db.exists("Follow-up Plan", values["plan_name"]):
		return values["plan_name"]
	doc = frappe.get_doc({"doctype": "Follow-up Plan", **values})
	for question, weight in questions:
		doc.append("questions", {"question": question, "weight": weight})
	for group in groups.get("item_groups", []):
		doc.append("item_groups", {"item_group": group})
	return doc.insert(ignore_permissions=True).name


def load(customers: list[str], product_group: str) -> dict:
	existing, prospect = (ensure_class(*c) for c in CLASSES)
	today = getdate(nowdate())
	preferences = (
		# class, preferred channel, preferred time, birthday
		(existing, "Phone", "Evening", today.replace(year=1985)),
		(existing, "SMS", "Weekends", None),
		(prospect, "Email", "Working Hours", None),
	)
	for customer, (customer_class, channel, time, birthday) in zip(customers, preferences, strict=False):
		values = {
			"aftersales_customer_class": customer_class,
			"aftersales_contact_channel": channel,
			"aftersales_preferred_time": time,
		}
		if birthday and not frappe.db.get_value("Customer", customer, "aftersales_birthday"):
			values["aftersales_birthday"] = birthday
		frappe.db.set_value("Customer", customer, values)
	plans = [
		ensure_plan(
			{
				"plan_name": "7 Days After Purchase",
				"trigger": "Days After Purchase",
				"purchase_document": "Delivery Note",
				"days_after": 7,
				"channel": "Phone",
				"applies_from": "2020-01-01",
				"description": "A call a week after an appliance is delivered.",
			},
			[
				("Did the product arrive complete and undamaged?", 2),
				("Was the installation explained well?", 1),
			],
			item_groups=[product_group],
		),
		ensure_plan(
			{
				"plan_name": "Monthly Call for Long-term Customers",
				"trigger": "Monthly",
				"day_of_month": 1,
				"channel": "Phone",
				"customer_class": existing,
				"applies_from": "2020-01-01",
			},
			[("How are our products working for you?", 1), ("Anything we could do better?", 1)],
		),
		ensure_plan(
			{
				"plan_name": "After Repair Delivery",
				"trigger": "After Delivery",
				"days_after": frappe.db.get_single_value("After-Sales Settings", "follow_up_delay_days") or 3,
				"channel": "Phone",
				"applies_from": "2020-01-01",
			},
			[("Was the technician on time?", 1), ("Would you recommend our service?", 2)],
		),
	]
	if not frappe.db.exists("Customer Care Message", "Birthday Greeting"):
		frappe.get_doc(
			{
				"doctype": "Customer Care Message",
				"title": "Birthday Greeting",
				"occasion": "Birthday",
				"channel": "Email",
				"customer_class": existing,
				"subject": "Happy birthday, {customer_name}!",
				"message": "Dear {customer_name},\nthe service team wishes you a happy birthday.",
			}
		).insert(ignore_permissions=True)
	made = follow_ups.create_due_follow_ups()
	return {"customer_classes": [existing, prospect], "follow_up_plans": plans, "plan_follow_ups": made}
