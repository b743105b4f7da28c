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

TARGET = 100


def execute(filters=None):
	"""A fixed number of queries whatever the number of service points, technicians and orders
	(issue 15): the points, their technicians, the certifications, the (point, product) pairs of
	the orders along an index, the products' item groups and the item group tree, each read once."""
	filters = frappe._dict(filters or {})
	on_date = getdate(filters.on_date or nowdate())
	names = [point.name for point in points(filters)]
	team = technicians_of(names)
	certified = valid_certifications(sorted({t.employee for ts in team.values() for t in ts}), on_date)
	groups_of = (
		{name: [filters.item_group] for name in names} if filters.item_group else item_groups_of(names, team)
	)
	covering_of = ancestors_and_self_of({group for groups in groups_of.values() for group in groups})
	rows = []
	for point in names:
		technicians = team.get(point, [])
		for group in groups_of[point]:
			covering = covering_of[group]
			holders = [t for t in technicians if certified.get(t.employee, set()) & covering]
			missing = [t.employee_name or t.employee for t in technicians if t not in holders]
			rows.append(
				{
					"service_point": point,
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


def technicians_of(points: list[str]) -> dict[str, list]:
	"""{point: its active technicians in the order of its member table}."""
	if not points:
		return {}
	member = frappe.qb.DocType("Service Point Member")
	employee = frappe.qb.DocType("Employee")
	team: dict[str, list] = {}
	for row in (
		frappe.qb.from_(member)
		.join(employee)
		.on(employee.name == member.employee)
		.select(member.parent, member.employee, employee.employee_name)
		.where(member.parent.isin(points))
		.where(member.parenttype == "Service Point")
		.where(member.post == "Technician")
		.where(employee.status == "Active")
		.orderby(member.parent)
		.orderby(member.idx)
	).run(as_dict=True):
		team.setdefault(row.pop("parent"), []).append(row)
	return team


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


def item_groups_of(points: list[str], team: dict[str, list]) -> dict[str, list[str]]:
	"""{point: the item groups of the products on its orders and of its technicians'
	certifications (valid or not: an expired one leaves a gap to show)}, sorted.

	The (service point, product) pairs are read from the index `coverage_point_item` alone (a loose
	index scan: one step per pair, not per order), then joined to the products' item groups."""
	if not points:
		return {}
	order = frappe.qb.DocType("Service Work Order")
	item = frappe.qb.DocType("Item")
	pairs = (
		frappe.qb.from_(order)
		.select(order.service_point, order.item_code)
		.distinct()
		.where(order.service_point.isin(points))
		.where(order.item_code.notnull())
	).as_("pairs")
	groups: dict[str, set] = {point: set() for point in points}
	for point, item_group in (
		frappe.qb.from_(pairs)
		.join(item)
		.on(item.name == pairs.item_code)
		.select(pairs.service_point, item.item_group)
		.distinct()
	).run():
		groups[point].add(item_group)
	employees = sorted({t.employee for ts in team.values() for t in ts})
	if employees:
		certified: dict[str, set] = {}
		for employee, item_group in frappe.get_all(
			"Technician Certification",
			filters={"employee": ("in", employees), "revoked": 0},
			fields=["employee", "item_group"],
			distinct=True,
			as_list=True,
		):
			certified.setdefault(employee, set()).add(item_group)
		for point in points:
			for technician in team.get(point, []):
				groups[point] |= certified.get(technician.employee, set())
	return {point: sorted(found) for point, found in groups.items()}


def ancestors_and_self_of(groups: set[str]) -> dict[str, set[str]]:
	"""{item group: itself and its parent groups} (certification.ancestors_and_self for each, from
	one read of the item group tree)."""
	tree = frappe.get_all("Item Group", fields=["name", "lft", "rgt"])
	bounds = {g.name: (g.lft, g.rgt) for g in tree}
	found = {}
	for group in groups:
		if group not in bounds:
			found[group] = {group}
			continue
		lft, rgt = bounds[group]
		found[group] = {g.name for g in tree if g.lft <= lft and g.rgt >= rgt}
	return found


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
