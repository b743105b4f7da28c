"""The server is the authority (docs/security.md). What the desk hides with `read_only`,
`depends_on` and the workflow's "allow edit" is enforced here, for every path a change can take:
the desk, `/api/resource`, `frappe.client`, `run_doc_method` with a forged copy, data import.

- `acts_on_stored`: a whitelisted document method runs on the record as stored, locked for the
  rest of the request, never on the copy the client sent with `run_doc_method`.
- `FieldRules`: declared once on each controller, checked by `before_validate` (`capture`) and at
  the end of `validate` (`verify`):
  - *server-owned* fields (and child-table columns) change only through the app's own code. A
    client value that is neither the stored value nor the one the server computes is refused; so a
    form that sends back what it loaded, or what the server will compute anyway, still saves;
  - *role-owned* fields change only by the roles named, and only in the states named;
  - the lifecycle's per-state editors (the workflow's "allow edit"): a change to a document in a
    state needs one of that state's editor roles, or the right to the transition being made.
- The app's own code that must write those fields (the parts actions, the follow-up closing its
  order, scheduled jobs) marks the save with `server_action(doc, reason)`; a client cannot set
  document flags.
"""

import functools
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import cint, flt, get_datetime, getdate

from aftersales.domain.workflow import Flow

NUMERIC = {"Int", "Float", "Currency", "Percent", "Check", "Rating", "Duration"}
DATES = {"Date": getdate, "Datetime": get_datetime}
SYSTEM_ROLES = {"System Manager"}


class ServerOwnedFieldError(frappe.ValidationError):
	"""A field the server computes or sets was changed by the client."""


class FieldOwnerError(frappe.PermissionError):
	"""A field that belongs to another role or stage was changed."""


class StateEditError(frappe.PermissionError):
	"""A document was changed in a state the user may not edit."""


@dataclass(frozen=True)
class RoleOwned:
	fields: tuple[str, ...]
	roles: tuple[str, ...]
	states: tuple[str, ...] = ()  # states (as stored) in which the roles may change them; () = any


@dataclass(frozen=True)
class FieldRules:
	server: tuple[str, ...] = ()
	# child table fieldname -> its server-owned columns ("*" = the whole table is the server's)
	server_columns: dict[str, tuple[str, ...] | str] = field(default_factory=dict)
	role_owned: tuple[RoleOwned, ...] = ()
	flow: Flow | None = None


def server_action(doc, reason: str):
	"""Mark the next save of `doc` as made by the app's own code (it checked roles and state)."""
	doc.flags.server_action = reason
	return doc


# ---------------------------------------------------------------- whitelisted document methods


def acts_on_stored(method):
	"""Run a whitelisted document method on the stored record, locked until the request ends.

	`run_doc_method` hands the method the client's copy of the document (`docs=`): every field and
	child row in it may be forged. Reloading replaces all of them with what the database holds."""

	@functools.wraps(method)
	def wrapper(self, *args, **kwargs):
		if self.is_new() or not frappe.db.exists(self.doctype, self.name):
			frappe.throw(_("Save the {0} first.").format(_(self.doctype)), exc=frappe.DoesNotExistError)
		frappe.db.get_value(self.doctype, self.name, "name", for_update=True)
		self.reload()
		return method(self, *args, **kwargs)

	return wrapper


# ---------------------------------------------------------------- field rules


def _roles() -> set[str]:
	return set(frappe.get_roles())


def _is_trusted(doc) -> bool:
	return bool(doc.flags.server_action) or frappe.session.user == "Administrator"


def same(df, a, b) -> bool:
	"""Equal as the database would store them ("5" and 5.0, "" and None, date strings and dates)."""
	fieldtype = df.fieldtype if df else "Data"
	if fieldtype in NUMERIC:
		return flt(a) == flt(b) if fieldtype != "Check" else cint(a) == cint(b)
	if fieldtype in DATES:
		if not a or not b:
			return not a and not b
		try:
			return DATES[fieldtype](a) == DATES[fieldtype](b)
		except Exception:
			return False
	return (a or "") == (b or "")


def _baseline(doc, before) -> dict:
	"""What a server-owned field holds before the server computes it: the stored value, or for a
	new document the default Frappe itself fills in (`Document._set_defaults`)."""
	if before is not None:
		return before.as_dict()
	return frappe.new_doc(doc.doctype, as_dict=True)


def _child_baseline(doc, tablefield: str) -> dict:
	return frappe.new_doc(
		doc.meta.get_field(tablefield).options, parent_doc=doc, parentfield=tablefield, as_dict=True
	)


def capture(doc, rules: FieldRules) -> None:
	"""`before_validate`: refuse changes by the wrong role or in the wrong state; then put every
	server-owned value back to its baseline, so the server computes from what is stored and never
	acts on what the client sent, and remember the client's values for `verify`."""
	doc.flags.client_values = doc.flags.baseline = None
	if _is_trusted(doc):
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	baseline = _baseline(doc, before)
	if rules.flow:
		check_state_editor(doc, before, baseline, rules.flow)
	for rule in rules.role_owned:
		check_role_owned(doc, before, baseline, rule, rules.flow)
	client = {}
	for fieldname in rules.server:
		client[fieldname] = doc.get(fieldname)
		doc.set(fieldname, baseline.get(fieldname))
	for tablefield, columns in rules.server_columns.items():
		client[tablefield] = _reset_table(doc, before, tablefield, columns)
	doc.flags.client_values, doc.flags.baseline = client, baseline


def verify(doc, rules: FieldRules) -> None:
	"""End of `validate`: a server-owned value the client sent must be the baseline or the value the
	server computed; anything else was forged and the save is refused."""
	client = doc.flags.client_values
	if client is None:
		return
	baseline = doc.flags.baseline
	changed = []
	for fieldname in rules.server:
		df = doc.meta.get_field(fieldname)
		value = client[fieldname]
		if not same(df, value, baseline.get(fieldname)) and not same(df, value, doc.get(fieldname)):
			changed.append(_(df.label) if df else fieldname)
	for tablefield in rules.server_columns:
		changed += _changed_rows(doc, tablefield, client[tablefield])
	doc.flags.client_values = doc.flags.baseline = None
	if changed:
		frappe.throw(
			_("These fields are set by the system and cannot be changed: {0}.").format(
				", ".join(frappe.bold(label) for label in changed)
			),
			exc=ServerOwnedFieldError,
			title=_("Read-only Field"),
		)


def _reset_table(doc, before, tablefield: str, columns) -> dict:
	"""Server-owned columns back to their stored values (new rows: defaults); a table the server
	owns whole back to its stored rows. Returns what the client sent, for `verify`."""
	df = doc.meta.get_field(tablefield)
	stored_rows = {row.name: row for row in before.get(tablefield)} if before else {}
	sent = list(doc.get(tablefield))
	if columns == "*":
		rows = _named(sent)
		doc.set(tablefield, [])
		for row in before.get(tablefield) if before else []:
			doc.append(tablefield, row.as_dict())
		return {"whole": rows}
	# a new row's baseline is the table's defaults (none to compute for an empty table, as on most
	# intakes: its parts tables)
	default = _child_baseline(doc, tablefield) if sent else {}
	snapshot = []
	for row in sent:
		stored = stored_rows.get(row.name)
		values = {}
		for column in columns:
			values[column] = row.get(column)
			row.set(column, stored.get(column) if stored else default.get(column))
		snapshot.append((row.name, row.idx, values))
	return {"rows": snapshot, "label": _(df.label), "doctype": df.options, "default": default}


def _changed_rows(doc, tablefield, sent) -> list[str]:
	table_df = doc.meta.get_field(tablefield)
	if "whole" in sent:
		# no row added, removed or changed: the client sent back exactly the stored rows
		stored = None if doc.is_new() else doc.get_doc_before_save()
		stored_rows = _named(stored.get(tablefield) if stored else [])
		meta = frappe.get_meta(table_df.options)
		return [] if _same_rows(meta, sent["whole"], stored_rows) else [_(table_df.label)]
	child_meta = frappe.get_meta(sent["doctype"])
	current = {row.name: row for row in doc.get(tablefield)}
	default = sent["default"]
	before = None if doc.is_new() else doc.get_doc_before_save()
	stored_rows = {row.name: row for row in before.get(tablefield)} if before else {}
	changed = []
	for name, idx, values in sent["rows"]:
		stored = stored_rows.get(name)
		now = current.get(name)
		for column, value in values.items():
			df = child_meta.get_field(column)
			base = stored.get(column) if stored else default.get(column)
			if not same(df, value, base) and not (now and same(df, value, now.get(column))):
				changed.append(
					_("{0}, row {1}: {2}").format(sent["label"], idx, _(df.label) if df else column)
				)
	return changed


def _named(rows) -> list[tuple]:
	rows = list(rows or [])
	return [(row.get("name"), content) for row, content in zip(rows, _rows(rows), strict=True)]


def _same_rows(meta, left: list[tuple], right: list[tuple]) -> bool:
	"""Same rows, by name and by every value as its column stores it ("2026-01-01" = a date)."""
	if [name for name, _values in left] != [name for name, _values in right]:
		return False
	for (_name, a), (_name2, b) in zip(left, right, strict=True):
		for key in set(a) | set(b):
			if not same(meta.get_field(key), a.get(key), b.get(key)):
				return False
	return True


def _field_changed(doc, base: dict, df) -> bool:
	"""Did the client change `df` from its baseline (the stored document, or a new one's defaults)?"""
	if df.fieldtype in frappe.model.table_fields:
		return not _same_rows(
			frappe.get_meta(df.options), _named(base.get(df.fieldname)), _named(doc.get(df.fieldname))
		)
	return not same(df, doc.get(df.fieldname), base.get(df.fieldname))


SYSTEM_COLUMNS = {*frappe.model.default_fields, "__islocal", "__unsaved"}


def _rows(rows) -> list[dict]:
	dicts = [row if isinstance(row, dict) else row.as_dict() for row in rows or []]
	return [
		{k: v for k, v in row.items() if k not in SYSTEM_COLUMNS and v not in (None, "", 0, 0.0)}
		for row in dicts
	]


def check_role_owned(doc, before, base: dict, rule: RoleOwned, flow: Flow | None) -> None:
	changed = [
		df for df in (doc.meta.get_field(f) for f in rule.fields) if df and _field_changed(doc, base, df)
	]
	if not changed:
		return
	state = before.get(flow.state_field) if (before and flow) else (flow.states[0] if flow else None)
	allowed = _roles() & (set(rule.roles) | SYSTEM_ROLES) and (not rule.states or state in rule.states)
	if allowed:
		return
	labels = ", ".join(frappe.bold(_(df.label)) for df in changed)
	if rule.states:
		message = _("{0} can be changed only by {1}, while the document is {2}.").format(
			labels, ", ".join(_(r) for r in rule.roles), ", ".join(_(s) for s in rule.states)
		)
	else:
		message = _("{0} can be changed only by {1}.").format(labels, ", ".join(_(r) for r in rule.roles))
	frappe.throw(message, exc=FieldOwnerError, title=_("Not Permitted"))


def check_state_editor(doc, before, base: dict, flow: Flow) -> None:
	"""The workflow's "allow edit" on the server: changing a document in a state needs one of that
	state's editor roles, or the right to make the transition the change carries."""
	if before is None:
		return  # creating is governed by the DocType's create permission
	old = before.get(flow.state_field)
	new = doc.get(flow.state_field)
	roles = _roles()
	if roles & (set(flow.editors.get(old, ())) | SYSTEM_ROLES):
		return
	if old != new and roles & flow.roles_for(old, new):
		return
	if old == new and not _has_changes(doc, base):
		return  # a save that changes nothing
	frappe.throw(
		_("You cannot change a {0} while it is {1}: that is for {2}.").format(
			_(doc.doctype), frappe.bold(_(old)), ", ".join(_(r) for r in flow.editors.get(old, ()))
		),
		exc=StateEditError,
		title=_("Not Permitted"),
	)


def _has_changes(doc, base: dict) -> bool:
	return any(
		_field_changed(doc, base, df)
		for df in doc.meta.fields
		if df.fieldtype not in frappe.model.no_value_fields or df.fieldtype in frappe.model.table_fields
	)


def check_cancel(doc, rules: FieldRules) -> None:
	"""`before_cancel` (first thing): Frappe's cancel saves the copy the client sent (`run_doc_method`
	"cancel" or `savedocs` "Cancel" with a forged `docs`) without `validate`, so `capture`/`verify`
	never see it, and `on_cancel` would act on its links (a scrap entry, a supplier return, a stock
	reconciliation to cancel as the system). A server-owned value (or row) that is not the stored one
	is refused; the desk's Cancel sends the stored record and passes."""
	if _is_trusted(doc) or doc.is_new():
		return
	before = doc.get_doc_before_save()
	if before is None:
		return
	changed = []
	for fieldname in rules.server:
		df = doc.meta.get_field(fieldname)
		if not same(df, doc.get(fieldname), before.get(fieldname)):
			changed.append(_(df.label) if df else fieldname)
	for tablefield in rules.server_columns:
		df = doc.meta.get_field(tablefield)
		if not _same_rows(
			frappe.get_meta(df.options), _named(before.get(tablefield)), _named(doc.get(tablefield))
		):
			changed.append(_(df.label))
	if changed:
		frappe.throw(
			_("These fields are set by the system and cannot be changed: {0}.").format(
				", ".join(frappe.bold(label) for label in changed)
			),
			exc=ServerOwnedFieldError,
			title=_("Read-only Field"),
		)
