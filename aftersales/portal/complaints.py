"""Complaints on the portal (CP-1, CP-5): a customer files one (optionally about one of their
orders), follows it, and answers the proposed solution.

The Customer role only reads complaints: filing and answering write as the system, with the fields
named here only. The internal investigation (evidence, root cause, responsibility, analysis: all on
permlevel 1) never reaches the page."""

import frappe
from frappe import _
from frappe.utils import escape_html, now_datetime, strip_html

from aftersales.domain import complaint_flow as flow
from aftersales.integrity import server_action
from aftersales.portal.access import PortalInputError, as_system, own_record, require_customer
from aftersales.portal.request_service import primary_contact

DOCTYPE = "Customer Complaint"
CATEGORIES = ("Repair Quality", "Service Attitude", "Parts Quality", "Return Dispute", "Other")
CUSTOMER_STATUS = {
	flow.OPEN: "Received",
	flow.INVESTIGATING: "Being Investigated",
	flow.SOLUTION_PROPOSED: "Solution Proposed",
	flow.SOLUTION_AGREED: "Solution Agreed",
	flow.RESOLVED: "Resolved",
	flow.CLOSED: "Closed",
}
COLOUR = {
	flow.OPEN: "blue",
	flow.INVESTIGATING: "orange",
	flow.SOLUTION_PROPOSED: "red",
	flow.SOLUTION_AGREED: "green",
	flow.RESOLVED: "green",
	flow.CLOSED: "gray",
}


class ComplaintNotAwaitingAnswerError(frappe.ValidationError):
	"""The complaint has no proposal waiting for the customer's answer."""


def badge(status: str) -> dict:
	return {"label": _(CUSTOMER_STATUS.get(status, status)), "colour": COLOUR.get(status, "gray")}


def get_list_context(context) -> None:
	customers = require_customer(page=True)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Complaints")
	rows = frappe.get_list(
		DOCTYPE,
		filters={"customer": ["in", customers]},
		fields=["name", "subject", "status", "received_at", "service_work_order", "deadline"],
		order_by="received_at desc",
		limit_page_length=100,
	)
	for row in rows:
		row.badge = badge(row.status)
		row.url = f"/complaints/{row.name}"
	context.complaints = rows


def get_context(context) -> None:
	customers = require_customer(page=True)
	doc = own_record(DOCTYPE, frappe.form_dict.name, customers)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Complaint {0}").format(doc.name)
	context.parents = [{"route": "complaints", "title": _("Complaints")}]
	context.complaint = frappe._dict(
		name=doc.name,
		subject=doc.subject,
		status=doc.status,
		badge=badge(doc.status),
		category=doc.category,
		received_at=doc.received_at,
		deadline=doc.deadline,
		service_work_order=doc.service_work_order,
		description=strip_html((doc.description or "").replace("<br>", "\n")).strip(),
		proposal=doc.proposal if doc.status != flow.OPEN else None,
		measures=[
			{"measure": m.measure, "due_date": m.due_date, "done": m.status == "Done"} for m in doc.measures
		]
		if doc.status in (flow.SOLUTION_PROPOSED, flow.SOLUTION_AGREED, flow.RESOLVED, flow.CLOSED)
		else [],
		customer_response=doc.customer_response,
		customer_response_note=doc.customer_response_note,
		awaiting_answer=doc.status == flow.SOLUTION_PROPOSED,
	)


def get_new_context(context) -> None:
	customers = require_customer(page=True)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("File a Complaint")
	context.parents = [{"route": "complaints", "title": _("Complaints")}]
	context.categories = [{"value": c, "label": _(c)} for c in CATEGORIES]
	context.orders = frappe.get_list(
		"Service Work Order",
		filters={"customer": ["in", customers]},
		fields=["name", "item_name", "order_type"],
		order_by="received_on desc",
		limit_page_length=50,
	)
	context.selected_order = frappe.form_dict.order or ""


def throw(message: str):
	frappe.throw(message, exc=PortalInputError, title=_("Complaint"))


def clean(value, limit: int) -> str:
	text = strip_html(value or "").strip()
	if len(text) > limit:
		throw(_("Keep the text under {0} characters.").format(limit))
	return text


@frappe.whitelist(methods=["POST"])
def file_complaint(
	subject: str,
	description: str,
	category: str = "Other",
	service_work_order: str | None = None,
	safety_issue: int | str = 0,
	customer: str | None = None,
) -> dict:
	"""A complaint from the portal (channel Online), for one of the customer's accounts and,
	optionally, one of their orders."""
	customers = require_customer()
	if service_work_order:
		order = own_record("Service Work Order", service_work_order, customers)
		customer = order.customer
	customer = customer or customers[0]
	if customer not in customers:
		throw(_("Choose one of your customer accounts."))
	if category not in CATEGORIES:
		throw(_("Choose a category."))
	subject, description = clean(subject, 140), clean(description, 4000)
	if not subject or not description:
		throw(_("Give a subject and tell us what happened."))
	contact = primary_contact(customer) or {}
	values = {
		"doctype": DOCTYPE,
		"subject": subject,
		"channel": "Online",
		"received_at": now_datetime(),
		"category": category,
		"severity": "Safety-critical" if str(safety_issue) in ("1", "true", "True") else "Normal",
		"customer": customer,
		"complainant": frappe.utils.get_fullname(frappe.session.user),
		"contact_person": contact.get("name"),
		"phone": contact.get("phone"),
		"email": frappe.db.get_value("User", frappe.session.user, "email") or contact.get("email"),
		"description": escape_html(description).replace("\n", "<br>"),
	}
	if service_work_order:
		values.update(
			{"service_work_order": order.name, "item_code": order.item_code, "serial_no": order.serial_no}
		)
	complaint = frappe.get_doc(values)
	# the Customer role only reads complaints; the portal files this one with the values above
	complaint.flags.ignore_permissions = True
	complaint.insert()
	return {"name": complaint.name, "url": f"/complaints/{complaint.name}"}


@frappe.whitelist(methods=["POST"])
def answer_proposal(complaint: str, agree: int | str, note: str | None = None) -> dict:
	"""The customer's answer to the proposed solution: agreed moves the complaint on; not agreed,
	with the customer's words, sends it back to the investigation for a new proposal (CP-5)."""
	customers = require_customer()
	doc = own_record(DOCTYPE, complaint, customers, for_update=True)
	if doc.status != flow.SOLUTION_PROPOSED:
		frappe.throw(
			_("Complaint {0} has no proposal waiting for your answer.").format(frappe.bold(doc.name)),
			exc=ComplaintNotAwaitingAnswerError,
			title=_("Nothing to Answer"),
		)
	agreed = str(agree) in ("1", "true", "True")
	note = clean(note, 500)
	if not agreed and not note:
		throw(_("Tell us why you do not agree, so we can propose something better."))
	doc.update(
		{
			"customer_response": "Agreed" if agreed else "Not Agreed",
			"customer_response_note": note or None,
			"status": flow.SOLUTION_AGREED if agreed else flow.INVESTIGATING,
		}
	)
	# the customer is no handler of complaints: the portal records their answer (these fields only)
	# and makes the transition the desk would make on hearing it, through the complaint's own checks
	server_action(doc, "customer answered the proposal on the portal")
	with as_system() as user:
		doc.save(ignore_permissions=True)
		doc.add_comment("Info", _("{0} answered the proposal on the service portal.").format(user))
	return {"status": doc.status, "url": f"/complaints/{doc.name}"}
