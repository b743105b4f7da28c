# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""One rater's 360 input on one appraisal (AP-4): the superior, a peer or the employee rates the
appraisal's criteria. Made by the appraisal (aftersales/staff/feedback.py), one per rater;
submitted, it counts in the appraisal's 360 score. Only the rater reads or changes it (the
After-Sales Manager reads all of them): aftersales/staff/permissions.py."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from aftersales.domain import appraisal as rules
from aftersales.domain import appraisal_flow as flow
from aftersales.integrity import FieldRules, ServerOwnedFieldError, capture, verify

# Who rates whom, on what and with which weight is set when the feedback is requested; the rater
# gives the ratings and comments.
FIELD_RULES = FieldRules(
	server=("appraisal", "employee", "period", "rater_type", "rater", "rater_user", "feedback_key", "score"),
	server_columns={"ratings": ("criterion", "weight")},
)
REVIEW_STATES = (flow.SELF_REVIEW, flow.MANAGER_REVIEW)


class FeedbackStateError(frappe.ValidationError):
	pass


class FeedbackIncompleteError(frappe.ValidationError):
	pass


class NotYourFeedbackError(frappe.PermissionError):
	pass


class ServiceAppraisalFeedback(Document):
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		self.check_rater()
		self.check_rows()
		self.check_appraisal_open()
		self.validate_ratings()
		self.score = self.compute_score()
		self.feedback_key = f"{self.appraisal}|{self.rater}"
		verify(self, FIELD_RULES)

	def before_submit(self):
		missing = [str(row.idx) for row in self.ratings if not flt(row.rating)]
		if missing:
			frappe.throw(
				_("Rate every criterion before submitting (rows {0}).").format(", ".join(missing)),
				exc=FeedbackIncompleteError,
				title=_("Ratings Missing"),
			)

	def on_submit(self):
		self.update_appraisal()

	def before_cancel(self):
		self.check_rater()
		self.check_appraisal_open()

	def on_cancel(self):
		self.db_set("feedback_key", None)
		self.update_appraisal()

	def check_rater(self):
		if self.flags.server_action or frappe.session.user == "Administrator":
			return
		stored = self.get_doc_before_save() if not self.is_new() else None
		rater_user = (stored or self).rater_user
		if frappe.session.user != rater_user:
			frappe.throw(
				_("Only the rater gives this feedback."), exc=NotYourFeedbackError, title=_("Not Permitted")
			)

	def check_rows(self):
		"""The criteria rated are the appraisal's: rows are neither added nor removed."""
		if self.flags.server_action or self.is_new():
			return
		before = self.get_doc_before_save()
		if [row.name for row in self.ratings] != [row.name for row in before.ratings]:
			frappe.throw(
				_("These fields are set by the system and cannot be changed: {0}.").format(
					frappe.bold(_("Ratings"))
				),
				exc=ServerOwnedFieldError,
				title=_("Read-only Field"),
			)

	def check_appraisal_open(self):
		status = frappe.db.get_value("Service Appraisal", self.appraisal, "status")
		if status not in REVIEW_STATES:
			frappe.throw(
				_("Appraisal {0} is {1}: its feedback can no longer change.").format(
					frappe.bold(self.appraisal), frappe.bold(_(status or ""))
				),
				exc=FeedbackStateError,
				title=_("Appraisal Closed"),
			)

	def validate_ratings(self):
		for row in self.ratings:
			if not 0 <= flt(row.rating) <= 1:
				frappe.throw(
					_("Row {0}: a rating lies between 0 and 5 stars.").format(row.idx),
					exc=FeedbackIncompleteError,
					title=_("Invalid Rating"),
				)

	def compute_score(self) -> float | None:
		return rules.rater_score(
			[(rules.rating_to_score(row.rating), flt(row.weight)) for row in self.ratings]
		)

	def update_appraisal(self):
		appraisal = frappe.get_doc("Service Appraisal", self.appraisal)
		appraisal.update_feedback()
