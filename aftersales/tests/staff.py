"""Factories for the staff tests (appraisals, 360 feedback, training, certification). The staff they
make are their own users and employees (`*@aftersales.test`), never the demo's, so that what they
count is only what the tests put there."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_years, nowdate

from aftersales.domain import appraisal as rules
from aftersales.roles import DISPATCHER, SERVICE_TECHNICIAN
from aftersales.staff.demo import template_values
from aftersales.tests.utils import demo, keep_in_transaction

TECH = "appraisal.tech@aftersales.test"
PEER = "appraisal.peer@aftersales.test"
LEAD = "appraisal.lead@aftersales.test"  # the test point's manager: the appraiser
OTHER = "appraisal.other@aftersales.test"  # a technician of another point
TEST_POINT = "Appraisal Test Point"


class StaffTestCase(FrappeTestCase):
	"""The staff tests keep everything in their transaction, rolled back after each test. Frappe sends
	the mails of notifications (an assignment, an expiring certification) at once in tests, and
	sending commits: mails are muted, and a commit during a test fails it instead of happening."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()

	def setUp(self):
		frappe.set_user("Administrator")
		keep_in_transaction(self)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()


CRITERIA = (("Service Attitude", 50), ("Technical Skill", 30), ("Teamwork", 20))
# indicator, scope, rule, target, weight, zero_at, bands
KPIS = (
	("Orders Closed", rules.OWN_WORK, rules.LINEAR, 10, 20, 0, None),
	("First-time Fix Rate", rules.OWN_WORK, rules.LINEAR, 90, 30, 50, None),
	("Rework Rate", rules.OWN_WORK, rules.INVERSE, 5, 20, 45, None),
	("Satisfaction Rate", rules.OWN_WORK, rules.BANDS, 90, 20, 0, "90: 100\n75: 80\n50: 50"),
	("Parts Sales", rules.OWN_WORK, rules.LINEAR, 1000, 10, 0, None),
)


def staff(email: str, first_name: str, roles: list[str]) -> str:
	"""A user with the roles and their active Employee of the demo company; the Employee's name."""
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": first_name, "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	missing = [r for r in roles if r not in {row.role for row in user.roles}]
	if missing:
		user.add_roles(*missing)
	employee = frappe.db.get_value("Employee", {"user_id": email})
	if not employee:
		employee = (
			frappe.get_doc(
				{
					"doctype": "Employee",
					"first_name": first_name,
					"last_name": "Test",
					"company": demo()["company"],
					"gender": "Male" if frappe.db.exists("Gender", "Male") else None,
					"date_of_birth": add_years(nowdate(), -30),
					"date_of_joining": add_years(nowdate(), -6),
					"status": "Active",
					"user_id": email,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	return employee


def team() -> dict:
	"""The test point's technician, peer and manager, and a technician elsewhere."""
	return {
		"tech": staff(TECH, "Ada", [SERVICE_TECHNICIAN]),
		"peer": staff(PEER, "Bo", [SERVICE_TECHNICIAN]),
		"lead": staff(LEAD, "Cai", [DISPATCHER]),
		"other": staff(OTHER, "Dan", [SERVICE_TECHNICIAN]),
	}


def test_point(members: dict, name: str = TEST_POINT) -> str:
	"""A disabled service point (it ranks and dispatches nothing) with the team as its staff."""
	if not frappe.db.exists("Service Point", name):
		data = demo()
		warehouse = frappe.db.get_value("Service Point", data["service_points"][0], "warehouse")
		frappe.get_doc(
			{
				"doctype": "Service Point",
				"service_point_name": name,
				"company": data["company"],
				"warehouse": warehouse,
				"manager": members["lead"],
				"disabled": 1,
				"members": [
					{"employee": members["tech"], "post": "Technician"},
					{"employee": members["peer"], "post": "Technician"},
				],
			}
		).insert(ignore_permissions=True)
	return name


def template(name: str = "Technician (Appraisal Tests)", disabled: int = 0) -> str:
	"""The tests' technician template (the other enabled templates are disabled in the test's
	transaction, so the batch picks this one and finds none for the other posts)."""
	company = demo()["company"]
	if not disabled:
		for other in frappe.get_all(
			"Service Appraisal Template", {"disabled": 0, "name": ("!=", name)}, pluck="name"
		):
			frappe.db.set_value("Service Appraisal Template", other, "disabled", 1)
	values = {**template_values(name, "Technician", company, KPIS, CRITERIA), "disabled": disabled}
	if frappe.db.exists("Service Appraisal Template", name):
		# kept current with KPIS (a committed template of an earlier run may be older)
		doc = frappe.get_doc("Service Appraisal Template", name)
		doc.update(values)
		doc.save(ignore_permissions=True)
		return name
	frappe.get_doc(values).insert(ignore_permissions=True)
	return name


def make_appraisal(employee: str, period_start: str, template_name: str, point: str | None = TEST_POINT):
	return frappe.get_doc(
		{
			"doctype": "Service Appraisal",
			"employee": employee,
			"post": "Technician",
			"service_point": point,
			"period_type": rules.MONTH,
			"period_start": period_start,
			"template": template_name,
		}
	).insert(ignore_permissions=True)


def feedback_of(appraisal: str, user: str):
	return frappe.get_doc("Service Appraisal Feedback", {"appraisal": appraisal, "rater_user": user})


def rate(appraisal: str, user: str, ratings: tuple[float, ...], submit: bool = True):
	"""The rater fills in (and submits) their feedback, as themselves."""
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		feedback = feedback_of(appraisal, user)
		for row, rating in zip(feedback.ratings, ratings, strict=True):
			row.rating = rating
		feedback.save()
		if submit:
			feedback.submit()
		return feedback
	finally:
		frappe.set_user(previous)
