# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Appraisal privacy and authority through HTTP (aftersales/tests/api.py), with each user's own API
key: an employee reads only their own appraisal and their own 360 feedback, by REST, list, report
view, count or child table; cannot set their own score or grade; the point's manager reads the
point's appraisals; the other raters' feedback stays theirs.

The records are committed (the request threads see only committed data) and belong to the tests'
own staff (aftersales/tests/staff.py) on a disabled test service point, in January 2020; a run
first removes what an earlier run left."""

import frappe

from aftersales.domain import appraisal_flow as flow
from aftersales.integrity import ServerOwnedFieldError, server_action
from aftersales.staff.batch import BatchPermissionError
from aftersales.staff.doctype.service_appraisal.service_appraisal import AppraisalPartyError
from aftersales.tests import staff as st
from aftersales.tests.api import APITestCase, call, commit, get_resource, put_resource, run_doc_method
from aftersales.tests.utils import demo

APPRAISAL = "Service Appraisal"
FEEDBACK = "Service Appraisal Feedback"
PERIOD = "2020-01-01"
TEMPLATE = "Technician (Appraisal HTTP Tests)"


def names(response) -> set[str]:
	data = response.data or []
	if isinstance(data, dict):  # reportview.get
		keys = data.get("keys") or []
		return {dict(zip(keys, values, strict=False)).get("name") for values in data.get("values") or []}
	return {row.get("name") or row.get("parent") for row in data if isinstance(row, dict)}


def remove_earlier_runs(employees: list[str]) -> None:
	for name in frappe.get_all(
		APPRAISAL, {"employee": ("in", employees), "period_start": PERIOD}, pluck="name"
	):
		for feedback in frappe.get_all(FEEDBACK, {"appraisal": name}, pluck="name"):
			frappe.db.set_value(FEEDBACK, feedback, "docstatus", 0)
			frappe.delete_doc(FEEDBACK, feedback, force=True, ignore_permissions=True)
		frappe.db.set_value(APPRAISAL, name, "docstatus", 0)
		frappe.delete_doc(APPRAISAL, name, force=True, ignore_permissions=True)


class TestAppraisalPrivacyOverHTTP(APITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		demo()
		frappe.set_user("Administrator")
		cls.team = st.team()
		st.test_point(cls.team)
		st.template(TEMPLATE, disabled=1)
		remove_earlier_runs(list(cls.team.values()))
		cls.own = st.make_appraisal(cls.team["tech"], PERIOD, TEMPLATE).name
		cls.colleague = st.make_appraisal(cls.team["peer"], PERIOD, TEMPLATE).name
		doc = frappe.get_doc(APPRAISAL, cls.own)
		doc.status = flow.SELF_REVIEW
		server_action(doc, "test setup")
		doc.save()
		cls.own_feedback = frappe.db.get_value(FEEDBACK, {"appraisal": cls.own, "rater_user": st.TECH})
		cls.peer_feedback = frappe.db.get_value(FEEDBACK, {"appraisal": cls.own, "rater_user": st.PEER})
		cls.lead_feedback = frappe.db.get_value(FEEDBACK, {"appraisal": cls.own, "rater_user": st.LEAD})
		commit()

	def test_an_employee_reads_their_own_appraisal_only(self):
		self.assertEqual(get_resource(st.TECH, APPRAISAL, self.own).status, 200)
		self.assertRefused(get_resource(st.TECH, APPRAISAL, self.colleague), status=403)
		self.assertRefused(get_resource(st.OTHER, APPRAISAL, self.own), status=403)
		listed = call(
			st.TECH, "frappe.client.get_list", doctype=APPRAISAL, fields=["name"], limit_page_length=0
		)
		self.assertEqual(listed.status, 200, listed)
		self.assertIn(self.own, names(listed))
		self.assertNotIn(self.colleague, names(listed))
		report = call(
			st.TECH,
			"frappe.desk.reportview.get",
			doctype=APPRAISAL,
			fields=["name", "final_score"],
			filters={"period_start": PERIOD},
		)
		self.assertEqual(names(report), {self.own})
		counted = call(
			st.TECH, "frappe.client.get_count", doctype=APPRAISAL, filters={"name": self.colleague}
		)
		self.assertEqual(counted.data, 0, counted)
		value = call(
			st.TECH,
			"frappe.client.get_value",
			doctype=APPRAISAL,
			fieldname="final_score",
			filters={"name": self.colleague},
		)
		self.assertFalse(value.data, value)

	def test_child_tables_list_only_rows_of_readable_appraisals(self):
		for child in (
			"Service Appraisal KPI",
			"Service Appraisal Rater Score",
			"Service Appraisal Criterion",
		):
			listed = call(
				st.TECH,
				"frappe.client.get_list",
				doctype=child,
				parent=APPRAISAL,
				fields=["parent"],
				filters={"parent": ("in", [self.own, self.colleague])},
				limit_page_length=0,
			)
			self.assertEqual(listed.status, 200, listed)
			self.assertEqual({row["parent"] for row in listed.data}, {self.own}, child)

	def test_the_point_manager_reads_the_point_s_appraisals(self):
		listed = call(
			st.LEAD,
			"frappe.client.get_list",
			doctype=APPRAISAL,
			fields=["name"],
			filters={"period_start": PERIOD},
		)
		self.assertEqual(names(listed), {self.own, self.colleague})
		self.assertEqual(get_resource(st.LEAD, APPRAISAL, self.colleague).status, 200)

	def test_each_rater_reads_only_their_own_feedback(self):
		self.assertEqual(get_resource(st.TECH, FEEDBACK, self.own_feedback).status, 200)
		# the appraisee does not see who said what about them, nor do the other raters
		self.assertRefused(get_resource(st.TECH, FEEDBACK, self.peer_feedback), status=403)
		self.assertRefused(get_resource(st.PEER, FEEDBACK, self.lead_feedback), status=403)
		listed = call(
			st.TECH,
			"frappe.client.get_list",
			doctype=FEEDBACK,
			fields=["name"],
			filters={"appraisal": self.own},
		)
		self.assertEqual(names(listed), {self.own_feedback})
		counted = call(st.TECH, "frappe.client.get_count", doctype=FEEDBACK, filters={"rater_user": st.PEER})
		self.assertEqual(counted.data, 0, counted)
		rows = call(
			st.TECH,
			"frappe.client.get_list",
			doctype="Service Appraisal Feedback Rating",
			parent=FEEDBACK,
			fields=["parent", "rating"],
			limit_page_length=0,
		)
		self.assertEqual(rows.status, 200, rows)
		self.assertEqual({row["parent"] for row in rows.data}, {self.own_feedback})

	def test_a_rater_cannot_fill_in_someone_else_s_feedback(self):
		before = frappe.get_doc(FEEDBACK, self.own_feedback).as_dict(convert_dates_to_str=True)
		stored = frappe.get_doc(FEEDBACK, self.own_feedback)
		rows = [{"name": row.name, "rating": 0.2} for row in stored.ratings]
		self.assertRefused(put_resource(st.PEER, FEEDBACK, self.own_feedback, {"ratings": rows}), status=403)
		self.assertUnchanged(FEEDBACK, self.own_feedback, before)

	def test_an_employee_cannot_set_their_own_score_or_grade(self):
		for values in (
			{"final_score": 99},
			{"grade": "A"},
			{"bonus_percent": 20},
			{"recommend_promotion": 1},
		):
			self.assertPutRefused(st.TECH, APPRAISAL, self.own, values, exc=ServerOwnedFieldError)
		# nor their appraiser's feedback, nor push it to final
		self.assertPutRefused(st.TECH, APPRAISAL, self.own, {"feedback_to_employee": "Excellent"}, status=403)
		self.assertPutRefused(st.TECH, APPRAISAL, self.own, {"status": flow.FINAL})
		doc = frappe.get_doc(APPRAISAL, self.own).as_dict(convert_dates_to_str=True)
		self.assertRefused(run_doc_method(st.TECH, doc, "refresh_kpis"), AppraisalPartyError, status=403)

	def test_only_managers_create_appraisals(self):
		self.assertRefused(
			call(
				st.TECH, "aftersales.staff.batch.create_appraisals", period_type="Month", period_start=PERIOD
			),
			BatchPermissionError,
			status=403,
		)
		self.assertRefused(
			call(
				st.LEAD,
				"frappe.client.insert",
				doc={
					"doctype": APPRAISAL,
					"employee": self.team["peer"],
					"post": "Technician",
					"period_type": "Month",
					"period_start": "2020-02-01",
					"template": TEMPLATE,
				},
			),
			status=403,
		)
