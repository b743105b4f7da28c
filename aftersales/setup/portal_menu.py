"""The portal's menu items (hooks.standard_portal_menu_items) are copied by Frappe into Portal
Settings on install and migrate; Frappe drops an item on uninstall only when its DocType is gone, and
the Help Center's (Help Article) stays. Uninstall removes them all (install.before_uninstall)."""

import frappe

ROUTES = (
	"/service-orders",
	"/request-service",
	"/scope-change",
	"/returns",
	"/complaints",
	"/survey",
	"/help-center",
	"/track-order",
)


def portal_menu_leftovers() -> list[str]:
	return frappe.get_all(
		"Portal Menu Item", {"parent": "Portal Settings", "route": ["in", ROUTES]}, pluck="route"
	)


def remove_portal_menu() -> None:
	settings = frappe.get_single("Portal Settings")
	kept = [row for row in settings.menu if row.route not in ROUTES]
	if len(kept) != len(settings.menu):
		settings.menu = kept
		settings.flags.ignore_permissions = True
		settings.save()
	frappe.cache.delete_key("portal_menu_items")
