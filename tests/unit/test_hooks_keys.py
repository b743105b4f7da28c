"""hooks.py is edited by many hands: a second key for the same DocType in a dict literal silently
replaces the first (a second "Service Work Order" in `doc_events` had dropped the order's
`before_print`, so its Standard print stopped escaping what users typed)."""

import ast
from pathlib import Path

HOOKS = Path(__file__).resolve().parents[2] / "aftersales" / "hooks.py"


def hooks_namespace() -> dict:
	namespace: dict = {}
	exec(compile(HOOKS.read_text(), str(HOOKS), "exec"), namespace)
	return namespace


def duplicate_keys(node: ast.Dict, namespace: dict) -> list:
	"""Keys given twice in a dict literal, `**{...}` expansions included."""
	seen, duplicates = set(), []
	for key, value in zip(node.keys, node.values, strict=True):
		if key is None:  # **expansion: its keys as evaluated
			keys = list(eval(compile(ast.Expression(value), str(HOOKS), "eval"), namespace))
		elif isinstance(key, ast.Constant):
			keys = [key.value]
		else:
			continue
		for k in keys:
			if k in seen:
				duplicates.append(k)
			seen.add(k)
	return duplicates


def test_no_dict_in_hooks_repeats_a_key():
	namespace = hooks_namespace()
	tree = ast.parse(HOOKS.read_text())
	found = [
		(node.lineno, key)
		for node in ast.walk(tree)
		if isinstance(node, ast.Dict)
		for key in duplicate_keys(node, namespace)
	]
	assert found == [], f"repeated keys in hooks.py (line, key): {found}"


def test_every_printed_doctype_keeps_its_escaping():
	events = hooks_namespace()["doc_events"]
	for doctype in ("Service Work Order", "Service Follow-up", "Return Request", "Customer Complaint"):
		assert events[doctype].get("before_print") == "aftersales.print_safety.escape_for_print", doctype
