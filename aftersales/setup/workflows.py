"""Workflows ship as fixtures (identical on every site). Uninstall removes them, and the
Workflow States and Actions they brought when no other workflow uses them."""

import json
import os

import frappe


def fixture_records(doctype: str) -> list[dict]:
	path = frappe.get_app_path("aftersales", "fixtures", frappe.scrub(doctype) + ".json")
	if not os.path.exists(path):
		return []
	with open(path) as f:
		return json.load(f)


def unused_fixture_states() -> list[str]:
	"""Workflow States shipped by the app that exist and no workflow uses."""
	return [
		state["name"]
		for state in fixture_records("Workflow State")
		if frappe.db.exists("Workflow State", state["name"])
		and not frappe.db.exists("Workflow Document State", {"state": state["name"]})
	]


def unused_fixture_actions() -> list[str]:
	"""Workflow Action Masters shipped by the app that exist and no workflow uses."""
	return [
		action["name"]
		for action in fixture_records("Workflow Action Master")
		if frappe.db.exists("Workflow Action Master", action["name"])
		and not frappe.db.exists("Workflow Transition", {"action": action["name"]})
	]


def delete_workflows(app_doctypes: list[str]) -> None:
	for name in frappe.get_all(
		"Workflow", filters={"document_type": ["in", app_doctypes or [""]]}, pluck="name"
	):
		frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True)
	for state in unused_fixture_states():
		frappe.delete_doc("Workflow State", state, ignore_permissions=True, force=True)
	for action in unused_fixture_actions():
		frappe.delete_doc("Workflow Action Master", action, ignore_permissions=True, force=True)
