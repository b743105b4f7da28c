"""Return requests: staff with a role on the DocType see all of them; customers (portal users)
only their own, on the API as in the portal."""

import frappe

from aftersales.permissions import customer_condition, customer_may
from aftersales.roles import ROLES

STAFF = {*ROLES, "System Manager", "Stock User", "Stock Manager"}


def is_customer_only(user: str) -> bool:
	roles = set(frappe.get_roles(user))
	return user != "Administrator" and not roles & STAFF and "Customer" in roles


def query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	return customer_condition("`tabReturn Request`", user) if is_customer_only(user) else ""


def has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_customer_only(user):
		return customer_may(doc, ptype, user, allowed=("read", "create"))
	return True
