"""Create Appraisals for a period (AP-3): one Service Appraisal per employee and period, for a
service point or all staff, each from the template of the employee's post, its KPI rows filled from
the records. Idempotent: an employee who already has an appraisal for the period is skipped (and the
unique `appraisal_key` column refuses a second one made at the same moment).

Run by hand (`create_appraisals`, enqueued on the long queue; progress is published like HRMS's
Appraisal Cycle) and by the monthly scheduler job after each month's end."""

from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from aftersales.domain import appraisal as rules
from aftersales.roles import DISPATCHER, QUALITY_INSPECTOR, SERVICE_DESK_AGENT, SERVICE_TECHNICIAN
from aftersales.staff.doctype.service_appraisal.service_appraisal import DuplicateAppraisalError
from aftersales.staff.doctype.service_appraisal_template.service_appraisal_template import template_for

SERVICE_POINT_MANAGER = "Service Point Manager"
# the post of staff who belong to no service point, from their roles (first match)
POST_BY_ROLE = (
	(SERVICE_TECHNICIAN, "Technician"),
	(DISPATCHER, "Dispatcher"),
	(SERVICE_DESK_AGENT, "Service Desk Agent"),
	(QUALITY_INSPECTOR, "Quality Inspector"),
	("Stock User", "Warehouse Keeper"),
)


class BatchPermissionError(frappe.PermissionError):
	pass


@dataclass(frozen=True)
class Appraisee:
	employee: str
	post: str
	service_point: str | None
	company: str


@dataclass
class BatchResult:
	created: list[str] = field(default_factory=list)
	existing: list[str] = field(default_factory=list)
	skipped: list[str] = field(default_factory=list)

	def as_dict(self) -> dict:
		return {"created": self.created, "existing": self.existing, "skipped": self.skipped}


def staff_to_appraise(service_point: str | None = None, company: str | None = None) -> list[Appraisee]:
	"""Each active employee once: the members and the manager of the service point (or of every
	enabled point), and, for all staff, the app's staff who belong to no point at all (post from
	their role)."""
	filters = {"disabled": 0}
	if service_point:
		filters = {"name": service_point}
	if company:
		filters["company"] = company
	found: dict[str, Appraisee] = {}
	for point_name in frappe.get_all("Service Point", filters=filters, pluck="name", order_by="name"):
		point = frappe.get_cached_doc("Service Point", point_name)
		for member in point.members:
			found.setdefault(
				member.employee, Appraisee(member.employee, member.post, point.name, point.company)
			)
		if point.manager:
			found.setdefault(
				point.manager, Appraisee(point.manager, SERVICE_POINT_MANAGER, point.name, point.company)
			)
	if not service_point:
		for employee in unattached_staff(company):
			found.setdefault(employee.employee, employee)
	active = set(
		frappe.get_all(
			"Employee", filters={"name": ["in", list(found) or [""]], "status": "Active"}, pluck="name"
		)
	)
	return [appraisee for name, appraisee in found.items() if name in active]


def unattached_staff(company: str | None) -> list[Appraisee]:
	has_role = frappe.qb.DocType("Has Role")
	employee = frappe.qb.DocType("Employee")
	query = (
		frappe.qb.from_(employee)
		.join(has_role)
		.on((has_role.parent == employee.user_id) & (has_role.parenttype == "User"))
		.select(employee.name, employee.company, has_role.role)
		.where(employee.status == "Active")
		.where(has_role.role.isin([role for role, _post in POST_BY_ROLE]))
	)
	if company:
		query = query.where(employee.company == company)
	# staff of any service point (a disabled one too: its people are not "unattached") are left out
	member = frappe.qb.DocType("Service Point Member")
	point = frappe.qb.DocType("Service Point")
	in_points = set(
		frappe.qb.from_(member)
		.select(member.employee)
		.where(member.parenttype == "Service Point")
		.run(pluck=True)
	)
	in_points |= set(
		frappe.qb.from_(point).select(point.manager).where(point.manager.notnull()).run(pluck=True)
	)
	roles: dict[str, set[str]] = {}
	companies = {}
	for name, employee_company, role in query.run():
		if name in in_points:
			continue
		roles.setdefault(name, set()).add(role)
		companies[name] = employee_company
	result = []
	for name, held in roles.items():
		post = next(post for role, post in POST_BY_ROLE if role in held)
		result.append(Appraisee(name, post, None, companies[name]))
	return result


def run_batch(
	period_type: str = rules.MONTH,
	period_start=None,
	service_point: str | None = None,
	company: str | None = None,
	publish_progress: bool = False,
	commit: bool = False,
) -> BatchResult:
	start, _end = rules.period_bounds(period_type, getdate(period_start or nowdate()))
	staff = staff_to_appraise(service_point, company)
	result = BatchResult()
	for count, appraisee in enumerate(staff, 1):
		existing = frappe.db.get_value(
			"Service Appraisal", {"appraisal_key": f"{appraisee.employee}|{period_type}|{start}"}
		)
		if existing:
			result.existing.append(existing)
		else:
			template = template_for(appraisee.post, appraisee.company)
			if not template:
				result.skipped.append(
					_("{0}: no appraisal template for {1}").format(appraisee.employee, _(appraisee.post))
				)
			else:
				create_one(appraisee, template, period_type, start, result)
		if commit:
			frappe.db.commit()
		if publish_progress:
			frappe.publish_progress(
				count * 100 / len(staff),
				title=_("Creating Appraisals") + "...",
				description=_("{0} of {1}").format(count, len(staff)),
			)
	return result


def create_one(appraisee: Appraisee, template: str, period_type: str, start, result: BatchResult):
	frappe.db.savepoint("appraisal")
	try:
		doc = frappe.get_doc(
			{
				"doctype": "Service Appraisal",
				"employee": appraisee.employee,
				"post": appraisee.post,
				"service_point": appraisee.service_point,
				"period_type": period_type,
				"period_start": start,
				"template": template,
			}
		).insert(ignore_permissions=True)
		result.created.append(doc.name)
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError, DuplicateAppraisalError):
		# made by a concurrent run a moment ago
		frappe.db.rollback(save_point="appraisal")
		frappe.clear_last_message()
		result.existing.append(appraisee.employee)
	except frappe.ValidationError as e:
		frappe.db.rollback(save_point="appraisal")
		frappe.clear_last_message()
		result.skipped.append(f"{appraisee.employee}: {frappe.utils.strip_html(str(e))}")


def check_permission() -> None:
	if not frappe.has_permission("Service Appraisal", "create"):
		frappe.throw(
			_("Only an After-Sales Manager creates appraisals."),
			exc=BatchPermissionError,
			title=_("Not Permitted"),
		)


@frappe.whitelist()
def create_appraisals(
	period_type: str = rules.MONTH,
	period_start: str | None = None,
	service_point: str | None = None,
	company: str | None = None,
) -> dict:
	"""Queue the creation of the period's appraisals (a service point's, or all staff's)."""
	check_permission()
	if period_type not in rules.PERIOD_TYPES:
		frappe.throw(_("Unknown period {0}.").format(period_type), exc=frappe.ValidationError)
	if service_point and not frappe.db.exists("Service Point", service_point):
		frappe.throw(
			_("Service Point {0} does not exist.").format(service_point), exc=frappe.DoesNotExistError
		)
	start, _end = rules.period_bounds(period_type, getdate(period_start or nowdate()))
	job = frappe.enqueue(
		run_batch,
		queue="long",
		timeout=3600,
		job_id=f"aftersales-appraisals-{period_type}-{start}-{service_point or 'all'}",
		deduplicate=True,
		period_type=period_type,
		period_start=start,
		service_point=service_point,
		company=company,
		publish_progress=True,
		commit=True,
	)
	return {"queued": bool(job), "period": rules.period_label(period_type, start)}


def create_last_month_appraisals() -> None:
	"""Scheduler (monthly, after the month ended): every staff member's appraisal for last month,
	when After-Sales Settings asks for it."""
	if not frappe.db.get_single_value("After-Sales Settings", "auto_create_appraisals"):
		return
	start, _end = rules.previous_month(getdate(nowdate()))
	run_batch(rules.MONTH, start, commit=True)
