# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A Follow-up Plan (FV-2): who is called, when (N days after a purchase, monthly, after every
delivery of a work order), on which channel and with which scored questions. The daily job and the
delivery follow-up are in aftersales/service/follow_ups.py."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from aftersales.integrity import acts_on_stored


class FollowUpPlanError(frappe.ValidationError):
	pass


class FollowupPlan(Document):
	def validate(self):
		self.validate_timing()
		self.validate_questions()
		self.drop_unused_filters()

	def validate_timing(self):
		if self.trigger == "Monthly":
			if not 1 <= cint(self.day_of_month) <= 31:
				frappe.throw(
					_("Day of Month must be between 1 and 31."),
					exc=FollowUpPlanError,
					title=_("Invalid Plan"),
				)
		elif cint(self.days_after) < 0 or cint(self.days_after) > 3650:
			frappe.throw(
				_("Days After must be between 0 and 3650."), exc=FollowUpPlanError, title=_("Invalid Plan")
			)
		if self.trigger == "Days After Purchase" and self.purchase_document not in (
			"Delivery Note",
			"Sales Invoice",
		):
			frappe.throw(
				_("Choose whether the purchase is counted from the Delivery Note or the Sales Invoice."),
				exc=FollowUpPlanError,
				title=_("Invalid Plan"),
			)

	def validate_questions(self):
		for row in self.questions:
			if cint(row.weight) < 1:
				frappe.throw(
					_("Questions, row {0}: the weight must be at least 1.").format(row.idx),
					exc=FollowUpPlanError,
					title=_("Invalid Plan"),
				)

	def drop_unused_filters(self):
		# a monthly plan calls customers, not purchases: item groups would silently do nothing
		if self.trigger == "Monthly":
			self.item_groups = []

	@frappe.whitelist()
	@acts_on_stored
	def make_due_follow_ups(self) -> list[str]:
		"""What the daily job would make for this plan today, made now (a new plan need not wait for
		the night); for those who may change the plan."""
		self.check_permission("write")
		if not self.enabled or self.trigger == "After Delivery":
			frappe.throw(
				_("Only an enabled plan of purchases or monthly calls makes follow-ups by itself."),
				exc=FollowUpPlanError,
				title=_("Invalid Plan"),
			)
		from aftersales.service.follow_ups import plan_due_follow_ups

		return plan_due_follow_ups(self)
