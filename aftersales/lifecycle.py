"""The one status-change check shared by the app's documents: a change must be a transition of the
document's lifecycle (aftersales/domain/*_flow.py), whoever makes it (desk, API, import, code)."""

import frappe
from frappe import _

from aftersales.domain.workflow import Flow


def check_status_change(doc, flow: Flow, exc: type[Exception]) -> str | None:
	"""Throw `exc` unless the status change of `doc` is allowed; return the previous status (None for
	a new document, which must start in the first state)."""
	before = doc.get_doc_before_save()
	old = before.get(flow.state_field) if before else None
	new = doc.get(flow.state_field)
	first = flow.states[0]
	if (old is None and new != first) or (old is not None and not flow.is_allowed(old, new)):
		frappe.throw(
			_("{0} cannot go from {1} to {2}.").format(
				_(doc.doctype), frappe.bold(_(old or first)), frappe.bold(_(new))
			),
			exc=exc,
			title=_("Invalid Status Change"),
		)
	return old
