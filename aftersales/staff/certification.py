"""Technicians are certified for the work they are sent to (AP-2; seed 003: 100%).

- Dispatch: assigning a work order to a technician without a valid certification for the product's
  item group (or a parent group of it) is refused or warned, as After-Sales Settings say
  (`certification_check`: "Warn" by default, so sites without certifications keep dispatching;
  "Refuse" enforces it). Called beside the membership rule of
  aftersales/service/work_order/transitions.py `validate_technician`.
- Expiry: a daily job tells the technician and their manager (Reports To, the managers of their
  service points) about certifications ending within the settings' days (30), once per expiry
  date, unless a later certification already covers the same item group; and keeps each
  certification's status (Valid, Expired, …) current.
"""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.utils import add_days, cint, getdate, nowdate

CERTIFICATION = "Technician Certification"
REFUSE, WARN = "Refuse", "Warn"


class UncertifiedTechnicianError(frappe.ValidationError):
	pass


def ancestors_and_self(item_group: str) -> list[str]:
	lft, rgt = frappe.db.get_value("Item Group", item_group, ["lft", "rgt"]) or (None, None)
	if lft is None:
		return [item_group]
	return frappe.get_all(
		"Item Group", filters={"lft": ("<=", lft), "rgt": (">=", rgt)}, pluck="name", order_by="lft"
	)


def valid_certification(employee: str, item_group: str, on_date=None) -> str | None:
	"""A certification of the employee valid on the date for the item group or a parent group."""
	on_date = getdate(on_date or nowdate())
	return frappe.db.get_value(
		CERTIFICATION,
		{
			"employee": employee,
			"item_group": ("in", ancestors_and_self(item_group)),
			"revoked": 0,
			"valid_from": ("<=", on_date),
			"valid_until": (">=", on_date),
		},
		"name",
	)


def check_mode() -> str:
	return frappe.db.get_single_value("After-Sales Settings", "certification_check", cache=False) or WARN


def check_technician_certified(doc) -> None:
	"""The order's technician holds a valid certification for its product's item group (refused or
	warned per the settings). Checked when the technician is set or changed, like membership."""
	before = doc.get_doc_before_save()
	if not doc.technician or not doc.item_code or (before and before.technician == doc.technician):
		return
	item_group = frappe.db.get_value("Item", doc.item_code, "item_group")
	if not item_group or valid_certification(doc.technician, item_group):
		return
	message = _("Technician {0} holds no valid certification for {1} ({2}).").format(
		frappe.bold(doc.technician_name or doc.technician), frappe.bold(item_group), doc.item_code
	)
	if check_mode() == REFUSE:
		frappe.throw(message, exc=UncertifiedTechnicianError, title=_("Technician Not Certified"))
	frappe.msgprint(message, title=_("Technician Not Certified"), indicator="orange", alert=True)


# ---------------------------------------------------------------- expiry


def managers_of(employee: str) -> list[str]:
	"""Users of the employee's Reports To and of the managers of the points they belong to."""
	managers = set()
	reports_to = frappe.db.get_value("Employee", employee, "reports_to")
	if reports_to:
		managers.add(reports_to)
	member = frappe.qb.DocType("Service Point Member")
	point = frappe.qb.DocType("Service Point")
	managers.update(
		(
			frappe.qb.from_(member)
			.join(point)
			.on(point.name == member.parent)
			.select(point.manager)
			.where(member.parenttype == "Service Point")
			.where(member.employee == employee)
			.where(point.manager.notnull())
		).run(pluck=True)
	)
	managers.discard(employee)
	if not managers:
		return []
	return frappe.get_all("Employee", filters={"name": ("in", list(managers))}, pluck="user_id")


def expiring(days: int, today=None) -> list[frappe._dict]:
	today = getdate(today or nowdate())
	return frappe.get_all(
		CERTIFICATION,
		filters={
			"revoked": 0,
			"valid_until": ("between", [today, add_days(today, days)]),
			"expiry_notified_on": ("is", "not set"),
		},
		fields=["name", "employee", "employee_name", "user_id", "item_group", "valid_until"],
	)


def renewed(row) -> bool:
	return bool(
		frappe.db.exists(
			CERTIFICATION,
			{
				"employee": row.employee,
				"item_group": row.item_group,
				"revoked": 0,
				"valid_until": (">", row.valid_until),
				"name": ("!=", row.name),
			},
		)
	)


def notify_expiring(today=None) -> list[str]:
	"""Daily: announce certifications ending within the settings' days; returns those announced."""
	days = (
		cint(frappe.db.get_single_value("After-Sales Settings", "certification_expiry_days", cache=False))
		or 30
	)
	today = getdate(today or nowdate())
	announced = []
	for row in expiring(days, today):
		if renewed(row):
			continue
		users = [u for u in {row.user_id, *managers_of(row.employee)} if u]
		subject = _("Certification {0} of {1} for {2} expires on {3}").format(
			row.name, row.employee_name, row.item_group, frappe.format(row.valid_until, {"fieldtype": "Date"})
		)
		if users:
			# the bell, and an email as each user's notification settings say
			make_notification_logs(
				frappe._dict(
					type="Alert",
					document_type=CERTIFICATION,
					document_name=row.name,
					subject=subject,
					email_content=_("Plan the renewal (a training or new evidence) before it expires."),
					from_user="Administrator",
				),
				users,
			)
		frappe.db.set_value(CERTIFICATION, row.name, "expiry_notified_on", today, update_modified=False)
		announced.append(row.name)
	return announced


def refresh_statuses(today=None) -> None:
	"""Daily: Valid / Expired / Not Yet Valid follow the calendar."""
	from aftersales.staff.doctype.technician_certification.technician_certification import status_of

	today = getdate(today or nowdate())
	for row in frappe.get_all(
		CERTIFICATION,
		fields=["name", "status", "revoked", "valid_from", "valid_until"],
		filters={"revoked": 0},
	):
		status = status_of(row, today)
		if status != row.status:
			frappe.db.set_value(CERTIFICATION, row.name, "status", status, update_modified=False)


def daily() -> None:
	refresh_statuses()
	notify_expiring()
