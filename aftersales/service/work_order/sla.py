"""Time limits through ERPNext's Service Level Agreement (no second SLA engine here).

The app makes one default agreement for Service Work Order on install: the response (booking the
appointment, WO-6) is due within the settings' appointment limit in working hours, the resolution
(delivery) by priority; the clock pauses while the customer decides on a scope change. ERPNext
adds its SLA fields (priority, response_by, sla_resolution_by, agreement_status, ...) to the
DocType and applies the agreement on every save.

A scheduled job flags orders whose limits passed: a missed appointment limit notifies the
dispatchers (Notification "Service Work Order Appointment Overdue") and tells the customer a
dispatcher will call ("... Appointment Late"), a missed resolution marks the order delayed, and a
part requested more than PARTS_WAIT_DAYS ago and still not issued marks it waiting for parts; each
tells the customer what happens next (WO-7).
"""

import frappe
from frappe.utils import add_days, getdate, now_datetime, nowdate

from aftersales.domain import work_order_flow as flow
from aftersales.service.work_order.scheduled import move_status, set_flags

SLA_NAME = "Standard"
DOCTYPE = "Service Work Order"
WORK_HOURS = ("08:00:00", "20:00:00")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# priority -> resolution time in hours (the response time comes from the settings)
RESOLUTION_HOURS = {"Urgent": 8, "High": 24, "Medium": 72, "Low": 120}
DEFAULT_PRIORITY = "Medium"
# a part requested (or approved) and not issued after this many days delays the job (WO-7)
PARTS_WAIT_DAYS = 2
WAITING_PART_STATES = ("Requested", "Approved")  # a parts line not issued yet


def agreement_name() -> str | None:
	return frappe.db.get_value("Service Level Agreement", {"document_type": DOCTYPE}, "name")


def ensure_service_level_agreement() -> str:
	"""Create the default agreement if the site has none for work orders (idempotent)."""
	frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
	existing = agreement_name()
	if existing:
		return existing
	for priority in RESOLUTION_HOURS:
		if not frappe.db.exists("Issue Priority", priority):
			frappe.get_doc({"doctype": "Issue Priority", "name": priority}).insert(ignore_permissions=True)
	response_seconds = int(response_hours() * 3600)
	agreement = frappe.get_doc(
		{
			"doctype": "Service Level Agreement",
			"service_level": SLA_NAME,
			"document_type": DOCTYPE,
			"default_service_level_agreement": 1,
			"enabled": 1,
			"apply_sla_for_resolution": 1,
			"holiday_list": ensure_holiday_list(),
			"description": "After-sales: appointment within the settings' limit, delivery by priority.",
			"priorities": [
				{
					"priority": priority,
					"response_time": min(response_seconds, hours * 3600),
					"resolution_time": hours * 3600,
					"default_priority": int(priority == DEFAULT_PRIORITY),
				}
				for priority, hours in RESOLUTION_HOURS.items()
			],
			"support_and_resolution": [
				{"workday": day, "start_time": WORK_HOURS[0], "end_time": WORK_HOURS[1]} for day in WEEKDAYS
			],
			"sla_fulfilled_on": [{"status": status} for status in flow.SLA_FULFILLED],
			"pause_sla_on": [{"status": status} for status in flow.SLA_PAUSED],
		}
	)
	agreement.insert(ignore_permissions=True)
	return agreement.name


def response_hours() -> float:
	return frappe.db.get_single_value("After-Sales Settings", "appointment_limit_hours") or 2


def sync_response_time() -> None:
	"""After-Sales Settings changed: carry the appointment limit into the agreement's priorities."""
	name = agreement_name()
	if not name:
		return
	agreement = frappe.get_doc("Service Level Agreement", name)
	seconds = int(response_hours() * 3600)
	for row in agreement.priorities:
		row.response_time = min(seconds, row.resolution_time or seconds)
	agreement.save(ignore_permissions=True)


def ensure_holiday_list() -> str:
	"""The settings' Holiday List, else the default company's, else an empty one for this year."""
	holiday_list = frappe.db.get_single_value("After-Sales Settings", "holiday_list")
	if not holiday_list:
		company = frappe.defaults.get_global_default("company")
		holiday_list = company and frappe.get_cached_value("Company", company, "default_holiday_list")
	if holiday_list:
		return holiday_list
	year = getdate(nowdate()).year
	name = f"After-Sales {year}"
	if not frappe.db.exists("Holiday List", name):
		frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": name,
				"from_date": f"{year}-01-01",
				"to_date": f"{year + 1}-12-31",
			}
		).insert(ignore_permissions=True)
	return name


def delete_service_level_agreements() -> None:
	for name in frappe.get_all("Service Level Agreement", {"document_type": DOCTYPE}, pluck="name"):
		frappe.delete_doc("Service Level Agreement", name, ignore_permissions=True, force=True)


def flag_overdue_orders(now=None) -> None:
	"""Scheduled: flag orders whose appointment limit or resolution time passed. Only open orders
	are read, so the cost follows the open workload, not the archive."""
	now = now or now_datetime()
	order = frappe.qb.DocType(DOCTYPE)
	open_states = [s for s in flow.STATES if s not in flow.SLA_FULFILLED]
	late_response = (
		frappe.qb.from_(order)
		.select(order.name)
		.where(order.status.isin(open_states))
		.where(order.response_breached == 0)
		.where(order.first_responded_on.isnull())
		.where(order.response_by < now)
	).run(pluck=True)
	set_flags(late_response, "response_breached")
	late_resolution = (
		frappe.qb.from_(order)
		.select(order.name)
		.where(order.status.isin(open_states))
		.where(order.is_delayed == 0)
		.where(order.sla_resolution_by < now)
	).run(pluck=True)
	set_flags(late_resolution, "is_delayed")
	set_flags(unflagged_waiting_for_parts(now).run(pluck=True), "parts_delayed")


def unflagged_waiting_for_parts(now):
	"""The query (not run) of the open orders not yet flagged `parts_delayed` that wait for a part
	requested more than PARTS_WAIT_DAYS before `now` (the benchmark's data check asks it too)."""
	order = frappe.qb.DocType(DOCTYPE)
	part = frappe.qb.DocType("Service Work Order Part")
	return (
		frappe.qb.from_(order)
		.join(part)
		.on((part.parent == order.name) & (part.parenttype == DOCTYPE))
		.select(order.name)
		.distinct()
		.where(order.status.isin([s for s in flow.STATES if s not in flow.SLA_FULFILLED]))
		.where(order.parts_delayed == 0)
		.where(part.status.isin(WAITING_PART_STATES))
		.where(part.creation < add_days(now, -PARTS_WAIT_DAYS))
	)


def set_flag(name: str, fieldname: str) -> None:
	# as db_set with notify and the Value Change notifications, without a full save
	set_flags([name], fieldname)


def move_due_follow_ups() -> list[str]:
	"""Daily: delivered orders whose follow-up is due appear in the desk's follow-up queue. The
	due follow-ups are found on their own index (draft, by date) and the orders are moved together
	(aftersales/service/work_order/scheduled.py), so the cost follows the orders due."""
	follow_up = frappe.qb.DocType("Service Follow-up")
	order = frappe.qb.DocType(DOCTYPE)
	names = (
		frappe.qb.from_(follow_up)
		.join(order)
		.on(order.name == follow_up.service_work_order)
		.select(order.name)
		.distinct()
		.where(follow_up.docstatus == 0)
		.where(follow_up.scheduled_date <= nowdate())
		.where(order.follow_up == follow_up.name)
		.where(order.status == flow.DELIVERED)
	).run(pluck=True)
	return move_status(names, flow.DELIVERED, flow.FOLLOW_UP)
