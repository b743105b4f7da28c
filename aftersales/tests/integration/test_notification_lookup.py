"""aftersales/notification_lookup.py: Frappe's Notifications evaluated from the document cache, a
saved Notification seen by the next evaluation, no query for one whose condition is false, and a
false condition tested before Frappe's own function (which still reports a failing one)."""

from unittest.mock import patch

import frappe
from frappe.email.doctype.notification import notification
from frappe.email.doctype.notification.notification import Notification
from frappe.tests.utils import FrappeTestCase

from aftersales import notification_lookup
from aftersales.notification_lookup import evaluate_alert


class TestNotificationLookup(FrappeTestCase):
	def setUp(self):
		self.alert = frappe.get_doc(
			{
				"doctype": "Notification",
				"name": "Aftersales Test Notification Lookup",
				"subject": "Aftersales test {{ doc.name }}",
				"document_type": "ToDo",
				"event": "New",
				"channel": "Email",
				"condition": 'doc.priority == "High"',
				"message": "Test",
				"recipients": [{"receiver_by_document_field": "owner"}],
			}
		).insert(ignore_permissions=True)

	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_document_cache("Notification", self.alert.name)

	def todo(self, priority: str):
		todo = frappe.new_doc("ToDo")  # new (as at its insert's "New" event): nothing reloaded
		todo.update({"description": "Notification lookup", "priority": priority})
		return todo

	def test_installed(self):
		self.assertIs(notification.evaluate_alert, evaluate_alert)

	def test_condition_and_a_saved_change(self):
		with patch.object(Notification, "send") as send:
			evaluate_alert(self.todo("High"), self.alert.name, "New")
			evaluate_alert(self.todo("Low"), self.alert.name, "New")
			self.assertEqual(send.call_count, 1)
			self.alert.reload()
			self.alert.condition = 'doc.priority == "Low"'
			self.alert.save(ignore_permissions=True)
			evaluate_alert(self.todo("High"), self.alert.name, "New")
			evaluate_alert(self.todo("Low"), self.alert.name, "New")
			self.assertEqual(send.call_count, 2)
			self.assertEqual(send.call_args.args[0].priority, "Low")

	def test_no_query_for_a_cached_notification(self):
		todo = self.todo("Low")
		evaluate_alert(todo, self.alert.name, "New")  # cached now
		with self.assertQueryCount(0):
			evaluate_alert(todo, self.alert.name, "New")

	def test_a_missing_notification_is_reported_as_frappe_reports_it(self):
		with self.assertRaises(frappe.ValidationError):
			evaluate_alert(self.todo("Low"), "No Such Notification", "New")

	def test_a_false_condition_ends_before_frappes_function(self):
		with patch.object(notification_lookup, "_frappe_evaluate_alert") as frappes:
			evaluate_alert(self.todo("Low"), self.alert.name, "New")
			frappes.assert_not_called()
			evaluate_alert(self.todo("High"), self.alert.name, "New")
			frappes.assert_called_once()

	def test_the_condition_sees_frappes_context(self):
		# `frappe.utils` and `nowdate`, as in Frappe's `get_context`
		self.alert.db_set("condition", 'doc.priority == "High" and frappe.utils.cint("1") and nowdate()')
		frappe.clear_document_cache("Notification", self.alert.name)
		with patch.object(Notification, "send") as send:
			evaluate_alert(self.todo("Low"), self.alert.name, "New")
			evaluate_alert(self.todo("High"), self.alert.name, "New")
			self.assertEqual(send.call_count, 1)

	def test_a_failing_condition_is_reported_by_frappe(self):
		self.alert.db_set("condition", "doc.no_such_field.upper()")
		frappe.clear_document_cache("Notification", self.alert.name)
		with patch.object(frappe, "log_error"), self.assertRaises(frappe.ValidationError):
			evaluate_alert(self.todo("Low"), self.alert.name, "New")
