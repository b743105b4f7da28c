"""The app shares Workflow States and Actions with the rest of the site: it ships them as no
fixture (a fixture is written over the site's record on every migrate) but makes the missing ones
at install and migrate (aftersales/setup/workflows.py)."""

import json

from aftersales.domain import flows

from .metadata import APP, FRAPPE_WORKFLOW_ACTIONS, FRAPPE_WORKFLOW_STATES


def test_fixtures_hold_only_the_app_s_own_workflows():
	for path in (APP / "fixtures").glob("*.json"):
		doctypes = {record["doctype"] for record in json.loads(path.read_text())}
		assert doctypes <= {"Workflow"}, f"{path.name} holds {doctypes}"


def test_install_makes_every_state_and_action_the_workflows_name():
	masters = flows.workflow_masters()
	states = {r["workflow_state_name"] for r in masters["Workflow State"]}
	actions = {r["workflow_action_name"] for r in masters["Workflow Action Master"]}
	for workflow in flows.fixture_records()["workflow"]:
		assert {row["state"] for row in workflow["states"]} <= states
		assert {row["action"] for row in workflow["transitions"]} <= actions


def test_frappe_s_own_records_are_among_them_so_install_must_not_restyle_them():
	"""Frappe's "Approved" and "Rejected" (Return Request), "Approve", "Reject" (and more):
	they exist before the app comes and stay as the site has them."""
	masters = flows.workflow_masters()
	states = {r["workflow_state_name"] for r in masters["Workflow State"]}
	actions = {r["workflow_action_name"] for r in masters["Workflow Action Master"]}
	assert {"Approved", "Rejected"} <= states & FRAPPE_WORKFLOW_STATES
	assert {"Approve", "Reject"} <= actions & FRAPPE_WORKFLOW_ACTIONS
