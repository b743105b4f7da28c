# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Follow-up Call List (FV-2): the follow-ups the desk calls today (and those overdue), with the
customer's phone and contact preferences; *Record Outcome* on each row submits the answers
(aftersales.service.follow_ups.record_outcome). Rows are read with the user's own permissions."""

import frappe
from frappe import _
from frappe.utils import cint, date_diff, getdate, nowdate

FIELDS = [
	"name",
	"scheduled_date",
	"customer",
	"customer_name",
	"phone",
	"channel",
	"follow_up_plan",
	"service_work_order",
	"reference_doctype",
	"reference_name",
	"service_point",
]


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	return columns(), data(filters)


def columns() -> list[dict]:
	return [
		{
			"fieldname": "name",
			"label": _("Follow-up"),
			"fieldtype": "Link",
			"options": "Service Follow-up",
			"width": 150,
		},
		{"fieldname": "scheduled_date", "label": _("Due Date"), "fieldtype": "Date", "width": 100},
		{"fieldname": "days_overdue", "label": _("Days Overdue"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 140,
		},
		{"fieldname": "customer_name", "label": _("Customer Name"), "fieldtype": "Data", "width": 150},
		{"fieldname": "phone", "label": _("Phone"), "fieldtype": "Data", "width": 130},
		{"fieldname": "channel", "label": _("Channel"), "fieldtype": "Select", "width": 90},
		{
			"fieldname": "contact_channel",
			"label": _("Preferred Contact Channel"),
			"fieldtype": "Data",
			"width": 110,
		},
		{
			"fieldname": "preferred_time",
			"label": _("Preferred Contact Time"),
			"fieldtype": "Data",
			"width": 110,
		},
		{
			"fieldname": "follow_up_plan",
			"label": _("Follow-up Plan"),
			"fieldtype": "Link",
			"options": "Follow-up Plan",
			"width": 150,
		},
		{"fieldname": "about", "label": _("About"), "fieldtype": "Data", "width": 160},
		{"fieldname": "action", "label": _("Action"), "fieldtype": "Data", "width": 130},
	]


def data(filters) -> list[dict]:
	day = getdate(filters.get("date") or nowdate())
	conditions = {"docstatus": 0}
	conditions["scheduled_date"] = ["<=", day] if cint(filters.get("include_overdue", 1)) else day
	for field in ("channel", "follow_up_plan", "service_point"):
		if filters.get(field):
			conditions[field] = filters.get(field)
	rows = frappe.get_list(
		"Service Follow-up",
		filters=conditions,
		fields=FIELDS,
		order_by="scheduled_date asc, name asc",
		limit_page_length=500,
	)
	customers = {
		c.name: c
		for c in frappe.get_all(
			"Customer",
			{"name": ["in", list({r.customer for r in rows if r.customer}) or [""]]},
			["name", "mobile_no", "aftersales_contact_channel", "aftersales_preferred_time"],
		)
	}
	for row in rows:
		customer = customers.get(row.customer) or frappe._dict()
		row.phone = row.phone or customer.mobile_no
		row.days_overdue = max(date_diff(day, row.scheduled_date), 0)
		row.channel = _(row.channel) if row.channel else None
		row.contact_channel = (
			_(customer.aftersales_contact_channel) if customer.aftersales_contact_channel else None
		)
		row.preferred_time = (
			_(customer.aftersales_preferred_time) if customer.aftersales_preferred_time else None
		)
		row.about = row.service_work_order or row.reference_name or row.follow_up_plan
		row.action = row.name
	return rows
