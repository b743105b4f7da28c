"""360 feedback requests (AP-4): when an appraisal opens for the self review, the employee, the
appraiser (superior) and the colleagues of the employee's service point (peers) each get their own
Service Appraisal Feedback to fill in, with a ToDo. Each rater sees and edits only their own
(aftersales/staff/permissions.py); the appraisal sees only the scores of submitted feedback."""

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as assign_to

from aftersales.domain import appraisal as rules
from aftersales.integrity import server_action


def raters_of(appraisal) -> list[tuple[str, str]]:
	"""(employee, rater type) asked for feedback: self, the appraiser, the point's other members."""
	raters = [(appraisal.employee, rules.SELF)]
	if appraisal.appraiser:
		raters.append((appraisal.appraiser, rules.SUPERIOR))
	if appraisal.service_point:
		point = frappe.get_cached_doc("Service Point", appraisal.service_point)
		for member in point.members:
			if member.employee not in (appraisal.employee, appraisal.appraiser):
				raters.append((member.employee, rules.PEER))
	return raters


def request_feedback(appraisal) -> list[str]:
	return [
		name
		for name in (
			make_feedback(appraisal, rater, rater_type) for rater, rater_type in raters_of(appraisal)
		)
		if name
	]


def make_feedback(appraisal, rater: str, rater_type: str) -> str | None:
	"""The rater's feedback form for the appraisal (made once; None when the rater has no user)."""
	user = frappe.db.get_value("Employee", rater, "user_id")
	if not user:
		return None
	existing = frappe.db.get_value(
		"Service Appraisal Feedback", {"appraisal": appraisal.name, "rater": rater, "docstatus": ("<", 2)}
	)
	if existing:
		return existing
	feedback = frappe.get_doc(
		{
			"doctype": "Service Appraisal Feedback",
			"appraisal": appraisal.name,
			"employee": appraisal.employee,
			"period": appraisal.period,
			"rater_type": rater_type,
			"rater": rater,
			"rater_user": user,
			"ratings": [{"criterion": row.criterion, "weight": row.weight} for row in appraisal.criteria],
		}
	)
	server_action(feedback, "feedback request")
	feedback.insert(ignore_permissions=True)
	assign_to(
		{
			"doctype": feedback.doctype,
			"name": feedback.name,
			"assign_to": [user],
			"description": _("Your 360 feedback on {0} for {1}").format(
				appraisal.employee_name or appraisal.employee, appraisal.period
			),
		},
		ignore_permissions=True,
	)
	return feedback.name
