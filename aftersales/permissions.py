"""Shared pieces of the app's record-level permissions (hooks permission_query_conditions and
has_permission): they hold in the desk, list views, reports and the REST API alike."""

import frappe


def customers_of(user: str) -> list[str]:
	"""Customers whose portal users include `user` (ERPNext's Portal User table)."""
	portal_user = frappe.qb.DocType("Portal User")
	return (
		frappe.qb.from_(portal_user)
		.select(portal_user.parent)
		.where(portal_user.user == user)
		.where(portal_user.parenttype == "Customer")
	).run(pluck=True)


def sql_list(values: list[str]) -> str:
	return ", ".join(frappe.db.escape(v) for v in values) or "''"


def customer_condition(table: str, user: str) -> str:
	return f"{table}.customer in ({sql_list(customers_of(user))})"


def customer_may(doc, ptype: str, user: str, allowed: tuple[str, ...] = ("read",)) -> bool:
	"""A portal customer may do `allowed` on the records of the customers they belong to."""
	return ptype in allowed and doc.customer in customers_of(user)
