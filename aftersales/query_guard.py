"""Guards in front of Frappe's list endpoints (hooks: override_whitelisted_methods and
auth_hooks; docs/security.md).

1. SQL through GROUP BY / ORDER BY. Frappe 15.79.0 pastes a client's `group_by` and `order_by`
   into its SQL after `DatabaseQuery.validate_order_by_and_group_by`, whose sub-query check is
   written with "\\b" (a backspace character) instead of r"\\b" and so never matches: a
   `group_by` of `name union select ... from tabUser` works for any logged-in user, portal
   customers included (version-15 commit c2b01e3, "improve order_by/group_by sanitization",
   replaced the older select/from check with it). Until the bench runs a Frappe that fixes it
   (pyproject.toml, scripts/setup.sh), every path that takes those clauses accepts only plain
   columns of the DocType or of its child tables (aftersales.domain.privacy.parse_columns).
   Each override checks its arguments and then calls Frappe's own function unchanged.
2. Counts without permissions. `frappe.client.get_count` counts with `frappe.db.count`, which
   applies no permission at all: any user learns how many orders of another customer match any
   filter, a yes/no oracle on every field. It counts through `frappe.get_list` here, with the
   record-level rules, as `frappe.desk.reportview.get_count` does.
3. Filters on internal fields. Frappe hides permlevel fields from the results but still lets a
   client filter and sort on them (`margin > 1000`): refused on these endpoints.
4. Link search. `frappe.desk.search.search_link(..., ignore_user_permissions=1)` skips every
   permission check, record-level rules included, when the user has a role on the DocType: for
   the app's record-ruled DocTypes the flag is dropped.
5. Uploads to a record-ruled document are private (aftersales.privacy).
"""

import json

import frappe
import frappe.client
import frappe.desk.listview
import frappe.desk.reportview
import frappe.desk.search
import frappe.handler
from frappe import _
from frappe.model import child_table_fields, default_fields, optional_fields

from aftersales.domain.privacy import parse_columns
from aftersales.privacy import RECORD_RULED, force_private_upload

# ORDER BY names that are not columns but that Frappe's own list views sort by
ORDER_ALIASES = {"_aggregate_column", "_relevance", "KEEP_DEFAULT_ORDERING"}
AGGREGATES = {"count", "sum", "avg"}


class UnsafeQueryError(frappe.ValidationError):
	"""A list query carried something other than plain columns in GROUP BY or ORDER BY."""


class HiddenFieldQueryError(frappe.PermissionError):
	"""A list query filtered or sorted on a field the user may not read."""


# ------------------------------------------------------------------------------------ the checks


def _meta(doctype: str):
	if not doctype or not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype):
		return None
	return frappe.get_meta(doctype)


def _columns_of(doctype: str) -> set[str]:
	meta = frappe.get_meta(doctype)
	columns = set(meta.get_valid_columns()) | set(default_fields) | set(optional_fields)
	if meta.istable:
		columns |= set(child_table_fields)
	return columns


def _tables(doctype: str) -> set[str]:
	"""The DocType and the child DocTypes a list query on it may join."""
	meta = frappe.get_meta(doctype)
	return {doctype} | {df.options for df in meta.get_table_fields()}


def _refuse(clause: str, value, doctype: str):
	"""The refused value is not echoed: it is the attacker's SQL, and messages are shown as HTML."""
	frappe.throw(
		_("{0} accepts only fields of {1}, each optionally followed by asc or desc in a sort.").format(
			frappe.bold(clause), frappe.bold(_(doctype))
		),
		exc=UnsafeQueryError,
		title=_("Invalid Query"),
	)


def check_clause(doctype: str, clause_name: str, value, allow_direction: bool) -> list[tuple[str, str]]:
	"""The (doctype, fieldname) of each column of a GROUP BY or ORDER BY clause; refuses anything
	that is not a plain column of `doctype` or of one of its child tables."""
	if value in (None, ""):
		return []
	if not isinstance(value, str):
		_refuse(clause_name, value, doctype)
	columns = parse_columns(value, allow_direction=allow_direction)
	if columns is None:
		_refuse(clause_name, value, doctype)
	tables = _tables(doctype)
	found = []
	for table, fieldname in columns:
		if table is None and allow_direction and fieldname in ORDER_ALIASES:
			continue
		table = table or doctype
		if table not in tables or fieldname not in _columns_of(table):
			_refuse(clause_name, value, doctype)
		found.append((table, fieldname))
	return found


def hidden_fields(doctype: str, parenttype: str | None = None) -> set[str]:
	"""Fields of `doctype` on a permlevel the session user may not read (for a child DocType, as
	seen from `parenttype`)."""
	meta = frappe.get_meta(doctype)
	if frappe.session.user == "Administrator":
		return set()
	readable = meta.get_permlevel_access("read", parenttype=parenttype)
	return {df.fieldname for df in meta.get_high_permlevel_fields() if df.permlevel not in readable}


def _filter_columns(doctype: str, filters) -> list[tuple[str, str]]:
	"""(doctype, fieldname) of each condition of a filters argument (dict, list or JSON)."""
	if isinstance(filters, str):
		try:
			filters = json.loads(filters)
		except ValueError:
			return []
	found = []
	if isinstance(filters, dict):
		items = [[key, value] for key, value in filters.items()]
	elif isinstance(filters, list | tuple):
		items = filters
	else:
		return []
	for item in items:
		if isinstance(item, dict):
			found += _filter_columns(doctype, item)
		elif isinstance(item, list | tuple) and len(item) >= 4 and isinstance(item[1], str):
			found.append((item[0] if isinstance(item[0], str) else doctype, item[1]))
		elif isinstance(item, list | tuple) and item and isinstance(item[0], str):
			found.append((doctype, item[0]))
	result = []
	for table, fieldname in found:
		fieldname = fieldname.replace("`", "")
		if "." in fieldname:
			prefix, fieldname = fieldname.split(".", 1)
			table = prefix.removeprefix("tab") or table
		result.append((table, fieldname))
	return result


def check_hidden(doctype: str, columns: list[tuple[str, str]], parent: str | None = None) -> None:
	for table, fieldname in columns:
		if not _meta(table):
			continue
		parenttype = parent if table == doctype else doctype
		if fieldname in hidden_fields(table, parenttype if frappe.get_meta(table).istable else None):
			frappe.throw(
				_("You may not filter or sort {0} by {1}.").format(
					frappe.bold(_(doctype)), frappe.bold(_(frappe.get_meta(table).get_label(fieldname)))
				),
				exc=HiddenFieldQueryError,
				title=_("Not Permitted"),
			)


def check_list_args(
	doctype,
	group_by=None,
	order_by=None,
	filters=None,
	or_filters=None,
	parent=None,
	check_permlevel: bool = True,
) -> None:
	"""Refuse a GROUP BY or ORDER BY that is not made of plain columns, and (for a known user)
	conditions or sorting on fields the user may not read."""
	if not _meta(doctype):
		if group_by or order_by:
			_refuse("group_by" if group_by else "order_by", group_by or order_by, str(doctype))
		return
	columns = check_clause(doctype, "group_by", group_by, allow_direction=False)
	columns += check_clause(doctype, "order_by", order_by, allow_direction=True)
	if check_permlevel:
		columns += _filter_columns(doctype, filters) + _filter_columns(doctype, or_filters)
		check_hidden(doctype, columns, parent)


def check_form_dict() -> None:
	form = frappe.form_dict
	check_list_args(
		form.get("doctype"),
		group_by=form.get("group_by"),
		order_by=form.get("order_by"),
		filters=form.get("filters"),
		or_filters=form.get("or_filters"),
		parent=form.get("parent_doctype") or form.get("parenttype"),
	)


# ------------------------------------------------------------------- overrides (hooks.py names)


@frappe.whitelist()
def reportview_get():
	check_form_dict()
	return frappe.desk.reportview.get()


@frappe.whitelist()
def reportview_get_list():
	check_form_dict()
	return frappe.desk.reportview.get_list()


@frappe.whitelist()
def reportview_get_count() -> int:
	check_form_dict()
	return frappe.desk.reportview.get_count()


@frappe.whitelist()
def reportview_export_query():
	check_form_dict()
	return frappe.desk.reportview.export_query()


@frappe.whitelist(methods=["POST", "PUT"])
def reportview_save_report(name, doctype, report_settings):
	"""A saved Report Builder report runs its own ORDER BY, GROUP BY and aggregate later, through
	`frappe.get_list`: the same rules apply to them when the report is saved."""
	settings = frappe.parse_json(report_settings) or {}
	if not isinstance(settings, dict):
		_refuse("report_settings", report_settings, doctype)
	group = settings.get("group_by") or {}
	if group:
		if not isinstance(group, dict):
			_refuse("group_by", group, doctype)
		function = str(group.get("aggregate_function") or "count").lower()
		if function not in AGGREGATES:
			_refuse("aggregate_function", function, doctype)
		if function != "count":
			check_clause(doctype, "aggregate_on", group.get("aggregate_on"), allow_direction=False)
	for key, order in (("sort_by", "sort_order"), ("sort_by_next", "sort_order_next")):
		if settings.get(key):
			table, _sep, fieldname = str(settings[key]).partition(".")
			check_clause(doctype, key, f"`tab{table}`.`{fieldname}`", allow_direction=False)
			if str(settings.get(order) or "").lower() not in ("asc", "desc"):
				_refuse(order, settings.get(order), doctype)
	check_list_args(
		doctype,
		group_by=group.get("group_by") if group else None,
		order_by=settings.get("order_by"),
		filters=settings.get("filters"),
	)
	return frappe.desk.reportview.save_report(name, doctype, report_settings)


@frappe.whitelist()
def client_get_list(
	doctype,
	fields=None,
	filters=None,
	group_by=None,
	order_by=None,
	limit_start=None,
	limit_page_length=20,
	parent=None,
	debug: bool = False,
	as_dict: bool = True,
	or_filters=None,
):
	check_list_args(doctype, group_by, order_by, filters, or_filters, parent)
	return frappe.client.get_list(
		doctype,
		fields=fields,
		filters=filters,
		group_by=group_by,
		order_by=order_by,
		limit_start=limit_start,
		limit_page_length=limit_page_length,
		parent=parent,
		debug=debug,
		as_dict=as_dict,
		or_filters=or_filters,
	)


@frappe.whitelist()
def client_get_count(doctype, filters=None, debug=False, cache=False) -> int:
	"""Frappe's signature; counts only the records the user may read (see the module docstring)."""
	from frappe.utils import get_safe_filters

	filters = get_safe_filters(filters)
	check_list_args(doctype, filters=filters)
	rows = frappe.get_list(
		doctype,
		filters=filters,
		fields=[f"count(distinct `tab{doctype}`.`name`) as total_count"],
		order_by="",
		limit_page_length=0,
		debug=debug,
	)
	return rows[0].total_count if rows else 0


@frappe.whitelist()
def client_get_value(doctype, fieldname, filters=None, as_dict=True, debug=False, parent=None):
	check_list_args(doctype, filters=filters, parent=parent)
	return frappe.client.get_value(
		doctype, fieldname, filters=filters, as_dict=as_dict, debug=debug, parent=parent
	)


def _search_flag(doctype: str, ignore_user_permissions) -> bool:
	"""`ignore_user_permissions` makes Frappe skip every permission check of the search, record
	rules included: never for the app's record-ruled DocTypes."""
	return False if doctype in RECORD_RULED else ignore_user_permissions


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters: str | dict | list | None = None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	return frappe.desk.search.search_link(
		doctype,
		txt,
		query=query,
		filters=filters,
		page_length=page_length,
		searchfield=searchfield,
		reference_doctype=reference_doctype,
		ignore_user_permissions=_search_flag(doctype, ignore_user_permissions),
	)


@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters: str | dict | list | None = None,
	filter_fields=None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	return frappe.desk.search.search_widget(
		doctype,
		txt,
		query=query,
		searchfield=searchfield,
		start=start,
		page_length=page_length,
		filters=filters,
		filter_fields=filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=_search_flag(doctype, ignore_user_permissions),
	)


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""The list sidebar's counts. For "Assigned To" Frappe counts the ToDos of every record matching
	the filters, without permissions; here only of the records the user may read."""
	check_list_args(doctype, filters=current_filters)
	if field != "assigned_to":
		return frappe.desk.listview.get_group_by_count(doctype, current_filters, field)
	names = frappe.get_list(
		doctype, filters=frappe.parse_json(current_filters), fields=["name"], order_by="", run=0
	)
	return frappe.db.sql(
		f"""select todo.allocated_to as name, count(*) as count
		from `tabToDo` todo join `tabUser` user on user.name = todo.allocated_to
		where todo.status != 'Cancelled' and user.user_type = 'System User'
			and todo.reference_type = %(doctype)s and todo.reference_name in ({names})
		group by todo.allocated_to order by count desc limit 50""",
		{"doctype": doctype},
		as_dict=True,
	)


@frappe.whitelist(allow_guest=True)
def upload_file():
	force_private_upload()
	return frappe.handler.upload_file()


# ---------------------------------------------------------------------------- REST list routes


def check_rest_list() -> None:
	"""auth_hooks (Frappe calls them once the request's user is known, session or API key, before
	the API handler): `/api/resource/<doctype>` and `/api/v2/document/<doctype>` list through
	`frappe.client.get_list` without passing `override_whitelisted_methods`, so the same checks as
	the endpoints above apply here: plain GROUP BY / ORDER BY, no condition or sort on fields the
	user may not read."""
	request = getattr(frappe.local, "request", None)
	if not request or request.method != "GET":
		return
	parts = request.path.strip("/").split("/")
	if len(parts) == 3 and parts[:2] == ["api", "resource"]:
		doctype = parts[2]
	elif len(parts) == 4 and parts[:3] == ["api", "v2", "document"]:
		doctype = parts[3]
	elif len(parts) == 5 and parts[:3] == ["api", "v2", "doctype"] and parts[4] == "count":
		doctype = parts[3]
	else:
		return
	form = frappe.form_dict
	check_list_args(
		doctype,
		form.get("group_by"),
		form.get("order_by"),
		filters=form.get("filters"),
		or_filters=form.get("or_filters"),
		check_permlevel=frappe.session.user not in (None, "", "Guest"),
	)
