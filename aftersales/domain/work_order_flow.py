"""Lifecycle of a Service Work Order (REQUIREMENTS WO-6..WO-15, FV-3): the one definition of its
states and transitions. The shipped Frappe Workflow (fixtures/workflow.json) is generated from it
and a unit test keeps the two equal; the controller checks every status change against it, so the
rules hold when the workflow is bypassed (REST API, data import, code).

Pure Python: no Frappe import.
"""

from aftersales.domain.workflow import Flow
from aftersales.domain.workflow import transition as _t
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
# WO-6: the assigned technician answers the assignment (accepts, or declines with a reason: the order
# goes back to the dispatcher) before the appointment is booked, and checks in on arrival at the
# customer's. These are events in the status log (its `event` column), not states.
TECHNICIAN_ACCEPTED = "Technician Accepted"
TECHNICIAN_DECLINED = "Technician Declined"
CHECKED_IN = "Checked In"
LOG_EVENTS = (TECHNICIAN_ACCEPTED, TECHNICIAN_DECLINED, CHECKED_IN)
ANSWER_STATES = (ASSIGNED,)
CHECK_IN_STATES = (APPOINTMENT_BOOKED, IN_PROGRESS)
# Booking from Assigned needs the technician's acceptance; a technician without a user account cannot
# answer in the system, so the dispatcher books for them (the controller checks the same).
BOOKING_CONDITION = "doc.technician_accepted_on or not doc.technician_user"
# Declining is the assigned technician's alone (with a reason: the controller requires it)
DECLINE_CONDITION = "doc.technician_user and doc.technician_user == frappe.session.user"

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


DESK = (SERVICE_DESK_AGENT, MANAGER)
DISPATCH = (DISPATCHER, MANAGER)
FIELD = (SERVICE_TECHNICIAN, DISPATCHER, MANAGER)

TRANSITIONS = (
	_t(NEW, "Accept", ACCEPTED, DISPATCH),
	_t(ACCEPTED, "Assign", ASSIGNED, DISPATCH),
	_t(ASSIGNED, "Reassign", ACCEPTED, DISPATCH),
	_t(ASSIGNED, "Decline", ACCEPTED, (SERVICE_TECHNICIAN,), DECLINE_CONDITION),
	_t(ASSIGNED, "Book Appointment", APPOINTMENT_BOOKED, FIELD, BOOKING_CONDITION),
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


FLOW = Flow(
	name="Service Work Order",
	document_type="Service Work Order",
	state_field="status",
	states=STATES,
	editors=EDITORS,
	transitions=TRANSITIONS,
	styles=STATE_STYLES,
	# no Workflow Actions: the workflow sends no mail, and the people of each step are told by the
	# order's notifications and see their queue in the list; Frappe's records cost 11 queries a save
	action_states=(),
)


ACTIONS = FLOW.actions
next_states = FLOW.next_states
is_allowed = FLOW.is_allowed
roles_for = FLOW.roles_for
