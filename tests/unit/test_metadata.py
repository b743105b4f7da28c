import copy
import json

import pytest

from aftersales.roles import ROLES

from . import metadata

GOOD = {
	"name": "Sample Order",
	"doctype": "DocType",
	"module": "Service",
	"fields": [
		{"fieldname": "customer", "fieldtype": "Link", "options": "Customer"},
		{"fieldname": "status", "fieldtype": "Select", "options": "Open\nClosed", "default": "Open"},
		{"fieldname": "workflow_state", "fieldtype": "Link", "options": "Workflow State"},
	],
	"permissions": [{"role": ROLES[0], "read": 1}],
}


def test_app_has_doctypes():
	assert {"After-Sales Settings", "Service Point", "Fault Code"} <= set(metadata.load_doctypes())


def test_app_metadata_has_no_problems():
	assert metadata.all_problems() == []


def test_doctype_names_do_not_collide_with_erpnext_or_hrms():
	taken = {"Work Order", "Appraisal", "Issue", "Warranty Claim", "Maintenance Visit", "Quality Inspection"}
	assert not set(metadata.load_doctypes()) & taken


def test_every_module_has_a_package():
	for module in metadata.modules():
		assert (metadata.APP / metadata.scrub(module) / "__init__.py").exists(), module


# The checks must be able to fail: run them on broken samples.


def test_duplicate_fieldname_is_found():
	doc = copy.deepcopy(GOOD)
	doc["fields"].append({"fieldname": "customer", "fieldtype": "Data"})
	assert any("duplicate fieldnames" in p for p in metadata.check_fields(doc, {"Sample Order"}))


def test_link_to_unknown_doctype_is_found():
	doc = copy.deepcopy(GOOD)
	doc["fields"][0]["options"] = "Campaign Source"
	assert any("Campaign Source" in p for p in metadata.check_fields(doc, {"Sample Order"}))


def test_link_to_app_or_listed_doctype_passes():
	doc = copy.deepcopy(GOOD)
	doc["fields"].append({"fieldname": "point", "fieldtype": "Link", "options": "Service Point"})
	del doc["fields"][2]  # Workflow State is not listed as a dependency
	assert metadata.check_fields(doc, {"Service Point"}) == []


def test_dynamic_link_without_type_field_is_found():
	doc = copy.deepcopy(GOOD)
	doc["fields"].append({"fieldname": "ref", "fieldtype": "Dynamic Link", "options": "ref_type"})
	assert any("Dynamic Link" in p for p in metadata.check_fields(doc, set()))


def test_select_default_outside_options_is_found():
	doc = copy.deepcopy(GOOD)
	doc["fields"][1]["default"] = "Pending"
	assert any("not an option" in p for p in metadata.check_fields(doc, set()))


def test_doctype_without_app_role_is_found():
	doc = copy.deepcopy(GOOD)
	doc["permissions"] = [{"role": "System Manager", "read": 1}]
	assert any("no permission for any" in p for p in metadata.check_permissions(doc))


def test_unknown_role_is_found():
	doc = copy.deepcopy(GOOD)
	doc["permissions"].append({"role": "Chief Wizard", "read": 1})
	assert any("Chief Wizard" in p for p in metadata.check_permissions(doc))


def test_file_name_and_module_mismatch_is_found(tmp_path):
	folder = tmp_path / "service" / "doctype" / "sample_order"
	folder.mkdir(parents=True)
	path = folder / "sample_order.json"
	doc = dict(GOOD, module="Returns")
	path.write_text(json.dumps(doc))
	problems = metadata.check_doctype_file(path, ["Service", "Returns"])
	assert any("lives in folder service" in p for p in problems)
	path.write_text("{not json")
	assert any("does not load" in p for p in metadata.check_doctype_file(path, ["Service"]))


WORKFLOW = {
	"name": "Sample Flow",
	"document_type": "Sample Order",
	"workflow_state_field": "workflow_state",
	"states": [
		{"state": "Pending", "allow_edit": ROLES[0]},
		{"state": "Approved", "allow_edit": ROLES[0]},
	],
	"transitions": [{"state": "Pending", "next_state": "Approved", "action": "Approve", "allowed": ROLES[0]}],
}


def check(workflow):
	return metadata.check_workflow(
		workflow, {"Sample Order": GOOD}, metadata.FRAPPE_WORKFLOW_STATES, metadata.FRAPPE_WORKFLOW_ACTIONS
	)


def test_good_workflow_passes():
	assert check(WORKFLOW) == []


@pytest.mark.parametrize(
	"change, expected",
	[
		(lambda w: w.update(workflow_state_field="state"), "state field"),
		(lambda w: w["states"][1].update(state="Shipped"), "not a Workflow State"),
		(lambda w: w["transitions"][0].update(next_state="Rejected"), "not in the workflow"),
		(lambda w: w["transitions"][0].update(action="Teleport"), "not a Workflow Action Master"),
		(lambda w: w["transitions"][0].update(allowed="Chief Wizard"), "unknown role"),
		(lambda w: w["states"][0].update(allow_edit="Chief Wizard"), "unknown role"),
		(lambda w: w.update(document_type="Issue"), "is not the app's"),
	],
)
def test_broken_workflow_is_found(change, expected):
	workflow = copy.deepcopy(WORKFLOW)
	change(workflow)
	assert any(expected in p for p in check(workflow))
