"""Record rules of the Service Follow-up (hooks permission_query_conditions and has_permission): the
satisfaction survey is shown in the portal, so the follow-up gets the same customer rule as the
orders, complaints and returns. The Customer role has no DocPerm on it (the portal's survey submits
through aftersales.portal.survey), so these rules are a second wall: should a site grant the role
read access, a customer still reaches only the follow-ups of their own orders."""

import frappe

from aftersales.permissions import customer_condition, customer_may
from aftersales.roles import ROLES

STAFF = {*ROLES, "System Manager"}


def is_customer_only(user: str) -> bool:
	roles = set(frappe.get_roles(user))
	return user != "Administrator" and not roles & STAFF and "Customer" in roles


def follow_up_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	return customer_condition("`tabService Follow-up`", user) if is_customer_only(user) else ""


def follow_up_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_customer_only(user):
		return customer_may(doc, ptype, user)
	return True
