"""Guards and effects of a Service Work Order's status changes. They run in the controller on
every save, so they hold whether the change came from the workflow buttons, the REST API, a data
import or code. The Frappe Workflow adds the role layer on top (see domain/work_order_flow.py)."""

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, now_datetime

from aftersales.domain import work_order_flow as flow
from aftersales.lifecycle import check_status_change
from aftersales.roles import AFTER_SALES_MANAGER, QUALITY_INSPECTOR
from aftersales.service.work_order import field_work
from aftersales.service.work_order.billing import invoice_submitted
from aftersales.service.work_order.errors import (
	ConsentRequiredError,
	FollowUpRequiredError,
	InvoiceRequiredError,
	MissingInformationError,
	QualityCheckError,
	ReasonRequiredError,
	SignatureRequiredError,
	TechnicianNotMemberError,
	WorkOrderTransitionError,
)
from aftersales.service.work_order.status_notes import log_values
from aftersales.staff.certification import check_technician_certified


def previous_status(doc) -> str | None:
	before = doc.get_doc_before_save()
	return before.status if before else None


def validate_transition(doc) -> None:
	old = check_status_change(doc, flow.FLOW, WorkOrderTransitionError)
	if old is None or old == doc.status:
		return
	for guard in GUARDS.get(doc.status, ()):
		guard(doc, old)


def require(doc, fieldnames: tuple[str, ...], exc=MissingInformationError) -> None:
	missing = [_(doc.meta.get_label(f)) for f in fieldnames if not doc.get(f)]
	if missing:
		frappe.throw(
			_("To move this order to {0}, fill in: {1}.").format(
				frappe.bold(_(doc.status)), ", ".join(frappe.bold(m) for m in missing)
			),
			exc=exc,
			title=_("Missing Information"),
		)


def guard_accepted(doc, old):
	require(doc, ("service_point",))
	field_work.guard_decline(doc, old)


def guard_assigned(doc, old):
	require(doc, ("service_point", "technician"))


def validate_technician(doc) -> None:
	"""The technician is a member of the order's service point, whenever either is set or changed."""
	before = doc.get_doc_before_save()
	if not doc.technician or (
		before and before.technician == doc.technician and before.service_point == doc.service_point
	):
		return
	if not doc.service_point:
		frappe.throw(
			_("Choose the service point before the technician."),
			exc=TechnicianNotMemberError,
			title=_("Invalid Technician"),
		)
	members = {row.employee for row in frappe.get_cached_doc("Service Point", doc.service_point).members}
	if doc.technician not in members:
		frappe.throw(
			_("Technician {0} is not a member of service point {1}.").format(
				frappe.bold(doc.technician_name or doc.technician), frappe.bold(doc.service_point)
			),
			exc=TechnicianNotMemberError,
			title=_("Invalid Technician"),
		)
	# and certified for the product's item group: refused or warned per After-Sales Settings (AP-2)
	check_technician_certified(doc)


def guard_appointment(doc, old):
	require(doc, ("appointment_start", "appointment_end"))
	if get_datetime(doc.appointment_end) <= get_datetime(doc.appointment_start):
		frappe.throw(
			_("The appointment must end after it starts."),
			exc=MissingInformationError,
			title=_("Invalid Appointment"),
		)
	field_work.guard_booking(doc, old)
	# ERPNext's SLA counts booking the appointment as the first response (WO-6: 2-hour rate)
	doc.flags.on_first_reply = True


def guard_in_progress(doc, old):
	if old == flow.AWAITING_CONSENT:
		# in warranty the customer agrees to the work, not to a price: the amount may be 0
		chargeable = doc.warranty_status == "Out of Warranty"
		require(
			doc,
			("consent_by", "consent_on", "consent_method", *(("consented_amount",) if chargeable else ())),
		)
	elif old == flow.QUALITY_CHECK:
		guard_quality_result(doc, "Fail")
		require(doc, ("qc_remarks",))
		doc.rework_count = (doc.rework_count or 0) + 1
	elif old in (flow.DELIVERED, flow.FOLLOW_UP):
		# reopened: the job will be checked and signed off again
		doc.customer_signature = doc.signed_by = doc.delivered_on = None
		doc.qc_result = None


def guard_quality_check(doc, old):
	require(doc, ("work_summary",))
	check_parts_settled(doc)
	if flt(doc.labour_hours) > flt(doc.planned_hours) + 1e-6:
		frappe.throw(
			_(
				"{0} labour hours are more than the {1} the customer agreed to: request and record the customer's consent first."
			).format(flt(doc.labour_hours), flt(doc.planned_hours)),
			exc=ConsentRequiredError,
			title=_("Customer Consent Required"),
		)
	if not doc.self_checks or not all(row.done for row in doc.self_checks):
		frappe.throw(
			_("Tick every item of the technician's self-check before the quality check."),
			exc=MissingInformationError,
			title=_("Self-check Incomplete"),
		)
	doc.qc_result = doc.qc_inspector = None


def guard_quality_result(doc, expected: str):
	if QUALITY_INSPECTOR not in frappe.get_roles():
		frappe.throw(
			_("Only a Quality Inspector records the result of a quality check."),
			exc=QualityCheckError,
			title=_("Not Permitted"),
		)
	if doc.qc_result != expected:
		frappe.throw(
			_("Set the quality check result to {0} first.").format(frappe.bold(_(expected))),
			exc=QualityCheckError,
			title=_("Quality Check"),
		)
	doc.qc_inspector = frappe.session.user


def check_parts_settled(doc) -> None:
	pending = [row.idx for row in doc.parts if row.status in ("Requested", "Approved")]
	if pending:
		frappe.throw(
			_("Parts in rows {0} are neither issued nor cancelled.").format(", ".join(map(str, pending))),
			exc=MissingInformationError,
			title=_("Parts Pending"),
		)


def guard_ready_for_delivery(doc, old):
	check_parts_settled(doc)
	guard_quality_result(doc, "Pass")
	require(doc, ("qc_type",))
	if (doc.is_important or doc.customer_requested_full_check) and doc.qc_type != "Full Check":
		frappe.throw(
			_("This job needs a full quality check: it is marked important or the customer asked for one."),
			exc=QualityCheckError,
			title=_("Full Check Required"),
		)


def guard_delivered(doc, old):
	require(doc, ("delivery_explanation",))
	if not doc.customer_signature or not doc.signed_by:
		frappe.throw(
			_("The customer signs off the delivery: add the signature and the signer's name."),
			exc=SignatureRequiredError,
			title=_("Signature Required"),
		)
	check_parts_settled(doc)
	if doc.chargeable_amount and not invoice_submitted(doc):
		frappe.throw(
			_("This job is chargeable ({0}): submit its Sales Invoice before delivery.").format(
				frappe.format(doc.chargeable_amount, {"fieldtype": "Currency", "options": doc.currency})
			),
			exc=InvoiceRequiredError,
			title=_("Invoice Required"),
		)
	doc.delivered_on = now_datetime()


def guard_closed(doc, old):
	if old in flow.BEFORE_VISIT:
		require(doc, ("phone_solution",))
		doc.solved_by_phone = 1
		return
	if follow_up_satisfied(doc):
		return
	if AFTER_SALES_MANAGER not in frappe.get_roles():
		frappe.throw(
			_(
				"An order closes on a satisfied follow-up; only an After-Sales Manager may close it otherwise."
			),
			exc=FollowUpRequiredError,
			title=_("Follow-up Required"),
		)
	require(doc, ("close_reason",), exc=ReasonRequiredError)


def follow_up_satisfied(doc) -> bool:
	"""The order's current follow-up is submitted with the outcome Satisfied (FV-3)."""
	if not doc.follow_up:
		return False
	follow_up = frappe.db.get_value(
		"Service Follow-up", doc.follow_up, ["service_work_order", "docstatus", "outcome"], as_dict=True
	)
	return bool(
		follow_up
		and follow_up.service_work_order == doc.name
		and follow_up.docstatus == 1
		and follow_up.outcome == "Satisfied"
	)


def guard_cancelled(doc, old):
	require(doc, ("outcome_reason",), exc=ReasonRequiredError)


def guard_unrepairable(doc, old):
	require(doc, ("outcome_reason", "agreed_outcome"), exc=ReasonRequiredError)


GUARDS = {
	flow.ACCEPTED: (guard_accepted,),
	flow.ASSIGNED: (guard_assigned,),
	flow.APPOINTMENT_BOOKED: (guard_appointment,),
	flow.IN_PROGRESS: (guard_in_progress,),
	flow.QUALITY_CHECK: (guard_quality_check,),
	flow.READY_FOR_DELIVERY: (guard_ready_for_delivery,),
	flow.DELIVERED: (guard_delivered,),
	flow.CLOSED: (guard_closed,),
	flow.CANCELLED: (guard_cancelled,),
	flow.UNREPAIRABLE: (guard_unrepairable,),
}


def log_status_change(doc) -> None:
	old = previous_status(doc)
	if old == doc.status:
		return
	doc.append(
		"status_log",
		{
			"status": doc.status,
			"previous_status": old,
			"user": frappe.session.user,
			"timestamp": now_datetime(),
			**log_values(doc.flags.status_note),
			"event": doc.flags.status_event,
		},
	)
