# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""The staff module around its DocTypes: the KPI adapter against the KPI module, the reports, the
demo data, and the HRMS hand-over (only where HRMS is installed). In the test's transaction."""

import unittest

import frappe
from frappe.utils import add_days, getdate, nowdate

from aftersales.domain import appraisal as rules
from aftersales.domain import appraisal_flow as flow
from aftersales.integrity import server_action
from aftersales.staff import hrms
from aftersales.staff.report.appraisal_summary import appraisal_summary
from aftersales.staff.report.certification_coverage import certification_coverage
from aftersales.tests import staff as st
from aftersales.tests.queries import count_queries
from aftersales.tests.utils import outgoing_email_account


class StaffModuleTestCase(st.StaffTestCase):
	def setUp(self):
		super().setUp()
		self.team = st.team()
		self.point = st.test_point(self.team)
		self.template = st.template()


class TestKpiAdapter(StaffModuleTestCase):
	def test_every_indicator_is_the_kpi_module_s_or_counted_here(self):
		from aftersales.kpi.definitions import INDICATORS
		from aftersales.staff.kpi_source import OWN_COUNTS

		for label, indicator in rules.APPRAISAL_INDICATORS.items():
			if indicator.kpi:
				self.assertIn(indicator.kpi, INDICATORS, label)
				self.assertEqual(
					indicator.higher_is_better, INDICATORS[indicator.kpi].higher_is_better, label
				)
				self.assertEqual(label, INDICATORS[indicator.kpi].label, label)
			else:
				self.assertIn(label, OWN_COUNTS)

	def test_every_indicator_and_scope_answers(self):
		from aftersales.staff.kpi_source import indicator_values

		wanted = [(label, scope) for label in rules.APPRAISAL_INDICATORS for scope in rules.SCOPES]
		values = indicator_values(
			self.team["tech"], "2025-01-01", "2025-01-31", wanted, service_point=self.point
		)
		self.assertEqual(set(values), set(wanted))
		# nothing happened: counts are 0, rates have no data
		self.assertEqual(values[("Orders Closed", rules.OWN_WORK)].value, 0)
		self.assertIsNone(values[("First-time Fix Rate", rules.OWN_WORK)].value)
		self.assertEqual(values[("Quality Checks Made", rules.OWN_WORK)].value, 0)
		# without a service point the point's scope has no data
		values = indicator_values(
			self.team["tech"], "2025-01-01", "2025-01-31", [("Orders Closed", rules.SERVICE_POINT)]
		)
		self.assertIsNone(values[("Orders Closed", rules.SERVICE_POINT)].value)


class TestReports(StaffModuleTestCase):
	def test_appraisal_summary_rows_and_grade_chart(self):
		ada = st.make_appraisal(self.team["tech"], "2025-07-01", self.template)
		bo = st.make_appraisal(self.team["peer"], "2025-07-01", self.template)
		filters = {
			"from_date": "2025-07-01",
			"to_date": "2025-07-31",
			"include_open": 1,
			"service_point": self.point,
		}
		_columns, rows, _message, chart = appraisal_summary.execute(filters)
		self.assertEqual({row.name for row in rows}, {ada.name, bo.name})
		self.assertEqual(sum(chart["data"]["datasets"][0]["values"]), 2)
		_columns, rows, _message, _chart = appraisal_summary.execute({**filters, "view": "By Service Point"})
		self.assertEqual(
			[(row.service_point, row.period, row.appraisals) for row in rows], [(self.point, "2025-07", 2)]
		)
		# final ones only by default
		self.assertEqual(appraisal_summary.execute({**filters, "include_open": 0})[1], [])
		# an employee sees their own row only
		frappe.set_user(st.TECH)
		_columns, rows, _message, _chart = appraisal_summary.execute(filters)
		self.assertEqual({row.name for row in rows}, {ada.name})

	def test_certification_coverage(self):
		frappe.db.set_value("Service Point", self.point, "disabled", 0)
		frappe.get_doc(
			{
				"doctype": "Technician Certification",
				"employee": self.team["tech"],
				"item_group": "Appliances",
				"valid_from": add_days(nowdate(), -1),
				"valid_until": add_days(nowdate(), 30),
				"evidence": "https://example.com/c.pdf",
			}
		).insert()
		_columns, rows, _message, chart = certification_coverage.execute({"service_point": self.point})
		self.assertEqual(
			[(r["item_group"], r["technicians"], r["certified"], r["coverage"]) for r in rows],
			[("Appliances", 2, 1, 50)],
		)
		self.assertIn("Bo", rows[0]["missing"])
		self.assertEqual(chart["data"]["datasets"][1]["values"], [100])
		_columns, rows, _message, _chart = certification_coverage.execute(
			{"service_point": self.point, "on_date": add_days(nowdate(), 31)}
		)
		self.assertEqual(rows[0]["coverage"], 0)

	def test_certification_coverage_costs_the_same_queries_for_more_points(self):
		"""Set-based (issue 15): the points, technicians, certifications and item groups are each read
		once, not once per service point or item group."""
		second = st.test_point(self.team, name="Coverage Query Count Point")
		for point in (self.point, second):
			frappe.db.set_value("Service Point", point, "disabled", 0)
		company = frappe.db.get_value("Service Point", self.point, "company")
		for filters in ({"service_point": self.point}, {"company": company}):
			certification_coverage.execute(filters)  # metadata in the cache
		with count_queries() as one:
			_columns, one_rows, _message, _chart = certification_coverage.execute(
				{"service_point": self.point}
			)
		with count_queries() as every:
			_columns, rows, _message, _chart = certification_coverage.execute({"company": company})
		# the company's report holds every row of the one point's, and costs the same statements
		self.assertLessEqual(
			{(r["service_point"], r["item_group"]) for r in one_rows},
			{(r["service_point"], r["item_group"]) for r in rows},
		)
		self.assertEqual(every.count, one.count)


class TestDemo(st.StaffTestCase):
	"""The demo data as aftersales/setup/demo.py loads it (no test template in the way)."""

	def test_demo_templates_training_certifications_and_a_final_appraisal(self):
		from aftersales.domain.appraisal import previous_month
		from aftersales.setup.demo import load_staff_demo
		from aftersales.staff import demo as staff_demo

		# the feedback requests assign raters, whose assignment mails a test runs at once: without an
		# outgoing account Frappe's muted-mail stand-in has no address and its sender fails
		outgoing_email_account()
		data = self.demo
		loaded = load_staff_demo(data["company"], data["employees"], "Appliances")
		self.assertEqual(loaded["templates"], [f"{post} (Demo)" for post in staff_demo.TEMPLATES])
		for name in loaded["templates"]:
			self.assertTrue(frappe.db.exists("Service Appraisal Template", name))
		self.assertEqual(frappe.db.get_value("Service Training", loaded["training"], "docstatus"), 1)
		certified = frappe.get_all(
			"Technician Certification", {"training": loaded["training"]}, pluck="employee"
		)
		self.assertEqual(set(certified), {data["employees"][3], data["employees"][4]})
		self.assertEqual(
			frappe.db.get_value("Technician Certification", loaded["certification"], "source"), "Evidence"
		)
		# the East technician's appraisal of last month is final (made now, or by an earlier load)
		start, _end = previous_month(getdate(nowdate()))
		self.assertTrue(
			frappe.db.exists(
				"Service Appraisal", {"employee": data["employees"][3], "period_start": start, "docstatus": 1}
			)
		)
		# idempotent
		again = load_staff_demo(data["company"], data["employees"], "Appliances")
		self.assertEqual(
			(again["training"], again["certification"], again["appraisals"]),
			(loaded["training"], loaded["certification"], []),
		)


@unittest.skipUnless(
	hrms.installed(), "Frappe HR (hrms) is not installed on this site: the HRMS hand-over is optional"
)
class TestHRMS(StaffModuleTestCase):
	"""Final -> an Employee Performance Feedback on the HRMS appraisal of the covering cycle, and the
	recommended bonus -> a draft Additional Salary."""

	def test_final_appraisal_goes_to_hrms(self):
		company = self.demo["company"]
		criteria = frappe.get_doc(
			{"doctype": "Employee Feedback Criteria", "criteria": "Service (aftersales test)"}
		).insert()
		kra = frappe.get_doc({"doctype": "KRA", "title": "Service (aftersales test)"}).insert()
		hr_template = frappe.get_doc(
			{
				"doctype": "Appraisal Template",
				"template_title": "Service (aftersales test)",
				"goals": [{"key_result_area": kra.name, "per_weightage": 100}],
				"rating_criteria": [{"criteria": criteria.name, "per_weightage": 100}],
			}
		).insert()
		cycle = frappe.get_doc(
			{
				"doctype": "Appraisal Cycle",
				"cycle_name": "2025 (aftersales test)",
				"company": company,
				"start_date": "2025-01-01",
				"end_date": "2025-12-31",
				"status": "In Progress",
			}
		).insert()
		hr_appraisal = frappe.get_doc(
			{
				"doctype": "Appraisal",
				"employee": self.team["tech"],
				"appraisal_cycle": cycle.name,
				"appraisal_template": hr_template.name,
			}
		)
		hr_appraisal.set_kras_and_rating_criteria()
		hr_appraisal.insert()
		component = frappe.get_doc(
			{"doctype": "Salary Component", "salary_component": "Service Bonus (test)", "type": "Earning"}
		).insert()
		frappe.db.set_single_value("After-Sales Settings", "hrms_bonus_component", component.name)
		frappe.clear_document_cache("After-Sales Settings", "After-Sales Settings")

		appraisal = st.make_appraisal(self.team["tech"], "2025-08-01", self.template)
		for status in (flow.SELF_REVIEW, flow.MANAGER_REVIEW):
			appraisal.status = status
			server_action(appraisal, "test")
			appraisal.save()
		appraisal.feedback_to_employee = "Fine work"
		appraisal.append(
			"improvement_plan", {"action": "x", "action_owner": st.TECH, "deadline": "2025-12-31"}
		)
		appraisal.submit()
		appraisal.reload()
		self.assertTrue(appraisal.hrms_feedback, appraisal.hrms_note)
		feedback = frappe.get_doc("Employee Performance Feedback", appraisal.hrms_feedback)
		self.assertEqual((feedback.appraisal, feedback.docstatus), (hr_appraisal.name, 1))
		appraisal.cancel()
		self.assertEqual(frappe.db.get_value("Employee Performance Feedback", feedback.name, "docstatus"), 2)
