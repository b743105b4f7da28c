"""Who reads which appraisal and which 360 feedback (hooks permission_query_conditions and
has_permission), in the desk, lists, reports, counts and the REST API alike:

- Service Appraisal: the After-Sales Manager (and System Manager) all; everyone else the appraisals
  they are the employee of, the appraiser of, or that belong to a service point they manage
  (Service Point -> Manager). Only the employee and the appraiser may change one (each their own
  part: the controller), only the appraiser finalises it, never the employee.
- Service Appraisal Feedback: each rater their own, and only they change it; the After-Sales
  Manager reads all of them. The appraisee sees the scores on the appraisal, not who gave them.

Child tables of both are listed only with their parents (aftersales/privacy.py)."""

import frappe

from aftersales.permissions import sql_list
from aftersales.roles import AFTER_SALES_MANAGER

ALL = {"System Manager", AFTER_SALES_MANAGER}
READ_LIKE = ("read", "print", "email", "report", "export")


def sees_all(user: str) -> bool:
	return user == "Administrator" or bool(ALL & set(frappe.get_roles(user)))


def employees_of(user: str) -> list[str]:
	return frappe.get_all("Employee", filters={"user_id": user}, pluck="name")


def points_managed_by(user: str) -> list[str]:
	employees = employees_of(user)
	if not employees:
		return []
	return frappe.get_all("Service Point", filters={"manager": ["in", employees]}, pluck="name")


# ------------------------------------------------------------------------------ appraisals


def appraisal_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if sees_all(user):
		return ""
	table = "`tabService Appraisal`"
	who = frappe.db.escape(user)
	allowed = [f"{table}.employee_user = {who}", f"{table}.appraiser_user = {who}"]
	points = points_managed_by(user)
	if points:
		allowed.append(f"{table}.service_point in ({sql_list(points)})")
	return f"({' or '.join(allowed)})"


def appraisal_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	user = user or frappe.session.user
	if sees_all(user):
		return True
	is_employee = bool(doc.employee_user) and doc.employee_user == user
	is_appraiser = bool(doc.appraiser_user) and doc.appraiser_user == user
	if ptype in READ_LIKE:
		return (
			is_employee
			or is_appraiser
			or bool(doc.service_point and doc.service_point in points_managed_by(user))
		)
	if ptype == "write":
		return is_employee or is_appraiser
	if ptype == "submit":
		return is_appraiser and not is_employee
	return False


# ------------------------------------------------------------------------------ feedback


def feedback_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if sees_all(user):
		return ""
	return f"(`tabService Appraisal Feedback`.rater_user = {frappe.db.escape(user)})"


def feedback_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	is_rater = bool(doc.rater_user) and doc.rater_user == user
	if ptype in READ_LIKE:
		return is_rater or sees_all(user)
	if ptype == "delete":
		return sees_all(user) and doc.docstatus == 0
	# write, submit, cancel: the rater alone (a manager cannot change someone else's rating)
	return is_rater
