# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A service employee's appraisal for a month or a year (AP-3..AP-5).

- KPI rows come from the records (aftersales/staff/kpi_source.py over the KPI module): value, the
  counts behind it, the template's target and rule, the score and weighted score, and where the
  records are listed. Nobody types them: the tables and every score are server-owned.
- 360 input: each rater (superior, peers, self) fills their own Service Appraisal Feedback; the
  customers' part is the service attitude of the employee's follow-up visits in the period.
- Final score -> grade -> recommended bonus, deduction, promotion or training (the template's
  bands); the appraiser's feedback and an improvement plan.
- Lifecycle aftersales/domain/appraisal_flow.py: Draft -> Self Review -> Manager Review -> Final
  (submitted, locked: cancel and amend to change). Who may move it and edit which part is a
  property of the appraisal (its employee, its appraiser), checked here on every save.
- One appraisal per employee, period type and period: `appraisal_key` is a unique column, cleared
  when an appraisal is cancelled so that its amendment can take its place.

The arithmetic is aftersales/domain/appraisal.py."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, getdate, now_datetime

from aftersales.domain import appraisal as rules
from aftersales.domain import appraisal_flow as flow
from aftersales.integrity import (
	FieldOwnerError,
	FieldRules,
	RoleOwned,
	acts_on_stored,
	capture,
	check_cancel,
	server_action,
	verify,
)
from aftersales.lifecycle import check_status_change
from aftersales.roles import AFTER_SALES_MANAGER
from aftersales.staff import kpi_source
from aftersales.staff.doctype.service_appraisal_template.service_appraisal_template import (
	grades_of,
	kpi_rule,
)

# Everything computed from the records and the template is the server's; the appraiser is the
# manager's choice (blank: the service point's manager).
FIELD_RULES = FieldRules(
	server=(
		"period_end",
		"period",
		"appraisal_key",
		"kpi_score",
		"kpi_calculated_on",
		"feedback_score",
		"customer_score",
		"follow_ups_rated",
		"kpi_weight",
		"feedback_weight",
		"final_score",
		"grade",
		"bonus_percent",
		"deduction_percent",
		"recommend_promotion",
		"recommend_training",
		"recommendation",
		"finalised_by",
		"finalised_on",
		"hrms_feedback",
		"hrms_additional_salary",
		"hrms_note",
	),
	server_columns={"kpis": "*", "criteria": "*", "rater_scores": "*"},
	role_owned=(RoleOwned(("appraiser",), (AFTER_SALES_MANAGER,), flow.OPEN_STATES),),
	flow=flow.FLOW,
)
MANAGER_ROLES = {AFTER_SALES_MANAGER, "System Manager"}


class AppraisalTransitionError(frappe.ValidationError):
	pass


class AppraisalPartyError(frappe.PermissionError):
	"""The user is not the party (employee, appraiser) this step or field belongs to."""


class AppraisalInputError(frappe.ValidationError):
	pass


class DuplicateAppraisalError(frappe.ValidationError):
	pass


def is_manager(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(MANAGER_ROLES & set(frappe.get_roles(user)))


class ServiceAppraisal(Document):
	def before_validate(self):
		capture(self, FIELD_RULES)
		self.check_parties()

	def validate(self):
		self.set_period()
		self.set_appraiser()
		self.validate_employee()
		self.validate_transition()
		if self.is_new():
			self.fill_from_template()
			self.fill_results()
		self.appraisal_key = self.key()
		self.check_duplicate()
		self.compute_scores()
		verify(self, FIELD_RULES)

	def on_update(self):
		if self.entering(flow.SELF_REVIEW, flow.DRAFT):
			from aftersales.staff.feedback import request_feedback

			request_feedback(self)

	def before_submit(self):
		self.check_finaliser()
		if not (self.feedback_to_employee or "").strip():
			frappe.throw(
				_("Write the feedback to the employee before finalising."),
				exc=AppraisalInputError,
				title=_("Feedback Required"),
			)
		if self.recommend_training and not self.improvement_plan:
			frappe.throw(
				_(
					"Grade {0} recommends training: add the improvement plan (actions, owner, deadline)."
				).format(frappe.bold(self.grade)),
				exc=AppraisalInputError,
				title=_("Improvement Plan Required"),
			)
		self.status = flow.FINAL
		self.compute_scores()
		self.finalised_by = frappe.session.user
		self.finalised_on = now_datetime()

	def on_submit(self):
		from aftersales.staff import hrms

		hrms.push(self)

	def before_cancel(self):
		# a forged copy cancelled over the API (saved without validate) must not name another
		# HRMS Additional Salary or feedback for on_cancel to withdraw as the system
		check_cancel(self, FIELD_RULES)
		self.status = flow.CANCELLED

	def on_cancel(self):
		from aftersales.staff import hrms

		self.db_set({"status": flow.CANCELLED, "appraisal_key": None})
		hrms.withdraw(self)

	def before_update_after_submit(self):
		frappe.throw(
			_("Appraisal {0} is final: cancel and amend it to change it.").format(frappe.bold(self.name)),
			exc=AppraisalTransitionError,
			title=_("Final"),
		)

	# ------------------------------------------------------------ who may do what

	def before(self):
		return None if self.is_new() else self.get_doc_before_save()

	def entering(self, state: str, old: str | None = None) -> bool:
		before = self.before()
		previous = before.status if before else None
		return self.status == state and previous != state and (old is None or previous == old)

	def parties_of(self, user: str) -> set[str]:
		stored = self.before() or self
		found = set()
		if user and stored.employee_user == user:
			found.add("employee")
		if user and stored.appraiser_user == user:
			found.add("appraiser")
		return found

	def check_parties(self):
		"""Each part of an appraisal is its party's: the employee's self-assessment (in the self
		review), the appraiser's feedback and improvement plan (while open), the moves of the
		lifecycle (appraisal_flow.MOVERS). The After-Sales Manager acts as the appraiser."""
		if self.flags.server_action or frappe.session.user == "Administrator" or self.is_new():
			return
		before = self.before()
		user = frappe.session.user
		parties = self.parties_of(user)
		if is_manager(user):
			parties.add("appraiser")
		if before.status != self.status:
			movers = flow.MOVERS.get((before.status, self.status), ())
			if not parties & set(movers):
				frappe.throw(
					_("Only the {0} moves this appraisal from {1} to {2}.").format(
						" / ".join(_(m) for m in movers) or _("system"),
						frappe.bold(_(before.status)),
						frappe.bold(_(self.status)),
					),
					exc=AppraisalPartyError,
					title=_("Not Permitted"),
				)
		owned = {}
		for party, (fields, states) in flow.PARTY_FIELDS.items():
			for fieldname in fields:
				owned[fieldname] = (party, states)
		ignored = {"status", "appraiser", *FIELD_RULES.server, *FIELD_RULES.server_columns}
		for df in self.meta.fields:
			if df.fieldtype in frappe.model.no_value_fields and df.fieldtype not in frappe.model.table_fields:
				continue
			if df.fieldname in ignored or not self.field_changed(before, df):
				continue
			party, states = owned.get(df.fieldname, (None, ()))
			if party in parties and before.status in states:
				continue
			frappe.throw(
				_("{0} is not yours to change in this appraisal while it is {1}.").format(
					frappe.bold(_(df.label)), frappe.bold(_(before.status))
				),
				exc=FieldOwnerError,
				title=_("Not Permitted"),
			)

	def field_changed(self, before, df) -> bool:
		from aftersales.integrity import _field_changed

		return _field_changed(self, before.as_dict(), df)

	def check_finaliser(self):
		before = self.before()
		if not before or before.status != flow.MANAGER_REVIEW:
			frappe.throw(
				_("An appraisal is finalised from {0}.").format(frappe.bold(_(flow.MANAGER_REVIEW))),
				exc=AppraisalTransitionError,
				title=_("Invalid Status Change"),
			)
		user = frappe.session.user
		if user != "Administrator" and self.employee_user == user:
			frappe.throw(
				_("You cannot finalise your own appraisal."),
				exc=AppraisalPartyError,
				title=_("Not Permitted"),
			)
		if not ("appraiser" in self.parties_of(user) or is_manager(user)):
			frappe.throw(
				_("Only the appraiser or an After-Sales Manager finalises an appraisal."),
				exc=AppraisalPartyError,
				title=_("Not Permitted"),
			)

	# ------------------------------------------------------------ what it is about

	def set_period(self):
		try:
			start, end = rules.period_bounds(self.period_type, getdate(self.period_start))
		except rules.AppraisalRuleError as e:
			frappe.throw(_(e.message).format(*e.args_), exc=AppraisalInputError, title=_("Invalid Period"))
		self.period_start, self.period_end = start, end
		self.period = rules.period_label(self.period_type, start)

	def key(self) -> str:
		return f"{self.employee}|{self.period_type}|{getdate(self.period_start)}"

	def check_duplicate(self):
		other = frappe.db.get_value(
			"Service Appraisal", {"appraisal_key": self.appraisal_key, "name": ("!=", self.name)}
		)
		if other:
			frappe.throw(
				_("{0} already has appraisal {1} for {2}.").format(
					frappe.bold(self.employee_name or self.employee), frappe.bold(other), self.period
				),
				exc=DuplicateAppraisalError,
				title=_("Duplicate Appraisal"),
			)

	def set_appraiser(self):
		if not self.appraiser:
			self.appraiser = default_appraiser(self.employee, self.service_point)
		if self.appraiser:
			self.appraiser_name, self.appraiser_user = frappe.db.get_value(
				"Employee", self.appraiser, ["employee_name", "user_id"]
			)
		else:
			self.appraiser_name = self.appraiser_user = None

	def validate_employee(self):
		if self.appraiser and self.appraiser == self.employee:
			frappe.throw(
				_("An employee cannot be their own appraiser."),
				exc=AppraisalInputError,
				title=_("Invalid Appraiser"),
			)
		template_post = frappe.db.get_value("Service Appraisal Template", self.template, "post")
		if template_post and template_post != self.post:
			frappe.throw(
				_("Template {0} is for {1}, not {2}.").format(
					frappe.bold(self.template), _(template_post), _(self.post)
				),
				exc=AppraisalInputError,
				title=_("Wrong Template"),
			)
		if self.service_point and self.is_new():
			point = frappe.get_cached_doc("Service Point", self.service_point)
			if self.employee != point.manager and self.employee not in {m.employee for m in point.members}:
				frappe.throw(
					_("{0} is neither a member nor the manager of service point {1}.").format(
						frappe.bold(self.employee_name or self.employee), frappe.bold(self.service_point)
					),
					exc=AppraisalInputError,
					title=_("Invalid Service Point"),
				)

	def validate_transition(self):
		old = check_status_change(self, flow.FLOW, AppraisalTransitionError)
		if old == flow.DRAFT and self.status == flow.SELF_REVIEW and not self.appraiser:
			frappe.throw(
				_("Set the appraiser before the self review starts."),
				exc=AppraisalInputError,
				title=_("Appraiser Required"),
			)
		if self.status == flow.FINAL and self.docstatus == 0:
			frappe.throw(
				_("An appraisal becomes final by being submitted (Finalise)."),
				exc=AppraisalTransitionError,
				title=_("Invalid Status Change"),
			)

	# ------------------------------------------------------------ filling it

	def fill_from_template(self):
		template = frappe.get_cached_doc("Service Appraisal Template", self.template)
		self.kpi_weight, self.feedback_weight = template.kpi_weight, template.feedback_weight
		self.set("kpis", [])
		for row in template.kpis:
			self.append(
				"kpis",
				{
					field: row.get(field)
					for field in (
						"indicator",
						"scope",
						"target",
						"weight",
						"scoring_rule",
						"zero_at",
						"bands",
						"lower_is_better",
					)
				},
			)
		self.set("criteria", [])
		for row in template.criteria:
			self.append(
				"criteria", {"criterion": row.criterion, "weight": row.weight, "description": row.description}
			)
		self.set("rater_scores", [])
		for rater_type, weight in template.rater_weights().items():
			self.append("rater_scores", {"rater_type": rater_type, "weight": weight})

	def fill_results(self):
		"""KPI values and the customers' attitude scores from the records."""
		measures = kpi_source.indicator_values(
			self.employee,
			self.period_start,
			self.period_end,
			[(row.indicator, row.scope) for row in self.kpis],
			service_point=self.service_point,
		)
		for row in self.kpis:
			measure = measures[(row.indicator, row.scope)]
			row.no_data = int(measure.value is None)
			row.value = measure.value
			row.numerator, row.denominator = measure.numerator, measure.denominator
			row.basis = (
				f"{flt(measure.numerator):g} / {flt(measure.denominator):g}"
				if measure.denominator is not None
				else ""
			)
			row.records = measure.records
		score, count, _records = kpi_source.customer_attitude(
			self.employee,
			self.period_start,
			self.period_end,
			service_point=self.service_point if self.post == "Service Point Manager" else None,
		)
		self.customer_score, self.follow_ups_rated = score, count
		self.kpi_calculated_on = now_datetime()

	@frappe.whitelist()
	@acts_on_stored
	def refresh_kpis(self):
		"""Recount the KPI rows and the customers' scores from the records (while the appraisal is
		open; the appraiser or an After-Sales Manager)."""
		if self.docstatus != 0 or not ("appraiser" in self.parties_of(frappe.session.user) or is_manager()):
			frappe.throw(
				_("Only the appraiser or an After-Sales Manager refreshes an open appraisal."),
				exc=AppraisalPartyError,
				title=_("Not Permitted"),
			)
		self.fill_results()
		server_action(self, "refresh KPIs")
		self.save(ignore_permissions=True)
		return self.as_dict()

	# ------------------------------------------------------------ scoring

	def rater_groups(self) -> dict[str, tuple[float | None, int]]:
		"""{rater type: (group score, raters)} from the submitted feedback and the follow-ups."""
		groups = {rater_type: [] for rater_type in rules.RATER_TYPES}
		if not self.is_new():
			for row in frappe.get_all(
				"Service Appraisal Feedback",
				filters={"appraisal": self.name, "docstatus": 1},
				fields=["rater_type", "score"],
			):
				groups.setdefault(row.rater_type, []).append(flt(row.score))
		result = {t: (rules.mean(scores), len(scores)) for t, scores in groups.items()}
		customer = None if not cint(self.follow_ups_rated) else flt(self.customer_score)
		result[rules.CUSTOMER] = (customer, cint(self.follow_ups_rated))
		return result

	def compute_scores(self):
		lines = []
		for row in self.kpis:
			try:
				row.score = None if row.no_data else kpi_rule(row).score(flt(row.value))
			except rules.AppraisalRuleError as e:
				frappe.throw(
					_(e.message).format(*e.args_), exc=AppraisalInputError, title=_("Invalid KPI Rule")
				)
			lines.append((row.score, flt(row.weight)))
		weighted, kpi_score = rules.weigh(lines)
		for row, line in zip(self.kpis, weighted, strict=True):
			row.effective_weight, row.weighted_score = line.effective_weight, line.weighted_score

		groups = self.rater_groups()
		for row in self.rater_scores:
			row.score, row.raters = groups.get(row.rater_type, (None, 0))
		weighted, feedback = rules.weigh([(row.score, flt(row.weight)) for row in self.rater_scores])
		for row, line in zip(self.rater_scores, weighted, strict=True):
			row.effective_weight, row.weighted_score = line.effective_weight, line.weighted_score

		_lines, final = rules.final_score(
			kpi_score, flt(self.kpi_weight), feedback, flt(self.feedback_weight)
		)
		self.kpi_score, self.feedback_score, self.final_score = kpi_score, feedback, final
		grade = rules.grade_for(
			final, grades_of(frappe.get_cached_doc("Service Appraisal Template", self.template))
		)
		self.grade = grade.grade if grade else None
		self.bonus_percent = grade.bonus_percent if grade else 0
		self.deduction_percent = grade.deduction_percent if grade else 0
		self.recommend_promotion = int(bool(grade and grade.promotion))
		self.recommend_training = int(bool(grade and grade.training))
		self.recommendation = recommendation_text(grade)

	def update_feedback(self):
		"""A rater submitted or withdrew their feedback: recompute the 360 part (server-side)."""
		if self.docstatus != 0:
			return
		server_action(self, "360 feedback")
		self.save(ignore_permissions=True)

	@frappe.whitelist()
	@acts_on_stored
	def add_rater(self, rater: str, rater_type: str = rules.PEER) -> str:
		"""Ask one more colleague for their 360 feedback (the appraiser or an After-Sales Manager)."""
		from aftersales.staff.feedback import make_feedback

		if self.status not in (flow.SELF_REVIEW, flow.MANAGER_REVIEW) or not (
			"appraiser" in self.parties_of(frappe.session.user) or is_manager()
		):
			frappe.throw(
				_("Raters are added by the appraiser while the appraisal is in review."),
				exc=AppraisalPartyError,
				title=_("Not Permitted"),
			)
		if rater_type not in rules.FEEDBACK_RATERS:
			frappe.throw(_("Unknown rater {0}.").format(rater_type), exc=AppraisalInputError)
		return make_feedback(self, rater, rater_type)


def recommendation_text(grade: rules.Grade | None) -> str | None:
	if not grade:
		return None
	parts = []
	if grade.bonus_percent:
		parts.append(_("Bonus {0}%").format(frappe.format(grade.bonus_percent, {"fieldtype": "Float"})))
	if grade.deduction_percent:
		parts.append(
			_("Deduction {0}%").format(frappe.format(grade.deduction_percent, {"fieldtype": "Float"}))
		)
	if grade.promotion:
		parts.append(_("Consider for promotion"))
	if grade.training:
		parts.append(_("Training and improvement plan"))
	return "; ".join(parts) or _("No reward or penalty")


def default_appraiser(employee: str, service_point: str | None) -> str | None:
	"""The service point's manager, else the employee's Reports To (never the employee)."""
	if service_point:
		manager = frappe.db.get_value("Service Point", service_point, "manager")
		if manager and manager != employee:
			return manager
	reports_to = frappe.db.get_value("Employee", employee, "reports_to")
	return reports_to if reports_to and reports_to != employee else None
