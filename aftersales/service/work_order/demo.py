"""Demo orders of the work-order flow's intake and field work (WO-1, WO-6): a job the first
technician declined and the dispatcher gave to another point, a job whose technician checked in on
site, a mail that became an order through the service inbox, and a walk-in at a store. Made once
(each is found again by its symptoms); called by aftersales/setup/demo.py outside tests."""

from contextlib import contextmanager

import frappe
from frappe.utils import add_days, add_to_date, now_datetime, nowdate

from aftersales.domain import work_order_flow as flow

DESK = "desk@aftersales.demo"
DISPATCHER = "dispatcher@aftersales.demo"
TECH_EAST = "tech.east@aftersales.demo"
TECH_WEST = "tech.west@aftersales.demo"
INBOX = "Service Orders Inbox"
INBOX_ADDRESS = "service-orders@aftersales.demo"
DECLINED = "Washer does not drain; error E21 again after the filter was cleaned"
CHECKED_IN = "TV switches itself off after ten minutes"
MAILED = "Fridge makes a loud clicking noise at night"
WALK_IN = "Remote control does not pair with the TV"


@contextmanager
def as_user(user: str):
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


def load(company: str, customers: list[str], points: list[str]) -> dict:
	return {
		"declined_and_reassigned": declined_and_reassigned(company, customers[1], points),
		"checked_in": checked_in(company, customers[0], points[0]),
		"by_email": by_email(),
		"walk_in": walk_in(company, customers[2]),
	}


def existing(symptoms: str) -> str | None:
	return frappe.db.get_value("Service Work Order", {"symptoms": symptoms})


def new_order(company: str, customer: str, symptoms: str, user: str = DESK, **values) -> str:
	with as_user(user):
		return (
			frappe.get_doc(
				{
					"doctype": "Service Work Order",
					"company": company,
					"order_type": "Repair",
					"channel": "Phone",
					"customer": customer,
					"item_code": "WASHER-XQG-100" if "Washer" in symptoms else "TV-55-U8",
					"purchase_date": add_days(nowdate(), -200),
					"symptoms": symptoms,
					**values,
				}
			)
			.insert()
			.name
		)


def move(name: str, status: str, user: str, **fields) -> None:
	with as_user(user):
		doc = frappe.get_doc("Service Work Order", name)
		doc.update(fields)
		doc.status = status
		doc.save()


def act(name: str, method: str, user: str, **kwargs):
	with as_user(user):
		return getattr(frappe.get_doc("Service Work Order", name), method)(**kwargs)


def technician_of(user: str) -> str:
	return frappe.db.get_value("Employee", {"user_id": user})


def book(name: str, user: str, days: int = 1) -> None:
	start = add_to_date(now_datetime(), days=days, hours=1)
	move(
		name,
		flow.APPOINTMENT_BOOKED,
		user,
		appointment_start=start,
		appointment_end=add_to_date(start, hours=2),
	)


def declined_and_reassigned(company, customer, points) -> str:
	name = existing(DECLINED)
	if name:
		return name
	name = new_order(company, customer, DECLINED)
	move(name, flow.ACCEPTED, DISPATCHER, service_point=points[0])
	move(name, flow.ASSIGNED, DISPATCHER, technician=technician_of(TECH_EAST))
	act(
		name,
		"decline_assignment",
		TECH_EAST,
		reason="Van in the garage until Friday; the west point is closer",
	)
	move(name, flow.ASSIGNED, DISPATCHER, service_point=points[1], technician=technician_of(TECH_WEST))
	act(name, "accept_assignment", TECH_WEST)
	book(name, TECH_WEST)
	return name


def checked_in(company, customer, point) -> str:
	name = existing(CHECKED_IN)
	if name:
		return name
	name = new_order(company, customer, CHECKED_IN)
	move(name, flow.ACCEPTED, DISPATCHER, service_point=point)
	move(name, flow.ASSIGNED, DISPATCHER, technician=technician_of(TECH_EAST))
	act(name, "accept_assignment", TECH_EAST)
	book(name, TECH_EAST, days=0)
	act(name, "check_in", TECH_EAST)
	move(name, flow.IN_PROGRESS, TECH_EAST)
	return name


def inbox() -> str:
	"""The service inbox: its mail becomes work orders once incoming mail is switched on (IMAP/POP
	settings of the site's mail server)."""
	if not frappe.db.exists("Email Account", INBOX):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": INBOX,
				"email_id": INBOX_ADDRESS,
				"enable_incoming": 0,
				"append_to": "Service Work Order",
				"use_imap": 0,
			}
		).insert(ignore_permissions=True)
	return INBOX


def by_email() -> str | None:
	name = existing(MAILED)
	if name:
		return name
	from frappe.email.receive import InboundMail

	raw = (
		f"From: Li Na <li.na@example.com>\r\nTo: {INBOX_ADDRESS}\r\nSubject: {MAILED}\r\n"
		"Message-ID: <demo-service-order-1@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
		"Since last week the fridge clicks loudly every few minutes at night. Could someone look at it?\r\n"
	)
	communication = InboundMail(raw, frappe.get_doc("Email Account", inbox())).process()
	return communication.reference_name


def walk_in(company, customer) -> str:
	"""Taken at the east store's counter by its dispatcher: the order is that store's."""
	name = existing(WALK_IN)
	if name:
		return name
	return new_order(company, customer, WALK_IN, user=DISPATCHER, channel="Walk-in")
