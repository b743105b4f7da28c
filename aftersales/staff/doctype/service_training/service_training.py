# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A training session of an annual, quarterly or monthly plan (AP-2): topic, product groups,
trainer, date, the attendees with their attendance and test scores against the pass mark, and the
evaluation of the session. Submitting it records the results: every attendee who attended and
reached the pass mark is certified for each of the session's product groups (when the session
certifies), for the months the session sets. Cancelling it revokes those certifications."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, add_months, flt

from aftersales.integrity import FieldRules, capture, server_action, verify

# Passing is the pass mark's verdict; the certifications are issued by the system.
FIELD_RULES = FieldRules(server=("status",), server_columns={"attendees": ("passed", "certification")})


class TrainingError(frappe.ValidationError):
	pass


class ServiceTraining(Document):
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		self.validate_marks()
		self.validate_attendees()
		self.set_results()
		verify(self, FIELD_RULES)

	def before_submit(self):
		if not self.attendees:
			frappe.throw(_("Add the attendees before recording the results."), exc=TrainingError)
		if self.issues_certification and not self.item_groups:
			frappe.throw(
				_("A session that certifies names the product groups it certifies for."),
				exc=TrainingError,
				title=_("Product Groups Required"),
			)
		self.status = "Completed"

	def on_submit(self):
		if self.issues_certification:
			self.issue_certifications()

	def before_cancel(self):
		self.status = "Cancelled"

	def on_cancel(self):
		self.db_set("status", "Cancelled")
		for name in frappe.get_all(
			"Technician Certification", {"training": self.name, "revoked": 0}, pluck="name"
		):
			certification = frappe.get_doc("Technician Certification", name)
			certification.revoked = 1
			certification.notes = _("Revoked: training {0} was cancelled.").format(self.name)
			server_action(certification, "training cancelled")
			certification.save(ignore_permissions=True)

	def validate_marks(self):
		if not 0 <= flt(self.pass_mark) <= 100:
			frappe.throw(
				_("The pass mark lies between 0 and 100."), exc=TrainingError, title=_("Invalid Pass Mark")
			)
		if self.issues_certification and (self.certification_months or 0) <= 0:
			frappe.throw(
				_("Give the months a certification from this session is valid."),
				exc=TrainingError,
				title=_("Validity Required"),
			)

	def validate_attendees(self):
		seen = set()
		for row in self.attendees:
			if row.employee in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice.").format(
						row.idx, frappe.bold(row.employee_name or row.employee)
					),
					exc=TrainingError,
					title=_("Duplicate Attendee"),
				)
			seen.add(row.employee)
			if not 0 <= flt(row.test_score) <= 100:
				frappe.throw(
					_("Row {0}: a test score lies between 0 and 100.").format(row.idx),
					exc=TrainingError,
					title=_("Invalid Test Score"),
				)
			if flt(row.test_score) and not row.attended:
				frappe.throw(
					_("Row {0}: {1} has a test score but did not attend.").format(
						row.idx, frappe.bold(row.employee_name or row.employee)
					),
					exc=TrainingError,
					title=_("Invalid Attendance"),
				)

	def set_results(self):
		for row in self.attendees:
			row.passed = int(bool(row.attended) and flt(row.test_score) >= flt(self.pass_mark))

	def issue_certifications(self):
		valid_until = add_days(add_months(self.training_date, self.certification_months), -1)
		for row in self.attendees:
			if not row.passed:
				continue
			issued = []
			for group in self.item_groups:
				certification = frappe.get_doc(
					{
						"doctype": "Technician Certification",
						"employee": row.employee,
						"item_group": group.item_group,
						"level": self.certification_level,
						"valid_from": self.training_date,
						"valid_until": valid_until,
						"source": "Training",
						"training": self.name,
						"test_score": row.test_score,
					}
				)
				server_action(certification, "issued by a training")
				certification.insert(ignore_permissions=True)
				issued.append(certification.name)
			if issued:
				row.db_set("certification", issued[0])
