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

Frappe 15 also builds the condition's context (`get_context`) from `get_safe_globals()`, the whole
sandbox of safe functions, for every Notification it evaluates, though the context keeps only its
date utilities: about a third of a millisecond each, and a save of a work order evaluates a dozen
(status changes, SMS, delays). A condition is tested here first in the same context, its utilities
built once per request; a false one ends the evaluation where Frappe's would, and anything else
(true, or an error Frappe reports in its own way) goes on to Frappe's function, which tests it again.
"""

from collections import namedtuple

import frappe
from frappe.utils import nowdate
from frappe.utils.caching import request_cache

_frappe_evaluate_alert = None
FrappeContext = namedtuple("frappe", ["utils"])


def evaluate_alert(doc, alert, event):
	if isinstance(alert, str):
		try:
			alert = frappe.get_cached_doc("Notification", alert)
		except frappe.DoesNotExistError:
			frappe.clear_last_message()  # Frappe's own function reports it, as it always did
	if not isinstance(alert, str) and alert.condition and condition_is_false(doc, alert.condition):
		return None
	return _frappe_evaluate_alert(doc, alert, event)


def condition_is_false(doc, condition: str) -> bool:
	"""Frappe's own test of a Notification's condition (`frappe.safe_eval` in the context of
	`notification.get_context`); False also when it fails, so that Frappe reports the error."""
	try:
		return not frappe.safe_eval(
			condition, None, {"doc": doc, "nowdate": nowdate, "frappe": FrappeContext(utils=safe_utils())}
		)
	except Exception:
		return False


@request_cache
def safe_utils() -> dict:
	"""The utilities of Frappe's sandbox (`get_safe_globals().frappe.utils`), once per request."""
	from frappe.utils.safe_exec import get_safe_globals

	return get_safe_globals().get("frappe").get("utils")


def install() -> None:
	"""Put `evaluate_alert` in place of Frappe's (idempotent): `Document.run_notifications`
	imports it from the module at each call."""
	global _frappe_evaluate_alert
	from frappe.email.doctype.notification import notification

	if notification.evaluate_alert is evaluate_alert:
		return
	_frappe_evaluate_alert = notification.evaluate_alert
	notification.evaluate_alert = evaluate_alert
