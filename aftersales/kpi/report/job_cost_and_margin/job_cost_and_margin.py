# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Job Cost and Margin (WO-13): parts cost, labour cost, revenue and margin of the jobs delivered in
the period, per order or summed by service point or technician, with totals. These are internal
figures (permlevel 1 of Service Work Order): users who may not read them get no report."""

import frappe
from frappe import _
from frappe.utils import cint

from aftersales.domain import kpi
from aftersales.kpi import query, reporting

# the jobs listed one by one unless the user asks for more (filter Show at Most)
LIMIT = 1000
AMOUNTS = ("parts_cost", "labour_cost", "total_cost", "revenue", "margin")
ORDER_FIELDS = (
	"name",
	"delivered_on",
	"company",
	"service_point",
	"technician",
	"technician_name",
	"customer",
	"customer_name",
	"item_code",
	"warranty_status",
	*AMOUNTS,
)


class InternalFiguresError(frappe.PermissionError):
	pass


def execute(filters=None):
	if not query.may_read_internal(frappe.session.user):
		frappe.throw(
			_("Job costs and margins are internal figures you may not read."),
			exc=InternalFiguresError,
			title=_("Not Permitted"),
		)
	filters = reporting.report_filters(filters)
	group_by = filters.group_by if filters.group_by in ("service_point", "technician") else None
	message = None
	if group_by:
		result = query.compute(filters, group_by=group_by, indicators=[], counters=["jobs", *AMOUNTS])
		rows = reporting.output_rows(result, group_by, None)
		for row in rows:
			for key in ("jobs", *AMOUNTS):
				row[key] = row.pop("n_" + key, None)
		columns = reporting.group_columns(group_by, None) + amount_columns(with_jobs=True)
	else:
		limit = row_limit(filters)
		rows = query.list_orders(filters, list(ORDER_FIELDS), limit=limit + 1 if limit else None)
		if limit and len(rows) > limit:
			# more jobs than listed: the total row is of all of them, summed by the database
			rows = rows[:limit]
			result = query.compute(filters, indicators=[], counters=["jobs", *AMOUNTS])
			total = {key: result.total.get(key) for key in AMOUNTS} | {"jobs": cint(result.total.get("jobs"))}
			message = _(
				"The first {0} of {1} jobs delivered in the period are listed, by delivery date; the "
				"total row is of all {1}. Group by service point or technician, narrow the dates or raise "
				"Show at Most to see the others."
			).format(limit, total["jobs"])
		else:
			total = {"jobs": len(rows), **{key: sum(r[key] or 0 for r in rows) for key in AMOUNTS}}
		if rows:
			rows.append({"name": _("Total"), "bold": 1, **total})
		columns = order_columns() + amount_columns(with_jobs=False)
	for row in rows:
		row["margin_rate"] = kpi.ratio(row.get("margin"), row.get("revenue"))
	return reporting.with_precision(columns), rows, message, chart(rows, group_by)


def row_limit(filters) -> int:
	"""The jobs listed one by one at most (Show at Most; 0: all). A year of a national chain is
	300,000 jobs: more than a desk grid can show, so by default the first LIMIT with the total of all."""
	value = filters.get("limit")
	return LIMIT if value in (None, "") else max(cint(value), 0)


def order_columns():
	return [
		{
			"label": _("Service Work Order"),
			"fieldname": "name",
			"fieldtype": "Link",
			"options": "Service Work Order",
			"width": 150,
		},
		{"label": _("Delivered On"), "fieldname": "delivered_on", "fieldtype": "Datetime", "width": 150},
		{
			"label": _("Service Point"),
			"fieldname": "service_point",
			"fieldtype": "Link",
			"options": "Service Point",
			"width": 140,
		},
		{"label": _("Technician"), "fieldname": "technician_name", "fieldtype": "Data", "width": 120},
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 140,
		},
		{
			"label": _("Product"),
			"fieldname": "item_code",
			"fieldtype": "Link",
			"options": "Item",
			"width": 120,
		},
		{"label": _("Warranty Status"), "fieldname": "warranty_status", "fieldtype": "Select", "width": 110},
	]


def amount_columns(with_jobs: bool):
	columns = (
		[{"label": _("Jobs Delivered"), "fieldname": "jobs", "fieldtype": "Int", "width": 100}]
		if with_jobs
		else []
	)
	labels = {
		"parts_cost": _("Parts Cost"),
		"labour_cost": _("Labour Cost"),
		"total_cost": _("Total Cost"),
		"revenue": _("Revenue"),
		"margin": _("Margin"),
	}
	columns += [{"label": labels[k], "fieldname": k, "fieldtype": "Currency", "width": 120} for k in AMOUNTS]
	columns.append(
		{"label": _("Margin") + " (%)", "fieldname": "margin_rate", "fieldtype": "Percent", "width": 100}
	)
	return columns


def chart(rows, group_by):
	data_rows = [r for r in rows if not r.get("bold")]
	if not data_rows:
		return None
	if group_by:
		labels = [str(r.get("group_name") or r.get("group_value")) for r in data_rows]
	else:
		labels = [r["name"] for r in data_rows]
	return reporting.bar_chart(
		labels,
		[
			{
				"name": _("Total Cost"),
				"values": reporting.none_as_zero(r.get("total_cost") for r in data_rows),
			},
			{"name": _("Revenue"), "values": reporting.none_as_zero(r.get("revenue") for r in data_rows)},
			{"name": _("Margin"), "values": reporting.none_as_zero(r.get("margin") for r in data_rows)},
		],
		"Currency",
	)
