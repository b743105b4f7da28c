"""The generated tables of docs/security.md, made from the app's own definitions so the document
cannot drift from the code: role permissions from the DocType JSON, who edits each lifecycle state
and who makes each transition from aftersales/domain/*_flow.py, the server-owned and role-owned
fields from each controller's FIELD_RULES (read without importing Frappe).

	python3 scripts/security_matrix.py           # rewrite the generated part of docs/security.md
	python3 scripts/security_matrix.py --check   # exit 1 when docs/security.md is out of date
"""

import ast
import importlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aftersales import roles
from aftersales.domain.flows import FLOWS

APP = ROOT / "aftersales"
DOC = ROOT / "docs" / "security.md"
BEGIN = "<!-- BEGIN GENERATED (scripts/security_matrix.py) -->"
END = "<!-- END GENERATED -->"
RIGHTS = (("read", "r"), ("write", "w"), ("create", "c"), ("submit", "s"), ("cancel", "x"), ("delete", "d"))


def doctypes() -> dict[str, dict]:
	found = {}
	for path in sorted(APP.glob("*/doctype/*/*.json")):
		if path.stem == path.parent.name:
			doc = json.loads(path.read_text())
			found[doc["name"]] = {**doc, "_path": path}
	return found


def permission_table(docs: dict[str, dict]) -> str:
	main = {name: doc for name, doc in docs.items() if not doc.get("istable") and not doc.get("issingle")}
	all_roles = sorted({p["role"] for doc in main.values() for p in doc.get("permissions", [])})
	lines = [
		"| DocType | " + " | ".join(all_roles) + " |",
		"|---|" + "---|" * len(all_roles),
	]
	for name, doc in main.items():
		cells = []
		for role in all_roles:
			levels = []
			for perm in sorted(doc.get("permissions", []), key=lambda p: p.get("permlevel", 0)):
				if perm["role"] != role:
					continue
				rights = "".join(letter for key, letter in RIGHTS if perm.get(key))
				level = perm.get("permlevel", 0)
				levels.append(rights if not level else f"L{level}:{rights}")
			cells.append(" ".join(levels) or "·")
		lines.append(f"| {name} | " + " | ".join(cells) + " |")
	return "\n".join(lines)


def lifecycle_tables() -> str:
	parts = []
	for flow in FLOWS:
		parts.append(f"#### {flow.name}\n")
		parts.append("| State | Who may change the document in it | Transitions: action → state (roles) |")
		parts.append("|---|---|---|")
		for state in flow.states:
			moves = [
				f"{t.action} → {t.next_state} ({', '.join(t.roles)}{'; if ' + t.condition if t.condition else ''})"
				for t in flow.transitions
				if t.state == state
			]
			parts.append(
				f"| {state} | {', '.join(flow.editors.get(state, ()))} | {'<br>'.join(moves) or '—'} |"
			)
		parts.append("")
	return "\n".join(parts)


class _Rules(dict):
	pass


def _field_rules_of(path: Path):
	"""Evaluate the controller's FIELD_RULES literal with stand-ins for the integrity classes."""
	source = path.read_text()
	tree = ast.parse(source)
	namespace = {name: getattr(roles, name) for name in dir(roles) if name.isupper()}
	for node in tree.body:
		if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("aftersales.domain"):
			parent = importlib.import_module(node.module)
			for alias in node.names:
				value = getattr(parent, alias.name, None)
				if value is None:  # a submodule not imported by its package
					value = importlib.import_module(f"{node.module}.{alias.name}")
				namespace[alias.asname or alias.name] = value

	def field_rules(server=(), server_columns=None, role_owned=(), flow=None):
		return _Rules(server=server, server_columns=server_columns or {}, role_owned=role_owned)

	def role_owned(fields, owner_roles, states=()):
		return (fields, owner_roles, states)

	namespace.update(
		FieldRules=field_rules,
		RoleOwned=role_owned,
		integrity=type("integrity", (), {"FieldRules": staticmethod(field_rules)}),
	)
	for node in tree.body:
		if not isinstance(node, ast.Assign) or len(node.targets) != 1:
			continue
		name = getattr(node.targets[0], "id", None)
		try:  # module constants the rules may use (REVIEW_STATES = …); others are skipped
			value = eval(compile(ast.Expression(node.value), str(path), "eval"), namespace)
		except Exception:
			if name == "FIELD_RULES":
				raise
			continue
		if name == "FIELD_RULES":
			return value
		namespace[name] = value
	return None


def field_rules_table(docs: dict[str, dict]) -> str:
	lines = [
		"| DocType | Server-owned (only the app's code writes them) | Role-owned: fields — roles (states) |",
		"|---|---|---|",
	]
	for name, doc in docs.items():
		controller = doc["_path"].with_suffix(".py")
		rules = _field_rules_of(controller) if controller.exists() else None
		if not rules:
			continue
		server = [f"`{f}`" for f in rules["server"]]
		for table, columns in rules["server_columns"].items():
			server.append(
				f"`{table}` (whole table)"
				if columns == "*"
				else f"`{table}`: " + ", ".join(f"`{c}`" for c in columns)
			)
		owned = [
			", ".join(f"`{f}`" for f in fields)
			+ " — "
			+ ", ".join(owner_roles)
			+ (f" ({', '.join(states)})" if states else "")
			for fields, owner_roles, states in rules["role_owned"]
		]
		lines.append(f"| {name} | {'; '.join(server)} | {'<br>'.join(owned) or '—'} |")
	return "\n".join(lines)


def generated() -> str:
	docs = doctypes()
	return "\n\n".join(
		[
			BEGIN,
			"### Role permissions (r read, w write, c create, s submit, x cancel, d delete; L1 = permlevel 1)",
			permission_table(docs),
			"### Lifecycles: who edits each state, who moves it on",
			lifecycle_tables(),
			"### Fields the client cannot set",
			field_rules_table(docs),
			END,
		]
	)


def rewritten(text: str) -> str:
	head, _, rest = text.partition(BEGIN)
	_, _, tail = rest.partition(END)
	return head + generated() + tail


def main(argv: list[str]) -> int:
	text = DOC.read_text()
	new = rewritten(text)
	if "--check" in argv:
		if new != text:
			print("docs/security.md is out of date: run python3 scripts/security_matrix.py")
			return 1
		return 0
	DOC.write_text(new)
	return 0


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
