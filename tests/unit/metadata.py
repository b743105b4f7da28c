"""Static checks of the app's metadata: DocType JSON, workflow fixtures. Each check returns a
list of problems (empty when all is well), so the tests can show them all at once and can
exercise the checks themselves against deliberately broken samples."""

import json
from pathlib import Path

from aftersales.roles import ROLES
from aftersales.setup.dependencies import EXTERNAL_DOCTYPES, EXTERNAL_ROLES

APP = Path(__file__).resolve().parents[2] / "aftersales"
LINK_TYPES = ("Link", "Table", "Table MultiSelect")
NO_DATA_TYPES = ("Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading", "Fold")
# Workflow states that Frappe itself makes on every site (frappe/utils/install.py)
FRAPPE_WORKFLOW_STATES = frozenset({"Pending", "Approved", "Rejected"})
FRAPPE_WORKFLOW_ACTIONS = frozenset({"Approve", "Reject", "Review"})


def scrub(name: str) -> str:
	return name.replace(" ", "_").replace("-", "_").lower()


def modules() -> list[str]:
	return [line.strip() for line in (APP / "modules.txt").read_text().splitlines() if line.strip()]


def doctype_files() -> list[Path]:
	return sorted(p for p in APP.glob("*/doctype/*/*.json") if p.stem == p.parent.name)


def load_doctypes() -> dict[str, dict]:
	return {d["name"]: d for d in (json.loads(p.read_text()) for p in doctype_files())}


def check_doctype_file(path: Path, module_names: list[str]) -> list[str]:
	try:
		doc = json.loads(path.read_text())
	except ValueError as e:
		return [f"{path}: does not load: {e}"]
	problems = []
	name = doc.get("name")
	if doc.get("doctype") != "DocType" or not name:
		return [f"{path}: not a DocType definition"]
	if scrub(name) != path.stem:
		problems.append(f"{name}: file {path.name} does not match the name")
	if doc.get("module") not in module_names:
		problems.append(f"{name}: module {doc.get('module')!r} is not in modules.txt")
	elif scrub(doc["module"]) != path.parents[2].name:
		problems.append(f"{name}: lives in folder {path.parents[2].name}, module is {doc['module']}")
	return problems


def check_fields(doc: dict, app_doctypes: set[str]) -> list[str]:
	name = doc["name"]
	problems = []
	fieldnames = [f.get("fieldname") for f in doc.get("fields", [])]
	duplicates = sorted({f for f in fieldnames if fieldnames.count(f) > 1})
	if duplicates:
		problems.append(f"{name}: duplicate fieldnames {duplicates}")
	if None in fieldnames or "" in fieldnames:
		problems.append(f"{name}: a field has no fieldname")
	if doc.get("field_order") and sorted(doc["field_order"]) != sorted(f for f in fieldnames if f):
		problems.append(f"{name}: field_order does not list exactly the fields")
	by_name = {f.get("fieldname"): f for f in doc.get("fields", [])}
	for field in doc.get("fields", []):
		fieldtype = field.get("fieldtype")
		target = field.get("options")
		if fieldtype in LINK_TYPES:
			if not target:
				problems.append(f"{name}.{field['fieldname']}: {fieldtype} without a target DocType")
			elif target not in app_doctypes and target not in EXTERNAL_DOCTYPES:
				problems.append(
					f"{name}.{field['fieldname']}: links to {target!r}, which is neither the app's "
					"nor listed in aftersales/setup/dependencies.py"
				)
		if fieldtype == "Dynamic Link":
			source = by_name.get(target)
			if not source or source.get("fieldtype") not in ("Link", "Select", "Data"):
				problems.append(
					f"{name}.{field['fieldname']}: Dynamic Link needs a field {target!r} naming the DocType"
				)
		if fieldtype == "Select" and field.get("default") and field.get("options"):
			if field["default"] not in field["options"].split("\n"):
				problems.append(f"{name}.{field['fieldname']}: default {field['default']!r} is not an option")
		if field.get("fetch_from"):
			link = field["fetch_from"].split(".")[0]
			if link not in by_name:
				problems.append(f"{name}.{field['fieldname']}: fetch_from names unknown field {link!r}")
	return problems


def check_permissions(doc: dict) -> list[str]:
	name = doc["name"]
	if doc.get("istable"):
		return [f"{name}: a child table carries its own permissions"] if doc.get("permissions") else []
	roles = [p.get("role") for p in doc.get("permissions", [])]
	problems = []
	if not set(roles) & set(ROLES):
		problems.append(f"{name}: no permission for any of the app's roles")
	unknown = sorted({r for r in roles if r not in ROLES and r not in EXTERNAL_ROLES})
	if unknown:
		problems.append(f"{name}: permissions for unknown roles {unknown}")
	return problems


def check_workflow(
	workflow: dict, doctypes: dict[str, dict], states: set[str], actions: set[str]
) -> list[str]:
	name = workflow.get("name") or workflow.get("workflow_name")
	problems = []
	doctype = doctypes.get(workflow.get("document_type"))
	if not doctype:
		return [f"Workflow {name}: document type {workflow.get('document_type')!r} is not the app's"]
	state_field = workflow.get("workflow_state_field")
	fields = {f["fieldname"]: f for f in doctype.get("fields", [])}
	if state_field not in fields:
		problems.append(f"Workflow {name}: state field {state_field!r} is not a field of {doctype['name']}")
	known_roles = set(ROLES) | EXTERNAL_ROLES
	workflow_states = [s.get("state") for s in workflow.get("states", [])]
	if not workflow_states:
		problems.append(f"Workflow {name}: has no states")
	for row in workflow.get("states", []):
		if row.get("state") not in states:
			problems.append(f"Workflow {name}: state {row.get('state')!r} is not a Workflow State")
		if row.get("allow_edit") not in known_roles:
			problems.append(
				f"Workflow {name}: state {row.get('state')!r} allows unknown role {row.get('allow_edit')!r}"
			)
	for row in workflow.get("transitions", []):
		for key in ("state", "next_state"):
			if row.get(key) not in workflow_states:
				problems.append(
					f"Workflow {name}: transition names state {row.get(key)!r} not in the workflow"
				)
		if row.get("action") not in actions:
			problems.append(f"Workflow {name}: action {row.get('action')!r} is not a Workflow Action Master")
		if row.get("allowed") not in known_roles:
			problems.append(f"Workflow {name}: transition allowed for unknown role {row.get('allowed')!r}")
	return problems


def workflow_master_names(doctype: str) -> list[str]:
	"""The Workflow States or Action Masters the app makes where a site lacks them."""
	from aftersales.domain.flows import workflow_masters

	field = "workflow_state_name" if doctype == "Workflow State" else "workflow_action_name"
	return [record[field] for record in workflow_masters()[doctype]]


def fixture(doctype: str) -> list[dict]:
	path = APP / "fixtures" / (scrub(doctype) + ".json")
	return json.loads(path.read_text()) if path.exists() else []


def all_problems() -> list[str]:
	module_names = modules()
	problems = []
	for path in doctype_files():
		problems += check_doctype_file(path, module_names)
	doctypes = load_doctypes()
	for doc in doctypes.values():
		problems += check_fields(doc, set(doctypes))
		problems += check_permissions(doc)
	states = set(workflow_master_names("Workflow State")) | FRAPPE_WORKFLOW_STATES
	actions = set(workflow_master_names("Workflow Action Master")) | FRAPPE_WORKFLOW_ACTIONS
	for workflow in fixture("Workflow"):
		problems += check_workflow(workflow, doctypes, states, actions)
	return problems
