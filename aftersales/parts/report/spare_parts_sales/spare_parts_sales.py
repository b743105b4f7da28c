# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Spare Parts Sales (SP-6): the spare parts sold, by part, customer or service point and period,
with quantity, revenue, cost, margin and the trend over the periods.

A part counts once, from the first of these that holds it:
1. a submitted Sales Invoice line (credit notes count negative; an invoice made from a work order
   carries that order's charged parts);
2. a submitted Delivery Note line for the share of it no submitted invoice has billed yet (a line
   made from an invoice is that invoice's, never counted again);
3. a chargeable part issued on a Service Work Order (not cancelled) that has no submitted Sales
   Invoice yet: charged to the customer, not billed yet (dated by its issue: the line's `issued_on`,
   its issue Stock Entry's posting date, indexed, so only the period's lines are read).

Revenue is the line's net amount in the company currency (the work order line's amount); cost is the
quantity at ERPNext's incoming rate of the line (the valuation the stock left at; for a work order,
the valuation rate of its issue). The service point is the work order's, else the one whose
warehouse the goods left from. One query per source whatever the number of rows.
"""

from datetime import date

import frappe
from frappe import _
from frappe.query_builder import CustomFunction
from frappe.query_builder.functions import Coalesce, DateFormat, Min, Sum
from frappe.utils import add_months, flt, get_first_day, getdate
from pypika.terms import ExistsCriterion, ValueWrapper

GROUP_BY = ("Spare Part", "Customer", "Service Point")
PERIODICITY = ("Monthly", "Quarterly", "Yearly")

Year = CustomFunction("YEAR", ["date"])
Quarter = CustomFunction("QUARTER", ["date"])
Concat = CustomFunction("CONCAT", ["a", "b", "c"])


class SalesReportFilterError(frappe.ValidationError):
	pass


def execute(filters=None):
	filters = check_filters(frappe._dict(filters or {}))
	lines = sales_lines(filters)
	periods = period_keys(filters.from_date, filters.to_date, filters.periodicity)
	rows = build_rows(lines, periods, filters.group_by)
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	for row in rows:
		row.currency = currency  # the amounts are in the company currency
	return columns(filters, periods), rows, None, chart(lines, periods)


def check_filters(filters):
	filters.group_by = filters.group_by or "Spare Part"
	filters.periodicity = filters.periodicity or "Monthly"
	if filters.group_by not in GROUP_BY or filters.periodicity not in PERIODICITY:
		frappe.throw(_("Choose a grouping and a period from the list."), exc=SalesReportFilterError)
	if not (filters.company and filters.from_date and filters.to_date):
		frappe.throw(_("Choose the company and the dates."), exc=SalesReportFilterError)
	filters.from_date, filters.to_date = getdate(filters.from_date), getdate(filters.to_date)
	if filters.from_date > filters.to_date:
		frappe.throw(_("From Date must be before To Date."), exc=SalesReportFilterError)
	return filters


# ---------------------------------------------------------------- periods


def period_of(day, periodicity: str):
	"""The SQL expression of a date's period key: 2026-11, 2026-Q4 or 2026."""
	if periodicity == "Monthly":
		return DateFormat(day, "%Y-%m")
	if periodicity == "Quarterly":
		return Concat(Year(day), "-Q", Quarter(day))
	return Year(day)


def period_key(day: date, periodicity: str) -> str:
	if periodicity == "Monthly":
		return f"{day.year}-{day.month:02d}"
	if periodicity == "Quarterly":
		return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
	return str(day.year)


def period_keys(from_date: date, to_date: date, periodicity: str) -> list[str]:
	keys, day = [], getdate(get_first_day(from_date))
	while day <= to_date:
		key = period_key(day, periodicity)
		if key not in keys:
			keys.append(key)
		day = getdate(add_months(day, 1))
	return keys


# ---------------------------------------------------------------- the three sources


def point_by_warehouse():
	"""Each warehouse's service point (the first by name when several share one)."""
	point = frappe.qb.DocType("Service Point")
	return (
		frappe.qb.from_(point)
		.select(point.warehouse, Min(point.name).as_("service_point"))
		.where(Coalesce(point.warehouse, "") != "")
		.groupby(point.warehouse)
	).as_("point_by_warehouse")


def group_key(group_by: str, item_code, customer, service_point):
	return {"Spare Part": item_code, "Customer": customer, "Service Point": service_point}[group_by]


def _aggregate(query, filters, day, item_code, customer, service_point, qty, revenue, cost):
	key = group_key(filters.group_by, item_code, customer, service_point)
	query = query.select(
		key.as_("group_key"),
		period_of(day, filters.periodicity).as_("period"),
		Sum(qty).as_("qty"),
		Sum(revenue).as_("revenue"),
		Sum(cost).as_("cost"),
	).groupby(key, period_of(day, filters.periodicity))
	query = query.where(day[filters.from_date : filters.to_date])
	for value, term in (
		(filters.item_code, item_code),
		(filters.customer, customer),
		(filters.service_point, service_point),
	):
		if value:
			query = query.where(term == value)
	return query.run(as_dict=True)


def invoiced_lines(filters) -> list[dict]:
	si = frappe.qb.DocType("Sales Invoice")
	item = frappe.qb.DocType("Sales Invoice Item")
	part = frappe.qb.DocType("Spare Part")
	order = frappe.qb.DocType("Service Work Order")
	points = point_by_warehouse()
	query = (
		frappe.qb.from_(item)
		.join(si)
		.on(si.name == item.parent)
		.join(part)
		.on(part.item_code == item.item_code)
		.left_join(order)
		.on(order.name == si.service_work_order)
		.left_join(points)
		.on(points.warehouse == item.warehouse)
		.where(si.docstatus == 1)
		.where(si.company == filters.company)
	)
	return _aggregate(
		query,
		filters,
		si.posting_date,
		item.item_code,
		si.customer,
		Coalesce(order.service_point, points.service_point),
		item.stock_qty,
		item.base_net_amount,
		item.incoming_rate * item.stock_qty,
	)


def delivered_unbilled_lines(filters) -> list[dict]:
	dn = frappe.qb.DocType("Delivery Note")
	item = frappe.qb.DocType("Delivery Note Item")
	part = frappe.qb.DocType("Spare Part")
	si = frappe.qb.DocType("Sales Invoice")
	si_item = frappe.qb.DocType("Sales Invoice Item")
	billed = (
		frappe.qb.from_(si_item)
		.join(si)
		.on(si.name == si_item.parent)
		.select(si_item.dn_detail, Sum(si_item.stock_qty).as_("stock_qty"))
		.where(si.docstatus == 1)
		.where(Coalesce(si_item.dn_detail, "") != "")
		.groupby(si_item.dn_detail)
	).as_("billed")
	points = point_by_warehouse()
	# the part of the line no invoice has billed: 1 when none has, 0 when all is billed
	unbilled = (item.stock_qty - Coalesce(billed.stock_qty, 0)) / item.stock_qty
	query = (
		frappe.qb.from_(item)
		.join(dn)
		.on(dn.name == item.parent)
		.join(part)
		.on(part.item_code == item.item_code)
		.left_join(billed)
		.on(billed.dn_detail == item.name)
		.left_join(points)
		.on(points.warehouse == item.warehouse)
		.where(dn.docstatus == 1)
		.where(dn.company == filters.company)
		.where(item.stock_qty != 0)
		.where(Coalesce(item.si_detail, "") == "")
		.where(Coalesce(item.against_sales_invoice, "") == "")
		.where(unbilled > 0)
	)
	return _aggregate(
		query,
		filters,
		dn.posting_date,
		item.item_code,
		dn.customer,
		points.service_point,
		item.stock_qty * unbilled,
		item.base_net_amount * unbilled,
		item.incoming_rate * item.stock_qty * unbilled,
	)


def work_order_lines(filters) -> list[dict]:
	order = frappe.qb.DocType("Service Work Order")
	line = frappe.qb.DocType("Service Work Order Part")
	part = frappe.qb.DocType("Spare Part")
	issue = frappe.qb.DocType("Stock Entry")
	si = frappe.qb.DocType("Sales Invoice")
	invoiced = ExistsCriterion(
		frappe.qb.from_(si)
		.select(ValueWrapper(1))
		.where(si.service_work_order == order.name)
		.where(si.docstatus == 1)
	)
	used = line.issued_qty - Coalesce(line.returned_qty, 0)
	query = (
		frappe.qb.from_(line)
		.join(order)
		.on((order.name == line.parent) & (line.parenttype == "Service Work Order"))
		.join(part)
		.on(part.item_code == line.item_code)
		.join(issue)
		.on(issue.name == line.stock_entry)
		.where(order.company == filters.company)
		.where(order.status != "Cancelled")
		.where(line.chargeable == 1)
		.where(line.status == "Issued")
		.where(issue.docstatus == 1)
		.where(used > 0)
		.where(invoiced.negate())
	)
	return _aggregate(
		query,
		filters,
		line.issued_on,
		line.item_code,
		order.customer,
		order.service_point,
		used,
		used * line.rate,
		used * line.valuation_rate,
	)


def sales_lines(filters) -> list[dict]:
	lines = []
	for source, fetch in (
		("Sales Invoice", invoiced_lines),
		("Delivery Note", delivered_unbilled_lines),
		("Service Work Order", work_order_lines),
	):
		for row in fetch(filters):
			row.source = source
			row.period = str(row.period)
			lines.append(row)
	return lines


# ---------------------------------------------------------------- rows, columns, chart


def period_field(key: str) -> str:
	return "p_" + frappe.scrub(key.replace("-", "_"))


def group_names(group_by: str, keys: list[str]) -> dict[str, str]:
	keys = [k for k in keys if k]
	if not keys:
		return {}
	doctype, field = {
		"Spare Part": ("Spare Part", "item_name"),
		"Customer": ("Customer", "customer_name"),
		"Service Point": ("Service Point", "service_point_name"),
	}[group_by]
	return dict(frappe.get_all(doctype, {"name": ["in", keys]}, ["name", field], as_list=True))


def build_rows(lines: list[dict], periods: list[str], group_by: str) -> list[dict]:
	# each period's column named once (not once per line and period: 450,000 names for 13,000 parts)
	fields = {p: period_field(p) for p in periods}
	rows: dict[str, dict] = {}
	for line in lines:
		key = line.group_key or ""
		row = rows.get(key)
		if row is None:
			row = rows[key] = frappe._dict(
				group_key=line.group_key, qty=0, revenue=0, cost=0, **dict.fromkeys(fields.values(), 0)
			)
		row.qty += flt(line.qty)
		row.revenue += flt(line.revenue)
		row.cost += flt(line.cost)
		if line.period in fields:
			row[fields[line.period]] += flt(line.revenue)
	names = group_names(group_by, list(rows))
	out = []
	for row in sorted(rows.values(), key=lambda r: -r.revenue):
		row.group_name = names.get(row.group_key) or (row.group_key or _("Not Set"))
		row.margin = row.revenue - row.cost
		row.margin_percent = 100 * row.margin / row.revenue if row.revenue else 0
		out.append(row)
	return out


def link_or_text(doctype: str) -> dict:
	"""A Link column for users who may read the DocType; text for the others (Frappe drops the whole
	report for a user who cannot read a Link column's DocType)."""
	if frappe.has_permission(doctype, "read"):
		return {"fieldtype": "Link", "options": doctype}
	return {"fieldtype": "Data"}


def columns(filters, periods: list[str]) -> list[dict]:
	return [
		{
			"label": _(filters.group_by),
			"fieldname": "group_key",
			**link_or_text(filters.group_by),
			"width": 170,
		},
		{"label": _("Name"), "fieldname": "group_name", "fieldtype": "Data", "width": 200},
		{"label": _("Qty Sold"), "fieldname": "qty", "fieldtype": "Float", "width": 90},
		{
			"label": _("Revenue"),
			"fieldname": "revenue",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
		{
			"label": _("Cost"),
			"fieldname": "cost",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
		{
			"label": _("Margin"),
			"fieldname": "margin",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
		{"label": _("Margin %"), "fieldname": "margin_percent", "fieldtype": "Percent", "width": 90},
		*(
			{
				"label": _("Revenue {0}").format(key),
				"fieldname": period_field(key),
				"fieldtype": "Currency",
				"options": "currency",
				"width": 110,
			}
			for key in periods
		),
	]


def chart(lines: list[dict], periods: list[str]) -> dict:
	revenue = dict.fromkeys(periods, 0.0)
	margin = dict.fromkeys(periods, 0.0)
	for line in lines:
		if line.period in revenue:
			revenue[line.period] += flt(line.revenue)
			margin[line.period] += flt(line.revenue) - flt(line.cost)
	return {
		"data": {
			"labels": periods,
			"datasets": [
				{"name": _("Revenue"), "values": [revenue[p] for p in periods]},
				{"name": _("Margin"), "values": [margin[p] for p in periods]},
			],
		},
		"type": "line",
		"fieldtype": "Currency",
	}
