"""Sharing gives no more than the sharer has.

Frappe lets anyone with the *share* right on a document share it, and takes the rights to give
(`write`, `submit`, `share`) from the request (`frappe.share.add`): a role that may only read and
share a document could share it with itself *with write* and then change it — a Service Desk Agent
rewriting the text of a Customer Care Message that goes to every customer, or a Follow-up Plan.
Frappe asks the shared document through `validate_share` (DocShare.validate); here, for the app's
DocTypes, a right the sharer does not hold by their own roles (shares left out) is refused, unless
it is already in the share. Shares the server makes itself (assignments: `ignore_share_permission`)
pass as before.
"""

import frappe
from frappe import _
from frappe.permissions import has_permission
from frappe.utils import cint

RIGHTS = ("write", "submit", "share")
APP = "aftersales"


class ShareRightError(frappe.PermissionError):
	"""A share would give a right the sharer does not have."""


def is_app_doctype(doctype: str) -> bool:
	module = frappe.get_meta(doctype).module
	return frappe.local.module_app.get(frappe.scrub(module or "")) == APP


def validate_share(doc, method=None, share=None) -> None:
	"""doc_events "*" `validate_share`: `doc` is the shared document, `share` the DocShare."""
	if share is None or share.flags.ignore_share_permission or frappe.session.user == "Administrator":
		return
	if not is_app_doctype(doc.doctype):
		return
	before = share.get_doc_before_save() if not share.is_new() else None
	for right in RIGHTS:
		if not cint(share.get(right)) or (before and cint(before.get(right))):
			continue
		if not has_permission(doc.doctype, right, doc, raise_exception=False, ignore_share_permissions=True):
			frappe.throw(
				_("You cannot give the right to {0} {1} {2}: you do not have it yourself.").format(
					_(right), _(doc.doctype), frappe.bold(doc.name)
				),
				exc=ShareRightError,
				title=_("Not Permitted"),
			)
