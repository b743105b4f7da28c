"""What an uninstall must not leave behind. The test command runs this after
`bench uninstall-app aftersales` on its test site, from the bench's sites folder (`bench execute`
refuses methods of apps that are not installed):

	../env/bin/python -m aftersales.setup.leftovers SITE
"""

import json
from pathlib import Path

import frappe

from aftersales.roles import ROLES
from aftersales.setup.custom_fields import CUSTOM_FIELDS
from aftersales.setup.portal_menu import portal_menu_leftovers
from aftersales.setup.roles import HOME_PAGE, WORKSPACE
from aftersales.setup.workflows import CREATED_KEY, FRAMEWORK, MASTER_DOCTYPES, app_master_names, is_used

APP_DIR = Path(__file__).resolve().parent.parent


def app_doctype_names() -> list[str]:
	"""DocType names from the app's files (the database forgets them on uninstall)."""
	names = []
	for path in sorted(APP_DIR.glob("*/doctype/*/*.json")):
		if path.stem == path.parent.name:
			names.append(json.loads(path.read_text())["name"])
	return names


def find_leftovers() -> list[str]:
	leftovers = [f"Role: {role}" for role in ROLES if frappe.db.exists("Role", role)]
	for doctype, fields in CUSTOM_FIELDS.items():
		for df in fields:
			if frappe.db.exists("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]}):
				leftovers.append(f"Custom Field: {doctype}.{df['fieldname']}")
	doctypes = app_doctype_names()
	leftovers += [
		f"Custom DocPerm: {row.parent} for {row.role}"
		for row in frappe.get_all("Custom DocPerm", {"role": ["in", ROLES]}, ["parent", "role"])
	]
	leftovers += [
		f"Custom Field: {row.dt}.{row.fieldname}"
		for row in frappe.get_all("Custom Field", {"dt": ["in", doctypes]}, ["dt", "fieldname"])
	]
	leftovers += [
		f"Service Level Agreement: {name}"
		for name in frappe.get_all(
			"Service Level Agreement", {"document_type": ["in", doctypes]}, pluck="name"
		)
	]
	for doctype in doctypes:
		if frappe.db.exists("DocType", doctype):
			leftovers.append(f"DocType: {doctype}")
		if frappe.db.table_exists(doctype):
			leftovers.append(f"Table: tab{doctype}")
	leftovers += [
		f"Workflow: {name}"
		for name in frappe.get_all("Workflow", filters={"document_type": ["in", doctypes]}, pluck="name")
	]
	leftovers += unused_workflow_masters()
	if frappe.db.exists("DefaultValue", {"parent": "__global", "defkey": CREATED_KEY}):
		leftovers.append(f"DefaultValue: {CREATED_KEY}")
	leftovers += [
		f"Module Def: {name}"
		for name in frappe.get_all("Module Def", {"app_name": "aftersales"}, pluck="name")
	]
	leftovers += [
		f"Notification: {name}"
		for name in frappe.get_all("Notification", {"document_type": ["in", doctypes]}, pluck="name")
	]
	leftovers += [f"Portal Menu Item: {route}" for route in portal_menu_leftovers()]
	# supplier evaluation (aftersales/parts/supplier_scoring.py): variables that call into the app
	leftovers += [
		f"Supplier Scorecard Variable: {name}"
		for name in frappe.get_all(
			"Supplier Scorecard Variable", {"path": ["like", "aftersales.%"]}, pluck="name"
		)
	]
	leftovers += [
		f"User default workspace: {name}"
		for name in frappe.get_all("User", {"default_workspace": WORKSPACE}, pluck="name")
	]
	leftovers += [
		f"Role home page: {name}" for name in frappe.get_all("Role", {"home_page": HOME_PAGE}, pluck="name")
	]
	return leftovers


def unused_workflow_masters() -> list[str]:
	"""States and actions of the app's workflows that exist and no workflow uses. Frappe's own
	("Approved", "Approve", ...) are the site's, whoever uses them. A state of the same name that
	the site made before the app came, and never used, would show here too: the app cannot tell it
	from one of its own once uninstall has forgotten what it created."""
	return [
		f"{doctype}: {name}"
		for doctype in MASTER_DOCTYPES
		for name in app_master_names(doctype)
		if name not in FRAMEWORK[doctype] and frappe.db.exists(doctype, name) and not is_used(doctype, name)
	]


def check_uninstalled() -> None:
	leftovers = find_leftovers()
	if leftovers:
		raise AssertionError("aftersales left these behind after uninstall:\n" + "\n".join(leftovers))
	print("aftersales uninstall check: nothing left behind")


if __name__ == "__main__":
	import sys

	frappe.init(site=sys.argv[1], sites_path=".")
	frappe.connect()
	try:
		check_uninstalled()
	finally:
		frappe.destroy()
