"""System Notifications made by a test, inside its transaction (keep it there with
aftersales.tests.utils.keep_in_transaction: the notification's mails would commit it)."""

import frappe


def system_notification(
	name: str,
	doctype: str,
	condition: str,
	recipient_field: str,
	event: str = "Save",
	value_changed: str | None = None,
) -> str:
	"""A System Notification "`name` <document name>" to the user in `recipient_field` of `doctype`
	(made once per transaction; Frappe's cached notifications of the DocType are cleared)."""
	if not frappe.db.exists("Notification", name):
		frappe.get_doc(
			{
				"doctype": "Notification",
				"name": name,
				"subject": f"{name} {{{{ doc.name }}}}",
				"document_type": doctype,
				"event": event,
				"value_changed": value_changed,
				"condition": condition,
				"channel": "System Notification",
				"recipients": [{"receiver_by_document_field": recipient_field}],
				"message": "{{ doc.name }}",
				"enabled": 1,
			}
		).insert(ignore_permissions=True)
	frappe.cache.hdel("notifications", doctype)
	return name


def notified(notification: str, document: str) -> bool:
	"""Whether the notification logged a Notification Log for the document."""
	return bool(
		frappe.db.exists(
			"Notification Log", {"document_name": document, "subject": ("like", f"{notification}%")}
		)
	)
