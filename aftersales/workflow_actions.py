"""Frappe's Workflow Actions without a query per transition, and without its hook where it would do
nothing (issue 15, intake speed).

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

`process_workflow_actions` runs in place of Frappe's hook of the same name after a save, and leaves
out what would do nothing (issue 15: "workflow actions for states nobody is notified of"). When every
state of a document's Workflow is optional (the Service Work Order's), Frappe makes no Workflow Action
and mails nobody; after each save it still asks whether an action for the new state exists, marks
the document's open actions completed and reads the transitions out of the state (three queries).
The only effect of that is to complete open actions left from a time the Workflow had a state that
was not optional. So the hook is skipped when every state is optional and no Workflow Action of the
DocType is open; otherwise, and always on delete (which removes the document's actions), Frappe's
own hook runs. Whether a DocType has open actions is kept in the cache for ten minutes and forgotten
whenever a Workflow Action is inserted or deleted, and again when that is committed or rolled back
(Frappe completes them with an UPDATE, which keeps the answer "open" until it expires: the safe side,
Frappe's hook runs meanwhile).
"""

import frappe
from frappe.model.workflow import get_workflow_name

from aftersales.cached_lookups import forget

OPEN_ACTIONS = "aftersales:open_workflow_actions:"  # + DocType: 1 or 0
OPEN_ACTIONS_SECONDS = 600


def workflow_states(workflow_name: str) -> list:
	"""The state rows of the Workflow as Frappe caches it; none when there is no such Workflow."""
	try:
		return frappe.get_cached_doc("Workflow", workflow_name).states
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		return []


def state_is_optional(workflow_name: str, state: str):
	for row in workflow_states(workflow_name):
		if row.state == state:
			return row.is_optional_state
	return None


def every_state_optional(workflow_name: str) -> bool:
	states = workflow_states(workflow_name)
	return bool(states) and all(row.is_optional_state for row in states)


def has_open_actions(doctype: str) -> bool:
	key = OPEN_ACTIONS + doctype
	# expires=True: the answer is kept with an expiry, in Redis only; without it, a first miss put
	# None in the request's local cache, which hid every answer stored after it in that process
	found = frappe.cache.get_value(key, expires=True)
	if found is None:
		found = int(
			bool(frappe.db.exists("Workflow Action", {"reference_doctype": doctype, "status": "Open"}))
		)
		frappe.cache.set_value(key, found, expires_in_sec=OPEN_ACTIONS_SECONDS)
	return bool(found)


def forget_open_actions(doc, method=None) -> None:
	"""doc_events of Workflow Action (after_insert, on_trash): its DocType's answer is asked again
	(aftersales/cached_lookups.py: also at the commit or the rollback of the change)."""
	forget(OPEN_ACTIONS + (doc.reference_doctype or ""))


def nothing_to_act_on(doc) -> bool:
	"""Frappe's hook would change nothing after this save (see the module's docstring)."""
	workflow = get_workflow_name(doc.get("doctype"))
	return bool(workflow) and every_state_optional(workflow) and not has_open_actions(doc.doctype)


def process_workflow_actions(doc, state):
	if state != "on_trash" and nothing_to_act_on(doc):
		return
	return frappe_process_workflow_actions(doc, state)


def frappe_process_workflow_actions(doc, state):
	"""Frappe's own hook (set by `install`)."""
	raise NotImplementedError


def install() -> None:
	"""Put `state_is_optional` in place of Frappe's lookup and `process_workflow_actions` in place of
	Frappe's hook (idempotent)."""
	global frappe_process_workflow_actions
	from frappe.workflow.doctype.workflow_action import workflow_action

	workflow_action.get_state_optional_field_value = state_is_optional
	if workflow_action.process_workflow_actions is not process_workflow_actions:
		frappe_process_workflow_actions = workflow_action.process_workflow_actions
		workflow_action.process_workflow_actions = process_workflow_actions
