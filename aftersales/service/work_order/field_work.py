"""WO-6: the assigned technician's own actions on an order.

- *Accept* or *Decline* the assignment (Assigned): accepting lets the appointment be booked;
  declining needs a reason and sends the order back to the dispatcher (Accepted) with no
  technician, the reason kept in the status log.
- *Check In* on arrival at the customer's (Appointment Booked, In Progress): the server stamps the
  time; each arrival is a row of the status log, so the KPI facts count the visits a job took
  (aftersales/domain/kpi.py, `completed_first_visit`).

Only the order's assigned technician may take them, checked on the order as stored
(`acts_on_stored` on the controller's methods), whatever copy of the order a client sends."""

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from aftersales.domain import work_order_flow as flow
from aftersales.integrity import server_action
from aftersales.service.work_order.errors import (
	NotAssignedTechnicianError,
	ReasonRequiredError,
	TechnicianAnswerError,
	TechnicianNotAcceptedError,
)
from aftersales.service.work_order.status_notes import DECLINED, status_note


def check_assigned_technician(doc) -> None:
	if not doc.technician_user or doc.technician_user != frappe.session.user:
		frappe.throw(
			_("Only the technician assigned to this order may do this."),
			exc=NotAssignedTechnicianError,
			title=_("Not Permitted"),
		)


def check_state(doc, states: tuple[str, ...], action: str) -> None:
	if doc.status not in states:
		frappe.throw(
			_("{0} is possible only while the order is {1}.").format(
				frappe.bold(action), ", ".join(_(s) for s in states)
			),
			exc=TechnicianAnswerError,
			title=_("Not Possible Now"),
		)


def log_event(doc, event: str, note: str | None = None) -> None:
	"""A row of the status log for an event that does not change the status."""
	doc.append(
		"status_log",
		{
			"status": doc.status,
			"previous_status": doc.status,
			"event": event,
			"user": frappe.session.user,
			"timestamp": now_datetime(),
			"note": note,
		},
	)


def accept(doc) -> None:
	check_assigned_technician(doc)
	check_state(doc, flow.ANSWER_STATES, _("Accept Order"))
	if doc.technician_accepted_on:
		return
	doc.technician_accepted_on = now_datetime()
	log_event(doc, flow.TECHNICIAN_ACCEPTED)
	server_action(doc, "technician accepted")
	doc.save(ignore_permissions=True)  # the assigned technician, checked above


def decline(doc, reason: str | None) -> None:
	"""The form's Decline Order: the reason and the status change, checked by `guard_decline` like
	the workflow's Decline."""
	check_assigned_technician(doc)
	check_state(doc, flow.ANSWER_STATES, _("Decline Order"))
	doc.decline_reason = reason
	doc.status = flow.ACCEPTED
	doc.save(ignore_permissions=True)  # the assigned technician, checked above


def is_decline(doc, old: str) -> bool:
	"""Assigned -> Accepted by the assigned technician (as stored) is a decline; by the dispatcher
	it is a reassignment."""
	before = doc.get_doc_before_save()
	return bool(
		old == flow.ASSIGNED
		and before
		and before.technician_user
		and before.technician_user == frappe.session.user
	)


def guard_decline(doc, old: str) -> None:
	"""Transition guard (Accepted): a decline needs a reason; the order goes back to the dispatcher
	without a technician and the reason stays in the status log."""
	if not is_decline(doc, old):
		doc.decline_reason = None
		return
	reason = (doc.decline_reason or "").strip()
	if not reason:
		frappe.throw(
			_("Say why you decline this order: the dispatcher reads it when assigning it again."),
			exc=ReasonRequiredError,
			title=_("Reason Required"),
		)
	before = doc.get_doc_before_save()
	name = before.technician_name or before.technician
	doc.technician = doc.technician_name = doc.technician_user = None
	doc.technician_accepted_on = doc.decline_reason = None
	doc.flags.status_event = flow.TECHNICIAN_DECLINED
	doc.flags.status_note = status_note(DECLINED, name, reason)


def check_in(doc) -> str:
	check_assigned_technician(doc)
	check_state(doc, flow.CHECK_IN_STATES, _("Check In"))
	arrived = now_datetime()
	doc.arrived_on = arrived
	doc.visit_count = cint(doc.visit_count) + 1
	log_event(doc, flow.CHECKED_IN)
	server_action(doc, "technician checked in")
	doc.save(ignore_permissions=True)
	return str(arrived)


def on_technician_change(doc) -> None:
	"""A new (or no) technician has not answered yet: the acceptance belonged to the one before, and
	an order back with the dispatcher (reassigned) waits for a new answer."""
	before = doc.get_doc_before_save()
	if (before and before.technician != doc.technician) or doc.status in (flow.NEW, flow.ACCEPTED):
		doc.technician_accepted_on = None


def guard_booking(doc, old: str) -> None:
	"""Booking from Assigned needs the technician's acceptance. A technician without a user account
	cannot answer in the system: the dispatcher books for them (the workflow's condition is the same,
	work_order_flow.BOOKING_CONDITION)."""
	if old != flow.ASSIGNED or doc.technician_accepted_on or not doc.technician_user:
		return
	if frappe.session.user == "Administrator":
		return  # setup and data scripts
	frappe.throw(
		_(
			"{0} has not accepted this order yet: the appointment is booked once the technician accepts."
		).format(frappe.bold(doc.technician_name or doc.technician)),
		exc=TechnicianNotAcceptedError,
		title=_("Not Accepted Yet"),
	)
