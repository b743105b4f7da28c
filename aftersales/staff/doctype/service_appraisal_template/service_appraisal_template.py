# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""What a post is appraised on (AP-3..AP-5): KPI rows scored by a rule against a target, the 360
criteria and the weight of each rater group, the grade bands and what each grade recommends. The
arithmetic is aftersales/domain/appraisal.py; a template is checked with it on every save, so an
appraisal made from it can always be scored."""

import frappe
from frappe import _
from frappe.model.document import Document

from aftersales.domain import appraisal as rules


class AppraisalTemplateError(frappe.ValidationError):
	pass


class DuplicateTemplateError(frappe.ValidationError):
	pass


def rule_error(error: rules.AppraisalRuleError, prefix: str | None = None):
	"""A domain rule's message, translated, as an AppraisalTemplateError."""
	message = _(error.message).format(*error.args_)
	frappe.throw(
		f"{prefix}: {message}" if prefix else message,
		exc=AppraisalTemplateError,
		title=_("Invalid Appraisal Template"),
	)


def kpi_rule(row) -> rules.KpiRule:
	"""The scoring rule of a template or appraisal KPI row."""
	lower = bool(row.lower_is_better) or row.scoring_rule == rules.INVERSE
	return rules.KpiRule(
		rule=row.scoring_rule,
		target=row.target or 0,
		weight=row.weight or 0,
		zero_at=(row.zero_at or None) if row.scoring_rule == rules.INVERSE else (row.zero_at or 0),
		bands=rules.parse_bands(row.bands) if row.scoring_rule == rules.BANDS else (),
		lower_is_better=lower,
	)


def grades_of(doc) -> list[rules.Grade]:
	return [
		rules.Grade(
			grade=row.grade,
			min_score=row.min_score or 0,
			bonus_percent=row.bonus_percent or 0,
			deduction_percent=row.deduction_percent or 0,
			promotion=bool(row.recommend_promotion),
			training=bool(row.recommend_training),
		)
		for row in doc.grades
	]


class ServiceAppraisalTemplate(Document):
	def validate(self):
		self.validate_parts()
		self.validate_kpis()
		self.validate_criteria()
		self.validate_rater_weights()
		self.validate_grades()
		self.validate_one_per_post()

	def throw(self, message: str):
		frappe.throw(message, exc=AppraisalTemplateError, title=_("Invalid Appraisal Template"))

	def check_weights(self, weights, label: str):
		if not rules.weights_valid(weights):
			self.throw(
				_("{0}: the weights must each lie between 0% and 100% and add up to 100% (now {1}%).").format(
					frappe.bold(label), frappe.format(sum(w or 0 for w in weights), {"fieldtype": "Float"})
				)
			)

	def validate_parts(self):
		self.check_weights([self.kpi_weight, self.feedback_weight], _("KPI part and 360 part"))

	def validate_kpis(self):
		if not self.kpis and self.kpi_weight:
			self.throw(_("Add the KPIs the post is appraised on, or give the KPI part a weight of 0."))
		seen = set()
		for row in self.kpis:
			indicator = rules.APPRAISAL_INDICATORS.get(row.indicator)
			if not indicator:
				self.throw(_("Row {0}: unknown indicator {1}.").format(row.idx, frappe.bold(row.indicator)))
			if (row.indicator, row.scope) in seen:
				self.throw(
					_("Row {0}: {1} ({2}) is listed twice.").format(row.idx, _(row.indicator), _(row.scope))
				)
			seen.add((row.indicator, row.scope))
			if row.scoring_rule == rules.INVERSE or not indicator.higher_is_better:
				row.lower_is_better = 1
			if row.scoring_rule == rules.LINEAR and row.lower_is_better:
				self.throw(
					_("Row {0}: {1} is better when lower: score it with {2} or {3}.").format(
						row.idx, _(row.indicator), _(rules.INVERSE), _(rules.BANDS)
					)
				)
			try:
				rule = kpi_rule(row)
				rule.check()
			except rules.AppraisalRuleError as e:
				rule_error(e, _("KPI row {0}").format(row.idx))
			if row.scoring_rule == rules.BANDS:
				row.bands = rules.format_bands(rule.bands)
		if self.kpis:
			self.check_weights([row.weight for row in self.kpis], _("KPIs"))

	def validate_criteria(self):
		if not self.criteria:
			if self.feedback_weight:
				self.throw(
					_(
						"Add the 360 criteria (attitude, skill, teamwork…), or give the 360 part a weight of 0."
					)
				)
			return
		names = [row.criterion for row in self.criteria]
		if len(set(names)) != len(names):
			self.throw(_("Each 360 criterion may appear only once."))
		self.check_weights([row.weight for row in self.criteria], _("360 Criteria"))

	def validate_rater_weights(self):
		if self.feedback_weight:
			self.check_weights(
				[self.superior_weight, self.peer_weight, self.customer_weight, self.self_weight],
				_("360 Weights"),
			)

	def validate_grades(self):
		try:
			rules.check_grades(grades_of(self))
		except rules.AppraisalRuleError as e:
			rule_error(e, _("Grades"))
		self.grades.sort(key=lambda row: -(row.min_score or 0))
		for idx, row in enumerate(self.grades, 1):
			row.idx = idx

	def validate_one_per_post(self):
		if self.disabled:
			return
		other = frappe.db.get_value(
			"Service Appraisal Template",
			{
				"post": self.post,
				"company": self.company or ("is", "not set"),
				"disabled": 0,
				"name": ("!=", self.name),
			},
		)
		if other:
			frappe.throw(
				_("Template {0} is already in use for {1}: disable it first.").format(
					frappe.bold(other), frappe.bold(_(self.post))
				),
				exc=DuplicateTemplateError,
				title=_("Template Exists"),
			)

	def rater_weights(self) -> dict[str, float]:
		return {
			rules.SUPERIOR: self.superior_weight or 0,
			rules.PEER: self.peer_weight or 0,
			rules.CUSTOMER: self.customer_weight or 0,
			rules.SELF: self.self_weight or 0,
		}


def template_for(post: str, company: str | None) -> str | None:
	"""The enabled template of a post: the company's own, else the one for every company."""
	for filters in ({"company": company}, {"company": ("is", "not set")}):
		name = frappe.db.get_value(
			"Service Appraisal Template", {"post": post, "disabled": 0, **filters}, "name"
		)
		if name:
			return name
	return None
