"""Who sees which complaints: the service desk and managers all of them; other staff the
complaints they own or are assigned to; customers (portal users) their own, read-only."""

import frappe

from aftersales.permissions import customer_condition, customer_may
from aftersales.roles import AFTER_SALES_MANAGER, ROLES, SERVICE_DESK_AGENT

ALL = {"System Manager", AFTER_SALES_MANAGER, SERVICE_DESK_AGENT}
STAFF = set(ROLES)


def scope(user: str) -> str:
	roles = set(frappe.get_roles(user))
	if user == "Administrator" or roles & ALL:
		return "all"
	if roles & STAFF:
		return "own"
	if "Customer" in roles:
		return "customer"
	return "none"


def query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	table = "`tabCustomer Complaint`"
	kind = scope(user)
	if kind == "all":
		return ""
	if kind == "own":
		return (
			f"({table}.owner_user = {frappe.db.escape(user)}"
			f" or {table}._assign like {frappe.db.escape('%' + user + '%')})"
		)
	if kind == "customer":
		return customer_condition(table, user)
	return "1=0"


def has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	user = user or frappe.session.user
	kind = scope(user)
	if kind == "all":
		return True
	if kind == "own":
		return doc.owner_user == user or user in frappe.parse_json(doc.get("_assign") or "[]")
	if kind == "customer":
		return customer_may(doc, ptype, user)
	return False
