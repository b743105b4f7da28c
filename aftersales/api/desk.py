"""Endpoints the desk forms call while a user fills them in (the server decides again on save)."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count

from aftersales.kpi.definitions import OPEN_STATES
from aftersales.service.work_order.vehicle import is_vehicle_item

TECHNICIAN_POST = "Technician"


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def technician_query(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict
) -> list[tuple]:
	"""The Technician picker of a Service Work Order: the active technicians who are members of the
	order's service point (the server accepts no one else: transitions.validate_technician), by
	name, each with the number of open orders assigned to them. Empty without a service point.

	Rows are (employee id, "name · N open orders"): Frappe shows the first column as the value and
	the second as its description."""
	service_point = (filters or {}).get("service_point")
	if not service_point or not frappe.db.exists("Service Point", service_point):
		return []
	frappe.has_permission("Service Point", "read", service_point, throw=True)
	if not frappe.has_permission("Employee", "select"):
		raise frappe.PermissionError(_("You may not pick employees."))

	member = frappe.qb.DocType("Service Point Member")
	employee = frappe.qb.DocType("Employee")
	query = (
		frappe.qb.from_(member)
		.join(employee)
		.on(employee.name == member.employee)
		.select(employee.name, employee.employee_name)
		.where(member.parent == service_point)
		.where(member.parenttype == "Service Point")
		.where((member.post == TECHNICIAN_POST) | member.post.isnull() | (member.post == ""))
		.where(employee.status == "Active")
		.distinct()
		.orderby(employee.employee_name)
	)
	if (filters or {}).get("company"):
		query = query.where(employee.company == filters["company"])
	if txt:
		like = f"%{txt}%"
		query = query.where(employee.name.like(like) | employee.employee_name.like(like))
	rows = query.limit(page_len).offset(start).run()
	counts = open_orders([name for name, _name in rows])
	return [
		(name, _("{0} · {1} open orders").format(employee_name or name, counts.get(name, 0)))
		for name, employee_name in rows
	]


def open_orders(technicians: list[str]) -> dict[str, int]:
	"""Open (not closed, cancelled or unrepairable) work orders per technician."""
	if not technicians:
		return {}
	order = frappe.qb.DocType("Service Work Order")
	return dict(
		frappe.qb.from_(order)
		.select(order.technician, Count(order.name))
		.where(order.technician.isin(technicians))
		.where(order.status.isin(OPEN_STATES))
		.groupby(order.technician)
		.run()
	)


@frappe.whitelist()
def intake_flags(item_code: str) -> dict:
	"""What the intake form shows for a product: the vehicle reception section or not."""
	frappe.has_permission("Item", "read", item_code, throw=True)
	return {"is_vehicle": int(is_vehicle_item(item_code))}
