"""Who sees which complaints: the service desk and managers all of them; other staff the
complaints they own or are assigned to; customers (portal users) their own, read-only.

Corrective actions follow their source: a corrective action raised from a complaint, an order or a
follow-up is read by those who may read that source, by its owner and by those it is assigned to;
the quality roles that verify them and the managers read all of them."""

import frappe

from aftersales.domain.privacy import assigned_like_pattern, is_assigned
from aftersales.permissions import customer_condition, customer_may
from aftersales.privacy import readable_names_query
from aftersales.roles import AFTER_SALES_MANAGER, QUALITY_INSPECTOR, ROLES, SERVICE_DESK_AGENT

ALL = {"System Manager", AFTER_SALES_MANAGER, SERVICE_DESK_AGENT}
STAFF = set(ROLES)
# who verifies or manages corrective actions reads all of them
ALL_ACTIONS = ALL | {QUALITY_INSPECTOR}
ACTION_SOURCES = ("Customer Complaint", "Service Work Order", "Service Follow-up")


def scope(user: str) -> str:
	roles = set(frappe.get_roles(user))
	if user == "Administrator" or roles & ALL:
		return "all"
	if roles & STAFF:
		return "own"
	if "Customer" in roles:
		return "customer"
	return "none"


def assigned_condition(table: str, user: str) -> str:
	"""`_assign` (a JSON list of user ids) holds exactly `user`: techx@ is not atechx@."""
	return f"{table}._assign like {frappe.db.escape(assigned_like_pattern(user))}"


def query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	table = "`tabCustomer Complaint`"
	kind = scope(user)
	if kind == "all":
		return ""
	if kind == "own":
		return f"({table}.owner_user = {frappe.db.escape(user)} or {assigned_condition(table, user)})"
	if kind == "customer":
		return customer_condition(table, user)
	return "1=0"


def has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	user = user or frappe.session.user
	kind = scope(user)
	if kind == "all":
		return True
	if kind == "own":
		return doc.owner_user == user or is_assigned(doc.get("_assign"), user)
	if kind == "customer":
		return customer_may(doc, ptype, user)
	return False


# ----------------------------------------------------------------------------- corrective actions


def action_scope(user: str) -> str:
	if user == "Administrator" or set(frappe.get_roles(user)) & ALL_ACTIONS:
		return "all"
	return "own"


def corrective_action_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if action_scope(user) == "all":
		return ""
	table = "`tabCorrective Action`"
	who = frappe.db.escape(user)
	allowed = [f"{table}.owner_user = {who}", f"{table}.owner = {who}", assigned_condition(table, user)]
	for source in ACTION_SOURCES:
		names = readable_names_query(source, user)
		if names is not None:
			allowed.append(
				f"({table}.source_doctype = {frappe.db.escape(source)} and {table}.source_name in ({names}))"
			)
	return f"({' or '.join(allowed)})"


def corrective_action_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	user = user or frappe.session.user
	if action_scope(user) == "all":
		return True
	if user in (doc.owner_user, doc.owner) or is_assigned(doc.get("_assign"), user):
		return True
	if doc.source_doctype in ACTION_SOURCES and doc.source_name:
		try:
			return frappe.has_permission(doc.source_doctype, "read", doc.source_name, user=user)
		except frappe.DoesNotExistError:
			frappe.clear_last_message()
	return False
