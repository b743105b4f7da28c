"""Workflow States and Workflow Action Masters are no longer fixtures (aftersales/setup/workflows.py).
On a site that synced the old fixtures: give Frappe's own "Approved" and "Rejected" back the look
Frappe gave them where the fixture had overwritten it, count the other states and actions of the
app's workflows as the app's (the fixtures made them, unless the site had them before: that can no
longer be told), and create any that are missing. Runs before the Workflow fixtures are synced."""

import frappe

from aftersales.setup.workflows import (
	FRAMEWORK,
	MASTER_DOCTYPES,
	app_master_names,
	created_masters,
	ensure_workflow_masters,
	remember_created,
	restore_framework_records,
)

# How the old fixtures (aftersales/fixtures/workflow_state.json) wrote Frappe's own states
OLD_FIXTURE_STYLES = {
	"Approved": {"icon": "", "style": "Primary"},
	"Rejected": {"icon": "", "style": "Danger"},
}


def execute():
	restore_framework_records(OLD_FIXTURE_STYLES)
	created = created_masters()
	for doctype in MASTER_DOCTYPES:
		for name in app_master_names(doctype):
			if name in FRAMEWORK[doctype] or name in created[doctype]:
				continue
			if frappe.db.exists(doctype, name):
				created[doctype].append(name)
	remember_created(created)
	ensure_workflow_masters()
