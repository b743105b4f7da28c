"""The app's roles are made on install and removed on uninstall unless something outside the app
uses them."""

import frappe

from aftersales.roles import ROLES
from aftersales.setup.app import app_modules


def create_roles() -> None:
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)


def delete_roles(app_doctypes: list[str]) -> list[str]:
	"""Delete the app's roles that nothing outside `app_doctypes` grants permissions to.
	Returns the roles kept."""
	kept = []
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			continue
		if role_used_outside(role, app_doctypes):
			kept.append(role)
			continue
		frappe.db.delete("Has Role", {"role": role})
		frappe.db.delete("Custom DocPerm", {"role": role})
		frappe.delete_doc("Role", role, ignore_permissions=True, force=True)
	return kept


def role_used_outside(role: str, app_doctypes: list[str]) -> bool:
	for permission_doctype in ("DocPerm", "Custom DocPerm"):
		if frappe.get_all(
			permission_doctype,
			filters={"role": role, "parent": ["not in", app_doctypes or [""]]},
			limit=1,
		):
			return True
	# Reports and Pages of other apps that name the role (the app's own go with its modules)
	for parenttype in ("Page", "Report"):
		own = frappe.get_all(parenttype, {"module": ["in", app_modules()]}, pluck="name")
		if frappe.get_all(
			"Has Role",
			filters={"role": role, "parenttype": parenttype, "parent": ["not in", own or [""]]},
			limit=1,
		):
			return True
	return False
