"""Install and uninstall are symmetric: what after_install makes, before_uninstall removes.
DocTypes, Notifications, Reports and Print Formats of the app's modules are removed by Frappe."""

import frappe

from aftersales.setup.custom_fields import delete_custom_fields, make_custom_fields
from aftersales.setup.roles import create_roles, delete_roles
from aftersales.setup.workflows import delete_workflows


def after_install() -> None:
	create_roles()
	make_custom_fields()


def before_uninstall() -> None:
	app_doctypes = get_app_doctypes()
	delete_workflows(app_doctypes)
	delete_custom_fields()
	delete_roles(app_doctypes)


def get_app_doctypes() -> list[str]:
	modules = frappe.get_all("Module Def", filters={"app_name": "aftersales"}, pluck="name")
	return frappe.get_all("DocType", filters={"module": ["in", modules or [""]]}, pluck="name")
