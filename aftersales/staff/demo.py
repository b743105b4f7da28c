"""Demo data of the staff module (called by aftersales/setup/demo.py `load`; idempotent): an
appraisal template per post, a monthly appliance training that certified the demo technicians, one
certification entered with its evidence, and last month's appraisals of the demo staff, the East
technician's walked to Final with its 360 feedback."""

import frappe
from frappe.utils import add_days, add_months, getdate, nowdate

from aftersales.domain import appraisal as rules
from aftersales.domain import appraisal_flow as flow
from aftersales.integrity import server_action

CRITERIA = (("Service Attitude", 40), ("Technical Skill", 40), ("Teamwork", 20))

# post -> KPI rows: (indicator, scope, rule, target, weight, zero_at, bands)
TEMPLATES = {
	"Technician": (
		("Orders Closed", rules.OWN_WORK, rules.LINEAR, 20, 20, 0, None),
		("First-time Fix Rate", rules.OWN_WORK, rules.LINEAR, 90, 20, 50, None),
		("Rework Rate", rules.OWN_WORK, rules.INVERSE, 5, 15, 20, None),
		("2-Hour Appointment Rate", rules.OWN_WORK, rules.LINEAR, 95, 15, 50, None),
		("Satisfaction Rate", rules.OWN_WORK, rules.BANDS, 95, 20, 0, "95: 100\n90: 85\n80: 70\n70: 50"),
		("Parts Sales", rules.OWN_WORK, rules.LINEAR, 2000, 10, 0, None),
	),
	"Service Desk Agent": (
		("Follow-ups Made", rules.OWN_WORK, rules.LINEAR, 60, 40, 0, None),
		("Satisfaction Rate", rules.COMPANY, rules.LINEAR, 95, 30, 50, None),
		("Complaints Closed before Deadline", rules.COMPANY, rules.LINEAR, 95, 30, 50, None),
	),
	"Dispatcher": (
		("2-Hour Appointment Rate", rules.SERVICE_POINT, rules.LINEAR, 95, 40, 50, None),
		("Average Response Time (Working Hours)", rules.SERVICE_POINT, rules.INVERSE, 2, 30, 6, None),
		("On-site Completion Rate", rules.SERVICE_POINT, rules.LINEAR, 90, 30, 50, None),
	),
	"Quality Inspector": (
		("Quality Checks Made", rules.OWN_WORK, rules.LINEAR, 40, 60, 0, None),
		("Rework Rate", rules.COMPANY, rules.INVERSE, 5, 40, 20, None),
	),
	"Warehouse Keeper": (("Parts Issues Made", rules.OWN_WORK, rules.LINEAR, 30, 100, 0, None),),
	"Service Point Manager": (
		("Orders Closed", rules.SERVICE_POINT, rules.LINEAR, 100, 25, 0, None),
		("First-time Fix Rate", rules.SERVICE_POINT, rules.LINEAR, 90, 25, 50, None),
		("Satisfaction Rate", rules.SERVICE_POINT, rules.LINEAR, 95, 25, 50, None),
		("Complaints per 100 Orders", rules.SERVICE_POINT, rules.INVERSE, 2, 25, 10, None),
	),
}


def template_values(name: str, post: str, company: str, kpis, criteria=CRITERIA) -> dict:
	"""A Service Appraisal Template: KPI rows (indicator, scope, rule, target, weight, zero at,
	bands), 360 criteria, rater weights 40/20/30/10 and the default grade bands."""
	return {
		"doctype": "Service Appraisal Template",
		"template_name": name,
		"post": post,
		"company": company,
		"kpi_weight": 70,
		"feedback_weight": 30,
		"kpis": [
			{
				"indicator": indicator,
				"scope": scope,
				"scoring_rule": rule,
				"target": target,
				"weight": weight,
				"zero_at": zero_at,
				"bands": bands,
			}
			for indicator, scope, rule, target, weight, zero_at, bands in kpis
		],
		"criteria": [{"criterion": c, "weight": w} for c, w in criteria],
		"superior_weight": 40,
		"peer_weight": 20,
		"customer_weight": 30,
		"self_weight": 10,
		"grades": [
			{
				"grade": g.grade,
				"min_score": g.min_score,
				"bonus_percent": g.bonus_percent,
				"deduction_percent": g.deduction_percent,
				"recommend_promotion": int(g.promotion),
				"recommend_training": int(g.training),
			}
			for g in rules.DEFAULT_GRADES
		],
	}


def ensure_templates(company: str) -> list[str]:
	names = []
	for post, kpis in TEMPLATES.items():
		name = f"{post} (Demo)"
		if not frappe.db.exists("Service Appraisal Template", name):
			frappe.get_doc(template_values(name, post, company, kpis)).insert(ignore_permissions=True)
		names.append(name)
	return names


def ensure_training(company: str, technicians: list[str], item_group: str) -> str:
	topic = "Appliance repair basics: TVs, refrigerators, washers"
	name = frappe.db.get_value("Service Training", {"topic": topic, "docstatus": 1})
	if name:
		return name
	training = frappe.get_doc(
		{
			"doctype": "Service Training",
			"topic": topic,
			"plan": "Monthly",
			"plan_period": str(getdate(nowdate()).year),
			"company": company,
			"training_date": add_days(nowdate(), -30),
			"trainer": "Brand service academy",
			"needs": "New technicians; the U8 television series and inverter compressors.",
			"item_groups": [{"item_group": item_group}],
			"pass_mark": 60,
			"issues_certification": 1,
			"certification_level": "Basic",
			"certification_months": 24,
			"attendees": [
				{"employee": employee, "attended": 1, "test_score": score}
				for employee, score in zip(technicians, (85, 78), strict=False)
			],
			"evaluation_rating": 0.8,
			"evaluation": "Hands-on part was useful; more time on diagnosis wanted.",
		}
	)
	training.insert(ignore_permissions=True)
	training.submit()
	return training.name


def ensure_evidence_certification(technician: str, item_group: str) -> str:
	filters = {"employee": technician, "item_group": item_group, "source": "Evidence"}
	name = frappe.db.get_value("Technician Certification", filters)
	if name:
		return name
	return (
		frappe.get_doc(
			{
				"doctype": "Technician Certification",
				**filters,
				"level": "Intermediate",
				"valid_from": add_months(nowdate(), -6),
				"valid_until": add_days(nowdate(), 20),
				"evidence": "https://example.com/certificates/spare-parts-handling.pdf",
				"notes": "Maker's spare-parts handling course (expires soon: renewal due).",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def ensure_appraisals(east_technician: str) -> list[str]:
	"""Last month's appraisals of the demo staff (once), the East technician's made final."""
	from aftersales.staff.batch import run_batch

	start, _end = rules.previous_month(getdate(nowdate()))
	key = f"{east_technician}|{rules.MONTH}|{start}"
	if frappe.db.exists("Service Appraisal", {"appraisal_key": key}) or frappe.db.exists(
		"Service Appraisal", {"employee": east_technician, "period_start": start, "docstatus": 1}
	):
		return []
	result = run_batch(rules.MONTH, start)
	name = frappe.db.get_value("Service Appraisal", {"appraisal_key": key})
	if name:
		finalise_demo_appraisal(name)
	return result.created


def finalise_demo_appraisal(name: str) -> None:
	appraisal = frappe.get_doc("Service Appraisal", name)
	appraisal.status = flow.SELF_REVIEW
	appraisal.employee_comments = "Busy month; two repeat visits on washers I want to avoid."
	server_action(appraisal, "demo")
	appraisal.save(ignore_permissions=True)
	for feedback_name in frappe.get_all(
		"Service Appraisal Feedback", {"appraisal": name, "docstatus": 0}, pluck="name"
	):
		feedback = frappe.get_doc("Service Appraisal Feedback", feedback_name)
		for row, rating in zip(feedback.ratings, (0.8, 0.8, 1.0), strict=False):
			row.rating = rating
		feedback.comments = "Friendly with customers; keep the workshop tidy."
		server_action(feedback, "demo")
		feedback.save(ignore_permissions=True)
		feedback.submit()
	appraisal.reload()
	appraisal.status = flow.MANAGER_REVIEW
	appraisal.feedback_to_employee = "Good attitude and steady volume. Cut repeat visits on washers."
	appraisal.append(
		"improvement_plan",
		{
			"action": "Shadow a senior technician on three washer drain-pump jobs",
			"action_owner": frappe.db.get_value("Employee", appraisal.employee, "user_id") or "Administrator",
			"deadline": add_days(nowdate(), 30),
		},
	)
	server_action(appraisal, "demo")
	appraisal.save(ignore_permissions=True)
	appraisal.submit()


def load(company: str, employees: list[str], technicians: list[str], item_group: str) -> dict:
	templates = ensure_templates(company)
	training = ensure_training(company, technicians, item_group)
	evidence = ensure_evidence_certification(technicians[0], "Spare Parts")
	appraisals = ensure_appraisals(technicians[0])
	return {"templates": templates, "training": training, "certification": evidence, "appraisals": appraisals}
