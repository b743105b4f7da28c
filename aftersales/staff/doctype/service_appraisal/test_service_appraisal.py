# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Service Appraisal on a known data set (every KPI row, 360 score, final score and grade computed by
hand below), its lifecycle and who may do what in it, the idempotent batch and the unique
appraisal per employee and period. Everything here stays in the test's transaction."""

from unittest.mock import patch

import frappe
from frappe.utils import getdate

from aftersales.domain import appraisal as rules
from aftersales.domain import appraisal_flow as flow
from aftersales.integrity import FieldOwnerError, ServerOwnedFieldError
from aftersales.staff.batch import run_batch
from aftersales.staff.doctype.service_appraisal.service_appraisal import (
	AppraisalInputError,
	AppraisalPartyError,
	AppraisalTransitionError,
	DuplicateAppraisalError,
)
from aftersales.staff.doctype.service_appraisal_feedback.service_appraisal_feedback import (
	FeedbackStateError,
	NotYourFeedbackError,
)
from aftersales.tests import staff as st
from aftersales.tests import work_orders as wo
from aftersales.tests.utils import demo

PERIOD = "2025-03-01"


def order_with_facts(tech: str, point: str, **facts) -> str:
	"""A work order of the technician whose KPI facts are set as given (the KPI module reads
	them from the order: aftersales/kpi/facts.py)."""
	order = wo.new_work_order()
	values = {"technician": tech, "service_point": point, "solved_by_phone": 0, **facts}
	frappe.db.set_value("Service Work Order", order.name, values, update_modified=False)
	return order.name


def follow_up(order: str, tech: str, point: str, outcome: str, attitude: float, on: str) -> str:
	"""A submitted follow-up visit of the order (written directly: its own rules are tested in
	the work order's tests)."""
	doc = frappe.get_doc(
		{
			"doctype": "Service Follow-up",
			"service_work_order": order,
			"customer": demo()["customers"][0],
			"technician": tech,
			"service_point": point,
			"scheduled_date": on[:10],
			"channel": "Phone",
			"status": "Completed",
			"repair_quality": 0.8,
			"attitude": attitude,
			"duration": 0.8,
			"outcome": outcome,
			"followed_up_on": on,
			"followed_up_by": wo.DESK,
			"docstatus": 1,
		}
	)
	doc.name = "SFU-TEST-" + frappe.generate_hash(length=8)
	doc.db_insert()
	return doc.name


class StaffTestCase(st.StaffTestCase):
	def setUp(self):
		super().setUp()
		self.team = st.team()
		self.point = st.test_point(self.team)
		self.template = st.template()

	def move(self, appraisal, status, user, **values):
		frappe.set_user(user)
		doc = frappe.get_doc("Service Appraisal", appraisal.name)
		doc.update(values)
		doc.status = status
		doc.save()
		frappe.set_user("Administrator")
		return frappe.get_doc("Service Appraisal", appraisal.name)

	def finalise(self, appraisal, user=st.LEAD):
		frappe.set_user(user)
		doc = frappe.get_doc("Service Appraisal", appraisal.name)
		doc.feedback_to_employee = "Keep it up; fewer reworks."
		doc.append(
			"improvement_plan",
			{"action": "Pair with a senior on washers", "action_owner": st.TECH, "deadline": "2025-12-31"},
		)
		doc.save()
		doc.submit()
		frappe.set_user("Administrator")
		return frappe.get_doc("Service Appraisal", appraisal.name)


class TestKnownDataSet(StaffTestCase):
	"""March 2025 of technician Ada (the test point), counted by hand:

	Orders (ended / completed / delivered in March unless noted):
	  O1 Closed, no rework, parts 300        O2 Closed, reworked once, parts 200
	  O3 Closed, no rework, parts 100        O4 Closed, no rework, parts 0
	  O5 In Progress (not completed)         O6 Closed in February, O7 completed at 00:00 on 1 April (outside)
	Follow-ups in March: O1 Satisfied (attitude 5 stars), O2 Not Fixed at First Visit (4 stars),
	  O3 Satisfied (3 stars), O4 Satisfied (4 stars); one in April (outside).

	KPI rows (template tests/staff.py KPIS):
	  Orders Closed        4           linear 0..10      -> 40.00 x 20% =  8.00
	  First-time Fix Rate  3/4 = 75%   linear 50..90     -> 62.50 x 30% = 18.75
	  Rework Rate          1/4 = 25%   inverse 5..45     -> 50.00 x 20% = 10.00
	  Satisfaction Rate    3/4 = 75%   bands 75 -> 80    -> 80.00 x 20% = 16.00
	  Parts Sales          600         linear 0..1000    -> 60.00 x 10% =  6.00
	  KPI score                                                          58.75
	360 (criteria weights 50/30/20):
	  superior (the point's manager) 4, 3, 5 stars -> 40 + 18 + 20 = 78.00 x 40% = 31.20
	  peer 5, 4, 4 stars                           -> 50 + 24 + 16 = 90.00 x 20% = 18.00
	  customers: attitude (5 + 4 + 3 + 4) / 4 stars = 80.00          x 30% = 24.00
	  self 5, 5, 4 stars                           -> 50 + 30 + 16 = 96.00 x 10% =  9.60
	  360 score                                                                82.80
	Final: 58.75 x 70% = 41.125 -> 41.13 (half up); 82.80 x 30% = 24.84; 65.97 -> grade C
	(A >= 90, B >= 75, C >= 60), which recommends neither reward nor penalty.
	"""

	def make_data(self):
		tech, point = self.team["tech"], self.point
		o1 = order_with_facts(
			tech,
			point,
			status="Closed",
			completed_on="2025-03-04 10:00",
			delivered_on="2025-03-04 15:00",
			ended_on="2025-03-05 09:00",
			parts_amount=300,
		)
		o2 = order_with_facts(
			tech,
			point,
			status="Closed",
			completed_on="2025-03-09 10:00",
			delivered_on="2025-03-09 15:00",
			ended_on="2025-03-10 09:00",
			rework_count=1,
			parts_amount=200,
		)
		o3 = order_with_facts(
			tech,
			point,
			status="Closed",
			completed_on="2025-03-14 10:00",
			delivered_on="2025-03-14 15:00",
			ended_on="2025-03-15 09:00",
			parts_amount=100,
		)
		o4 = order_with_facts(
			tech,
			point,
			status="Closed",
			completed_on="2025-03-19 10:00",
			delivered_on="2025-03-19 15:00",
			ended_on="2025-03-20 09:00",
		)
		order_with_facts(tech, point, status="In Progress", received_on="2025-03-25 09:00")
		o6 = order_with_facts(
			tech,
			point,
			status="Closed",
			completed_on="2025-02-27 10:00",
			delivered_on="2025-02-27 15:00",
			ended_on="2025-02-28 18:00",
			parts_amount=999,
		)
		order_with_facts(
			tech,
			point,
			status="Closed",
			completed_on="2025-04-01 00:00:00",
			delivered_on="2025-04-01 08:00",
			ended_on="2025-04-01 09:00",
			rework_count=2,
			parts_amount=999,
		)
		follow_up(o1, tech, point, "Satisfied", 1.0, "2025-03-06 10:00:00")
		follow_up(o2, tech, point, "Not Fixed at First Visit", 0.8, "2025-03-11 10:00:00")
		follow_up(o3, tech, point, "Satisfied", 0.6, "2025-03-16 10:00:00")
		follow_up(o4, tech, point, "Satisfied", 0.8, "2025-03-21 10:00:00")
		follow_up(o6, tech, point, "Attitude Complaint", 0.2, "2025-04-02 10:00:00")
		# another technician's work in the same month counts for them, not for Ada
		order_with_facts(
			self.team["peer"],
			point,
			status="Closed",
			completed_on="2025-03-04 10:00",
			delivered_on="2025-03-04 15:00",
			ended_on="2025-03-05 09:00",
			parts_amount=5000,
		)

	def test_every_row_and_score_as_computed_by_hand(self):
		self.make_data()
		appraisal = st.make_appraisal(self.team["tech"], "2025-03-17", self.template)
		self.assertEqual(str(appraisal.period_start), PERIOD)
		self.assertEqual(str(appraisal.period_end), "2025-03-31")
		self.assertEqual(appraisal.period, "2025-03")
		self.assertEqual(appraisal.appraiser, self.team["lead"])

		rows = {row.indicator: row for row in appraisal.kpis}
		expected = {
			# indicator: value, numerator, denominator, score, weighted score
			"Orders Closed": (4, None, None, 40, 8),
			"First-time Fix Rate": (75, 3, 4, 62.5, 18.75),
			"Rework Rate": (25, 1, 4, 50, 10),
			"Satisfaction Rate": (75, 3, 4, 80, 16),
			"Parts Sales": (600, None, None, 60, 6),
		}
		for indicator, (value, numerator, denominator, score, weighted) in expected.items():
			row = rows[indicator]
			self.assertEqual(row.value, value, indicator)
			if denominator is not None:
				self.assertEqual((row.numerator, row.denominator), (numerator, denominator), indicator)
				self.assertEqual(row.basis, f"{numerator} / {denominator}")
			self.assertEqual((row.score, row.weighted_score), (score, weighted), indicator)
			self.assertEqual(row.effective_weight, row.weight, indicator)
			self.assertTrue(row.records.startswith("/app/"), indicator)
		self.assertIn("technician=" + self.team["tech"], rows["Orders Closed"].records)
		self.assertEqual(appraisal.kpi_score, 58.75)
		self.assertEqual((appraisal.customer_score, appraisal.follow_ups_rated), (80, 4))

		appraisal = self.move(appraisal, flow.SELF_REVIEW, st.LEAD)
		raters = {
			f.rater_user: f.rater_type
			for f in frappe.get_all(
				"Service Appraisal Feedback", {"appraisal": appraisal.name}, ["rater_user", "rater_type"]
			)
		}
		self.assertEqual(raters, {st.TECH: rules.SELF, st.LEAD: rules.SUPERIOR, st.PEER: rules.PEER})
		st.rate(appraisal.name, st.LEAD, (0.8, 0.6, 1.0))
		st.rate(appraisal.name, st.PEER, (1.0, 0.8, 0.8))
		st.rate(appraisal.name, st.TECH, (1.0, 1.0, 0.8))
		appraisal.reload()
		groups = {row.rater_type: row for row in appraisal.rater_scores}
		self.assertEqual(
			{t: (r.raters, r.score, r.weighted_score) for t, r in groups.items()},
			{
				rules.SUPERIOR: (1, 78, 31.2),
				rules.PEER: (1, 90, 18),
				rules.CUSTOMER: (4, 80, 24),
				rules.SELF: (1, 96, 9.6),
			},
		)
		self.assertEqual(appraisal.feedback_score, 82.8)
		self.assertEqual(appraisal.final_score, 65.97)
		self.assertEqual(appraisal.grade, "C")
		self.assertEqual((appraisal.bonus_percent, appraisal.deduction_percent), (0, 0))
		self.assertFalse(appraisal.recommend_training)

		appraisal = self.move(appraisal, flow.MANAGER_REVIEW, st.TECH, employee_comments="A good month.")
		appraisal = self.finalise(appraisal)
		self.assertEqual((appraisal.docstatus, appraisal.status), (1, flow.FINAL))
		self.assertEqual((appraisal.final_score, appraisal.grade), (65.97, "C"))
		self.assertEqual(appraisal.finalised_by, st.LEAD)

	def test_rows_without_data_are_left_out(self):
		appraisal = st.make_appraisal(self.team["tech"], "2025-01-01", self.template)
		rows = {row.indicator: row for row in appraisal.kpis}
		# counts are 0 (nothing done), rates have nothing to divide: no data, weight spread over the rest
		self.assertEqual((rows["Orders Closed"].value, rows["Orders Closed"].no_data), (0, 0))
		self.assertEqual(rows["First-time Fix Rate"].no_data, 1)
		self.assertEqual(rows["Orders Closed"].effective_weight, 66.67)  # 20 of 30
		self.assertEqual(rows["Parts Sales"].effective_weight, 33.33)
		self.assertEqual(appraisal.kpi_score, 0)
		self.assertEqual(appraisal.follow_ups_rated, 0)


class TestLifecycleAndParties(StaffTestCase):
	def setUp(self):
		super().setUp()
		self.appraisal = st.make_appraisal(self.team["tech"], "2025-05-01", self.template)

	def test_only_the_appraiser_opens_the_self_review(self):
		for user in (st.TECH, st.PEER):
			with self.assertRaises((AppraisalPartyError, frappe.PermissionError)):
				self.move(self.appraisal, flow.SELF_REVIEW, user)
			frappe.set_user("Administrator")
		self.assertEqual(self.move(self.appraisal, flow.SELF_REVIEW, st.LEAD).status, flow.SELF_REVIEW)

	def test_each_party_edits_only_their_own_part(self):
		appraisal = self.move(self.appraisal, flow.SELF_REVIEW, st.LEAD)
		with self.assertRaises(FieldOwnerError):
			self.move(appraisal, flow.SELF_REVIEW, st.TECH, feedback_to_employee="I am great")
		frappe.set_user("Administrator")
		with self.assertRaises(FieldOwnerError):
			self.move(appraisal, flow.SELF_REVIEW, st.LEAD, employee_comments="Written for you")
		frappe.set_user("Administrator")
		appraisal = self.move(appraisal, flow.SELF_REVIEW, st.TECH, employee_comments="My view")
		self.assertEqual(appraisal.employee_comments, "My view")
		appraisal = self.move(appraisal, flow.MANAGER_REVIEW, st.TECH)
		# the self review is over: the employee's comments are closed
		with self.assertRaises(FieldOwnerError):
			self.move(appraisal, flow.MANAGER_REVIEW, st.TECH, employee_comments="Changed my mind")
		frappe.set_user("Administrator")

	def test_scores_and_grade_are_the_server_s(self):
		appraisal = self.move(self.appraisal, flow.SELF_REVIEW, st.LEAD)
		for field, value in (("final_score", 99), ("grade", "A"), ("bonus_percent", 50), ("kpi_score", 100)):
			frappe.set_user(st.TECH)
			doc = frappe.get_doc("Service Appraisal", appraisal.name)
			doc.set(field, value)
			with self.assertRaises(ServerOwnedFieldError, msg=field):
				doc.save()
			frappe.set_user("Administrator")
		# the KPI rows are the server's whole: a forged value is refused, and nothing is written
		stored = frappe.db.get_value("Service Appraisal KPI", appraisal.kpis[0].name, "value")
		frappe.set_user(st.LEAD)
		doc = frappe.get_doc("Service Appraisal", appraisal.name)
		doc.kpis[0].value = 1000
		doc.kpis[0].score = 100
		with self.assertRaises(ServerOwnedFieldError):
			doc.save()
		self.assertEqual(
			frappe.db.get_value("Service Appraisal KPI", appraisal.kpis[0].name, "value"), stored
		)
		frappe.set_user("Administrator")

	def test_the_employee_never_finalises_and_final_is_locked(self):
		appraisal = self.move(self.appraisal, flow.SELF_REVIEW, st.LEAD)
		appraisal = self.move(appraisal, flow.MANAGER_REVIEW, st.TECH)
		frappe.set_user(st.TECH)
		doc = frappe.get_doc("Service Appraisal", appraisal.name)
		self.assertRaises(frappe.PermissionError, doc.submit)
		frappe.set_user("Administrator")
		frappe.set_user(st.LEAD)
		doc = frappe.get_doc("Service Appraisal", appraisal.name)
		self.assertRaises(AppraisalInputError, doc.submit)  # no feedback to the employee yet
		frappe.set_user("Administrator")
		appraisal = self.finalise(appraisal)
		appraisal.employee_comments = "after the fact"
		self.assertRaises(AppraisalTransitionError, appraisal.save)
		# a forged copy cancelled over the API (Frappe saves it without validate) is refused: its
		# server-owned links would be what on_cancel withdraws in HRMS
		from frappe.handler import run_doc_method

		frappe.local.request = frappe._dict(method="POST")  # what the endpoint checks of the request
		self.addCleanup(delattr, frappe.local, "request")
		appraisal = frappe.get_doc("Service Appraisal", appraisal.name)
		forged = appraisal.as_dict(convert_dates_to_str=True)
		forged["hrms_additional_salary"] = "HR-ADS-FORGED-0001"
		forged["final_score"] = 100
		frappe.set_user(wo.MANAGER)
		with self.assertRaises(ServerOwnedFieldError):
			run_doc_method("cancel", docs=frappe.as_json(forged))
		self.assertEqual(
			frappe.db.get_value(
				"Service Appraisal", appraisal.name, ["docstatus", "final_score", "hrms_additional_salary"]
			),
			(1, appraisal.final_score, appraisal.hrms_additional_salary),
		)
		# the manager cancels and amends it
		doc = frappe.get_doc("Service Appraisal", appraisal.name)
		doc.cancel()
		self.assertIsNone(frappe.db.get_value("Service Appraisal", appraisal.name, "appraisal_key"))
		amended = frappe.copy_doc(doc, ignore_no_copy=False)
		amended.amended_from, amended.docstatus = doc.name, 0
		amended.insert()
		self.assertEqual((amended.status, amended.appraisal_key), (flow.DRAFT, doc.key()))
		frappe.set_user("Administrator")

	def test_finalised_only_from_manager_review(self):
		frappe.set_user(st.LEAD)
		doc = frappe.get_doc("Service Appraisal", self.appraisal.name)
		doc.feedback_to_employee = "Too early"
		doc.save()
		self.assertRaises(AppraisalTransitionError, doc.submit)

	def test_feedback_is_the_rater_s_alone_and_closes_with_the_appraisal(self):
		appraisal = self.move(self.appraisal, flow.SELF_REVIEW, st.LEAD)
		peer_feedback = st.feedback_of(appraisal.name, st.PEER)
		frappe.set_user(st.TECH)
		doc = frappe.get_doc("Service Appraisal Feedback", peer_feedback.name)
		doc.ratings[0].rating = 0.2
		self.assertRaises((NotYourFeedbackError, frappe.PermissionError), doc.save)
		frappe.set_user(st.PEER)
		doc = frappe.get_doc("Service Appraisal Feedback", peer_feedback.name)
		doc.append("ratings", {"criterion": "Bribes", "weight": 100, "rating": 1})
		self.assertRaises(ServerOwnedFieldError, doc.save)
		doc = frappe.get_doc("Service Appraisal Feedback", peer_feedback.name)
		doc.ratings[0].weight = 100
		self.assertRaises(ServerOwnedFieldError, doc.save)
		frappe.set_user("Administrator")
		appraisal = self.move(appraisal, flow.MANAGER_REVIEW, st.TECH)
		appraisal = self.finalise(appraisal)
		with self.assertRaises(FeedbackStateError):
			st.rate(appraisal.name, st.PEER, (1, 1, 1))


class TestBatch(StaffTestCase):
	def test_batch_is_idempotent_and_one_per_employee_and_period(self):
		first = run_batch(rules.MONTH, "2025-06-15", service_point=self.point)
		self.assertEqual(len(first.created), 2, first)  # Ada and Bo; the manager's post has no template
		self.assertTrue(any("Service Point Manager" in s for s in first.skipped), first)
		second = run_batch(rules.MONTH, "2025-06-01", service_point=self.point)
		self.assertEqual(second.created, [])
		self.assertEqual(sorted(second.existing), sorted(first.created))
		self.assertEqual(
			frappe.db.count(
				"Service Appraisal", {"employee": self.team["tech"], "period_start": "2025-06-01"}
			),
			1,
		)
		# by hand too
		self.assertRaises(
			DuplicateAppraisalError, st.make_appraisal, self.team["tech"], "2025-06-30", self.template
		)
		# and in the database: a second row with the same key is refused by its unique index
		appraisal = frappe.get_doc("Service Appraisal", first.created[0])
		copy = frappe.copy_doc(appraisal)
		copy.name = "SAP-TEST-DUPLICATE"
		copy.appraisal_key = appraisal.appraisal_key
		self.assertRaises(frappe.UniqueValidationError, copy.db_insert)
		# a year appraisal of the same employee is another period
		year = frappe.get_doc(
			{
				"doctype": "Service Appraisal",
				"employee": self.team["tech"],
				"post": "Technician",
				"service_point": self.point,
				"period_type": rules.YEAR,
				"period_start": "2025-06-01",
				"template": self.template,
			}
		).insert()
		self.assertEqual((str(year.period_start), year.period), ("2025-01-01", "2025"))

	def test_whitelisted_batch_is_for_managers(self):
		from aftersales.staff.batch import BatchPermissionError, create_appraisals

		frappe.set_user(st.TECH)
		self.assertRaises(BatchPermissionError, create_appraisals, "Month", "2025-06-01")
		frappe.set_user(wo.MANAGER)
		with patch("frappe.enqueue") as enqueue:
			result = create_appraisals("Month", "2025-06-11", self.point)
		self.assertEqual(result["period"], "2025-06")
		kwargs = enqueue.call_args.kwargs
		self.assertEqual(
			(kwargs["queue"], kwargs["period_start"], kwargs["service_point"]),
			("long", getdate("2025-06-01"), self.point),
		)
		self.assertTrue(kwargs["publish_progress"])


class TestPrint(StaffTestCase):
	def test_the_sheet_is_bilingual_and_prints_typed_text_as_text(self):
		appraisal = st.make_appraisal(self.team["tech"], "2025-09-01", self.template)
		appraisal = self.move(appraisal, flow.SELF_REVIEW, st.LEAD)
		appraisal = self.move(
			appraisal, flow.SELF_REVIEW, st.TECH, employee_comments="<script>alert(1)</script> & more"
		)
		html = frappe.get_print("Service Appraisal", appraisal.name, print_format="Service Appraisal Sheet")
		self.assertIn("员工考核表 / Service Appraisal", html)
		self.assertNotIn("<script>alert(1)</script>", html)
		self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", html)
