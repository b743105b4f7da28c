# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A corrective or preventive action (CP-8, FV-4), raised from a complaint, an unsatisfied
follow-up or a failed quality check, and tracked to a verified closure.

The app's own small DocType rather than ERPNext's Quality module: Non Conformance needs a Quality
Procedure for every entry and Quality Action has no owner, deadline or verification step; the
after-sales loop (identify, root cause, act, verify) fits these few fields better."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import nowdate, strip_html

from aftersales import integrity
from aftersales.domain import desk_actions

FIELD_RULES = integrity.FieldRules(server=("implemented_on", "verified_by", "verified_on"))

OPEN, IMPLEMENTED, CLOSED = "Open", "Implemented", "Closed"
ALLOWED = {OPEN: {IMPLEMENTED}, IMPLEMENTED: {OPEN, CLOSED}, CLOSED: set()}
SOURCES = ("Customer Complaint", "Service Follow-up", "Service Work Order")


class CorrectiveActionError(frappe.ValidationError):
	pass


class CorrectiveAction(Document):
	def before_validate(self):
		integrity.capture(self, FIELD_RULES)

	def validate(self):
		self.check_status_change()
		integrity.verify(self, FIELD_RULES)

	def check_status_change(self):
		before = self.get_doc_before_save()
		old = before.status if before else OPEN
		if (self.is_new() and self.status != OPEN) or (
			old != self.status and self.status not in ALLOWED[old]
		):
			frappe.throw(
				_("A corrective action cannot go from {0} to {1}.").format(_(old), _(self.status)),
				exc=CorrectiveActionError,
			)
		if self.status == IMPLEMENTED and old == OPEN:
			if not (self.root_cause and self.action):
				frappe.throw(
					_("Record the root cause and the action taken first."), exc=CorrectiveActionError
				)
			self.implemented_on = nowdate()
			self.verification_result = None
		if self.status == CLOSED and old != CLOSED:
			self.verify()
		if self.status == OPEN and old == IMPLEMENTED:
			self.implemented_on = None

	def verify(self):
		if not set(desk_actions.roles_for("Corrective Action", "verify")) & set(frappe.get_roles()):
			frappe.throw(
				_("A Quality Inspector or the After-Sales Manager verifies corrective actions."),
				exc=CorrectiveActionError,
				title=_("Not Permitted"),
			)
		if self.verification_result != "Effective":
			frappe.throw(
				_("A corrective action closes only when it has been verified as effective."),
				exc=CorrectiveActionError,
				title=_("Not Verified"),
			)
		self.verified_by, self.verified_on = frappe.session.user, nowdate()


@frappe.whitelist()
def make_corrective_action(source_name: str, source_doctype: str | None = None):
	"""A new (unsaved) Corrective Action filled from its source. From the desk it is called through
	frappe.model.open_mapped_doc, which passes `source_doctype` as a flag."""
	source_doctype = source_doctype or frappe.flags.source_doctype
	if source_doctype not in SOURCES:
		frappe.throw(_("Corrective actions are raised from {0}.").format(", ".join(_(s) for s in SOURCES)))
	source = frappe.get_doc(source_doctype, source_name)
	source.check_permission("read")
	action = frappe.new_doc("Corrective Action")
	action.update(
		{"source_doctype": source_doctype, "source_name": source_name, "owner_user": frappe.session.user}
	)
	if source_doctype == "Customer Complaint":
		action.problem = source.subject
		action.root_cause = source.root_cause
		action.problem_class = {
			"Parts Quality": "Parts Quality",
			"Service Attitude": "Service Attitude",
			"Repair Quality": "Repair Quality",
		}.get(source.category, "Other")
	elif source_doctype == "Service Follow-up":
		action.problem = _("Follow-up {0}: {1}").format(source.name, _(source.outcome or "")) + (
			". " + source.remarks if source.remarks else ""
		)
		action.problem_class = (
			"Service Attitude" if source.outcome == "Attitude Complaint" else "Repair Quality"
		)
	else:
		action.problem = _("Failed quality check on {0}: {1}").format(
			source.name, strip_html(source.qc_remarks or "")
		)
		action.problem_class = "Repair Quality"
	return action
