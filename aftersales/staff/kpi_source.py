"""The appraisal's one door to the KPI module (aftersales/kpi/): the values an appraisal scores,
each with the counts behind it and where the records behind it are listed.

Most indicators are the KPI module's own (`APPRAISAL_INDICATORS[...].kpi` names them): they are
computed by `aftersales.kpi.query.compute` for the employee (the KPI module's technician dimension)
or for their service point, over the whole site (the appraisal is the system's computation, not the
reader's view). A few are per-person work the KPI module does not group by, counted here with
frappe.qb from the records themselves: parts sales of the jobs an employee delivered, follow-ups
made, quality checks made and parts issues made. The customers' score of the 360 input (attitude
at the follow-up visits) is counted here too.

Nothing is typed: a value either comes from the records or is "no data" (None), which leaves the
row out of the score.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import frappe
from frappe.query_builder.functions import Avg, Count, Sum
from frappe.utils import add_days, flt, getdate

from aftersales.domain import appraisal as rules

ORDER = "Service Work Order"
FOLLOW_UP = "Service Follow-up"


@dataclass(frozen=True)
class Measure:
	value: float | None
	numerator: float | None = None
	denominator: float | None = None
	records: str = ""  # a desk route listing the records behind the value


@dataclass(frozen=True)
class Subject:
	"""Whose work is measured: an employee (their user for per-person counts) or a service point."""

	employee: str
	user: str | None
	company: str | None
	service_point: str | None
	start: date
	end: date

	def dimension(self, scope: str) -> tuple[str, str] | None:
		if scope == rules.SERVICE_POINT:
			return ("service_point", self.service_point) if self.service_point else None
		if scope == rules.COMPANY:
			return ("company", self.company) if self.company else None
		return ("technician", self.employee)


def route(doctype: str, filters: dict) -> str:
	query = urlencode({k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in filters.items()})
	return f"/app/{frappe.scrub(doctype).replace('_', '-')}?{query}"


def between(start: date, end: date) -> list:
	return ["Between", [str(start), str(end)]]


def indicator_values(
	employee: str,
	period_start,
	period_end,
	indicators: Iterable[tuple[str, str]],
	service_point: str | None = None,
) -> dict[tuple[str, str], Measure]:
	"""{(indicator label, scope): Measure} for the employee (scope Own Work) or their service point
	(scope Service Point) over period_start..period_end (inclusive)."""
	user, company = frappe.db.get_value("Employee", employee, ["user_id", "company"])
	subject = Subject(
		employee,
		user,
		company,
		service_point,
		getdate(period_start),
		getdate(period_end),
	)
	wanted = list(dict.fromkeys(indicators))
	result: dict[tuple[str, str], Measure] = {}
	by_scope: dict[str, list[str]] = {}
	for label, scope in wanted:
		indicator = rules.APPRAISAL_INDICATORS.get(label)
		if indicator is None or subject.dimension(scope) is None:
			# an indicator no longer offered (a template saved before it was renamed): no data
			result[(label, scope)] = Measure(None)
		elif indicator.kpi:
			by_scope.setdefault(scope, []).append(label)
		else:
			result[(label, scope)] = OWN_COUNTS[label](subject, scope)
	for scope, labels in by_scope.items():
		result.update(kpi_module_values(subject, scope, labels))
	return result


# ---------------------------------------------------------------- from the KPI module


def kpi_module_values(subject: Subject, scope: str, labels: list[str]) -> dict[tuple[str, str], Measure]:
	from aftersales.kpi.definitions import COUNT, COUNTERS, INDICATORS, SOURCES, SUM
	from aftersales.kpi.query import compute

	field, value = subject.dimension(scope)
	keys = [rules.APPRAISAL_INDICATORS[label].kpi for label in labels]
	computed = compute(
		filters={"from_date": subject.start, "to_date": subject.end, field: value},
		indicators=keys,
		user="Administrator",
	).total
	result = {}
	for label, key in zip(labels, keys, strict=True):
		indicator = INDICATORS[key]
		number = computed.get(key)
		if indicator.kind in (COUNT, SUM):
			number = flt(number)  # nothing counted is 0, not "no data"
		source = SOURCES[COUNTERS[indicator.denominator or indicator.numerator].source]
		result[(label, scope)] = Measure(
			value=None if number is None else flt(number, 4),
			numerator=computed.get(indicator.numerator) if indicator.denominator else None,
			denominator=computed.get(indicator.denominator) if indicator.denominator else None,
			records=records_of(source, subject, field, value),
		)
	return result


def records_of(source, subject: Subject, field: str, value: str) -> str:
	"""The desk list of the records a KPI source counted for the subject."""
	if source.doctype == ORDER:
		return route(ORDER, {field: value, source.date_field: between(subject.start, subject.end)})
	if source.doctype == FOLLOW_UP:
		return route(
			FOLLOW_UP,
			{field: value, "docstatus": 1, source.date_field: between(subject.start, subject.end)},
		)
	# complaints (and anything else attributed to an order): the records themselves, by name
	row, order = frappe.qb.DocType(source.doctype), frappe.qb.DocType(ORDER)
	names = (
		frappe.qb.from_(row)
		.join(order)
		.on(order.name == row[source.order_link])
		.select(row.name)
		.where(order[field] == value)
		.where(row[source.date_field] >= subject.start)
		.where(row[source.date_field] < add_days(subject.end, 1))
		.limit(500)
	).run(pluck=True)
	return route(source.doctype, {"name": ["in", names or [""]]})


# ---------------------------------------------------------------- counted here


def _in_period(term, subject: Subject):
	return (term >= subject.start) & (term < add_days(subject.end, 1))


def parts_sales(subject: Subject, scope: str) -> Measure:
	"""Chargeable parts of the jobs delivered in the period (the customer paid for them)."""
	field, value = subject.dimension(scope)
	order = frappe.qb.DocType(ORDER)
	amount = (
		frappe.qb.from_(order)
		.select(Sum(order.parts_amount))
		.where(order[field] == value)
		.where(_in_period(order.delivered_on, subject))
	).run()[0][0]
	return Measure(
		flt(amount),
		records=route(ORDER, {field: value, "delivered_on": between(subject.start, subject.end)}),
	)


def follow_ups_made(subject: Subject, scope: str) -> Measure:
	"""Follow-up visits submitted in the period by the employee (Own Work), or on the orders of the
	point or the company."""
	follow_up, order = frappe.qb.DocType(FOLLOW_UP), frappe.qb.DocType(ORDER)
	query = (
		frappe.qb.from_(follow_up)
		.join(order)
		.on(order.name == follow_up.service_work_order)
		.select(follow_up.name)
		.where(follow_up.docstatus == 1)
		.where(_in_period(follow_up.followed_up_on, subject))
	)
	if scope == rules.OWN_WORK:
		query = query.where(follow_up.followed_up_by == (subject.user or ""))
	else:
		field, value = subject.dimension(scope)
		query = query.where(order[field] == value)
	names = query.run(pluck=True)
	return Measure(flt(len(names)), records=route(FOLLOW_UP, {"name": ["in", names or [""]]}))


def quality_checks_made(subject: Subject, scope: str) -> Measure:
	"""Quality checks decided (passed or failed) in the period: status-log rows leaving Quality
	Check, by the employee (Own Work), or on the orders of the point or the company."""
	log, order = frappe.qb.DocType("Service Work Order Log"), frappe.qb.DocType(ORDER)
	query = (
		frappe.qb.from_(log)
		.join(order)
		.on((order.name == log.parent) & (log.parenttype == ORDER))
		.select(log.parent)
		.where(log.previous_status == "Quality Check")
		.where(_in_period(log.timestamp, subject))
	)
	if scope == rules.OWN_WORK:
		query = query.where(log.user == (subject.user or ""))
	else:
		field, value = subject.dimension(scope)
		query = query.where(order[field] == value)
	orders = query.run(pluck=True)
	return Measure(flt(len(orders)), records=route(ORDER, {"name": ["in", sorted(set(orders)) or [""]]}))


def parts_issues_made(subject: Subject, scope: str) -> Measure:
	"""Material issues for work orders submitted in the period, by the employee (Own Work: the user
	who made them), or for the orders of the point or the company."""
	entry, order = frappe.qb.DocType("Stock Entry"), frappe.qb.DocType(ORDER)
	query = (
		frappe.qb.from_(entry)
		.join(order)
		.on(order.name == entry.aftersales_reference_name)
		.select(entry.name)
		.where(entry.docstatus == 1)
		.where(entry.aftersales_reference_doctype == ORDER)
		.where(entry.stock_entry_type == "Material Issue")
		.where((entry.posting_date >= subject.start) & (entry.posting_date <= subject.end))
	)
	if scope == rules.OWN_WORK:
		query = query.where(entry.owner == (subject.user or ""))
	else:
		field, value = subject.dimension(scope)
		query = query.where(order[field] == value)
	names = query.run(pluck=True)
	return Measure(flt(len(names)), records=route("Stock Entry", {"name": ["in", names or [""]]}))


OWN_COUNTS = {
	"Parts Sales": parts_sales,
	"Follow-ups Made": follow_ups_made,
	"Quality Checks Made": quality_checks_made,
	"Parts Issues Made": parts_issues_made,
}


# ---------------------------------------------------------------- the customers' 360 input


def customer_attitude(
	employee: str, period_start, period_end, service_point: str | None = None
) -> tuple[float | None, int, str]:
	"""(average service attitude on 0..100, follow-ups rated, records route) of the submitted
	follow-up visits in the period on the employee's jobs (or, given a service point, the point's)."""
	follow_up = frappe.qb.DocType(FOLLOW_UP)
	start, end = getdate(period_start), getdate(period_end)
	field, value = ("service_point", service_point) if service_point else ("technician", employee)
	average, count = (
		frappe.qb.from_(follow_up)
		.select(Avg(follow_up.attitude), Count("*"))
		.where(follow_up.docstatus == 1)
		.where(follow_up[field] == value)
		.where(follow_up.attitude > 0)
		.where((follow_up.followed_up_on >= start) & (follow_up.followed_up_on < add_days(end, 1)))
	).run()[0]
	records = route(FOLLOW_UP, {field: value, "docstatus": 1, "followed_up_on": between(start, end)})
	if not count:
		return None, 0, records
	return rules.rating_to_score(flt(average, 6)), int(count), records
