"""Frappe HR (hrms) is optional (DESIGN: "when it is installed, appraisal results connect to it").
When it is installed, a final Service Appraisal is handed to it:

- the score: an Employee Performance Feedback on the employee's HRMS Appraisal of the Appraisal
  Cycle that covers the period, given by the appraiser, rating each criterion of the HRMS
  appraisal's template at the final score (HRMS averages feedback into the appraisal's
  `avg_feedback_score`: `hrms/hr/doctype/appraisal/appraisal.py`);
- the money: a recommended bonus or deduction becomes a draft Additional Salary (After-Sales
  Settings names the salary components) of that percentage of the employee's base pay in their
  Salary Structure Assignment, for payroll after the period; HR checks and submits it.

Cancelling the appraisal cancels the feedback and deletes the draft Additional Salary. Nothing here
runs without HRMS, and a missing cycle, appraisal, component or base pay is written into the
appraisal's HRMS note instead of stopping the appraisal."""

import frappe
from frappe import _
from frappe.utils import add_days, flt, now_datetime

from aftersales.domain import appraisal as rules


def installed() -> bool:
	return "hrms" in frappe.get_installed_apps()


def push(appraisal) -> None:
	if not installed():
		return
	notes, values = [], {}
	steps = (
		(push_feedback, "hrms_feedback", _("HRMS performance feedback")),
		(push_additional_salary, "hrms_additional_salary", _("HRMS additional salary")),
	)
	for step, fieldname, label in steps:
		frappe.db.savepoint("aftersales_hrms")
		try:
			name, note = step(appraisal)
		except Exception as e:
			frappe.db.rollback(save_point="aftersales_hrms")
			frappe.log_error(
				title=_("Service Appraisal to HRMS"),
				reference_doctype=appraisal.doctype,
				reference_name=appraisal.name,
			)
			name, note = None, _("{0} failed: {1}").format(label, frappe.utils.cstr(e))
		if name:
			values[fieldname] = name
		if note:
			notes.append(note)
	values["hrms_note"] = "\n".join(notes) or None
	appraisal.db_set(values)


def matching_cycle(appraisal) -> str | None:
	"""The open Appraisal Cycle of the employee's company that covers the period (the shortest)."""
	cycles = frappe.get_all(
		"Appraisal Cycle",
		filters={
			"company": appraisal.company,
			"start_date": ("<=", appraisal.period_start),
			"end_date": (">=", appraisal.period_end),
			"status": ("!=", "Completed"),
		},
		fields=["name", "start_date", "end_date"],
		order_by="start_date desc",
	)
	return cycles[0].name if cycles else None


def push_feedback(appraisal) -> tuple[str | None, str | None]:
	cycle = matching_cycle(appraisal)
	if not cycle:
		return None, _("No open HRMS Appraisal Cycle covers {0}.").format(appraisal.period)
	hr_appraisal = frappe.db.get_value(
		"Appraisal",
		{"employee": appraisal.employee, "appraisal_cycle": cycle, "docstatus": ("!=", 2)},
		["name", "appraisal_template"],
		as_dict=True,
	)
	if not hr_appraisal:
		return None, _("{0} has no HRMS Appraisal in cycle {1}.").format(appraisal.employee_name, cycle)
	reviewer = appraisal.appraiser or frappe.db.get_value("Employee", {"user_id": appraisal.finalised_by})
	if not reviewer or reviewer == appraisal.employee:
		return None, _("The appraiser is not an employee: no HRMS feedback was given.")
	criteria = (
		frappe.get_all(
			"Employee Feedback Rating",
			filters={"parent": hr_appraisal.appraisal_template, "parenttype": "Appraisal Template"},
			fields=["criteria", "per_weightage"],
			order_by="idx",
		)
		if hr_appraisal.appraisal_template
		else []
	)
	if not criteria:
		return None, _("HRMS Appraisal {0} has no rating criteria to score.").format(hr_appraisal.name)
	rating = min(1.0, max(0.0, flt(appraisal.final_score) / 100))
	feedback = frappe.get_doc(
		{
			"doctype": "Employee Performance Feedback",
			"employee": appraisal.employee,
			"appraisal": hr_appraisal.name,
			"appraisal_cycle": cycle,
			"reviewer": reviewer,
			"company": appraisal.company,
			"added_on": now_datetime(),
			"feedback": _("Service Appraisal {0} ({1}): final score {2}, grade {3}.").format(
				appraisal.name, appraisal.period, appraisal.final_score, appraisal.grade
			)
			+ "\n\n"
			+ frappe.utils.escape_html(appraisal.feedback_to_employee or ""),
			"feedback_ratings": [
				{"criteria": row.criteria, "per_weightage": row.per_weightage, "rating": rating}
				for row in criteria
			],
		}
	)
	feedback.insert(ignore_permissions=True)
	feedback.submit()
	return feedback.name, None


def base_pay(employee: str, on_date) -> float | None:
	rows = frappe.get_all(
		"Salary Structure Assignment",
		filters={"employee": employee, "docstatus": 1, "from_date": ("<=", on_date)},
		fields=["base"],
		order_by="from_date desc",
		limit=1,
	)
	return flt(rows[0].base) if rows else None


def push_additional_salary(appraisal) -> tuple[str | None, str | None]:
	percent = flt(appraisal.bonus_percent) or flt(appraisal.deduction_percent)
	if not percent:
		return None, None
	settings = frappe.get_cached_doc("After-Sales Settings")
	is_bonus = bool(flt(appraisal.bonus_percent))
	component = settings.hrms_bonus_component if is_bonus else settings.hrms_deduction_component
	if not component or not frappe.db.exists("Salary Component", component):
		return None, _(
			"Set the HRMS salary component for appraisal bonuses and deductions in After-Sales Settings."
		)
	base = base_pay(appraisal.employee, appraisal.period_end)
	if not base:
		return None, _("{0} has no Salary Structure Assignment with a base pay.").format(
			appraisal.employee_name
		)
	salary = frappe.get_doc(
		{
			"doctype": "Additional Salary",
			"employee": appraisal.employee,
			"company": appraisal.company,
			"salary_component": component,
			"amount": rules.amount_for(percent, base),
			"payroll_date": add_days(appraisal.period_end, 1),
			"currency": frappe.get_cached_value("Company", appraisal.company, "default_currency"),
			"overwrite_salary_structure_amount": 0,
			"ref_doctype": appraisal.doctype,
			"ref_docname": appraisal.name,
		}
	)
	salary.insert(ignore_permissions=True)  # a draft: HR reviews and submits it
	return salary.name, None


def withdraw(appraisal) -> None:
	if not installed():
		return
	if appraisal.hrms_feedback and frappe.db.exists("Employee Performance Feedback", appraisal.hrms_feedback):
		feedback = frappe.get_doc("Employee Performance Feedback", appraisal.hrms_feedback)
		if feedback.docstatus == 1:
			feedback.flags.ignore_permissions = True
			feedback.cancel()
	if appraisal.hrms_additional_salary and frappe.db.exists(
		"Additional Salary", appraisal.hrms_additional_salary
	):
		if frappe.db.get_value("Additional Salary", appraisal.hrms_additional_salary, "docstatus") == 0:
			frappe.delete_doc("Additional Salary", appraisal.hrms_additional_salary, ignore_permissions=True)
		else:
			appraisal.db_set(
				"hrms_note",
				_("Additional Salary {0} is already submitted: cancel it in HRMS.").format(
					appraisal.hrms_additional_salary
				),
			)
