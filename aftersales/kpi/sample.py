"""Work orders with a known history, walked through their real lifecycle by the staff whose job each
step is, then dated: the KPI tests' data set (aftersales/tests/kpi_data.py) and the demo's two months
of history (aftersales/kpi/demo.py) are both made with it.

A step is (status, time) for a status change the staff make, or ("follow-up", time, outcome,
(repair quality, attitude, duration)) for the follow-up the desk submits (which closes, reopens or
keeps the order). After the walk the status log, delivery and follow-up times are set to the given
times and the order's KPI facts recomputed from the log (aftersales/kpi/facts.py)."""

from contextlib import contextmanager
from dataclasses import dataclass

import frappe
from frappe.utils import add_to_date, get_datetime

from aftersales.domain import work_order_flow as flow
from aftersales.kpi import facts, summary

SIGNATURE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
FOLLOW_UP = "follow-up"


@dataclass(frozen=True)
class Staff:
	desk: str
	dispatcher: str
	inspector: str


@contextmanager
def as_user(user: str):
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


def move(name: str, status: str, user: str, **fields) -> None:
	"""Set fields and status as `user` and save, like pressing the workflow button."""
	with as_user(user):
		doc = frappe.get_doc("Service Work Order", name)
		doc.update(fields)
		doc.status = status
		doc.save()


def make_order(values: dict, point, technician, steps, staff: Staff) -> str:
	"""Register the order (`values`: company, customer, item_code, received_on, ...) as the desk and
	walk it through `steps`; returns its name."""
	with as_user(staff.desk):
		name = (
			frappe.get_doc(
				{"doctype": "Service Work Order", "order_type": "Repair", "channel": "Phone", **values}
			)
			.insert()
			.name
		)
	timeline, follow_ups = [], []
	for step in steps:
		status, time = step[0], step[1]
		if status == FOLLOW_UP:
			before = frappe.db.get_value("Service Work Order", name, "status")
			follow_ups.append((record_follow_up(name, step[2], step[3], staff), time))
			after = frappe.db.get_value("Service Work Order", name, "status")
			if after != before:
				timeline.append((after, time))
		else:
			act(name, status, point, technician, time, staff)
			timeline.append((status, time))
	set_times(name, values["received_on"], timeline, follow_ups)
	return name


def act(name: str, status: str, point, technician, time, staff: Staff) -> None:
	"""One status change, made by the member of staff whose job it is."""
	current = frappe.db.get_value("Service Work Order", name, "status")
	start = get_datetime(time)
	if status == flow.ACCEPTED:
		move(name, status, staff.dispatcher, service_point=point)
	elif status == flow.ASSIGNED:
		move(name, status, staff.dispatcher, technician=technician)
	elif status == flow.APPOINTMENT_BOOKED:
		accept_as_technician(name)
		move(
			name,
			status,
			staff.dispatcher,
			appointment_start=start,
			appointment_end=add_to_date(start, hours=2),
		)
	elif status == flow.IN_PROGRESS and current == flow.QUALITY_CHECK:
		move(name, status, staff.inspector, qc_result="Fail", qc_remarks="Noise remains")
	elif status == flow.IN_PROGRESS:
		move(name, status, staff.dispatcher)
	elif status == flow.QUALITY_CHECK:
		with as_user(staff.dispatcher):
			doc = frappe.get_doc("Service Work Order", name)
			if not doc.customer_confirmed:
				doc.update(
					{
						"diagnosis": "Fault found",
						"estimated_hours": 2,
						"customer_confirmed": 1,
						"confirmed_by": "Customer",
						"confirmed_on": start,
						"confirmation_method": "Phone",
					}
				)
			doc.work_summary = "Repaired"
			doc.labour_hours = 1
			for row in doc.self_checks:
				row.done = 1
			doc.status = status
			doc.save()
	elif status == flow.READY_FOR_DELIVERY:
		move(name, status, staff.inspector, qc_result="Pass", qc_type="Spot Check")
	elif status == flow.DELIVERED:
		move(
			name,
			status,
			staff.desk,
			delivery_explanation="Repaired and tested",
			customer_signature=SIGNATURE,
			signed_by="Customer",
		)
	elif status == flow.CLOSED:  # solved by phone before any visit
		move(name, status, staff.desk, phone_solution="Reset the device with the customer")
	elif status == flow.CANCELLED:
		move(name, status, staff.desk, outcome_reason="Customer withdrew")
	elif status == flow.UNREPAIRABLE:
		move(name, status, staff.dispatcher, outcome_reason="No spare part", agreed_outcome="Replace")
	else:
		raise ValueError(status)


def record_follow_up(name: str, outcome: str, scores: tuple, staff: Staff) -> str:
	"""The desk submits the order's current follow-up with the customer's answers."""
	with as_user(staff.desk):
		follow_up = frappe.get_doc(
			"Service Follow-up", frappe.db.get_value("Service Work Order", name, "follow_up")
		)
		follow_up.update(dict(zip(("repair_quality", "attitude", "duration"), scores, strict=True)))
		follow_up.outcome = outcome
		follow_up.submit()
	return follow_up.name


def accept_as_technician(name: str) -> None:
	"""The assigned technician accepts the order before the appointment is booked (WO-6)."""
	user, accepted = frappe.db.get_value(
		"Service Work Order", name, ["technician_user", "technician_accepted_on"]
	)
	if user and not accepted:
		with as_user(user):
			frappe.get_doc("Service Work Order", name).accept_assignment()


def set_times(name: str, received_on, timeline: list, follow_ups: list) -> None:
	"""Date the status log, the last delivery and the follow-ups, and recompute the KPI facts. An
	event of the log that is no status change (the technician's acceptance) takes the time of the
	status change before it."""
	summary.mark_orders([name])  # the days it counted on before the times are moved
	log = frappe.get_all(
		"Service Work Order Log",
		{"parent": name, "parenttype": "Service Work Order"},
		["name", "status", "previous_status"],
		order_by="idx asc",
	)
	changes = [row for row in log if row.status != row.previous_status]
	expected = [(flow.NEW, received_on), *timeline]
	statuses = [row.status for row in changes]
	if statuses != [s for s, _t in expected]:
		raise AssertionError(f"{name}: status log {statuses} is not the planned {expected}")
	times = {row.name: time for row, (_status, time) in zip(changes, expected, strict=True)}
	time = received_on
	for row in log:
		time = times.get(row.name, time)
		frappe.db.set_value("Service Work Order Log", row.name, "timestamp", time, update_modified=False)
	delivered = [t for s, t in timeline if s == flow.DELIVERED]
	if frappe.db.get_value("Service Work Order", name, "delivered_on") and delivered:
		frappe.db.set_value("Service Work Order", name, "delivered_on", delivered[-1], update_modified=False)
	for follow_up, time in follow_ups:
		frappe.db.set_value(
			"Service Follow-up",
			follow_up,
			{"followed_up_on": time, "scheduled_date": get_datetime(time).date()},
			update_modified=False,
		)
	summary.mark_orders([name])  # the times written without the documents
	facts.refresh([name])


def set_sla(name: str, response_by, responded, resolution_by, resolved) -> None:
	"""ERPNext's SLA fields as they would have been at those times."""
	frappe.db.set_value(
		"Service Work Order",
		name,
		{
			"response_by": response_by,
			"first_responded_on": responded,
			"sla_resolution_by": resolution_by,
			"sla_resolution_date": resolved,
		},
		update_modified=False,
	)
	summary.mark_orders([name])


def set_costs(name: str, parts, labour, total, revenue, margin) -> None:
	frappe.db.set_value(
		"Service Work Order",
		name,
		{
			"parts_cost": parts,
			"labour_cost": labour,
			"total_cost": total,
			"revenue": revenue,
			"margin": margin,
		},
		update_modified=False,
	)
	summary.mark_orders([name])
