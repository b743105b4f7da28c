"""The app's Workflows ship as fixtures: identical on every site, written again by every migrate.

Their Workflow States and Workflow Action Masters are not the app's alone: Frappe ships "Pending",
"Approved", "Rejected" and "Approve", "Reject", "Review", and the site's own workflows and other
apps name the same records. So they are no fixtures (a fixture deletes and re-inserts its record
on every migrate, and would restyle the site's "Approved"). Install and migrate create the ones a
site lacks, in the app's style, and remember which they created; uninstall removes only those,
and only when no other workflow or document uses them.
"""

import json

import frappe

from aftersales.domain.flows import workflow_masters

# What the app created, kept in the site's global defaults until uninstall:
# {"Workflow State": [names], "Workflow Action Master": [names]}
CREATED_KEY = "aftersales_created_workflow_masters"
MASTER_DOCTYPES = ("Workflow State", "Workflow Action Master")
NAME_FIELD = {"Workflow State": "workflow_state_name", "Workflow Action Master": "workflow_action_name"}
# The records Frappe makes on every site (frappe/utils/install.py), as Frappe makes them
FRAMEWORK_STATES = {
	"Pending": {"icon": "question-sign", "style": ""},
	"Approved": {"icon": "ok-sign", "style": "Success"},
	"Rejected": {"icon": "remove", "style": "Danger"},
}
FRAMEWORK_ACTIONS = ("Approve", "Reject", "Review")
FRAMEWORK = {"Workflow State": tuple(FRAMEWORK_STATES), "Workflow Action Master": FRAMEWORK_ACTIONS}


def app_master_names(doctype: str) -> list[str]:
	"""Names of the states or actions the app's workflows use."""
	return [record[NAME_FIELD[doctype]] for record in workflow_masters()[doctype]]


def created_masters() -> dict[str, list[str]]:
	# read from the table, not Frappe's defaults cache (a rolled-back test would leave it stale)
	stored = frappe.db.get_value("DefaultValue", {"parent": "__global", "defkey": CREATED_KEY}, "defvalue")
	created = json.loads(stored or "{}")
	return {doctype: list(created.get(doctype, [])) for doctype in MASTER_DOCTYPES}


def remember_created(created: dict[str, list[str]]) -> None:
	if any(created.values()):
		frappe.db.set_global(CREATED_KEY, json.dumps(created, sort_keys=True))
	else:
		forget_created()


def forget_created() -> None:
	frappe.defaults.clear_default(CREATED_KEY, parent="__global")


def ensure_workflow_masters() -> list[str]:
	"""Create the states and actions the app's workflows need and the site lacks (install, and a
	patch on migrate, both before the Workflow fixtures are synced). Existing ones stay as the site
	has them. Returns what it created."""
	created = created_masters()
	made = []
	for doctype, records in workflow_masters().items():
		for record in records:
			name = record[NAME_FIELD[doctype]]
			if frappe.db.exists(doctype, name):
				continue
			frappe.get_doc(record).insert(ignore_permissions=True)
			made.append(f"{doctype}: {name}")
			if name not in created[doctype]:
				created[doctype].append(name)
	remember_created(created)
	return made


def is_used(doctype: str, name: str) -> bool:
	"""Named by a workflow's states or transitions."""
	if doctype == "Workflow State":
		return bool(
			frappe.db.exists("Workflow Document State", {"state": name})
			or frappe.db.exists("Workflow Transition", {"state": name})
			or frappe.db.exists("Workflow Transition", {"next_state": name})
		)
	return bool(frappe.db.exists("Workflow Transition", {"action": name}))


def unused_created_masters() -> dict[str, list[str]]:
	"""What the app created that exists and no workflow uses (after the app's own workflows are
	gone, these are the app's to remove)."""
	return {
		doctype: [name for name in names if frappe.db.exists(doctype, name) and not is_used(doctype, name)]
		for doctype, names in created_masters().items()
	}


def delete_workflows(app_doctypes: list[str]) -> list[str]:
	"""Uninstall: the app's Workflows, then the states and actions the app created that nothing
	else uses. Returns the ones kept because something else still uses them."""
	for name in frappe.get_all(
		"Workflow", filters={"document_type": ["in", app_doctypes or [""]]}, pluck="name"
	):
		frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True)
	kept = []
	for doctype, names in created_masters().items():
		for name in names:
			if not frappe.db.exists(doctype, name):
				continue
			if is_used(doctype, name) or not delete_if_unlinked(doctype, name):
				kept.append(f"{doctype}: {name}")
	forget_created()
	return kept


def delete_if_unlinked(doctype: str, name: str) -> bool:
	"""Delete unless a document still links to it (a workflow_state field of another DocType)."""
	frappe.db.savepoint("aftersales_workflow_master")
	try:
		frappe.delete_doc(doctype, name, ignore_permissions=True)
	except frappe.LinkExistsError:
		frappe.db.rollback(save_point="aftersales_workflow_master")
		frappe.clear_last_message()
		return False
	return True


def restore_framework_records(old_fixture_styles: dict[str, dict]) -> list[str]:
	"""Give Frappe's own states back the look Frappe gave them, where the app's old fixtures
	overwrote it (the record is exactly as the fixture left it; a site's later edit stays)."""
	restored = []
	for name, frappe_values in FRAMEWORK_STATES.items():
		fixture_values = old_fixture_styles.get(name)
		if not fixture_values or not frappe.db.exists("Workflow State", name):
			continue
		current = frappe.db.get_value("Workflow State", name, ["icon", "style"], as_dict=True)
		if {"icon": current.icon or "", "style": current.style or ""} == fixture_values:
			frappe.db.set_value("Workflow State", name, frappe_values)
			restored.append(name)
	return restored
