# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A customer complaint from any channel to a manager-reviewed closure (CP-1..CP-7). The status
follows the shipped workflow (aftersales/domain/complaint_flow.py); the guards below hold for
every save. Escalation is a scheduled job (aftersales/complaints/escalation.py)."""

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as assign_to
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime, nowdate, strip_html

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain import complaint_flow as flow
from aftersales.integrity import FieldRules, RoleOwned, capture, server_action, verify
from aftersales.lifecycle import check_status_change
from aftersales.roles import AFTER_SALES_MANAGER

# Tier, deadline and escalations move only by the escalation rules; the review is the manager's
# (and a Closed complaint is the manager's alone: the lifecycle's editors).
FIELD_RULES = FieldRules(
	server=("tier", "deadline", "proposal_count", "reviewed_by", "reviewed_on", "closed_on"),
	server_columns={"escalations": "*", "measures": ("done_on",)},
	role_owned=(RoleOwned(("review_note",), (AFTER_SALES_MANAGER,)),),
	flow=flow.FLOW,
)


class ComplaintTransitionError(frappe.ValidationError):
	pass


class ComplaintInformationError(frappe.ValidationError):
	pass


class ComplaintClosureError(frappe.ValidationError):
	pass


SEVERITY_HOURS = {
	"Normal": "complaint_hours_normal",
	"Serious": "complaint_hours_serious",
	"Safety-critical": "complaint_hours_safety",
}


class CustomerComplaint(Document):
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		self.set_description()
		self.set_contact_details()
		self.stamp_measures()
		self.validate_transition()
		if self.is_new():
			self.set_tier_and_deadline()
		verify(self, FIELD_RULES)

	def after_insert(self):
		if self.tier == flow.MANAGEMENT:
			self.add_escalation(flow.DESK, flow.MANAGEMENT, _("Safety-critical: straight to management"))
		self.assign_owner()

	def on_update(self):
		if not self.is_new() and self.has_value_changed("owner_user"):
			self.assign_owner()

	# ------------------------------------------------------------ intake

	def set_description(self):
		"""Complaints made from incoming email (Frappe's receiver inserts them with ignore_mandatory)
		carry the mail in their timeline; the subject stands in for the description."""
		if self.is_new() and self.flags.ignore_mandatory and self.email:
			self.channel = "Email"
			self.complainant = self.complainant or self.email
		if not strip_html(self.description or "").strip():
			if self.channel == "Email":
				self.description = self.subject
			else:
				self.throw_missing(("description",))

	def set_contact_details(self):
		if self.contact_person and not (self.phone and self.email):
			contact = frappe.db.get_value(
				"Contact", self.contact_person, ["mobile_no", "phone", "email_id"], as_dict=True
			)
			if contact:
				self.phone = self.phone or contact.mobile_no or contact.phone
				self.email = self.email or contact.email_id

	def set_tier_and_deadline(self):
		self.tier = flow.starting_tier(self.severity)
		hours = get_settings().get(SEVERITY_HOURS[self.severity]) or 48
		self.deadline = flow.deadline(get_datetime(self.received_at or now_datetime()), hours)
		if self.tier == flow.MANAGEMENT:
			self.owner_user = owner_for_tier(flow.MANAGEMENT) or self.owner_user

	def stamp_measures(self):
		for row in self.measures:
			if row.status == "Done" and not row.done_on:
				row.done_on = nowdate()
			elif row.status != "Done":
				row.done_on = None

	# ------------------------------------------------------------ lifecycle

	def validate_transition(self):
		old = check_status_change(self, flow.FLOW, ComplaintTransitionError)
		if old is None or old == self.status:
			return
		guard = getattr(self, "guard_" + frappe.scrub(self.status), None)
		if guard:
			guard(old)

	def throw_missing(self, fieldnames):
		labels = ", ".join(frappe.bold(_(self.meta.get_label(f))) for f in fieldnames)
		frappe.throw(
			_("Fill in: {0}.").format(labels), exc=ComplaintInformationError, title=_("Missing Information")
		)

	def require(self, *fieldnames):
		missing = [f for f in fieldnames if not self.get(f)]
		if missing:
			self.throw_missing(missing)

	def guard_investigating(self, old):
		if old == flow.SOLUTION_PROPOSED:
			if self.customer_response != "Not Agreed":
				self.throw_missing(("customer_response",))
			self.require("customer_response_note")
		else:
			self.require("owner_user", "department")

	def guard_solution_proposed(self, old):
		self.require("root_cause", "proposal")
		if not self.measures:
			self.throw_missing(("measures",))
		self.proposal_count = (self.proposal_count or 0) + 1
		self.customer_response = None

	def guard_solution_agreed(self, old):
		if self.customer_response != "Agreed":
			frappe.throw(
				_("Record the customer's agreement to the proposed solution first."),
				exc=ComplaintInformationError,
				title=_("Not Agreed Yet"),
			)

	def guard_resolved(self, old):
		open_rows = [str(row.idx) for row in self.measures if row.status != "Done"]
		if open_rows:
			frappe.throw(
				_("Measures in rows {0} are not done yet.").format(", ".join(open_rows)),
				exc=ComplaintInformationError,
				title=_("Measures Open"),
			)

	def guard_closed(self, old):
		if AFTER_SALES_MANAGER not in frappe.get_roles():
			frappe.throw(
				_("Only an After-Sales Manager closes a complaint, after reviewing it."),
				exc=ComplaintClosureError,
				title=_("Not Permitted"),
			)
		if not strip_html(self.handling_report or "").strip() or not self.review_note or not self.analysis:
			frappe.throw(
				_("Closing needs the handling report, the analysis and the manager's review."),
				exc=ComplaintClosureError,
				title=_("Review Required"),
			)
		self.reviewed_by, self.reviewed_on = frappe.session.user, now_datetime()
		self.closed_on = now_datetime()

	# ------------------------------------------------------------ assignment and escalation

	def assign_owner(self):
		if self.owner_user and self.status != flow.CLOSED:
			assign_to(
				{
					"doctype": self.doctype,
					"name": self.name,
					"assign_to": [self.owner_user],
					"description": self.subject,
					"date": get_datetime(self.deadline).date() if self.deadline else None,
					"priority": "High" if self.severity != "Normal" else "Medium",
				},
				ignore_permissions=True,
			)

	def add_escalation(self, from_tier, to_tier, reason):
		self.append(
			"escalations",
			{
				"escalated_on": now_datetime(),
				"from_tier": from_tier,
				"to_tier": to_tier,
				"assigned_to": self.owner_user,
				"reason": reason,
			},
		)
		self.flags.ignore_permissions = True
		server_action(self, "escalation")
		self.save()


def owner_for_tier(tier: str) -> str | None:
	settings = get_settings()
	return {
		flow.TECHNICAL_LEAD: settings.complaint_technical_lead,
		flow.MANAGEMENT: settings.complaint_management,
	}.get(tier)
