"""Pure rules of the app's privacy layer (no database): who is in an assignment list, and which
ORDER BY / GROUP BY clauses a client may send to Frappe's list endpoints.

Frappe 15.79.0 pastes a client's `group_by` and `order_by` into its SQL after a check that no
longer catches a sub-query (aftersales/query_guard.py); until the framework is fixed the app
accepts only plain column references there."""

import json
import re

# `tabDocType`.`field`, `tabDocType`.field, `field` or field; in ORDER BY followed by asc or desc
COLUMN = re.compile(
	r"^\s*(?:`tab(?P<doctype>[A-Za-z0-9_ -]+)`\.)?(?P<quote>`?)(?P<field>[A-Za-z_][A-Za-z0-9_]*)(?P=quote)"
	r"(?:\s+(?P<direction>asc|desc))?\s*$",
	re.IGNORECASE,
)


def is_assigned(assign, user: str) -> bool:
	"""Whether `user` is one of the users in a document's `_assign` (a JSON list of user ids, as
	Frappe stores it), compared whole: tech@example.com is not assigned atech@example.com's work."""
	if not assign or not user:
		return False
	if isinstance(assign, str):
		try:
			assign = json.loads(assign)
		except ValueError:
			return False
	return isinstance(assign, list) and user in assign


def assigned_like_pattern(user: str) -> str:
	"""A LIKE pattern matching an `_assign` JSON list that holds exactly `user`: the id is matched
	with its JSON quotes, and LIKE's own wildcards (`%`, `_`) and escape (`\\`) in it are escaped."""
	quoted = json.dumps(user)
	escaped = quoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
	return f"%{escaped}%"


def parse_columns(clause: str, allow_direction: bool = False) -> list[tuple[str | None, str]] | None:
	"""The (doctype or None, fieldname) of each comma-separated item of a GROUP BY (or, with
	`allow_direction`, ORDER BY) clause made only of plain column references; None when anything
	else is in it (a function, a sub-query, a UNION, a comment, a literal)."""
	if clause is None or not str(clause).strip():
		return []
	columns = []
	for item in str(clause).split(","):
		match = COLUMN.match(item)
		if not match or (match.group("direction") and not allow_direction):
			return None
		columns.append((match.group("doctype"), match.group("field")))
	return columns
