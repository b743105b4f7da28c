# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Care messages (FV-5): who gets a birthday or holiday message today, the opt-out, and one message
per customer and day however often the job runs."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, nowdate

from aftersales.service import customer_file
from aftersales.service.doctype.customer_care_message.customer_care_message import CareMessageError
from aftersales.tests.utils import demo, keep_in_transaction, outgoing_email_account


def make_message(title: str, occasion: str = "Birthday", **values) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Customer Care Message",
				"title": title,
				"occasion": occasion,
				"channel": "Email",
				"subject": "Best wishes, {customer_name}",
				"message": "Dear {customer_name}, happy {holiday}!",
				**values,
			}
		)
		.insert()
		.name
	)


class TestCareMessages(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.zhang, cls.li, cls.wang = demo()["customers"][:3]

	def setUp(self):
		frappe.set_user("Administrator")
		keep_in_transaction(self)
		# only the test's messages
		frappe.db.set_value("Customer Care Message", {"enabled": 1}, "enabled", 0)
		outgoing_email_account()
		self.today = getdate(nowdate())
		for customer in (self.zhang, self.li, self.wang):
			frappe.db.set_value(
				"Customer",
				customer,
				{
					"email_id": f"{frappe.scrub(customer)}@example.com",
					"aftersales_do_not_contact": 0,
					"aftersales_birthday": None,
				},
			)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def born(self, customer: str, day, years: int = 30):
		day = getdate(day)
		frappe.db.set_value("Customer", customer, "aftersales_birthday", day.replace(year=day.year - years))

	def recipients(self, message: str, day=None) -> list[str]:
		return sorted(
			r["customer"] for r in customer_file.care_recipients(day or self.today) if r["message"] == message
		)

	def test_birthday_today_and_opt_out(self):
		message = make_message("Test birthday")
		self.born(self.zhang, self.today)
		self.born(self.li, add_days(self.today, 1))  # tomorrow: not today
		self.born(self.wang, self.today)
		frappe.db.set_value("Customer", self.wang, "aftersales_do_not_contact", 1)
		self.assertEqual(self.recipients(message), [self.zhang])
		self.assertEqual(self.recipients(message, add_days(self.today, 1)), [self.li])
		# Frappe's own opt-out on the customer's primary Contact is respected as well
		contact = frappe.db.get_value("Customer", self.li, "customer_primary_contact")
		self.assertTrue(contact, "ERPNext made Li Na's primary contact from her mobile number")
		frappe.db.set_value("Contact", contact, "unsubscribed", 1)
		self.assertEqual(self.recipients(message, add_days(self.today, 1)), [])

	def test_sent_once_with_the_customer_s_name(self):
		message = make_message("Test birthday once")
		self.born(self.zhang, self.today)
		with patch("frappe.sendmail") as sendmail:
			customer_file.send_care_messages(self.today)
			customer_file.send_care_messages(self.today)
		mails = [c for c in sendmail.call_args_list if c.kwargs.get("reference_name") == self.zhang]
		self.assertEqual(len(mails), 1, "never twice on the same day")
		name = frappe.db.get_value("Customer", self.zhang, "customer_name")
		self.assertEqual(mails[0].kwargs["subject"], f"Best wishes, {name}")
		self.assertEqual(mails[0].kwargs["recipients"], [f"{frappe.scrub(self.zhang)}@example.com"])
		self.assertEqual(
			frappe.db.count("Customer Care Log", {"care_message": message, "customer": self.zhang}), 1
		)

	def test_holiday_of_the_holiday_list(self):
		holidays = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": "Care Test Holidays",
				"from_date": add_days(self.today, -30),
				"to_date": add_days(self.today, 30),
				"holidays": [
					{"holiday_date": self.today, "description": "Spring Festival"},
					{"holiday_date": add_days(self.today, 1), "description": "Sunday", "weekly_off": 1},
				],
			}
		).insert()
		message = make_message("Test holiday", occasion="Holiday", holiday_list=holidays.name)
		frappe.db.set_value("Customer", self.li, "aftersales_do_not_contact", 1)
		today = self.recipients(message)
		self.assertIn(self.zhang, today)
		self.assertIn(self.wang, today)
		self.assertNotIn(self.li, today, "opted out")
		self.assertEqual(self.recipients(message, add_days(self.today, 1)), [], "a weekly off is no holiday")
		row = next(r for r in customer_file.care_recipients(self.today) if r["customer"] == self.zhang)
		self.assertIn(
			"Spring Festival", customer_file.render("happy {holiday}", row["customer_name"], row["holiday"])
		)

	def test_leap_day_birthday_on_28_february(self):
		message = make_message("Test leap day")
		frappe.db.set_value("Customer", self.zhang, "aftersales_birthday", "2000-02-29")
		self.assertEqual(self.recipients(message, "2027-02-28"), [self.zhang])
		self.assertEqual(self.recipients(message, "2028-02-28"), [])
		self.assertEqual(self.recipients(message, "2028-02-29"), [self.zhang])

	def test_a_holiday_message_needs_its_list(self):
		self.assertRaises(CareMessageError, make_message, "Test no list", occasion="Holiday")
