# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Settlement Summary (WO-14): what the posted settlements gave each person, by settlement period,
service point and role (engineer or manager), from their statements. An engineer sees only their
own lines; the After-Sales Manager and accounts staff everyone's."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_months, nowdate

from aftersales.settlement.permissions import reads_all


def execute(filters=None):
	filters = frappe._dict(filters or {})
	from_date = filters.from_date or add_months(nowdate(), -12)
	to_date = filters.to_date or nowdate()
	statement = frappe.qb.DocType("Settlement Statement")
	line = frappe.qb.DocType("Settlement Statement Line")
	query = (
		frappe.qb.from_(line)
		.join(statement)
		.on(statement.name == line.parent)
		.select(
			statement.from_date,
			statement.to_date,
			line.service_point,
			statement.employee,
			statement.employee_name,
			line.role,
			Count(line.service_work_order).distinct().as_("orders"),
			Sum(line.base).as_("base"),
			Sum(line.amount).as_("amount"),
		)
		.where(line.parenttype == "Settlement Statement")
		.where(statement.docstatus == 1)
		.where(statement.to_date[from_date:to_date])
		.groupby(
			statement.from_date,
			statement.to_date,
			line.service_point,
			statement.employee,
			statement.employee_name,
			line.role,
		)
		.orderby(statement.to_date)
		.orderby(line.service_point)
		.orderby(statement.employee)
		.orderby(line.role)
	)
	if not reads_all(frappe.session.user):
		query = query.where(statement.user == frappe.session.user)
	for field in ("company", "employee"):
		if filters.get(field):
			query = query.where(statement[field] == filters.get(field))
	if filters.service_point:
		query = query.where(line.service_point == filters.service_point)
	rows = query.run(as_dict=True)
	for row in rows:
		row.role = _(row.role)
	return columns(), rows


def columns():
	return [
		{"label": _("From Date"), "fieldname": "from_date", "fieldtype": "Date", "width": 100},
		{"label": _("To Date"), "fieldname": "to_date", "fieldtype": "Date", "width": 100},
		{
			"label": _("Service Point"),
			"fieldname": "service_point",
			"fieldtype": "Link",
			"options": "Service Point",
			"width": 150,
		},
		{
			"label": _("Employee"),
			"fieldname": "employee",
			"fieldtype": "Link",
			"options": "Employee",
			"width": 130,
		},
		{"label": _("Employee Name"), "fieldname": "employee_name", "fieldtype": "Data", "width": 140},
		{"label": _("As"), "fieldname": "role", "fieldtype": "Data", "width": 90},
		{
			"label": _("Orders", context="Service Settlement"),
			"fieldname": "orders",
			"fieldtype": "Int",
			"width": 80,
		},
		{"label": _("Base"), "fieldname": "base", "fieldtype": "Currency", "width": 120},
		{"label": _("Amount"), "fieldname": "amount", "fieldtype": "Currency", "width": 120},
	]
