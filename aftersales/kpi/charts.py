"""Dashboard chart sources of the After-Sales workspace and dashboard (KPI-2): whitelisted methods of
Frappe "Custom" Dashboard Charts (aftersales/kpi/dashboard_chart_source/*). Every chart counts only
the records the user may read, and reads from a replica when the site has one.

Frappe's own Count/Group By charts cache their data per chart, not per user
(`frappe.utils.dashboard.cache_source`), so a call with `refresh=0` would hand one user the numbers
computed for another; these methods compute for the caller every time.

Arguments are those Frappe's chart widget sends: `filters` (the chart's filters: `company`,
`from_date`, `to_date`), and for the time series `timespan` and `time_interval`."""

import json

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_days, getdate, nowdate
from frappe.utils.dateutils import get_from_date_from_timespan
from pypika.terms import LiteralValue

from aftersales.domain import kpi
from aftersales.domain import work_order_flow as flow
from aftersales.kpi import query

ORDER = "Service Work Order"
INTERVALS = {
	"Daily": kpi.DAY,
	"Weekly": kpi.WEEK,
	"Monthly": kpi.MONTH,
	"Quarterly": kpi.QUARTER,
	"Yearly": kpi.YEAR,
}
TOP = 10


def parse(filters) -> dict:
	if isinstance(filters, str):
		filters = json.loads(filters or "{}")
	if isinstance(filters, list):
		filters = {f[1]: f[3] for f in filters if len(f) >= 4 and f[2] == "="}
	return {k: v for k, v in (filters or {}).items() if v not in (None, "")}


def date_range(filters: dict, timespan: str | None = None, from_date=None, to_date=None, days: int = 90):
	to_date = getdate(to_date or filters.get("to_date") or nowdate())
	if from_date or filters.get("from_date"):
		start = getdate(from_date or filters.get("from_date"))
	elif timespan and timespan != "Select Date Range":
		start = getdate(get_from_date_from_timespan(to_date, timespan))
	else:
		start = add_days(to_date, -days)
	return start, to_date


def chart_settings(chart_name: str | None) -> frappe._dict:
	if chart_name and frappe.db.exists("Dashboard Chart", chart_name):
		return frappe._dict(
			frappe.db.get_value("Dashboard Chart", chart_name, ["timespan", "time_interval"], as_dict=True)
		)
	return frappe._dict()


def visible(q, doctype: str):
	"""`q` limited to the rows of `doctype` the user may read; None when they may read none."""
	try:
		condition = query.permission_condition(doctype, frappe.session.user)
	except frappe.PermissionError:
		return None
	return q.where(condition) if condition is not None else q


def order_filters(q, order, filters: dict):
	if filters.get("company"):
		q = q.where(order.company == filters["company"])
	if filters.get("service_point"):
		q = q.where(order.service_point == filters["service_point"])
	return q


@frappe.whitelist()
@frappe.read_only()
def work_orders_by_status(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
) -> dict:
	"""Work orders received per day (or week, month) stacked by their status now."""
	settings = chart_settings(chart_name)
	filters = parse(filters)
	period = INTERVALS.get(time_interval or settings.time_interval or "Daily", kpi.DAY)
	start, end = date_range(filters, timespan or settings.timespan or "Last Month", from_date, to_date)
	order = frappe.qb.DocType(ORDER)
	bucket = query.period_term(order.received_on, period)
	q = (
		frappe.qb.from_(order)
		.select(bucket.as_("bucket"), order.status, Count("*").as_("orders"))
		.where(order.received_on >= start)
		.where(order.received_on < add_days(end, 1))
		.groupby(LiteralValue("`bucket`"), order.status)
	)
	q = visible(order_filters(q, order, filters), ORDER)
	rows = q.run(as_dict=True) if q is not None else []
	starts = kpi.periods_between(start, end, period)
	counts = {(getdate(r.bucket), r.status): r.orders for r in rows}
	statuses = [s for s in flow.STATES if any(status == s for _b, status in counts)]
	return {
		"labels": [kpi.period_label(s, period) for s in starts],
		"datasets": [
			{"name": _(status), "values": [counts.get((s, status), 0) for s in starts]} for status in statuses
		],
	}


def grouped(doctype: str, field: str, date_field: str, filters: dict, start, end, extra=None, top=None):
	table = frappe.qb.DocType(doctype)
	q = (
		frappe.qb.from_(table)
		.select(table[field].as_("label"), Count("*").as_("count"))
		.where(table[date_field] >= start)
		.where(table[date_field] < add_days(end, 1))
		.where(table[field].notnull())
		.groupby(table[field])
		.orderby(Count("*"), order=frappe.qb.desc)
	)
	if top:
		q = q.limit(top)
	if extra:
		q = extra(q, table)
	q = visible(q, doctype)
	return q.run(as_dict=True) if q is not None else []


def dataset(rows, name: str, translate: bool = True) -> dict:
	return {
		"labels": [_(r.label) if translate else r.label for r in rows],
		"datasets": [{"name": name, "values": [r.count for r in rows]}],
	}


@frappe.whitelist()
@frappe.read_only()
def top_fault_codes(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
) -> dict:
	"""The ten fault codes of the most work orders received in the period (default: 90 days)."""
	filters = parse(filters)
	start, end = date_range(filters, None, from_date, to_date)
	rows = grouped(
		ORDER,
		"fault_code",
		"received_on",
		filters,
		start,
		end,
		extra=lambda q, order: order_filters(q, order, filters),
		top=TOP,
	)
	return dataset(rows, _("Service Work Orders"), translate=False)


@frappe.whitelist()
@frappe.read_only()
def returns_by_ground(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
) -> dict:
	"""Return requests made in the period (not drafts, rejected or cancelled) by ground."""
	from aftersales.domain import return_flow

	filters = parse(filters)
	start, end = date_range(filters, None, from_date, to_date)

	def extra(q, request):
		q = q.where(request.status.notin((return_flow.DRAFT, return_flow.REJECTED, return_flow.CANCELLED)))
		return q.where(request.company == filters["company"]) if filters.get("company") else q

	rows = grouped("Return Request", "ground", "request_date", filters, start, end, extra=extra)
	return dataset(rows, _("Return Requests"))


@frappe.whitelist()
@frappe.read_only()
def complaints_by_category(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
) -> dict:
	"""Complaints received in the period by category, as the user may read them (the complaints'
	own rules). With `company`: complaints about work orders of that company only."""
	filters = parse(filters)
	start, end = date_range(filters, None, from_date, to_date)

	def extra(q, complaint):
		if not filters.get("company"):
			return q
		order = frappe.qb.DocType(ORDER)
		return (
			q.join(order)
			.on(order.name == complaint.service_work_order)
			.where(order.company == filters["company"])
		)

	rows = grouped("Customer Complaint", "category", "received_at", filters, start, end, extra=extra)
	return dataset(rows, _("Complaints"))
