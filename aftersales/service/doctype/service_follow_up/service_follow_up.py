# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from aftersales.domain import work_order_flow as flow
from aftersales.integrity import FieldRules, capture, server_action, verify

SATISFIED = "Satisfied"
# outcomes about the service rather than the repair open a Customer Complaint instead of a rework
COMPLAINT_OUTCOMES = {"Complaint Call": "Repair Quality", "Attitude Complaint": "Service Attitude"}
SCORES = ("repair_quality", "attitude", "duration")


class FollowUpIncompleteError(frappe.ValidationError):
	pass


class FollowUpStateError(frappe.ValidationError):
	pass


# Who made the follow-up and when, and the complaint it opened, are recorded by the system.
FIELD_RULES = FieldRules(server=("status", "followed_up_by", "followed_up_on", "complaint"))


class ServiceFollowup(Document):
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		self.validate_order_state()
		verify(self, FIELD_RULES)

	def before_submit(self):
		self.validate_answers()
		self.status = "Completed"
		self.followed_up_by = frappe.session.user
		self.followed_up_on = now_datetime()

	def on_submit(self):
		self.apply_outcome_to_order()

	def before_cancel(self):
		status = frappe.db.get_value("Service Work Order", self.service_work_order, "status")
		if status not in (flow.DELIVERED, flow.FOLLOW_UP):
			frappe.throw(
				_("The work order is already {0}; this follow-up can no longer be cancelled.").format(
					frappe.bold(_(status))
				),
				exc=FollowUpStateError,
				title=_("Cannot Cancel"),
			)

	def on_cancel(self):
		self.db_set("status", "Cancelled")
		frappe.db.set_value("Service Work Order", self.service_work_order, "follow_up_outcome", None)

	def validate_order_state(self):
		status = frappe.db.get_value("Service Work Order", self.service_work_order, "status")
		if status not in (flow.DELIVERED, flow.FOLLOW_UP):
			frappe.throw(
				_("A follow-up is made after delivery; work order {0} is {1}.").format(
					frappe.bold(self.service_work_order), frappe.bold(_(status))
				),
				exc=FollowUpStateError,
				title=_("Not Delivered"),
			)

	def validate_answers(self):
		missing = [_(self.meta.get_label(f)) for f in (*SCORES, "outcome") if not self.get(f)]
		if missing:
			frappe.throw(
				_("Record the customer's answers first: {0}.").format(
					", ".join(frappe.bold(m) for m in missing)
				),
				exc=FollowUpIncompleteError,
				title=_("Follow-up Incomplete"),
			)

	def apply_outcome_to_order(self):
		"""FV-3: a satisfied follow-up closes the order; a complaint call or an attitude complaint
		opens a Customer Complaint (the order waits in Follow-up for its outcome); any other
		outcome reopens the order for rework."""
		# stored first: the workflow's condition on the Close transition reads the saved order
		frappe.db.set_value(
			"Service Work Order",
			self.service_work_order,
			{"follow_up_outcome": self.outcome, "follow_up": self.name},
		)
		order = frappe.get_doc("Service Work Order", self.service_work_order)
		if self.outcome in COMPLAINT_OUTCOMES:
			self.db_set("complaint", self.open_complaint(order))
			if order.status == flow.FOLLOW_UP:
				return
			order.status = flow.FOLLOW_UP
		else:
			order.status = flow.CLOSED if self.outcome == SATISFIED else flow.IN_PROGRESS
		order.flags.status_note = _("Follow-up {0}: {1}").format(self.name, _(self.outcome))
		server_action(order, "follow-up outcome")
		order.save()

	def open_complaint(self, order) -> str:
		complaint = frappe.get_doc(
			{
				"doctype": "Customer Complaint",
				"subject": _("Follow-up {0}: {1}").format(self.name, _(self.outcome)),
				"channel": "Hotline",
				"category": COMPLAINT_OUTCOMES[self.outcome],
				"customer": order.customer,
				"complainant": order.customer_name,
				"contact_person": order.contact_person,
				"phone": order.phone,
				"email": order.contact_email,
				"item_code": order.item_code,
				"serial_no": order.serial_no,
				"service_work_order": order.name,
				"description": self.remarks or _(self.outcome),
			}
		)
		complaint.insert(ignore_permissions=True)
		return complaint.name
