"""A follow-up plan's online survey on the portal (FV-2): the customer answers the plan's questions of
their own follow-up once; another customer cannot; a phone follow-up is not offered."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import nowdate

from aftersales.portal import survey
from aftersales.portal.access import PortalInputError, PortalRecordNotFoundError
from aftersales.service import follow_ups
from aftersales.service.doctype.follow_up_plan.test_follow_up_plan import make_plan
from aftersales.tests import portal as pt
from aftersales.tests import work_orders as wo
from aftersales.tests.utils import demo, keep_in_transaction

FOLLOW_UP = "Service Follow-up"


class TestPlanSurvey(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.zhang_customer = demo()["customers"][0]
		cls.zhang, cls.li_na = pt.portal_users()

	def setUp(self):
		frappe.set_user("Administrator")
		keep_in_transaction(self)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def follow_up(self, channel: str) -> str:
		plan = frappe.get_doc(
			"Follow-up Plan", make_plan("Survey test " + channel, trigger="Monthly", channel=channel)
		)
		return follow_ups.make_follow_up(
			plan,
			{"customer": self.zhang_customer, "scheduled_date": nowdate(), "period": "survey-test"},
		)

	def test_the_customer_answers_the_plan_questions_once(self):
		name = self.follow_up("Online")
		phone = self.follow_up("Phone")
		rows = [row.name for row in frappe.get_doc(FOLLOW_UP, name).answers]
		with wo.as_user(self.zhang):
			offered = [s.name for s in survey.plan_surveys_due([self.zhang_customer])]
			self.assertIn(name, offered)
			self.assertNotIn(phone, offered, "a phone follow-up is the desk's call")
			self.assertRaises(
				PortalInputError,
				survey.submit_plan_survey,
				name,
				"satisfied",
				{rows[0]: 5},  # the second question unanswered
			)
			self.assertRaises(
				PortalInputError, survey.submit_plan_survey, name, "not_fixed", {r: 5 for r in rows}
			)
			survey.submit_plan_survey(name, "satisfied", {rows[0]: 5, rows[1]: 2}, "Works well")
			self.assertRaises(
				survey.SurveyClosedError, survey.submit_plan_survey, name, "satisfied", {r: 5 for r in rows}
			)
			self.assertRaises(
				survey.SurveyClosedError, survey.submit_plan_survey, phone, "satisfied", {r: 5 for r in rows}
			)
		doc = frappe.get_doc(FOLLOW_UP, name)
		self.assertEqual((doc.docstatus, doc.outcome, doc.followed_up_by), (1, "Satisfied", self.zhang))
		self.assertEqual(doc.total_score, 80)  # (5 x 2 + 2 x 1) / 3 stars of 5

	def test_another_customer_cannot_answer(self):
		name = self.follow_up("Online")
		rows = [row.name for row in frappe.get_doc(FOLLOW_UP, name).answers]
		with wo.as_user(self.li_na):
			self.assertRaises(
				PortalRecordNotFoundError, survey.submit_plan_survey, name, "satisfied", {r: 5 for r in rows}
			)
		self.assertEqual(frappe.db.get_value(FOLLOW_UP, name, "docstatus"), 0)

	def test_a_complaint_answer_opens_a_complaint(self):
		name = self.follow_up("Online")
		rows = [row.name for row in frappe.get_doc(FOLLOW_UP, name).answers]
		with wo.as_user(self.zhang):
			survey.submit_plan_survey(name, "attitude", {r: 1 for r in rows}, "Nobody called back")
		complaint = frappe.db.get_value(FOLLOW_UP, name, "complaint")
		self.assertTrue(complaint)
		self.assertEqual(
			frappe.db.get_value("Customer Complaint", complaint, "customer"), self.zhang_customer
		)
