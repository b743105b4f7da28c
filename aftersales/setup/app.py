"""The app's own Module Defs and DocTypes as the site knows them."""

import frappe


def app_modules() -> list[str]:
	return frappe.get_all("Module Def", filters={"app_name": "aftersales"}, pluck="name")


def app_doctypes() -> list[str]:
	return frappe.get_all("DocType", filters={"module": ["in", app_modules() or [""]]}, pluck="name")
