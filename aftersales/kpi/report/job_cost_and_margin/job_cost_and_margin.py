# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Job Cost and Margin (WO-13): parts cost, labour cost, revenue and margin of the jobs delivered in
the period, per order or summed by service point or technician, with totals. These are internal
figures (permlevel 1 of Service Work Order): users who may not read them get no report."""

import frappe
from frappe import _

from aftersales.domain import kpi
from aftersales.kpi import query, reporting

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
	if group_by:
		result = query.compute(filters, group_by=group_by, indicators=[], counters=["jobs", *AMOUNTS])
		rows = reporting.output_rows(result, group_by, None)
		for row in rows:
			for key in ("jobs", *AMOUNTS):
				row[key] = row.pop("n_" + key, None)
		columns = reporting.group_columns(group_by, None) + amount_columns(with_jobs=True)
	else:
		rows = query.list_orders(filters, list(ORDER_FIELDS))
		if rows:
			total = {key: sum(r[key] or 0 for r in rows) for key in AMOUNTS}
			rows.append({"name": _("Total"), "bold": 1, "jobs": len(rows), **total})
		columns = order_columns() + amount_columns(with_jobs=False)
	for row in rows:
		row["margin_rate"] = kpi.ratio(row.get("margin"), row.get("revenue"))
	return reporting.with_precision(columns), rows, None, chart(rows, group_by)


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
