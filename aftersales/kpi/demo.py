"""Two months of work order history for the demo service centre, so that the KPI cards, charts,
reports and the service point ranking show something meaningful: orders fixed at the first visit,
reworked after a failed quality check, reopened after an unsatisfied follow-up, solved by phone,
cancelled, declared unrepairable, complaints from follow-ups (some past their deadline) and a few
orders still open. Made once per site (aftersales/setup/demo.py calls it outside tests); the
pseudo-random choices are seeded, so every site gets the same history relative to its own today."""

import random

import frappe
from frappe.utils import add_to_date, get_datetime, getdate, now_datetime

from aftersales.domain import work_order_flow as flow
from aftersales.kpi import sample

DONE_KEY = "aftersales_kpi_demo_history"
DAYS = 60
ORDERS = 44
PRODUCTS = (
	("TV-55-U8", ("TV-NOPIC", "TV-NOSIGNAL")),
	("FRIDGE-BCD-450", ("FR-NOCOOL",)),
	("WASHER-XQG-100", ("WM-E21",)),
)
STAFF = sample.Staff(
	desk="desk@aftersales.demo",
	dispatcher="dispatcher@aftersales.demo",
	inspector="inspector@aftersales.demo",
)
# point -> technician's user; East books faster and fixes more at the first visit
POINTS = {
	"Service Point East": "tech.east@aftersales.demo",
	"Service Point West": "tech.west@aftersales.demo",
}
SCENARIOS = {  # weights per point
	"Service Point East": {
		"fixed": 9,
		"qc_fail": 1,
		"reopen": 1,
		"complaint": 1,
		"phone": 2,
		"cancelled": 1,
		"unrepairable": 1,
	},
	"Service Point West": {
		"fixed": 6,
		"qc_fail": 2,
		"reopen": 2,
		"complaint": 2,
		"phone": 1,
		"cancelled": 1,
		"unrepairable": 1,
	},
}


def load(company: str, customers: list[str]) -> int:
	"""Make the history once; returns how many orders it made (0 when it was there already)."""
	if frappe.db.get_default(DONE_KEY):
		return 0
	rng = random.Random(11)
	now = now_datetime()
	technicians = {
		point: frappe.db.get_value("Employee", {"user_id": user}) for point, user in POINTS.items()
	}
	made = 0
	for index in range(ORDERS):
		point = list(POINTS)[index % 2]
		days_ago = DAYS - int(index * DAYS / ORDERS)
		received = get_datetime(add_to_date(getdate(now), days=-days_ago)).replace(
			hour=rng.choice((8, 9, 10, 11, 13, 14, 15, 16, 17)), minute=rng.choice((0, 15, 30, 45))
		)
		# the last days' orders are still open; the very last wait for an appointment past the limit
		kind = "waiting" if days_ago <= 2 else "open" if days_ago <= 5 else pick(rng, SCENARIOS[point])
		steps = plan(kind, received, rng, fast=point == "Service Point East")
		steps = [s for s in steps if get_datetime(s[1]) < add_to_date(now, minutes=-30)]
		item, faults = PRODUCTS[index % len(PRODUCTS)]
		values = {
			"company": company,
			"customer": customers[index % len(customers)],
			"phone": f"1380000{index:04d}",
			"item_code": item,
			"purchase_date": add_to_date(getdate(now), days=-200),
			"fault_code": rng.choice(faults),
			"received_on": received,
			"symptoms": "Reported by phone",
		}
		name = sample.make_order(values, point, technicians[point], steps, STAFF)
		date_the_rest(name, received, steps, rng, now)
		made += 1
	frappe.db.set_default(DONE_KEY, "1")
	frappe.db.commit()
	return made


def pick(rng, weights: dict) -> str:
	return rng.choices(list(weights), weights=list(weights.values()))[0]


def plan(kind: str, received, rng, fast: bool) -> list:
	def at(hours):
		return add_to_date(received, hours=hours)

	booked = rng.choice((0.5, 1, 1.5) if fast else (1, 1.5, 2.5, 3.5))
	start = [(flow.ACCEPTED, at(0.1)), (flow.ASSIGNED, at(0.2))]
	if kind == "phone":
		return [*start, (flow.CLOSED, at(0.4))]
	if kind == "waiting":
		return start
	if kind == "cancelled":
		return [*start, (flow.CANCELLED, at(5))]
	visit = [*start, (flow.APPOINTMENT_BOOKED, at(booked)), (flow.IN_PROGRESS, at(booked + 18))]
	if kind == "open":
		return visit
	if kind == "unrepairable":
		return [*visit, (flow.UNREPAIRABLE, at(booked + 26))]
	work = [(flow.QUALITY_CHECK, at(booked + 22)), (flow.READY_FOR_DELIVERY, at(booked + 23))]
	if kind == "qc_fail":
		work = [
			(flow.QUALITY_CHECK, at(booked + 21)),
			(flow.IN_PROGRESS, at(booked + 21.5)),
			(flow.QUALITY_CHECK, at(booked + 40)),
			(flow.READY_FOR_DELIVERY, at(booked + 41)),
		]
	delivered = get_datetime(work[-1][1])
	steps = [*visit, *work, (flow.DELIVERED, add_to_date(delivered, hours=20))]
	follow_up = add_to_date(delivered, days=3)
	scores = (rng.choice((0.8, 1)), rng.choice((0.8, 1)), rng.choice((0.6, 0.8, 1)))
	if kind == "reopen":
		steps += [
			(sample.FOLLOW_UP, follow_up, "Not Fixed at First Visit", (0.2, 0.8, 0.4)),
			(flow.QUALITY_CHECK, add_to_date(follow_up, days=1)),
			(flow.READY_FOR_DELIVERY, add_to_date(follow_up, days=1, hours=1)),
			(flow.DELIVERED, add_to_date(follow_up, days=2)),
			(sample.FOLLOW_UP, add_to_date(follow_up, days=5), "Satisfied", scores),
		]
	elif kind == "complaint":
		outcome = rng.choice(("Complaint Call", "Attitude Complaint"))
		steps.append(
			(
				sample.FOLLOW_UP,
				follow_up,
				outcome,
				(0.4, 0.4 if outcome == "Attitude Complaint" else 0.8, 0.6),
			)
		)
	else:
		steps.append((sample.FOLLOW_UP, follow_up, "Satisfied", scores))
	return steps


def date_the_rest(name: str, received, steps: list, rng, now) -> None:
	"""ERPNext's SLA fields, job costs and complaint times matching the dated history."""
	times = {status: get_datetime(time) for status, time, *_rest in steps if status != sample.FOLLOW_UP}
	first = times.get(flow.APPOINTMENT_BOOKED) or times.get(flow.CLOSED) or times.get(flow.CANCELLED)
	resolved = times.get(flow.DELIVERED) or times.get(flow.CLOSED) or times.get(flow.CANCELLED)
	resolved = resolved or times.get(flow.UNREPAIRABLE)
	sample.set_sla(name, add_to_date(received, hours=2), first, add_to_date(received, hours=72), resolved)
	if frappe.db.get_value("Service Work Order", name, "delivered_on"):
		parts = rng.choice((0, 35, 85, 120, 420))
		labour = rng.choice((60, 90, 120))
		revenue = round(parts * 1.4 + labour * 1.5, 2)
		sample.set_costs(name, parts, labour, parts + labour, revenue, revenue - parts - labour)
	follow_ups = [s for s in steps if s[0] == sample.FOLLOW_UP]
	complaint = frappe.db.get_value("Customer Complaint", {"service_work_order": name})
	if complaint and follow_ups:
		opened = get_datetime(follow_ups[-1][1])
		deadline = add_to_date(opened, hours=48)
		closed = add_to_date(opened, hours=rng.choice((20, 30, 70))) if deadline < now else None
		values = {"received_at": opened, "deadline": deadline}
		if closed and closed < now and rng.random() < 0.6:
			values.update({"status": "Closed", "closed_on": closed})
		frappe.db.set_value("Customer Complaint", complaint, values, update_modified=False)
