"""One guard for what clients send to every DocType of the app and its child tables, whatever the
door (REST `/api/resource`, `frappe.client.save`/`insert`/`set_value`, the desk, Data Import).

Registered as a `before_validate` (and `before_update_after_submit`) doc event, it reads each
field's raw value before the controller and before Frappe's coercion (`_fix_numeric_types`,
`get_valid_dict`), and refuses with HTTP 417 and a message naming the field what the column cannot
hold: text past the column's capacity (bytes for TEXT columns), a date that is not a date, a
number that is not a number or is out of the column's range, a Check that is not 0 or 1. Values
that are fine come back in the form the column stores (numbers as numbers, ISO dates), so the
controller computes with them.

It also refuses a Link to a record that does not exist where Frappe does not: Frappe 15's
`BaseDocument.get_invalid_links` reads the target together with the fields it fetches from it
(`fetch_from`), and when the target is missing that read returns None, which it takes for "nothing
to check" (frappe/frappe#11934, #26930). The work order's customer (customer_name), technician
(technician_name, technician_user) and fault code (help_article) are such links.

The rules themselves are pure, in `aftersales.domain.field_values`.
"""

from functools import lru_cache
from pathlib import Path

import frappe
from frappe import _
from frappe.database.schema import get_definition
from frappe.model import no_value_fields, table_fields
from frappe.utils import escape_html
from pypika.terms import ValueWrapper

from aftersales.domain import field_values as fv


class InvalidValueError(frappe.ValidationError):
	"""A value that is not of the field's type (a date, a number, 0 or 1)."""


class ValueTooLongError(frappe.ValidationError):
	"""Text longer than the field's column holds."""


class LinkNotFoundError(frappe.LinkValidationError):
	"""A Link to a record that does not exist."""


# Field types whose value is not stored in the document's own column
NOT_COLUMNS = (*table_fields, *no_value_fields, "Password")
# The column that holds every value of a Single DocType (`tabSingles`.`value`)
SINGLES_VALUE = fv.Column("longtext")
# Field types Frappe stores as typed without escaping HTML (BaseDocument._sanitize_content)
NOT_SANITIZED = ("Attach", "Attach Image", "Barcode", "Code")


@lru_cache
def app_modules() -> frozenset[str]:
	path = Path(__file__).resolve().parent / "modules.txt"
	return frozenset(line.strip() for line in path.read_text().splitlines() if line.strip())


def is_app_doctype(meta) -> bool:
	return meta.module in app_modules()


def check_input(doc, method: str | None = None) -> None:
	"""doc_events hook ("*"): guard the app's DocTypes and their child tables."""
	if not is_app_doctype(doc.meta):
		return
	rows = [doc, *doc.get_all_children()]
	problems = []
	for row in rows:
		problems += check_values(doc, row)
	if not doc.flags.ignore_links:
		problems += missing_links(doc, rows)
	if problems:
		frappe.throw(
			"<br>".join(message for _exc, message in problems),
			exc=problems[0][0],
			title=TITLES[problems[0][0]](),
		)


TITLES = {
	InvalidValueError: lambda: _("Invalid Value"),
	ValueTooLongError: lambda: _("Value Too Long"),
	LinkNotFoundError: lambda: _("Record Not Found"),
}


@lru_cache(maxsize=256)
def column_of(fieldtype: str, precision: str | None, length: int | None) -> fv.Column | None:
	column = fv.parse_column(get_definition(fieldtype, precision=precision, length=length))
	if column and column.type == "text" and frappe.db.db_type == "postgres":
		return None  # a Postgres text has no 64 KB limit
	return column


def check_values(doc, row) -> list[tuple[type, str]]:
	problems = []
	for df in row.meta.fields:
		if df.fieldtype in NOT_COLUMNS or df.get("is_virtual"):
			continue
		value = row.get(df.fieldname)
		if value is None and df.fieldtype != "Check":
			continue
		column = column_of(df.fieldtype, df.precision or None, df.length or None)
		if row.meta.issingle and column and fv.capacity(column):
			column = SINGLES_VALUE  # a Single's values are rows of tabSingles, whatever their type
		try:
			cleaned = fv.clean(df.fieldtype, column, value)
			if column and fv.capacity(column) and isinstance(value, str) and may_be_escaped(df, value):
				# Frappe escapes HTML before it writes: "<" becomes "&lt;", and the text grows
				fv.check_length(stored_html(df, value), column)
		except fv.BadValue as bad:
			problems.append(describe(doc, row, df, value, bad))
			continue
		if cleaned is not value and (type(cleaned) is not type(value) or cleaned != value):
			row.set(df.fieldname, cleaned)
	return problems


def may_be_escaped(df, value: str) -> bool:
	return (
		("<" in value or ">" in value)
		and not df.get("ignore_xss_filter")
		and df.fieldtype not in NOT_SANITIZED
		and df.get("options") != "Email"
	)


def stored_html(df, value: str) -> str:
	from frappe.utils.html_utils import sanitize_html

	return sanitize_html(value, linkify=df.fieldtype == "Text Editor")


def missing_links(doc, rows: list) -> list[tuple[type, str]]:
	"""Links Frappe does not check: those with fields fetched from them (see the module's notes).
	One query for all of them, however many rows and linked DocTypes (`existing_names`)."""
	wanted: dict[str, list[tuple]] = {}
	dynamic: set[str] = set()
	for row in rows:
		for df in fetched_links(row.meta):
			value = row.get(df.fieldname)
			if not value:
				continue
			target = df.options if df.fieldtype == "Link" else row.get(df.options)
			if target:
				wanted.setdefault(target, []).append((row, df, value))
				if df.fieldtype == "Dynamic Link":
					dynamic.add(target)
	checked: dict[str, list[tuple]] = {}
	for target, links in wanted.items():
		# a Link's DocType is the metadata's own; a Dynamic Link's is a value the client sent, and
		# Frappe refuses one to a DocType that does not exist itself
		if target in dynamic and not frappe.db.exists("DocType", target, cache=True):
			continue
		meta = frappe.get_meta(target)
		if meta.issingle or meta.get("is_virtual"):
			continue
		checked[target] = links
	found = existing_names(
		{
			target: {value for _row, _df, value in links if isinstance(value, str | int)}
			for target, links in checked.items()
		}
	)
	problems = []
	for target, links in checked.items():
		found_names = found[target]
		for row, df, value in links:
			if not isinstance(value, str | int) or str(value).casefold() not in found_names:
				problems.append(
					(
						LinkNotFoundError,
						_("{0}: there is no {1} named {2}.").format(
							field_name(doc, row, df), _(target), frappe.bold(escape_html(fv.preview(value)))
						),
					)
				)
	return problems


def fetched_links(meta) -> list:
	"""The Link and Dynamic Link fields of `meta` that other fields fetch from, in one pass over its
	fields: the same fields as `get_link_fields()` + the Dynamic Links, kept where
	`get_fields_to_fetch(fieldname)` is not empty, without Frappe's filter and scan per field (this
	runs on every save of every row)."""
	fetched_from = {
		df.fetch_from.split(".", 1)[0]
		for df in meta.fields
		if df.fieldtype not in no_value_fields and "." in (df.get("fetch_from") or "")
	}
	return [
		df
		for df in meta.fields
		if df.fieldname in fetched_from
		and (
			(df.fieldtype == "Link" and df.options and df.options != "[Select]")
			or df.fieldtype == "Dynamic Link"
		)
	]


def existing_names(wanted: dict[str, set]) -> dict[str, set[str]]:
	"""{doctype: names} -> {doctype: the names that exist, casefolded}, in one UNION ALL query
	(MariaDB compares names without regard to case, as Frappe's own link check does)."""
	found: dict[str, set[str]] = {target: set() for target in wanted}
	query = None
	for target, names in wanted.items():
		if not names:
			continue
		table = frappe.qb.DocType(target)
		part = (
			frappe.qb.from_(table)
			.select(ValueWrapper(target).as_("target"), table.name)
			.where(table.name.isin([str(name) for name in names]))
		)
		query = part if query is None else query.union_all(part)
	if query is not None:
		for target, name in query.run():
			found[target].add(str(name).casefold())
	return found


def field_name(doc, row, df) -> str:
	label = frappe.bold(_(df.label or df.fieldname, context=df.parent))
	if row is doc or not row.get("parentfield"):
		return label
	table = doc.meta.get_field(row.parentfield)
	table_label = _(table.label, context=table.parent) if table and table.label else row.parentfield
	return _("{0} in row {1} of {2}").format(label, row.idx, frappe.bold(table_label))


def describe(doc, row, df, value, bad: fv.BadValue) -> tuple[type, str]:
	name = field_name(doc, row, df)
	shown = frappe.bold(escape_html(fv.preview(value)))
	if bad.kind == fv.TOO_MANY_BYTES:
		return ValueTooLongError, _(
			"{0} is too long: {1} bytes, at most {2} bytes fit (about {3} Chinese characters)."
		).format(name, bad.size, bad.limit, bad.limit // 3)
	if bad.kind == fv.TOO_MANY_CHARACTERS:
		return ValueTooLongError, _("{0} is too long: {1} characters, at most {2} fit.").format(
			name, bad.size, bad.limit
		)
	if bad.kind == fv.OUT_OF_RANGE:
		low, high = bad.limit
		return InvalidValueError, _("{0} must be between {1} and {2}, not {3}.").format(
			name, low, high, shown
		)
	messages = {
		fv.NOT_CHECK: _("{0} must be 0 or 1, not {1}."),
		fv.NOT_WHOLE_NUMBER: _("{0} must be a whole number, not {1}."),
		fv.NOT_NUMBER: _("{0} must be a number, not {1}."),
		fv.NOT_DATE: _("{0} must be a date written as YYYY-MM-DD, not {1}."),
		fv.NOT_DATETIME: _("{0} must be a date and time written as YYYY-MM-DD HH:MM:SS, not {1}."),
		fv.NOT_TIME: _("{0} must be a time written as HH:MM:SS, not {1}."),
		# the value itself is not shown: it has no UTF-8 form
		fv.NOT_TEXT: _("{0} contains characters that cannot be stored."),
	}
	return InvalidValueError, messages[bad.kind].format(name, shown)
