"""Frappe's Notifications evaluated from the document cache (issue 15, intake speed).

On every insert and save Frappe's `run_notifications` hands each enabled Notification of the
DocType whose event matches to `evaluate_alert` by name, and Frappe 15 loads it with `get_doc`
(two queries: the Notification and its recipients) before it even looks at the condition. A new
Service Work Order has two "New" Notifications (Web Portal and Email intake): four queries on
every intake, for mails a phone order never sends.

`evaluate_alert` here gives Frappe's own function the Notification from Frappe's document cache
(`frappe.get_cached_doc`, cleared whenever the Notification is saved or deleted); everything else
(the condition, the recipients, the sending) is Frappe's. Sending changes nothing on the
Notification that outlives the call: a standard one reloads its message from its template file
each time (`load_standard_properties`).
"""

import frappe

_frappe_evaluate_alert = None


def evaluate_alert(doc, alert, event):
	if isinstance(alert, str):
		try:
			alert = frappe.get_cached_doc("Notification", alert)
		except frappe.DoesNotExistError:
			frappe.clear_last_message()  # Frappe's own function reports it, as it always did
	return _frappe_evaluate_alert(doc, alert, event)


def install() -> None:
	"""Put `evaluate_alert` in place of Frappe's (idempotent): `Document.run_notifications`
	imports it from the module at each call."""
	global _frappe_evaluate_alert
	from frappe.email.doctype.notification import notification

	if notification.evaluate_alert is evaluate_alert:
		return
	_frappe_evaluate_alert = notification.evaluate_alert
	notification.evaluate_alert = evaluate_alert
