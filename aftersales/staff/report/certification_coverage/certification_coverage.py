# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Certification Coverage (AP-2; seed 003 asks for 100%): per service point and item group, how
many of the point's technicians hold a certification valid on the date for that group (or a parent
group of it), and who does not. The item groups of a point are those of the products on its work
orders and those its technicians hold certifications for (or the one chosen)."""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from aftersales.domain import appraisal as rules
from aftersales.staff.certification import ancestors_and_self

TARGET = 100


def execute(filters=None):
	filters = frappe._dict(filters or {})
	on_date = getdate(filters.on_date or nowdate())
	rows = []
	for point in points(filters):
		technicians = technicians_of(point.name)
		certified = valid_certifications([t.employee for t in technicians], on_date)
		groups = [filters.item_group] if filters.item_group else item_groups_of(point.name, technicians)
		for group in groups:
			covering = set(ancestors_and_self(group))
			holders = [t for t in technicians if certified.get(t.employee, set()) & covering]
			missing = [t.employee_name or t.employee for t in technicians if t not in holders]
			rows.append(
				{
					"service_point": point.name,
					"item_group": group,
					"technicians": len(technicians),
					"certified": len(holders),
					"coverage": rules.money_round(len(holders) * 100 / len(technicians))
					if technicians
					else None,
					"missing": ", ".join(missing),
				}
			)
	return columns(), rows, None, chart(rows)


def points(filters):
	conditions = {"disabled": 0}
	if filters.company:
		conditions["company"] = filters.company
	if filters.service_point:
		conditions["name"] = filters.service_point
	return frappe.get_list("Service Point", filters=conditions, fields=["name"], order_by="name")


def technicians_of(point: str) -> list:
	member = frappe.qb.DocType("Service Point Member")
	employee = frappe.qb.DocType("Employee")
	return (
		frappe.qb.from_(member)
		.join(employee)
		.on(employee.name == member.employee)
		.select(member.employee, employee.employee_name)
		.where(member.parent == point)
		.where(member.parenttype == "Service Point")
		.where(member.post == "Technician")
		.where(employee.status == "Active")
		.orderby(member.idx)
	).run(as_dict=True)


def valid_certifications(employees: list[str], on_date) -> dict[str, set[str]]:
	"""{employee: item groups they hold a valid certification for on the date}."""
	if not employees:
		return {}
	certification = frappe.qb.DocType("Technician Certification")
	held: dict[str, set[str]] = {}
	for employee, item_group in (
		frappe.qb.from_(certification)
		.select(certification.employee, certification.item_group)
		.where(certification.employee.isin(employees))
		.where(certification.revoked == 0)
		.where(certification.valid_from <= on_date)
		.where(certification.valid_until >= on_date)
	).run():
		held.setdefault(employee, set()).add(item_group)
	return held


def item_groups_of(point: str, technicians: list) -> list[str]:
	"""The item groups of the products on the point's orders and of its technicians' certifications
	(valid or not: an expired one leaves a gap to show)."""
	order = frappe.qb.DocType("Service Work Order")
	item = frappe.qb.DocType("Item")
	serviced = (
		frappe.qb.from_(order)
		.join(item)
		.on(item.name == order.item_code)
		.select(item.item_group)
		.distinct()
		.where(order.service_point == point)
	).run(pluck=True)
	certified = frappe.get_all(
		"Technician Certification",
		filters={"employee": ("in", [t.employee for t in technicians] or [""]), "revoked": 0},
		pluck="item_group",
		distinct=True,
	)
	return sorted({*serviced, *certified})


def columns():
	return [
		{
			"label": _("Service Point"),
			"fieldname": "service_point",
			"fieldtype": "Link",
			"options": "Service Point",
			"width": 160,
		},
		{
			"label": _("Item Group"),
			"fieldname": "item_group",
			"fieldtype": "Link",
			"options": "Item Group",
			"width": 150,
		},
		{"label": _("Technicians"), "fieldname": "technicians", "fieldtype": "Int", "width": 100},
		{"label": _("Certified"), "fieldname": "certified", "fieldtype": "Int", "width": 90},
		{"label": _("Coverage (%)"), "fieldname": "coverage", "fieldtype": "Percent", "width": 110},
		{"label": _("Not Certified"), "fieldname": "missing", "fieldtype": "Data", "width": 260},
	]


def chart(rows) -> dict | None:
	if not rows:
		return None
	return {
		"data": {
			"labels": [f"{row['service_point']} · {row['item_group']}" for row in rows],
			"datasets": [
				{"name": _("Coverage (%)"), "values": [row["coverage"] or 0 for row in rows]},
				{"name": _("Target"), "values": [TARGET for _row in rows]},
			],
		},
		"type": "bar",
		"title": _("Certification Coverage"),
	}
