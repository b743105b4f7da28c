"""Who reads settlement statements (hooks: permission_query_conditions and has_permission): the
After-Sales Manager and accounts staff all of them; an engineer (Service Technician without those
roles) only the statements made out to them, matched on the statement's user. Service Settlements
and claim batches themselves are read by the manager and accounts roles only (role permissions)."""

import frappe

from aftersales.roles import AFTER_SALES_MANAGER

ALL_STATEMENTS = {AFTER_SALES_MANAGER, "System Manager", "Accounts User", "Accounts Manager"}


def reads_all(user: str) -> bool:
	return user == "Administrator" or bool(set(frappe.get_roles(user)) & ALL_STATEMENTS)


def statement_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if reads_all(user):
		return ""
	return f"(`tabSettlement Statement`.`user` = {frappe.db.escape(user)})"


def statement_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	user = user or frappe.session.user
	return reads_all(user) or (bool(doc.user) and doc.user == user)
