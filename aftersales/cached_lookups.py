"""The rule for the app's own answers kept in Frappe's cache (the vehicle groups of
aftersales/service/work_order/vehicle.py, the open Workflow Actions of aftersales/workflow_actions.py):
the document events that change an answer forget it with `forget`, which deletes it now and again
when the transaction commits (another request may have read the old rows and cached them in
between) or rolls back (an answer read in between came from the change that is undone)."""

import frappe


def forget(key: str) -> None:
	frappe.cache.delete_value(key)
	frappe.db.after_commit.add(lambda: frappe.cache.delete_value(key))
	frappe.db.after_rollback.add(lambda: frappe.cache.delete_value(key))
