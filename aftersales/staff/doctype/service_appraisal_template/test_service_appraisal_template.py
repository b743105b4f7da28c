# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe

from aftersales.domain import appraisal as rules
from aftersales.staff.doctype.service_appraisal_template.service_appraisal_template import (
	AppraisalTemplateError,
	DuplicateTemplateError,
	template_for,
)
from aftersales.tests import staff as st
from aftersales.tests.utils import demo


class TestServiceAppraisalTemplate(st.StaffTestCase):
	def template(self, **changes):
		doc = frappe.get_doc("Service Appraisal Template", st.template())
		copy = frappe.copy_doc(doc)
		copy.template_name = "Technician (template test)"
		copy.disabled = 1
		for key, value in changes.items():
			if callable(value):
				value(copy)
			else:
				copy.set(key, value)
		return copy

	def test_weights_must_add_up(self):
		self.assertRaises(AppraisalTemplateError, self.template(kpi_weight=60).insert)
		self.assertRaises(AppraisalTemplateError, self.template(peer_weight=25).insert)
		self.assertRaises(
			AppraisalTemplateError, self.template(kpis=lambda d: setattr(d.kpis[0], "weight", 5)).insert
		)
		self.assertRaises(
			AppraisalTemplateError,
			self.template(criteria=lambda d: setattr(d.criteria[0], "weight", 10)).insert,
		)

	def test_rules_are_checked_and_bands_normalised(self):
		# rework is better when lower: a rising line would reward it
		def linear_rework(doc):
			row = next(r for r in doc.kpis if r.indicator == "Rework Rate")
			row.scoring_rule, row.zero_at = rules.LINEAR, 0

		self.assertRaises(AppraisalTemplateError, self.template(kpis=linear_rework).insert)

		def bad_bands(doc):
			next(r for r in doc.kpis if r.scoring_rule == rules.BANDS).bands = "90 = 100"

		self.assertRaises(AppraisalTemplateError, self.template(kpis=bad_bands).insert)

		def messy_bands(doc):
			next(r for r in doc.kpis if r.scoring_rule == rules.BANDS).bands = "50:50; 90:100;75 : 80"

		doc = self.template(kpis=messy_bands).insert()
		self.assertEqual(
			next(r for r in doc.kpis if r.scoring_rule == rules.BANDS).bands, "50: 50\n75: 80\n90: 100"
		)
		# the lowest grade starts at 0 and grades are kept best first
		self.assertEqual([g.grade for g in doc.grades], ["A", "B", "C", "D"])
		self.assertRaises(AppraisalTemplateError, self.template(grades=lambda d: d.grades.pop()).insert)

	def test_one_enabled_template_per_post(self):
		name = st.template()
		self.assertEqual(template_for("Technician", demo()["company"]), name)
		self.assertRaises(DuplicateTemplateError, self.template(disabled=0).insert)
		self.assertIsNone(template_for("Dispatcher", demo()["company"]))
