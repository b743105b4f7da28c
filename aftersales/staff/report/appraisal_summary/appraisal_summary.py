# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Appraisal Summary (AP-3..AP-6): the scores and grades of the period's appraisals, one row each or
by service point and period, with the distribution of grades as a chart. Read through
`frappe.get_list`, so everyone sees the appraisals they may read (an employee their own, a service
point manager their point's, the After-Sales Manager all)."""

import frappe
from frappe import _

from aftersales.domain import appraisal as rules

APPRAISALS, BY_POINT = "Appraisals", "By Service Point"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	conditions = list_filters(filters)
	if filters.view == BY_POINT:
		columns, rows = by_point(conditions)
	else:
		columns, rows = appraisals(conditions)
	return columns, rows, None, grade_chart(conditions)


def list_filters(filters) -> dict:
	conditions = {"docstatus": 1} if not filters.include_open else {"docstatus": ("<", 2)}
	for key in ("company", "service_point", "post", "period_type"):
		if filters.get(key):
			conditions[key] = filters[key]
	if filters.from_date and filters.to_date:
		conditions["period_start"] = ("between", [filters.from_date, filters.to_date])
	elif filters.from_date:
		conditions["period_start"] = (">=", filters.from_date)
	elif filters.to_date:
		conditions["period_start"] = ("<=", filters.to_date)
	return conditions


def appraisals(conditions):
	rows = frappe.get_list(
		"Service Appraisal",
		filters=conditions,
		fields=[
			"name",
			"service_point",
			"period",
			"employee",
			"employee_name",
			"post",
			"kpi_score",
			"feedback_score",
			"final_score",
			"grade",
			"recommendation",
			"status",
		],
		order_by="period_start desc, service_point asc, final_score desc",
		limit_page_length=0,
	)
	for row in rows:
		row.post = _(row.post)
		row.status = _(row.status)
	columns = [
		{
			"label": _("Appraisal"),
			"fieldname": "name",
			"fieldtype": "Link",
			"options": "Service Appraisal",
			"width": 130,
		},
		{
			"label": _("Service Point"),
			"fieldname": "service_point",
			"fieldtype": "Link",
			"options": "Service Point",
			"width": 140,
		},
		{"label": _("Period Label"), "fieldname": "period", "fieldtype": "Data", "width": 80},
		{
			"label": _("Employee"),
			"fieldname": "employee",
			"fieldtype": "Link",
			"options": "Employee",
			"width": 120,
		},
		{"label": _("Employee Name"), "fieldname": "employee_name", "fieldtype": "Data", "width": 130},
		{
			"label": _("Post", context="Service Point Member"),
			"fieldname": "post",
			"fieldtype": "Data",
			"width": 120,
		},
		{"label": _("KPI Score"), "fieldname": "kpi_score", "fieldtype": "Float", "width": 90},
		{"label": _("360 Score"), "fieldname": "feedback_score", "fieldtype": "Float", "width": 90},
		{"label": _("Final Score"), "fieldname": "final_score", "fieldtype": "Float", "width": 90},
		{"label": _("Grade"), "fieldname": "grade", "fieldtype": "Data", "width": 60},
		{"label": _("Recommendation"), "fieldname": "recommendation", "fieldtype": "Data", "width": 220},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Select", "width": 110},
	]
	return columns, rows


def by_point(conditions):
	rows = frappe.get_list(
		"Service Appraisal",
		filters=conditions,
		fields=[
			"service_point",
			"period",
			"count(name) as appraisals",
			"avg(kpi_score) as kpi_score",
			"avg(feedback_score) as feedback_score",
			"avg(final_score) as final_score",
			"max(final_score) as best_score",
			"min(final_score) as lowest_score",
		],
		group_by="service_point, period",
		order_by="period desc, final_score desc",
		limit_page_length=0,
	)
	grades = frappe.get_list(
		"Service Appraisal",
		filters=conditions,
		fields=["service_point", "period", "grade", "count(name) as count"],
		group_by="service_point, period, grade",
		order_by="grade asc",
		limit_page_length=0,
	)
	spread = {}
	for row in grades:
		spread.setdefault((row.service_point, row.period), []).append(f"{row.grade or '-'}: {row.count}")
	for row in rows:
		row.grades = ", ".join(spread.get((row.service_point, row.period), []))
		for key in ("kpi_score", "feedback_score", "final_score"):
			row[key] = rules.money_round(row[key])
	columns = [
		{
			"label": _("Service Point"),
			"fieldname": "service_point",
			"fieldtype": "Link",
			"options": "Service Point",
			"width": 160,
		},
		{"label": _("Period Label"), "fieldname": "period", "fieldtype": "Data", "width": 80},
		{"label": _("Appraisals"), "fieldname": "appraisals", "fieldtype": "Int", "width": 90},
		{"label": _("Average KPI Score"), "fieldname": "kpi_score", "fieldtype": "Float", "width": 120},
		{"label": _("Average 360 Score"), "fieldname": "feedback_score", "fieldtype": "Float", "width": 120},
		{"label": _("Average Final Score"), "fieldname": "final_score", "fieldtype": "Float", "width": 120},
		{"label": _("Best"), "fieldname": "best_score", "fieldtype": "Float", "width": 80},
		{"label": _("Lowest"), "fieldname": "lowest_score", "fieldtype": "Float", "width": 80},
		{"label": _("Grades"), "fieldname": "grades", "fieldtype": "Data", "width": 180},
	]
	return columns, rows


def grade_chart(conditions) -> dict | None:
	counts = frappe.get_list(
		"Service Appraisal",
		filters=conditions,
		fields=["grade", "count(name) as count"],
		group_by="grade",
		order_by="grade asc",
		limit_page_length=0,
	)
	if not counts:
		return None
	return {
		"data": {
			"labels": [row.grade or _("No Grade") for row in counts],
			"datasets": [{"name": _("Appraisals"), "values": [row.count for row in counts]}],
		},
		"type": "bar",
		"title": _("Grade Distribution"),
	}
