"""Who may take each action the desk offers as a button, and in which states: the one list the
server checks and the forms read (frappe.boot.aftersales_actions, aftersales/desk.py), so the
forms never name roles themselves and a button is shown only to the roles that may use it.

Two kinds of action:
- the app's own document actions (approve parts, issue parts, record a rejection, …): `ACTIONS`
  below, checked by the server code that carries them out;
- the lifecycle transitions of every flow (aftersales/domain/*_flow.py): "Accept", "Start Work",
  … with the roles and from-states the flow gives them (Frappe's workflow menu shows those by
  itself; a form that offers a transition as its own button reads the same rule).

Pure Python: no Frappe import.
"""

from dataclasses import dataclass

from aftersales.domain import flows
from aftersales.domain import work_order_flow as wo
from aftersales.roles import AFTER_SALES_MANAGER, DISPATCHER, QUALITY_INSPECTOR, SERVICE_DESK_AGENT

SYSTEM_MANAGER = "System Manager"
STOCK_USER = "Stock User"
STOCK_MANAGER = "Stock Manager"
ACCOUNTS_USER = "Accounts User"


@dataclass(frozen=True)
class Action:
	roles: tuple[str, ...]
	states: tuple[str, ...] = ()  # the document's states in which it is offered; () = any

	def as_dict(self) -> dict:
		return {"roles": list(self.roles), "states": list(self.states)}


# Parts of a work order (aftersales/service/work_order/parts.py)
STOCK_ROLES = (STOCK_USER, STOCK_MANAGER, AFTER_SALES_MANAGER)
PARTS_WORKING_STATES = (wo.APPOINTMENT_BOOKED, wo.IN_PROGRESS, wo.AWAITING_CONSENT)
# unused parts come back until the job is handed over
PARTS_RETURN_STATES = (*PARTS_WORKING_STATES, wo.QUALITY_CHECK, wo.READY_FOR_DELIVERY)
# a line is cancelled (its stock movements reversed) only while the work is open
PARTS_CANCEL_STATES = (*wo.BEFORE_VISIT, wo.IN_PROGRESS, wo.AWAITING_CONSENT)

ACTIONS: dict[str, dict[str, Action]] = {
	"Service Work Order": {
		"approve_parts": Action((DISPATCHER, AFTER_SALES_MANAGER), PARTS_WORKING_STATES),
		"issue_parts": Action(STOCK_ROLES, PARTS_WORKING_STATES),
		"return_unused_part": Action(STOCK_ROLES, PARTS_RETURN_STATES),
		"cancel_part": Action((*STOCK_ROLES, DISPATCHER), PARTS_CANCEL_STATES),
		"register_old_parts": Action(STOCK_ROLES),
	},
	# closing a corrective action is its verification (corrective_action.py verify)
	"Corrective Action": {"verify": Action((AFTER_SALES_MANAGER, QUALITY_INSPECTOR), ("Implemented",))},
	"Warranty Claim Batch": {"reject_line": Action((AFTER_SALES_MANAGER, ACCOUNTS_USER, SYSTEM_MANAGER))},
	"Spare Part": {"refresh_now": Action((STOCK_MANAGER, AFTER_SALES_MANAGER, SYSTEM_MANAGER))},
	"Customer": {"invite_to_portal": Action((SERVICE_DESK_AGENT, AFTER_SALES_MANAGER, SYSTEM_MANAGER))},
}


def transition_actions() -> dict[str, dict[str, list[Action]]]:
	"""Each flow's transitions as actions: doctype -> action -> one rule per from-state."""
	result: dict[str, dict[str, list[Action]]] = {}
	for flow in flows.FLOWS:
		by_action = result.setdefault(flow.document_type, {})
		for t in flow.transitions:
			by_action.setdefault(t.action, []).append(Action(tuple(t.roles), (t.state,)))
	return result


def roles_for(doctype: str, action: str) -> tuple[str, ...]:
	return ACTIONS[doctype][action].roles


def states_for(doctype: str, action: str) -> tuple[str, ...]:
	return ACTIONS[doctype][action].states


def may(roles: set[str] | frozenset[str], doctype: str, action: str, state: str | None = None) -> bool:
	"""Whether a user holding `roles` may take `action` on a `doctype` in `state` (None: any state)."""
	rules = [ACTIONS[doctype][action]] if action in ACTIONS.get(doctype, {}) else []
	rules += transition_actions().get(doctype, {}).get(action, [])
	return any(
		set(rule.roles) & set(roles) and (state is None or not rule.states or state in rule.states)
		for rule in rules
	)


def client_map() -> dict[str, dict[str, list[dict]]]:
	"""What the desk reads: doctype -> action -> [{"roles": [...], "states": [...]}, ...]."""
	result: dict[str, dict[str, list[dict]]] = {}
	for doctype, by_action in transition_actions().items():
		for action, rules in by_action.items():
			result.setdefault(doctype, {})[action] = [rule.as_dict() for rule in rules]
	for doctype, by_action in ACTIONS.items():
		for action, rule in by_action.items():
			result.setdefault(doctype, {})[action] = [rule.as_dict()]
	return result
