"""My Service Orders: what a customer sees of their Service Work Orders (list, detail, timeline, what
to do now). Only the fields named here reach the page: internal figures (permlevel 1) and the
staff's working fields (quality remarks, costs, stock entries, users) never do."""

from itertools import islice

import frappe
from frappe import _
from frappe.utils import flt, get_datetime

from aftersales.domain import work_order_flow as flow
from aftersales.portal.access import own_record, require_customer
from aftersales.service.work_order import billing

DOCTYPE = "Service Work Order"

# The steps a customer follows, in order, and the order states each covers (the quality check is
# part of the repair; assigning a technician part of accepting the job).
STEPS = (
	("Received", (flow.NEW,)),
	("Accepted", (flow.ACCEPTED, flow.ASSIGNED)),
	("Appointment Booked", (flow.APPOINTMENT_BOOKED,)),
	("In Repair", (flow.IN_PROGRESS, flow.AWAITING_CONSENT, flow.QUALITY_CHECK)),
	("Ready for Delivery", (flow.READY_FOR_DELIVERY,)),
	("Delivered", (flow.DELIVERED, flow.FOLLOW_UP, flow.CLOSED)),
)
STEP_OF = {state: label for label, states in STEPS for state in states}
# what the customer reads for each state (labels in English; the page translates them)
CUSTOMER_STATUS = {
	**STEP_OF,
	flow.AWAITING_CONSENT: "Waiting for Your Consent",
	flow.FOLLOW_UP: "Delivered",
	flow.CLOSED: "Completed",
	flow.CANCELLED: "Cancelled",
	flow.UNREPAIRABLE: "Unrepairable",
}
STATUS_COLOUR = {
	"Received": "blue",
	"Accepted": "blue",
	"Appointment Booked": "blue",
	"In Repair": "orange",
	"Waiting for Your Consent": "red",
	"Ready for Delivery": "green",
	"Delivered": "green",
	"Completed": "gray",
	"Cancelled": "gray",
	"Unrepairable": "gray",
}
ORDER_TYPES = ("Repair", "Installation", "Maintenance")
# states in which the customer may have something to do
TODO_STATES = (
	flow.APPOINTMENT_BOOKED,
	flow.AWAITING_CONSENT,
	flow.READY_FOR_DELIVERY,
	flow.DELIVERED,
	flow.FOLLOW_UP,
)

LIST_FIELDS = ("name", "status", "order_type", "item_name", "serial_no", "received_on", "modified")
DETAIL_FIELDS = (
	"name",
	"status",
	"order_type",
	"received_on",
	"item_code",
	"item_name",
	"serial_no",
	"purchase_date",
	"symptoms",
	"address_display",
	"preferred_time",
	"appointment_start",
	"appointment_end",
	"technician_name",
	"warranty_status",
	"warranty_end",
	"allowed_remedies",
	"diagnosis",
	"estimated_cost",
	"customer_confirmed",
	"consented_amount",
	"consent_by",
	"consent_on",
	"consent_declined_on",
	"work_summary",
	"labour_hours",
	"parts_amount",
	"labour_amount",
	"chargeable_amount",
	"currency",
	"delivered_on",
	"delivery_explanation",
	"outcome_reason",
	"agreed_outcome",
	"photo",
	"photo_2",
	"photo_3",
)


def customer_status(status: str) -> str:
	return CUSTOMER_STATUS.get(status, status)


def status_badge(status: str) -> dict:
	label = customer_status(status)
	return {"label": _(label), "colour": STATUS_COLOUR.get(label, "gray")}


# ------------------------------------------------------------------------------------------ list


def order_list(customers: list[str], filters: dict | None = None, limit: int = 100) -> list[dict]:
	"""The customer's orders, newest first, through the record rules (frappe.get_list)."""
	rows = frappe.get_list(
		DOCTYPE,
		filters={"customer": ["in", customers], **(filters or {})},
		fields=list(LIST_FIELDS),
		order_by="received_on desc",
		limit_page_length=limit,
	)
	for row in rows:
		row.badge = status_badge(row.status)
		row.url = f"/service-orders/{row.name}"
	return rows


def get_list_context(context) -> None:
	customers = require_customer(page=True)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("My Service Orders")
	context.orders = order_list(customers)
	# what the customer must do now, newest orders first (three at most: the list shows the rest)
	todo = (todo_for(frappe.get_doc(DOCTYPE, o.name)) for o in context.orders if o.status in TODO_STATES)
	context.todo = list(islice((row for row in todo if row), 3))


# ---------------------------------------------------------------------------------------- detail


def order_view(doc) -> dict:
	"""The fields of `doc` a customer may see, with the derived parts of the page."""
	view = frappe._dict({f: doc.get(f) for f in DETAIL_FIELDS})
	view.badge = status_badge(doc.status)
	view.steps = progress(doc)
	view.timeline = timeline(doc)
	view.parts = customer_parts(doc)
	view.invoice = invoice_links(doc)
	view.todo = todo_for(doc)
	view.in_warranty = doc.warranty_status == "In Warranty"
	view.is_final = doc.status in flow.FINAL_STATES
	view.photos = [doc.get(f) for f in ("photo", "photo_2", "photo_3") if doc.get(f)]
	view.appointment = appointment_text(doc) if doc.appointment_start and doc.appointment_end else None
	return view


def customer_parts(doc) -> list[dict]:
	"""Parts lines as the customer sees them: what, how many, and what they cost the customer."""
	rows = []
	for row in doc.parts:
		if row.status == "Cancelled":
			continue
		qty = billing.used_qty(row)
		rows.append(
			{
				"item_name": row.get("item_name") or row.item_code,
				"qty": f"{qty:g}",
				"rate": flt(row.rate) if row.chargeable else 0,
				"amount": qty * flt(row.rate) if row.chargeable else 0,
				"chargeable": bool(row.chargeable),
				"new": not row.in_plan,
			}
		)
	return rows


def progress(doc) -> list[dict]:
	"""The main path with each step done, current or to come (cancelled and unrepairable orders stop
	at the step they reached)."""
	reached = {STEP_OF.get(row.status) for row in doc.status_log} | {STEP_OF.get(doc.status)}
	current = STEP_OF.get(doc.status)
	steps = []
	for label, _states in STEPS:
		state = "current" if label == current else ("done" if label in reached else "todo")
		steps.append({"label": _(label), "state": state})
	if doc.status == flow.CLOSED:
		for step in steps:
			step["state"] = "done"
	return steps


def timeline(doc) -> list[dict]:
	"""The customer-visible steps of the status log, oldest first, one line per step reached."""
	lines = []
	last = None
	for row in sorted(doc.status_log, key=lambda r: (get_datetime(r.timestamp), r.idx)):
		label = customer_status(row.status)
		if label == last:
			continue
		last = label
		line = {"label": _(label), "when": row.timestamp, "detail": None}
		if row.status == flow.APPOINTMENT_BOOKED and doc.appointment_start:
			line["detail"] = appointment_text(doc)
		lines.append(line)
	return lines


def appointment_text(doc) -> str:
	start, end = get_datetime(doc.appointment_start), get_datetime(doc.appointment_end)
	same_day = end and start.date() == end.date()
	until = frappe.format(end.time() if same_day else end, {"fieldtype": "Time" if same_day else "Datetime"})
	return f"{frappe.format(start, {'fieldtype': 'Datetime'})} – {until}"


def invoice_links(doc) -> dict | None:
	"""The order's own submitted Sales Invoice (billing.own_invoice): print view and PDF."""
	invoice = billing.own_invoice(doc)
	if not invoice:
		return None
	query = f"doctype=Sales%20Invoice&name={doc.sales_invoice}"
	return {
		"name": doc.sales_invoice,
		"print_url": f"/printview?{query}&trigger_print=0",
		"pdf_url": f"/api/method/frappe.utils.print_format.download_pdf?{query}",
	}


def consent_pending(doc) -> bool:
	"""Waiting for the customer's answer: the order asks for consent and the customer has not
	declined since it started asking."""
	if doc.status != flow.AWAITING_CONSENT:
		return False
	if not doc.consent_declined_on:
		return True
	asked = [get_datetime(r.timestamp) for r in doc.status_log if r.status == flow.AWAITING_CONSENT]
	return bool(asked) and max(asked) > get_datetime(doc.consent_declined_on)


def open_follow_up(doc) -> str | None:
	"""The follow-up of the latest delivery while it waits for the customer's answers."""
	if doc.status not in (flow.DELIVERED, flow.FOLLOW_UP) or not doc.follow_up:
		return None
	row = frappe.db.get_value(
		"Service Follow-up", doc.follow_up, ["docstatus", "service_work_order"], as_dict=True
	)
	return doc.follow_up if row and row.docstatus == 0 and row.service_work_order == doc.name else None


def todo_for(doc) -> dict | None:
	"""What the customer must do now, if anything."""
	if doc.status == flow.AWAITING_CONSENT:
		if consent_pending(doc):
			return {
				"kind": "consent",
				"text": _(
					"The technician found more work to do. Read the revised estimate and agree or decline."
				),
				"action": _("Review the Scope Change"),
				"url": f"/scope-change/{doc.name}",
				"order": doc.name,
			}
		return {
			"kind": "wait",
			"text": _(
				"You declined the scope change. The service desk will contact you about what happens next."
			),
			"order": doc.name,
		}
	if doc.status == flow.READY_FOR_DELIVERY:
		text = _("Your product is ready. Pick it up or agree a delivery time with the service desk.")
		if flt(doc.chargeable_amount):
			text += " " + _("Amount due: {0}.").format(
				frappe.format(doc.chargeable_amount, {"fieldtype": "Currency", "options": doc.currency})
			)
		return {"kind": "pickup", "text": text, "order": doc.name}
	if open_follow_up(doc):
		return {
			"kind": "survey",
			"text": _("Tell us how we did: the survey takes a minute."),
			"action": _("Rate Our Service"),
			"url": f"/survey/{doc.name}",
			"order": doc.name,
		}
	if doc.status == flow.APPOINTMENT_BOOKED and doc.appointment_start:
		return {
			"kind": "appointment",
			"text": _("Please be at the service address: {0}.").format(appointment_text(doc)),
			"order": doc.name,
		}
	return None


def get_detail_context(context) -> None:
	customers = require_customer(page=True)
	doc = own_record(DOCTYPE, frappe.form_dict.name, customers)
	context.no_cache = 1
	context.show_sidebar = True
	context.order = order_view(doc)
	context.title = _("Service Order {0}").format(doc.name)
	context.parents = [{"route": "service-orders", "title": _("My Service Orders")}]
