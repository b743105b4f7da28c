"""Number cards of the After-Sales workspace and dashboard (KPI-2): whitelisted methods for Frappe's
"Custom" Number Cards. Each returns the number, how to show it and where a click goes (the list
filtered the same way, or the report for the same month), counts only what the user may read (a
technician's cards count their own and their service point's work) and reads from a replica when
the site has one (`frappe.read_only`).

`filters` come from the card (`filters_json` and `dynamic_filters_json`): `company` (the user's
default company) and, for tests or a dashboard looking back, `date`: the month holding it stands
for "this month" (default: today)."""

import json

import frappe
from frappe.utils import flt, getdate, now_datetime

from aftersales.domain import complaint_flow, kpi
from aftersales.kpi import query
from aftersales.kpi.definitions import BEFORE_BOOKING, INDICATORS, OPEN_STATES

ORDER = "Service Work Order"


def parse(filters) -> dict:
	if isinstance(filters, str):
		filters = json.loads(filters or "{}")
	if isinstance(
		filters, list
	):  # a card saved with list filters: keep the [doctype, field, "=", value] ones
		filters = {f[1]: f[3] for f in filters if len(f) >= 4 and f[2] == "="}
	return {k: v for k, v in (filters or {}).items() if v not in (None, "")}


def card(value, fieldtype: str, route: list, route_options: dict | None = None):
	if value is None:
		return "–"  # no data: Frappe's card shows the text as it is
	return {
		"value": round(flt(value), 1) if fieldtype != "Int" else int(value),
		"fieldtype": fieldtype,
		"route": route,
		"route_options": route_options or {},
	}


def scope(filters: dict) -> dict:
	return {k: v for k, v in filters.items() if k in query.FILTER_KEYS}


def this_month(filters: dict) -> dict:
	start = kpi.period_start(getdate(filters.get("date") or getdate()), kpi.MONTH)
	return {**scope(filters), "from_date": start, "to_date": kpi.period_end(start, kpi.MONTH)}


def month_indicator(key: str, filters, report: str):
	filters = this_month(parse(filters))
	result = query.compute(filters, indicators=[key], with_total=True)
	route_options = {k: str(v) for k, v in filters.items()}
	return card(result.total.get(key), INDICATORS[key].fieldtype, ["query-report", report], route_options)


@frappe.whitelist()
@frappe.read_only()
def open_orders(filters: str | dict | None = None) -> dict | str:
	"""Orders not yet Closed, Cancelled or Unrepairable."""
	filters = scope(parse(filters))
	value = query.snapshot(["open"], filters)["open"]
	return card(value, "Int", ["List", ORDER], {**filters, "status": ["in", list(OPEN_STATES)]})


@frappe.whitelist()
@frappe.read_only()
def appointments_overdue(filters: str | dict | None = None) -> dict | str:
	"""Orders still waiting for an appointment after the SLA's response time (ERPNext's response_by)."""
	filters = scope(parse(filters))
	now = now_datetime()
	value = query.snapshot(["appointment_overdue"], filters, now=now)["appointment_overdue"]
	return card(
		value,
		"Int",
		["List", ORDER],
		{**filters, "status": ["in", list(BEFORE_BOOKING)], "response_by": ["<", str(now)]},
	)


@frappe.whitelist()
@frappe.read_only()
def appointment_rate_this_month(filters: str | dict | None = None) -> dict | str:
	return month_indicator("appointment_rate", filters, "Service KPI")


@frappe.whitelist()
@frappe.read_only()
def first_time_fix_this_month(filters: str | dict | None = None) -> dict | str:
	return month_indicator("first_time_fix_rate", filters, "Service KPI")


@frappe.whitelist()
@frappe.read_only()
def satisfaction_this_month(filters: str | dict | None = None) -> dict | str:
	"""Share of this month's follow-ups whose outcome is Satisfied."""
	return month_indicator("satisfied_rate", filters, "Follow-up Outcomes")


@frappe.whitelist()
@frappe.read_only()
def complaints_past_deadline(filters: str | dict | None = None) -> dict | str:
	"""Open complaints past their answer deadline that the user may read (the complaints' own
	rules: desk and managers all, others those they own or are assigned). With `company`: only
	complaints about work orders of that company."""
	filters = parse(filters)
	now = now_datetime()
	complaint = frappe.qb.DocType("Customer Complaint")
	q = (
		frappe.qb.from_(complaint)
		.select(frappe.query_builder.functions.Count("*"))
		.where(complaint.status.isin(complaint_flow.OPEN_STATES))
		.where(complaint.deadline < now)
	)
	if filters.get("company"):
		order = frappe.qb.DocType(ORDER)
		q = (
			q.join(order)
			.on(order.name == complaint.service_work_order)
			.where(order.company == filters["company"])
		)
	try:
		permission = query.permission_condition("Customer Complaint", frappe.session.user)
	except frappe.PermissionError:
		return card(0, "Int", ["List", "Customer Complaint"])
	if permission is not None:
		q = q.where(permission)
	value = q.run()[0][0]
	return card(
		value,
		"Int",
		["List", "Customer Complaint"],
		{"status": ["in", list(complaint_flow.OPEN_STATES)], "deadline": ["<", str(now)]},
	)


@frappe.whitelist()
@frappe.read_only()
def parts_below_warning_line(filters: str | dict | None = None) -> dict | str:
	"""Lines (part x warehouse) at or below their warning line: the rows of the report Spare Parts
	Below Warning Line, which the card opens."""
	from aftersales.parts.report.spare_parts_below_warning_line.spare_parts_below_warning_line import execute

	if not frappe.has_permission("Spare Part", "read"):
		return card(0, "Int", ["List", "Spare Part"])
	filters = {k: v for k, v in parse(filters).items() if k in ("warehouse", "abc_class")}
	rows = execute(filters)[1]
	return card(len(rows), "Int", ["query-report", "Spare Parts Below Warning Line"], filters)
