"""The app's roles are made on install and removed on uninstall unless something outside the app
uses them. Each role's users land on the After-Sales workspace: Frappe sends a desk user after
login, and from /app, to the User's *Default Workspace* (frappe/auth.py, router.js), and from the
site's root to the first of their roles' *Home Page* (frappe/website/utils.py get_home_page)."""

import frappe

from aftersales.roles import ROLES
from aftersales.setup.app import app_modules


def create_roles() -> None:
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)


WORKSPACE = "After-Sales"
HOME_PAGE = "/app/after-sales"


def set_home_pages() -> None:
	"""Every after-sales role's home page, unless the site chose another one (idempotent)."""
	for role in ROLES:
		if frappe.db.exists("Role", role) and not frappe.db.get_value("Role", role, "home_page"):
			frappe.db.set_value("Role", role, "home_page", HOME_PAGE)


def set_default_workspaces() -> None:
	"""Users holding an after-sales role and no default workspace of their own get After-Sales."""
	if not frappe.db.exists("Workspace", WORKSPACE):
		return
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	users = (
		frappe.qb.from_(user)
		.join(has_role)
		.on((has_role.parent == user.name) & (has_role.parenttype == "User"))
		.select(user.name)
		.distinct()
		.where(has_role.role.isin(ROLES))
		.where(user.user_type == "System User")
		.where((user.default_workspace.isnull()) | (user.default_workspace == ""))
		.run(pluck=True)
	)
	for name in users:
		frappe.db.set_value("User", name, "default_workspace", WORKSPACE, update_modified=False)


def default_workspace_for_role(doc, method=None) -> None:
	"""User validate: a desk user given an after-sales role lands on After-Sales unless they chose
	a default workspace themselves."""
	if doc.default_workspace or doc.user_type != "System User":
		return
	if {row.role for row in doc.get("roles") or []} & set(ROLES) and frappe.db.exists("Workspace", WORKSPACE):
		doc.default_workspace = WORKSPACE


def clear_home_pages() -> None:
	"""Uninstall: nobody is sent to the workspace that goes with the app."""
	frappe.db.set_value(
		"User", {"default_workspace": WORKSPACE}, "default_workspace", None, update_modified=False
	)
	frappe.db.set_value("Role", {"home_page": HOME_PAGE}, "home_page", None, update_modified=False)


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
