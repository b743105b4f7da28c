"""Collects every user-facing string of the app, the way Frappe shows them, so a test can hold
them against translations/zh.csv."""

import ast
import csv
import json
import re
from pathlib import Path

from aftersales.roles import ROLES

from .metadata import APP, doctype_files, workflow_master_names

JS_CALL = re.compile(r"""__\(\s*(["'`])((?:\\.|(?!\1).)*)\1""")
NO_LABEL_TYPES = ("Column Break",)


def python_strings(path: Path) -> set[str]:
	"""First literal argument of `_()` calls, and of domain errors the Frappe layer translates."""
	tree = ast.parse(path.read_text(), filename=str(path))
	found = set()
	for node in ast.walk(tree):
		if not isinstance(node, ast.Call) or not node.args:
			continue
		name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
		first = node.args[0]
		if (
			name in ("_", "WarrantyInputError", "AppraisalRuleError", "translatable", "status_note")
			and isinstance(first, ast.Constant)
			and isinstance(first.value, str)
		):
			found.add(first.value)
	return found


def js_strings(path: Path) -> set[str]:
	return {m.group(2) for m in JS_CALL.finditer(path.read_text())}


def doctype_strings(doc: dict) -> set[str]:
	found = {doc["name"]}
	for field in doc.get("fields", []):
		if field.get("label") and field.get("fieldtype") not in NO_LABEL_TYPES:
			found.add(field["label"])
		if field.get("description"):
			found.add(field["description"])
		if field.get("fieldtype") == "Select" and field.get("options"):
			found.update(o for o in field["options"].split("\n") if o)
	return found


def workspace_strings(doc: dict) -> set[str]:
	found = {doc["label"]}
	found.update(link["label"] for link in doc.get("links", []))
	found.update(s["label"] for s in doc.get("shortcuts", []))
	for block in json.loads(doc.get("content") or "[]"):
		text = block.get("data", {}).get("text")
		if text:
			found.add(re.sub(r"<[^>]+>", "", text).replace("&amp;", "&"))
	return found


def desk_strings() -> set[str]:
	"""Labels of the app's number cards and names of its dashboard charts and dashboards (Frappe
	shows them through `_()`)."""
	found = set()
	for kind, key in (
		("number_card", "label"),
		("dashboard_chart", "chart_name"),
		("*_dashboard", "dashboard_name"),
	):
		for path in APP.glob(f"*/{kind}/*/*.json"):
			found.add(json.loads(path.read_text())[key])
	return found


def custom_field_strings() -> set[str]:
	tree = ast.parse((APP / "setup" / "custom_fields.py").read_text())
	found = set()
	for node in ast.walk(tree):
		if isinstance(node, ast.Dict):
			for key, value in zip(node.keys, node.values, strict=True):
				if (
					isinstance(key, ast.Constant)
					and key.value in ("label", "description")
					and isinstance(value, ast.Constant)
				):
					found.add(value.value)
	return found


def app_strings() -> set[str]:
	found = set(ROLES)
	for path in APP.rglob("*.py"):
		if "tests" not in path.relative_to(APP).parts:
			found |= python_strings(path)
	for path in APP.rglob("*.js"):
		found |= js_strings(path)
	for path in doctype_files():
		found |= doctype_strings(json.loads(path.read_text()))
	for path in APP.glob("*/workspace/*/*.json"):
		found |= workspace_strings(json.loads(path.read_text()))
	found |= custom_field_strings()
	found |= desk_strings()
	found |= set(workflow_master_names("Workflow State"))
	found |= set(workflow_master_names("Workflow Action Master"))
	return found


def load_csv(lang: str = "zh") -> dict[str, str]:
	path = APP / "translations" / f"{lang}.csv"
	with path.open(newline="", encoding="utf-8") as f:
		rows = list(csv.reader(f))
	table, seen = {}, set()
	for row in rows:
		if not row:
			continue
		if len(row) not in (2, 3):
			raise ValueError(f"{path}: row {row!r} must have 2 or 3 columns")
		context = row[2] if len(row) == 3 else ""
		if (row[0], context) in seen:
			raise ValueError(
				f"{path}: {row[0]!r} is translated twice" + (f" for {context}" if context else "")
			)
		seen.add((row[0], context))
		# a row with a context (a DocType for its labels) translates the word there only; the word
		# then keeps Frappe's and ERPNext's own wording everywhere else on the site
		if not context or row[0] not in table:
			table[row[0]] = row[1]
	return table


def load_contexts(lang: str = "zh") -> dict[str, dict[str, str]]:
	"""source -> {context: translation} for the rows that name a context ("" for none)."""
	path = APP / "translations" / f"{lang}.csv"
	with path.open(newline="", encoding="utf-8") as f:
		rows = [row for row in csv.reader(f) if row]
	result: dict[str, dict[str, str]] = {}
	for row in rows:
		result.setdefault(row[0], {})[row[2] if len(row) == 3 else ""] = row[1]
	return result
