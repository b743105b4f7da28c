"""Side channels of the record-level rules (hooks permission_query_conditions, has_permission and
doc_events; docs/security.md).

The rules of each DocType (service_work_order/permissions.py, complaints/permissions.py,
returns/permissions.py) decide who reads which record. Frappe applies them to queries on that
DocType only, so without the hooks here the same records leak through:

- child tables: `frappe.client.get_list("Service Work Order Part", parent="Service Work Order")`
  checks the role on the parent DocType and then lists every row of every order. Each child
  DocType of the app gets a condition keeping the rows whose parent the user may read.
- files: Frappe lists a private File to every desk user with a role on the DocType it is attached
  to, and serves public files to anyone. Files attached to a record with record-level rules are
  made private when uploaded and listed or read only by those who may read the record.
"""

import frappe
from frappe import _
from frappe.model import table_fields

# DocTypes whose records are restricted row by row (hooks: permission_query_conditions)
RECORD_RULED = (
	"Service Work Order",
	"Customer Complaint",
	"Return Request",
	"Corrective Action",
	"Settlement Statement",
	"Service Appraisal",
	"Service Appraisal Feedback",
)


class PrivateFileExistsError(frappe.ValidationError):
	pass


def readable_names_query(doctype: str, user: str) -> str | None:
	"""SQL selecting the names of the `doctype` records that `user` may read, with every rule Frappe
	applies to a list (role, user permissions, sharing, the app's conditions); None when the user
	has no read on the DocType at all."""
	if not frappe.has_permission(doctype, "read", user=user):
		return None
	return frappe.get_list(doctype, fields=["name"], order_by="", user=user, run=0, limit_page_length=0)


def parents_of(child_doctype: str) -> list[str]:
	"""DocTypes holding `child_doctype` as a table (standard and custom fields)."""
	meta_parents = frappe.get_all(
		"DocField",
		{"options": child_doctype, "fieldtype": ["in", table_fields], "parenttype": "DocType"},
		pluck="parent",
		distinct=True,
	)
	custom_parents = frappe.get_all(
		"Custom Field",
		{"options": child_doctype, "fieldtype": ["in", table_fields]},
		pluck="dt",
		distinct=True,
	)
	return sorted(set(meta_parents) | set(custom_parents))


def child_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Rows of a child table whose parent record the user may read (hooks, for each of the app's
	child DocTypes)."""
	user = user or frappe.session.user
	if user == "Administrator" or not doctype:
		return ""
	table = f"`tab{doctype}`"
	allowed = []
	for parent in parents_of(doctype):
		if frappe.get_meta(parent).issingle:  # a table of a settings document: its readers
			if frappe.has_permission(parent, "read", user=user):
				allowed.append(f"({table}.parenttype = {frappe.db.escape(parent)})")
			continue
		names = readable_names_query(parent, user)
		if names is not None:
			allowed.append(
				f"({table}.parenttype = {frappe.db.escape(parent)} and {table}.parent in ({names}))"
			)
	return f"({' or '.join(allowed)})" if allowed else "1=0"


# ------------------------------------------------------------------------------------------ files


def file_query_conditions(user: str | None = None) -> str:
	"""Files attached to a record-ruled document are listed to its readers and to their uploader;
	Frappe's own File conditions still apply on top of this one."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	allowed = [
		"ifnull(`tabFile`.attached_to_doctype, '') not in ({})".format(
			", ".join(frappe.db.escape(d) for d in RECORD_RULED)
		),
		f"`tabFile`.owner = {frappe.db.escape(user)}",
	]
	for doctype in RECORD_RULED:
		names = readable_names_query(doctype, user)
		if names is not None:
			allowed.append(
				f"(`tabFile`.attached_to_doctype = {frappe.db.escape(doctype)}"
				f" and `tabFile`.attached_to_name in ({names}))"
			)
	return f"({' or '.join(allowed)})"


def file_has_permission(doc, ptype: str = "read", user: str | None = None):
	"""Deny a File attached to a record-ruled document to anyone but its uploader and those who may
	read (or, to change it, write) that document, public or not. Otherwise no opinion (None), so
	Frappe's own File rule decides: a has_permission hook that returns True would overrule it."""
	user = user or frappe.session.user
	if user == "Administrator" or doc.attached_to_doctype not in RECORD_RULED or not doc.attached_to_name:
		return None
	if user != "Guest" and doc.owner == user:
		return None
	right = "write" if ptype in ("write", "create", "delete") else "read"
	try:
		allowed = frappe.has_permission(doc.attached_to_doctype, right, doc.attached_to_name, user=user)
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		allowed = False
	return None if allowed else False


def make_attachment_private(doc, method=None) -> None:
	"""doc_events File after_insert: a file uploaded to a record-ruled document by another path than
	`upload_file` (which query_guard makes private from the start) is moved to the private files,
	which the web server hands out only after the permission check above; public files are served
	to anyone who knows or guesses the URL. A file whose content another File record shares (an
	existing public file linked by URL) is left where it is: moving it would take it from its
	other users."""
	if (
		doc.is_folder
		or doc.is_private
		or doc.attached_to_doctype not in RECORD_RULED
		or doc.is_remote_file
		or not (doc.file_url or "").startswith("/files/")
	):
		return
	if doc.content_hash and frappe.db.exists(
		"File", {"content_hash": doc.content_hash, "name": ["!=", doc.name]}
	):
		return
	doc.is_private = 1
	try:
		doc.handle_is_private_changed()
	except FileExistsError:
		frappe.throw(
			_("A private file named {0} already exists. Rename the file and upload it again.").format(
				frappe.bold(doc.file_name)
			),
			exc=PrivateFileExistsError,
			title=_("File Not Uploaded"),
		)
	doc.db_set({"is_private": 1, "file_url": doc.file_url}, update_modified=False)


def force_private_upload() -> None:
	"""Before `upload_file` (query_guard): an upload to a record-ruled document is private."""
	if frappe.form_dict.get("doctype") in RECORD_RULED:
		frappe.form_dict.is_private = 1
