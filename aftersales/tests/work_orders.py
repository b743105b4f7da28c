"""Factories for Service Work Order tests: make an order and walk it through its lifecycle as the
demo staff would, each step as the user whose job it is."""

from contextlib import contextmanager

import frappe
from frappe.utils import add_days, add_to_date, flt, now_datetime, nowdate

from aftersales.domain import work_order_flow as flow
from aftersales.tests.utils import demo

DESK = "desk@aftersales.demo"
DISPATCHER = "dispatcher@aftersales.demo"
TECH_EAST = "tech.east@aftersales.demo"
TECH_WEST = "tech.west@aftersales.demo"
INSPECTOR = "inspector@aftersales.demo"
STOCK = "stock@aftersales.demo"
MANAGER = "manager@aftersales.demo"
SIGNATURE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


@contextmanager
def as_user(user: str):
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


def new_work_order(in_warranty: bool = True, **kw):
	"""A New order for demo customer Zhang Wei's TV, as the service desk registers it."""
	data = demo()
	serial = data["serial_nos"][0]  # TV-55-U8, bought 100 days ago with a 365-day warranty
	values = {
		"doctype": "Service Work Order",
		"company": data["company"],
		"order_type": "Repair",
		"channel": "Phone",
		"customer": data["customers"][0],
		"phone": "138-0013 8001",
		"item_code": "TV-55-U8",
		"serial_no": serial if in_warranty else None,
		"purchase_date": add_days(nowdate(), -100 if in_warranty else -800),
		"fault_code": "TV-NOPIC",
		"symptoms": "Sound but no picture",
	}
	values.update(kw)
	with as_user(DESK):
		return frappe.get_doc(values).insert()


def move(order, status: str, user: str, **fields):
	"""Set fields and status as `user` and save, like pressing the workflow button."""
	with as_user(user):
		doc = frappe.get_doc("Service Work Order", order.name)
		doc.update(fields)
		doc.status = status
		doc.save()
	return frappe.get_doc("Service Work Order", order.name)


def dispatch(order):
	data = demo()
	order = move(order, flow.ACCEPTED, DISPATCHER, service_point=data["service_points"][0])
	return move(order, flow.ASSIGNED, DISPATCHER, technician=data["employees"][3])


def accept(order, user: str = TECH_EAST):
	"""The assigned technician accepts the order (WO-6)."""
	call(order, "accept_assignment", user)
	return frappe.get_doc("Service Work Order", order.name)


def book_appointment(order, user: str = TECH_EAST):
	start = add_to_date(now_datetime(), hours=1)
	return move(
		order,
		flow.APPOINTMENT_BOOKED,
		user,
		appointment_start=start,
		appointment_end=add_to_date(start, hours=2),
	)


def start_work(order):
	order = accept(dispatch(order))
	start = add_to_date(now_datetime(), hours=1)
	order = move(
		order,
		flow.APPOINTMENT_BOOKED,
		TECH_EAST,
		appointment_start=start,
		appointment_end=add_to_date(start, hours=2),
	)
	return move(order, flow.IN_PROGRESS, TECH_EAST)


def confirm_estimate(order, amount: float, hours: float = 2):
	"""The customer confirms the estimate: the parts requested so far and `hours` of work (WO-5, WO-8)."""
	with as_user(TECH_EAST):
		doc = frappe.get_doc("Service Work Order", order.name)
		doc.update(
			{
				"diagnosis": "Backlight failed",
				"estimated_cost": amount,
				"estimated_hours": hours,
				"customer_confirmed": 1,
				"confirmed_by": "Zhang Wei",
				"confirmed_on": now_datetime(),
				"confirmation_method": "Phone",
			}
		)
		doc.save()
	return doc


def record_consent(order, amount: float | None = None, hours: float | None = None):
	"""A scope change: the technician asks, the desk records the customer's consent (WO-8)."""
	order = frappe.get_doc("Service Work Order", order.name)
	order = move(order, flow.AWAITING_CONSENT, TECH_EAST, estimated_hours=hours or order.estimated_hours)
	return move(
		order,
		flow.IN_PROGRESS,
		DESK,
		consented_amount=order.chargeable_amount if amount is None else amount,
		consent_by="Zhang Wei",
		consent_on=now_datetime(),
		consent_method="Phone",
	)


def agree(order, hours: float = 2):
	"""The customer agrees to what the order holds now: the first time by confirming the estimate,
	later by a recorded consent."""
	order = frappe.get_doc("Service Work Order", order.name)
	if not order.customer_confirmed:
		return confirm_estimate(order, order.chargeable_amount, hours)
	return record_consent(order, hours=max(hours, flt(order.estimated_hours)))


def request_part(order, item_code: str, qty: float = 1, agreed: bool = True):
	"""The technician requests a part; unless `agreed` is False the customer then agrees to it."""
	with as_user(TECH_EAST):
		doc = frappe.get_doc("Service Work Order", order.name)
		doc.append("parts", {"item_code": item_code, "qty": qty})
		doc.save()
	return agree(doc) if agreed else doc


def call(order, method: str, user: str, **kwargs):
	with as_user(user):
		doc = frappe.get_doc("Service Work Order", order.name)
		result = getattr(doc, method)(**kwargs)
	return result


def finish_work(order):
	if flt(frappe.db.get_value("Service Work Order", order.name, "planned_hours")) < 1.5:
		agree(order)
	with as_user(TECH_EAST):
		doc = frappe.get_doc("Service Work Order", order.name)
		doc.work_summary = "Replaced the backlight strip"
		doc.labour_hours = 1.5
		for row in doc.self_checks:
			row.done = 1
		doc.status = flow.QUALITY_CHECK
		doc.save()
	return doc


def pass_quality_check(order, qc_type: str = "Spot Check"):
	return move(order, flow.READY_FOR_DELIVERY, INSPECTOR, qc_result="Pass", qc_type=qc_type)


def deliver(order):
	return move(
		order,
		flow.DELIVERED,
		DESK,
		delivery_explanation="Backlight replaced; picture restored",
		customer_signature=SIGNATURE,
		signed_by="Zhang Wei",
	)


FOLLOW_UP_SCORES = {
	"Satisfied": {"repair_quality": 1, "attitude": 1, "duration": 1},
	"Not Fixed at First Visit": {"repair_quality": 0.2, "attitude": 1, "duration": 0.6},
}


def record_follow_up(order, outcome: str, **scores):
	"""The desk submits the follow-up of the order's latest delivery with `outcome`."""
	with as_user(DESK):
		follow_up = frappe.get_doc(
			"Service Follow-up", frappe.db.get_value("Service Work Order", order.name, "follow_up")
		)
		follow_up.update({"outcome": outcome, **FOLLOW_UP_SCORES.get(outcome, {}), **scores})
		follow_up.submit()
	return follow_up


def bin_qty(item_code: str, warehouse: str) -> float:
	return flt(frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "actual_qty"))


def stock_value(item_code: str, warehouse: str) -> float:
	return flt(frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "stock_value"))
