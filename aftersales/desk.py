"""Who sees the After-Sales tile on the apps screen (/apps), and so where Frappe sends a user
after login (`frappe.apps.get_default_path` picks the only app a user may open)."""

import frappe

from aftersales.domain.desk_actions import client_map
from aftersales.roles import ROLES

# the warehouse works in the app too (parts issue, stocktakes) with ERPNext's own stock roles
APP_ROLES = {*ROLES, "Stock User", "Stock Manager"}


def has_app_permission() -> bool:
	"""`add_to_apps_screen` has_permission: desk users with one of the app's roles or a stock role
	(Administrator has every role). Never a portal customer (a Website User): Frappe would send them
	to /app/after-sales, a desk page they may not open (403), instead of the portal."""
	user = frappe.session.user
	if user == "Guest" or frappe.get_cached_value("User", user, "user_type") != "System User":
		return False
	return bool(set(frappe.get_roles(user)) & APP_ROLES)


def extend_bootinfo(bootinfo) -> None:
	"""Who may take each action the forms offer as a button (aftersales/domain/desk_actions.py), for
	`aftersales.desk.may` in public/js/desk.js. Desk users only: a portal customer has no desk."""
	if (
		frappe.session.user == "Guest"
		or frappe.get_cached_value("User", frappe.session.user, "user_type") != "System User"
	):
		return
	bootinfo.aftersales_actions = client_map()
	bootinfo.aftersales_field_owners = field_owners()


def field_owners() -> dict[str, list[dict]]:
	"""Fields only some roles may change, in some states (the controllers' FieldRules.role_owned,
	checked by aftersales/integrity.py): the form makes them read-only for everyone else."""
	from aftersales.service.doctype.service_work_order.service_work_order import FIELD_RULES

	return {
		"Service Work Order": [
			{"fields": list(rule.fields), "roles": list(rule.roles), "states": list(rule.states)}
			for rule in FIELD_RULES.role_owned
		]
	}
