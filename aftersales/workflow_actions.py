"""Frappe's Workflow Actions without a query per transition (issue 15, intake speed).

After every save of a document under a Workflow, Frappe's `process_workflow_actions` (a "*"
on_update hook) looks at each transition out of the new state and asks whether its next state is
optional (optional states make no Workflow Action and mail nobody). Frappe 15 asks through
`frappe.get_cached_value("Workflow Document State", {"parent": ..., "state": ...}, ...)`: with
filters instead of a name nothing is ever found in the document cache, so each transition costs a
query and a Redis write. A new Service Work Order has six transitions out of New: six queries on
every intake, a tenth of its time.

`state_is_optional` answers the same question from the Workflow document as Frappe itself caches it
(`frappe.model.workflow.get_workflow`, which validates every save's transition against the same
cached document; Frappe clears it whenever the Workflow is saved). The states are rows of the
Workflow, so they change only with it. The answer is the one Frappe's lookup gives: the state's
`is_optional_state`, or None when the Workflow has no such state.
"""

import frappe


def state_is_optional(workflow_name: str, state: str):
	try:
		workflow = frappe.get_cached_doc("Workflow", workflow_name)
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		return None
	for row in workflow.states:
		if row.state == state:
			return row.is_optional_state
	return None


def install() -> None:
	"""Put `state_is_optional` in place of Frappe's lookup (idempotent)."""
	from frappe.workflow.doctype.workflow_action import workflow_action

	workflow_action.get_state_optional_field_value = state_is_optional
