"""Set-based writes for the spare-part jobs: many rows changed by a few statements.

`update_rows` writes only the rows given (the callers pass the rows whose values changed), one
UPDATE per chunk of rows with a CASE per column, so a job over 20,000 parts issues a handful of
statements instead of a load and a save per part. Frappe's save hooks do not run: the callers
own every column they write (server-owned, computed figures), as the old per-part saves did
through `server_action`.
"""

import frappe
from frappe.query_builder import Case
from frappe.utils import now

CHUNK = 1000


def update_rows(doctype: str, changes: dict[str, dict], update_modified: bool = True) -> int:
	"""`changes`: row name -> {column: new value}. Returns the number of rows written."""
	table = frappe.qb.DocType(doctype)
	names = list(changes)
	timestamp = now()
	for start in range(0, len(names), CHUNK):
		chunk = names[start : start + CHUNK]
		query = frappe.qb.update(table)
		for column in sorted({column for name in chunk for column in changes[name]}):
			case = Case()
			for name in chunk:
				if column in changes[name]:
					case = case.when(table.name == name, changes[name][column])
			query = query.set(table[column], case.else_(table[column]))
		if update_modified:
			query = query.set(table.modified, timestamp)
		query.where(table.name.isin(chunk)).run()
	return len(names)


def insert_child_rows(doctype: str, parenttype: str, parentfield: str, rows: list[dict]) -> int:
	"""Append child rows (each with `parent`, `idx` and its values) in bulk statements."""
	if not rows:
		return 0
	timestamp, user = now(), frappe.session.user
	columns = sorted({key for row in rows for key in row} - {"parent", "idx"})
	fields = [
		"name",
		"parent",
		"parenttype",
		"parentfield",
		"idx",
		"docstatus",
		"creation",
		"modified",
		"owner",
		"modified_by",
		*columns,
	]
	values = [
		(
			frappe.generate_hash(length=10),
			row["parent"],
			parenttype,
			parentfield,
			row["idx"],
			0,
			timestamp,
			timestamp,
			user,
			user,
			*(row.get(column) for column in columns),
		)
		for row in rows
	]
	frappe.db.bulk_insert(doctype, fields, values, chunk_size=CHUNK)
	return len(rows)
