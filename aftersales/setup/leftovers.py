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
from aftersales.setup.workflows import unused_fixture_actions, unused_fixture_states

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
	leftovers += [f"Workflow State: {state}" for state in unused_fixture_states()]
	leftovers += [f"Workflow Action: {action}" for action in unused_fixture_actions()]
	leftovers += [
		f"Module Def: {name}"
		for name in frappe.get_all("Module Def", {"app_name": "aftersales"}, pluck="name")
	]
	leftovers += [
		f"Notification: {name}"
		for name in frappe.get_all("Notification", {"document_type": ["in", doctypes]}, pluck="name")
	]
	return leftovers


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
