"""Lifecycle of a Service Work Order (REQUIREMENTS WO-6..WO-15, FV-3): the one definition of its
states and transitions. The shipped Frappe Workflow (fixtures/workflow.json) is generated from it
and a unit test keeps the two equal; the controller checks every status change against it, so the
rules hold when the workflow is bypassed (REST API, data import, code).

Pure Python: no Frappe import.
"""

from dataclasses import dataclass

from aftersales.roles import (
	AFTER_SALES_MANAGER,
	DISPATCHER,
	QUALITY_INSPECTOR,
	SERVICE_DESK_AGENT,
	SERVICE_TECHNICIAN,
)

NEW = "New"
ACCEPTED = "Accepted"
ASSIGNED = "Assigned"
APPOINTMENT_BOOKED = "Appointment Booked"
IN_PROGRESS = "In Progress"
AWAITING_CONSENT = "Awaiting Customer Consent"
QUALITY_CHECK = "Quality Check"
READY_FOR_DELIVERY = "Ready for Delivery"
DELIVERED = "Delivered"
FOLLOW_UP = "Follow-up"
CLOSED = "Closed"
CANCELLED = "Cancelled"
UNREPAIRABLE = "Unrepairable"

STATES = (
	NEW,
	ACCEPTED,
	ASSIGNED,
	APPOINTMENT_BOOKED,
	IN_PROGRESS,
	AWAITING_CONSENT,
	QUALITY_CHECK,
	READY_FOR_DELIVERY,
	DELIVERED,
	FOLLOW_UP,
	CLOSED,
	CANCELLED,
	UNREPAIRABLE,
)
FINAL_STATES = (CLOSED, CANCELLED, UNREPAIRABLE)
# Before anyone went on site: the desk may still solve the fault by phone (WO-15).
BEFORE_VISIT = (NEW, ACCEPTED, ASSIGNED, APPOINTMENT_BOOKED)
# ERPNext's Service Level Agreement: the clock pauses while the customer decides, and the job is
# resolved once the customer has the product back (or the job ended otherwise).
SLA_PAUSED = (AWAITING_CONSENT,)
SLA_FULFILLED = (DELIVERED, FOLLOW_UP, CLOSED, CANCELLED, UNREPAIRABLE)

MANAGER = AFTER_SALES_MANAGER

# Which roles may edit an order in each state (the workflow's "allow edit" rows).
EDITORS = {
	NEW: (SERVICE_DESK_AGENT, DISPATCHER, MANAGER),
	ACCEPTED: (DISPATCHER, MANAGER),
	ASSIGNED: (SERVICE_TECHNICIAN, DISPATCHER, MANAGER),
	APPOINTMENT_BOOKED: (SERVICE_TECHNICIAN, DISPATCHER, MANAGER),
	IN_PROGRESS: (SERVICE_TECHNICIAN, DISPATCHER, MANAGER),
	AWAITING_CONSENT: (SERVICE_DESK_AGENT, SERVICE_TECHNICIAN, MANAGER),
	QUALITY_CHECK: (QUALITY_INSPECTOR, MANAGER),
	READY_FOR_DELIVERY: (SERVICE_DESK_AGENT, SERVICE_TECHNICIAN, MANAGER),
	DELIVERED: (SERVICE_DESK_AGENT, MANAGER),
	FOLLOW_UP: (SERVICE_DESK_AGENT, MANAGER),
	CLOSED: (MANAGER,),
	CANCELLED: (MANAGER,),
	UNREPAIRABLE: (MANAGER,),
}


@dataclass(frozen=True)
class Transition:
	state: str
	action: str
	next_state: str
	roles: tuple[str, ...]
	condition: str | None = None  # a Python expression on `doc`, as Frappe's workflow evaluates it


def _t(state, action, next_state, roles, condition=None):
	return Transition(state, action, next_state, tuple(roles), condition)


DESK = (SERVICE_DESK_AGENT, MANAGER)
DISPATCH = (DISPATCHER, MANAGER)
FIELD = (SERVICE_TECHNICIAN, DISPATCHER, MANAGER)

TRANSITIONS = (
	_t(NEW, "Accept", ACCEPTED, DISPATCH),
	_t(ACCEPTED, "Assign", ASSIGNED, DISPATCH),
	_t(ASSIGNED, "Reassign", ACCEPTED, DISPATCH),
	_t(ASSIGNED, "Book Appointment", APPOINTMENT_BOOKED, FIELD),
	_t(APPOINTMENT_BOOKED, "Start Work", IN_PROGRESS, FIELD),
	_t(IN_PROGRESS, "Request Consent", AWAITING_CONSENT, FIELD),
	_t(AWAITING_CONSENT, "Record Consent", IN_PROGRESS, (SERVICE_DESK_AGENT, SERVICE_TECHNICIAN, MANAGER)),
	_t(IN_PROGRESS, "Submit for Quality Check", QUALITY_CHECK, FIELD),
	_t(QUALITY_CHECK, "Pass", READY_FOR_DELIVERY, (QUALITY_INSPECTOR,)),
	_t(QUALITY_CHECK, "Fail", IN_PROGRESS, (QUALITY_INSPECTOR,)),
	_t(READY_FOR_DELIVERY, "Deliver", DELIVERED, (SERVICE_DESK_AGENT, SERVICE_TECHNICIAN, MANAGER)),
	_t(DELIVERED, "Start Follow-up", FOLLOW_UP, DESK),
	_t(FOLLOW_UP, "Close", CLOSED, (SERVICE_DESK_AGENT,), "doc.follow_up_outcome == 'Satisfied'"),
	_t(FOLLOW_UP, "Close", CLOSED, (MANAGER,)),
	_t(DELIVERED, "Close", CLOSED, (SERVICE_DESK_AGENT,), "doc.follow_up_outcome == 'Satisfied'"),
	_t(DELIVERED, "Close", CLOSED, (MANAGER,)),
	_t(FOLLOW_UP, "Reopen", IN_PROGRESS, DESK),
	_t(DELIVERED, "Reopen", IN_PROGRESS, DESK),
	*(_t(state, "Solve by Phone", CLOSED, DESK) for state in BEFORE_VISIT),
	*(
		_t(state, "Declare Unrepairable", UNREPAIRABLE, FIELD)
		for state in (APPOINTMENT_BOOKED, IN_PROGRESS, AWAITING_CONSENT)
	),
	*(
		_t(state, "Cancel Order", CANCELLED, DESK)
		for state in (NEW, ACCEPTED, ASSIGNED, APPOINTMENT_BOOKED, IN_PROGRESS, AWAITING_CONSENT)
	),
)

ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))


def next_states(state: str) -> set[str]:
	return {t.next_state for t in TRANSITIONS if t.state == state}


def is_allowed(state: str, next_state: str) -> bool:
	"""Whether any role may move an order from `state` to `next_state`."""
	return state == next_state or next_state in next_states(state)


def roles_for(state: str, next_state: str) -> set[str]:
	return {role for t in TRANSITIONS if t.state == state and t.next_state == next_state for role in t.roles}


STATE_STYLES = {
	NEW: "Info",
	ACCEPTED: "Info",
	ASSIGNED: "Primary",
	APPOINTMENT_BOOKED: "Primary",
	IN_PROGRESS: "Warning",
	AWAITING_CONSENT: "Warning",
	QUALITY_CHECK: "Warning",
	READY_FOR_DELIVERY: "Success",
	DELIVERED: "Success",
	FOLLOW_UP: "Success",
	CLOSED: "Inverse",
	CANCELLED: "Danger",
	UNREPAIRABLE: "Danger",
}


def fixture_records() -> dict[str, list[dict]]:
	"""The fixtures files' contents, by file name (fixtures/<name>.json)."""
	return {
		"workflow": [workflow_definition()],
		"workflow_state": [
			{
				"doctype": "Workflow State",
				"name": s,
				"workflow_state_name": s,
				"style": STATE_STYLES[s],
				"icon": "",
			}
			for s in STATES
		],
		"workflow_action_master": [
			{"doctype": "Workflow Action Master", "name": a, "workflow_action_name": a} for a in ACTIONS
		],
	}


def workflow_definition(name: str = "Service Work Order") -> dict:
	"""The Frappe Workflow record for these rules (fixtures/workflow.json is this, serialised)."""
	return {
		"doctype": "Workflow",
		"name": name,
		"workflow_name": name,
		"document_type": "Service Work Order",
		"workflow_state_field": "status",
		"is_active": 1,
		"override_status": 1,
		"send_email_alert": 0,
		"states": [
			{
				"doctype": "Workflow Document State",
				"state": state,
				"doc_status": "0",
				"allow_edit": role,
				"update_field": "",
				"update_value": "",
				"is_optional_state": 0,
				"avoid_status_override": 0,
			}
			for state in STATES
			for role in EDITORS[state]
		],
		"transitions": [
			{
				"doctype": "Workflow Transition",
				"state": t.state,
				"action": t.action,
				"next_state": t.next_state,
				"allowed": role,
				"allow_self_approval": 1,
				"condition": t.condition or "",
				"send_email_to_creator": 0,
			}
			for t in TRANSITIONS
			for role in t.roles
		],
	}
