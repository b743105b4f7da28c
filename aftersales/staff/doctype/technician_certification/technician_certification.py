# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A technician's certification for an item group (AP-2): issued by a passed Service Training, or
entered by a manager with its evidence. Dispatch checks it (aftersales/staff/certification.py):
a work order goes to a technician certified for its product's item group (or a parent group),
refused or warned as After-Sales Settings say; expiring certifications are announced 30 days ahead."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, nowdate

from aftersales.integrity import FieldRules, capture, verify

# Where a certification came from is recorded by the system: a training issues it, a manager can
# only enter one with evidence.
FIELD_RULES = FieldRules(server=("status", "source", "training", "test_score", "expiry_notified_on"))


class CertificationError(frappe.ValidationError):
	pass


def status_of(doc, today=None) -> str:
	today = getdate(today or nowdate())
	if doc.revoked:
		return "Revoked"
	if doc.valid_from and today < getdate(doc.valid_from):
		return "Not Yet Valid"
	if doc.valid_until and today > getdate(doc.valid_until):
		return "Expired"
	return "Valid"


class TechnicianCertification(Document):
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		self.validate_dates()
		self.validate_evidence()
		self.status = status_of(self)
		before = None if self.is_new() else self.get_doc_before_save()
		if before and getdate(before.valid_until) != getdate(self.valid_until):
			self.expiry_notified_on = None  # a new expiry date is announced again
		verify(self, FIELD_RULES)

	def validate_dates(self):
		if getdate(self.valid_until) < getdate(self.valid_from):
			frappe.throw(
				_("A certification cannot end before it starts."),
				exc=CertificationError,
				title=_("Invalid Dates"),
			)

	def validate_evidence(self):
		if self.source == "Training":
			if not self.training:
				frappe.throw(_("A certification from a training names the training."), exc=CertificationError)
			return
		if not self.evidence:
			frappe.throw(
				_("Attach the evidence (a certificate or test record) of this certification."),
				exc=CertificationError,
				title=_("Evidence Required"),
			)
