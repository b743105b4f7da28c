"""Each Service Work Order's KPI facts (aftersales/domain/kpi.py, `OrderFacts`): response time in
working hours, first completion, completion at the first visit, reopens, end and repair duration.
They are derived from the order's status log on every save (the controller calls `set_facts`) and
stored on the order, so the KPI queries aggregate one table on indexed dates.

Working hours are those of the order's ERPNext Service Level Agreement (its "Support and
Resolution" days and hours, its holiday list); an order without an agreement counts every hour.
`refresh` recomputes stored orders (the backfill patch, or after correcting timestamps)."""

from datetime import datetime, time, timedelta

import frappe
from frappe.utils import cint, flt, get_datetime
from frappe.utils.caching import request_cache

from aftersales.domain import kpi
from aftersales.kpi import summary

FACT_FIELDS = kpi.ORDER_FACT_FIELDS
WEEKDAY_NUMBERS = {
	name: number
	for number, name in enumerate(
		("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
	)
}


def as_time(value) -> time:
	if isinstance(value, time):
		return value
	if isinstance(value, timedelta):
		return (datetime.min + value).time()
	return datetime.strptime(str(value).split(".")[0], "%H:%M:%S").time()


@request_cache
def calendar(agreement: str | None) -> tuple[dict | None, frozenset]:
	"""(working hours by weekday, holidays) of a Service Level Agreement; (None, ()) without one."""
	if not agreement or not frappe.db.exists("Service Level Agreement", agreement):
		return None, frozenset()
	doc = frappe.get_cached_doc("Service Level Agreement", agreement)
	hours: dict[int, list[tuple[time, time]]] = {}
	for row in doc.support_and_resolution:
		if row.workday in WEEKDAY_NUMBERS and row.start_time is not None and row.end_time is not None:
			hours.setdefault(WEEKDAY_NUMBERS[row.workday], []).append(
				(as_time(row.start_time), as_time(row.end_time))
			)
	holidays = frozenset(
		frappe.get_all("Holiday", {"parent": doc.holiday_list}, pluck="holiday_date")
		if doc.holiday_list
		else ()
	)
	return hours or None, holidays


def default_agreement() -> str | None:
	from aftersales.service.work_order.sla import agreement_name

	return agreement_name()


def working_time(agreement: str | None):
	"""The working seconds between two moments; the agreement's calendar is read only when an order
	has a duration to measure (a new order has none: its intake costs no query here)."""

	def seconds(start, end):
		hours, holidays = calendar(agreement or default_agreement())
		return kpi.working_seconds(start, end, hours, holidays)

	return seconds


def log_entries(rows) -> list[kpi.LogEntry]:
	ordered = sorted(rows, key=lambda r: (cint(r.get("idx")), get_datetime(r.get("timestamp"))))
	return [
		kpi.LogEntry(
			r.get("status"),
			r.get("previous_status"),
			get_datetime(r.get("timestamp")),
			r.get("event") or None,
		)
		for r in ordered
		if r.get("timestamp")
	]


def compute(received_on, log_rows, agreement: str | None) -> dict:
	facts = kpi.order_facts(
		get_datetime(received_on) if received_on else None, log_entries(log_rows), working_time(agreement)
	)
	# Frappe's number columns hold no NULL: hours of an order never booked or completed are 0, and
	# the KPIs tell them apart by booked_on / completed_on
	return {
		"booked_on": facts.booked_on,
		"response_hours": facts.response_hours or 0.0,
		"completed_on": facts.completed_on,
		"completed_first_visit": int(facts.completed_first_visit),
		"reopen_count": facts.reopen_count,
		"ended_on": facts.ended_on,
		"repair_hours": facts.repair_hours or 0.0,
	}


def set_facts(doc) -> None:
	"""Controller hook (validate, after the status change is logged)."""
	doc.update(compute(doc.received_on, doc.status_log, doc.get("service_level_agreement")))
	sync_follow_ups(doc)


def sync_follow_ups(doc) -> None:
	"""The order's dimensions its follow-ups keep for the KPIs (Service Follow-up's ORDER_DIMENSIONS),
	updated in one statement when the order's change (a reassigned technician, a corrected service
	point); nothing is read or written otherwise."""
	from aftersales.service.doctype.service_follow_up.service_follow_up import ORDER_DIMENSIONS

	before = None if doc.is_new() else doc.get_doc_before_save()
	if not before or all(before.get(f) == doc.get(f) for f in ORDER_DIMENSIONS.values()):
		return
	follow_up = frappe.qb.DocType("Service Follow-up")
	query = frappe.qb.update(follow_up).where(follow_up.service_work_order == doc.name)
	for fieldname, order_field in ORDER_DIMENSIONS.items():
		query = query.set(follow_up[fieldname], doc.get(order_field))
	# the follow-ups' days in the daily KPI summary, under their company before and after
	summary.mark_orders([doc.name])
	query.run()
	summary.mark_orders([doc.name])


def differs(stored, computed) -> bool:
	if isinstance(computed, datetime) or isinstance(stored, datetime):
		return (get_datetime(stored) if stored else None) != computed
	if computed is None or stored is None:
		return computed is not stored
	return abs(flt(stored) - flt(computed)) > 1e-6


def refresh(names: list[str] | None = None, batch_size: int = 1000) -> int:
	"""Recompute the facts of stored orders (all of them when `names` is None) and write those that
	changed, without touching `modified`. Returns how many orders changed."""
	order = frappe.qb.DocType("Service Work Order")
	query = frappe.qb.from_(order).select(order.name).orderby(order.name)
	if names is not None:
		if not names:
			return 0
		query = query.where(order.name.isin(list(names)))
	all_names = query.run(pluck=True)
	changed = 0
	for start in range(0, len(all_names), batch_size):
		stale = stale_facts(all_names[start : start + batch_size])
		# written without the documents: their days in the daily KPI summary, before and after
		summary.mark_orders(stale)
		for name, update in stale.items():
			frappe.db.set_value("Service Work Order", name, update, update_modified=False)
			changed += 1
		summary.mark_orders(stale)
	return changed


def stale_facts(names: list[str]) -> dict[str, dict]:
	"""The stored orders `names` whose facts are not what their status logs give: {order: the facts
	that differ, as computed}, read in one query for the orders and one for their logs."""
	order = frappe.qb.DocType("Service Work Order")
	log = frappe.qb.DocType("Service Work Order Log")
	orders = (
		frappe.qb.from_(order)
		.select(order.name, order.received_on, order.service_level_agreement, *FACT_FIELDS)
		.where(order.name.isin(names))
	).run(as_dict=True)
	rows: dict[str, list] = {}
	for row in (
		frappe.qb.from_(log)
		.select(log.parent, log.idx, log.status, log.previous_status, log.timestamp, log.event)
		.where(log.parent.isin(names))
		.where(log.parenttype == "Service Work Order")
	).run(as_dict=True):
		rows.setdefault(row.parent, []).append(row)
	stale = {}
	for stored in orders:
		values = compute(stored.received_on, rows.get(stored.name, []), stored.service_level_agreement)
		update = {k: v for k, v in values.items() if differs(stored.get(k), v)}
		if update:
			stale[stored.name] = update
	return stale
