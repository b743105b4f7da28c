# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, now_datetime

from aftersales.domain import work_order_flow as flow
from aftersales.integrity import (
	FieldRules,
	ServerOwnedFieldError,
	capture,
	check_cancel,
	server_action,
	verify,
)
from aftersales.kpi import summary as kpi_summary
from aftersales.service import follow_ups
from aftersales.service.work_order.status_notes import FOLLOW_UP_OUTCOME, status_note

SATISFIED = "Satisfied"
# outcomes about the service rather than the repair open a Customer Complaint instead of a rework
COMPLAINT_OUTCOMES = {"Complaint Call": "Repair Quality", "Attitude Complaint": "Service Attitude"}
# outcomes about a repair: a follow-up of a purchase or a monthly call (no work order) cannot have them
REPAIR_OUTCOMES = ("Not Fixed at First Visit", "Not Fixed after Several Visits")
SCORES = ("repair_quality", "attitude", "duration")


class FollowUpIncompleteError(frappe.ValidationError):
	pass


class FollowUpStateError(frappe.ValidationError):
	pass


class FollowUpSourceError(frappe.ValidationError):
	"""A follow-up is of a delivered work order or made by a Follow-up Plan; a repair outcome needs
	the order."""


# follow-up field -> the work order's field it copies (aftersales/kpi reads them without joining the order)
ORDER_DIMENSIONS = {
	"technician": "technician",
	"service_point": "service_point",
	"company": "company",
	"item_code": "item_code",
	"order_channel": "channel",
}

# Who made the follow-up and when, and the complaint it opened, are recorded by the system; so is
# what a Follow-up Plan made it from (FV-2), the plan's questions and the score of their answers.
FIELD_RULES = FieldRules(
	server=(
		"status",
		"followed_up_by",
		"followed_up_on",
		"complaint",
		"follow_up_plan",
		"plan_trigger",
		"period",
		"reference_doctype",
		"reference_name",
		"plan_key",
		"total_score",
		# the order's dimensions the KPIs group, filter and attribute by (issue 15): copied from the order
		*ORDER_DIMENSIONS,
	),
	server_columns={"answers": ("question", "weight")},
)
# a follow-up a plan made also keeps its customer, order and due date as the plan set them
PLAN_RULES = FieldRules(
	server=(*FIELD_RULES.server, "customer", "service_work_order", "scheduled_date"),
	server_columns=FIELD_RULES.server_columns,
)
# a cancel acts on the stored follow-up: a forged copy (saved by Frappe's cancel without validate)
# may not name another order whose outcome on_cancel would clear
CANCEL_RULES = FieldRules(server=PLAN_RULES.server, server_columns=FIELD_RULES.server_columns)


class ServiceFollowup(Document):
	def before_validate(self):
		capture(self, self.field_rules())

	def validate(self):
		self.validate_order_state()
		self.validate_answer_rows()
		self.apply_delivery_plan()
		self.set_customer_name()
		self.set_total_score()
		self.set_order_dimensions()
		verify(self, self.field_rules())
		# after the check of forged fields: a forged plan is refused as such, not as a missing order
		self.validate_source()

	def field_rules(self) -> FieldRules:
		before = None if self.is_new() else self.get_doc_before_save()
		return PLAN_RULES if before and before.follow_up_plan else FIELD_RULES

	def before_submit(self):
		self.validate_answers()
		self.status = "Completed"
		self.followed_up_by = frappe.session.user
		self.followed_up_on = now_datetime()

	def on_submit(self):
		self.apply_outcome_to_order()

	def before_cancel(self):
		check_cancel(self, CANCEL_RULES)
		if not self.service_work_order:
			return
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
		if self.service_work_order:
			frappe.db.set_value("Service Work Order", self.service_work_order, "follow_up_outcome", None)
			kpi_summary.mark_orders([self.service_work_order])

	def set_order_dimensions(self):
		"""The order's service point, company, technician, product and channel, as the order has them
		(a follow-up of a purchase has no order: they stay empty and it is in no by-point KPI)."""
		values = {}
		if self.service_work_order:
			values = (
				frappe.db.get_value(
					"Service Work Order",
					self.service_work_order,
					list(ORDER_DIMENSIONS.values()),
					as_dict=True,
				)
				or {}
			)
		for fieldname, order_field in ORDER_DIMENSIONS.items():
			self.set(fieldname, values.get(order_field))

	def validate_source(self):
		if not (self.service_work_order or self.follow_up_plan):
			frappe.throw(
				_("Choose the delivered work order this follow-up is about."),
				exc=FollowUpSourceError,
				title=_("No Work Order"),
			)
		if not self.service_work_order and self.outcome in REPAIR_OUTCOMES:
			frappe.throw(
				_("{0} is about a repair; this follow-up has no work order.").format(
					frappe.bold(_(self.outcome))
				),
				exc=FollowUpSourceError,
				title=_("No Work Order"),
			)

	def validate_answer_rows(self):
		"""The plan's questions are the server's: a client may score and answer them, never add or
		remove one (their text and weight are server-owned columns)."""
		if self.flags.server_action or frappe.session.user == "Administrator":
			return
		before = None if self.is_new() else self.get_doc_before_save()
		stored = {row.name for row in before.answers} if before else set()
		if {row.name for row in self.answers} != stored:
			frappe.throw(
				_("These fields are set by the system and cannot be changed: {0}.").format(
					frappe.bold(_(self.meta.get_label("answers")))
				),
				exc=ServerOwnedFieldError,
				title=_("Read-only Field"),
			)

	def apply_delivery_plan(self):
		"""A new follow-up of a delivery takes the delay, channel and questions of the After Delivery
		plan that fits the order (FV-2), computed here on the server whoever creates it."""
		if not self.is_new() or self.follow_up_plan or not self.service_work_order:
			return
		order = frappe.db.get_value(
			"Service Work Order",
			self.service_work_order,
			["name", "customer", "item_code", "delivered_on"],
			as_dict=True,
		)
		if not (order and order.delivered_on):
			return
		values = follow_ups.delivery_follow_up_values(order, order.delivered_on)
		answers = values.pop("answers", [])
		self.update(values)
		for answer in answers:
			self.append("answers", answer)

	def set_customer_name(self):
		if self.customer and not self.service_work_order:
			self.customer_name = frappe.db.get_value("Customer", self.customer, "customer_name")

	def set_total_score(self):
		"""The plan's questions: weighted average of the stars, as a percentage (unanswered: none)."""
		scored = [row for row in self.answers if flt(row.score) > 0]
		weights = sum(cint(row.weight) for row in scored)
		self.total_score = (
			flt(sum(flt(row.score) * cint(row.weight) for row in scored) * 100 / weights, 1) if weights else 0
		)

	def validate_order_state(self):
		if not self.service_work_order:
			return
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
		required = (*SCORES, "outcome") if self.service_work_order else ("outcome",)
		missing = [_(self.meta.get_label(f)) for f in required if not self.get(f)]
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
		if not self.service_work_order:
			# a purchase or monthly follow-up: a complaint still becomes a Customer Complaint
			if self.outcome in COMPLAINT_OUTCOMES:
				self.db_set("complaint", self.open_complaint(None))
			return
		# stored first: the workflow's condition on the Close transition reads the saved order
		frappe.db.set_value(
			"Service Work Order",
			self.service_work_order,
			{"follow_up_outcome": self.outcome, "follow_up": self.name},
		)
		kpi_summary.mark_orders([self.service_work_order])
		order = frappe.get_doc("Service Work Order", self.service_work_order)
		if self.outcome in COMPLAINT_OUTCOMES:
			self.db_set("complaint", self.open_complaint(order))
			if order.status == flow.FOLLOW_UP:
				return
			order.status = flow.FOLLOW_UP
		else:
			order.status = flow.CLOSED if self.outcome == SATISFIED else flow.IN_PROGRESS
		order.flags.status_note = status_note(FOLLOW_UP_OUTCOME, self.name, self.outcome)
		server_action(order, "follow-up outcome")
		order.save()

	def open_complaint(self, order) -> str:
		values = {
			"doctype": "Customer Complaint",
			"subject": _("Follow-up {0}: {1}").format(self.name, _(self.outcome)),
			"channel": "Hotline",
			"category": COMPLAINT_OUTCOMES[self.outcome],
			"customer": self.customer,
			"complainant": self.customer_name or self.customer,
			"phone": self.phone,
			"description": self.remarks or _(self.outcome),
		}
		if order:
			values.update(
				{
					"customer": order.customer,
					"complainant": order.customer_name,
					"contact_person": order.contact_person,
					"phone": order.phone,
					"email": order.contact_email,
					"item_code": order.item_code,
					"serial_no": order.serial_no,
					"service_work_order": order.name,
				}
			)
		complaint = frappe.get_doc(values)
		complaint.insert(ignore_permissions=True)
		return complaint.name
