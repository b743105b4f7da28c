"""Who sees which work orders (hooks: permission_query_conditions and has_permission), so the
rules hold in the desk, list views, reports and the REST API alike:

- technicians (without a desk, dispatch or manager role): orders assigned to them or to a
  service point they belong to;
- customers (portal users): orders of the customers they are a portal user of;
- everyone else with a role on the DocType: all orders.
"""

import frappe

from aftersales.permissions import customer_condition, customer_may, sql_list
from aftersales.roles import (
	AFTER_SALES_MANAGER,
	DISPATCHER,
	QUALITY_INSPECTOR,
	SERVICE_DESK_AGENT,
	SERVICE_TECHNICIAN,
)
from aftersales.service.doctype.service_point.service_point import get_service_points_of_user

UNRESTRICTED = {
	"System Manager",
	AFTER_SALES_MANAGER,
	SERVICE_DESK_AGENT,
	DISPATCHER,
	QUALITY_INSPECTOR,
	"Stock User",
	"Stock Manager",
}


def scope(user: str) -> str:
	"""'all', 'technician', 'customer' or 'none'."""
	if user == "Administrator":
		return "all"
	roles = set(frappe.get_roles(user))
	if roles & UNRESTRICTED:
		return "all"
	if SERVICE_TECHNICIAN in roles:
		return "technician"
	if "Customer" in roles:
		return "customer"
	return "none"


def query_conditions(user: str | None = None, doctype: str = "Service Work Order") -> str:
	user = user or frappe.session.user
	kind = scope(user)
	table = f"`tab{doctype}`"
	if kind == "all":
		return ""
	if kind == "technician":
		points = get_service_points_of_user(user)
		condition = f"{table}.technician_user = {frappe.db.escape(user)}"
		if points:
			condition += f" or {table}.service_point in ({sql_list(points)})"
		return f"({condition})"
	if kind == "customer":
		return customer_condition(table, user)
	return "1=0"


def has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	user = user or frappe.session.user
	kind = scope(user)
	if kind == "all":
		return True
	if kind == "technician":
		return doc.technician_user == user or (
			bool(doc.service_point) and doc.service_point in get_service_points_of_user(user)
		)
	if kind == "customer":
		return customer_may(doc, ptype, user)
	return False
