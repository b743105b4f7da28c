"""Set-based writes for the spare-part jobs: many rows changed by a few statements.

`update_rows` writes only the rows given (the callers pass the rows whose values changed): one
UPDATE per 1,000 rows (and per set of columns), joining the table to the new values, so a job over
20,000 parts issues a handful of statements instead of a load and a save per part. Frappe's save
hooks do not run: the callers own every column they write (server-owned, computed figures), as the
old per-part saves did through `server_action`.

The statement is written out rather than built with frappe.qb: pypika has no UPDATE ... JOIN on a
derived table, and the alternative it can build (a CASE with a branch per row) costs MariaDB a
comparison per branch and row, about ten times longer at 20,000 rows. Table and column names come
from the DocType's meta, never from input; values are passed as parameters.
"""

from collections import defaultdict

import frappe
from frappe.utils import now

CHUNK = 1000


def update_rows(doctype: str, changes: dict[str, dict], update_modified: bool = True) -> int:
	"""`changes`: row name -> {column: new value}. Returns the number of rows written."""
	if not changes:
		return 0
	by_columns = defaultdict(list)
	for name, values in changes.items():
		by_columns[tuple(sorted(values))].append(name)
	for columns in by_columns:
		check_columns(doctype, columns)
	timestamp = now()
	for columns, names in by_columns.items():
		for start in range(0, len(names), CHUNK):
			chunk = names[start : start + CHUNK]
			select = "select %s as `name`, " + ", ".join(f"%s as `{column}`" for column in columns)
			values_table = " union all ".join(
				[select] + ["select " + ", ".join(["%s"] * (len(columns) + 1))] * (len(chunk) - 1)
			)
			assignments = [f"t.`{column}` = v.`{column}`" for column in columns]
			params = [value for name in chunk for value in (name, *(changes[name][c] for c in columns))]
			if update_modified:
				assignments.append("t.`modified` = %s")
				params.append(timestamp)
			frappe.db.sql(
				f"update `tab{doctype}` t join ({values_table}) v on v.`name` = t.`name` "
				f"set {', '.join(assignments)}",
				params,
			)
	return len(changes)


def insert_rows(doctype: str, rows: list[dict]) -> int:
	"""Insert rows (dicts with the same columns, `name` included) in one statement per 1,000 rows."""
	if not rows:
		return 0
	columns = list(rows[0])
	check_columns(doctype, columns)
	placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
	names = ", ".join(f"`{column}`" for column in columns)
	for start in range(0, len(rows), CHUNK):
		chunk = rows[start : start + CHUNK]
		frappe.db.sql(
			f"insert into `tab{doctype}` ({names}) values {', '.join([placeholders] * len(chunk))}",
			[row.get(column) for row in chunk for column in columns],
		)
	return len(rows)


def check_columns(doctype: str, columns) -> None:
	meta = frappe.get_meta(doctype)
	for column in columns:
		if (
			not meta.get_field(column)
			and column not in frappe.model.default_fields + frappe.model.child_table_fields
		):
			raise ValueError(f"{doctype} has no column {column}")


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
