"""Returns and exchanges on the portal (RR-2, RR-3, RR-6): the customer asks to return or exchange
lines they received within the window, with evidence photos, and follows the review and its reason.

The Customer role may create Return Requests, and the lifecycle lets a customer edit a Draft and
submit it: the request is made with the customer's own permissions, so every rule of the Return
Request (its source must be the customer's sale, the window, the quantities, the reviewers' fields a
customer may not preset) applies as on the REST API. Only the submission writes as the system, as
the role lacks a write right: it changes the status of the customer's own Draft and nothing else.
The receipt date is the sale's posting date: a customer cannot move the window."""

import frappe
from frappe import _
from frappe.utils import nowdate, strip_html

from aftersales.domain import return_flow as flow
from aftersales.domain import returns as rules
from aftersales.portal import photos as portal_photos
from aftersales.portal import purchases
from aftersales.portal.access import PortalInputError, own_record, require_customer
from aftersales.portal.request_service import primary_contact

DOCTYPE = "Return Request"
KINDS = ("Return for Refund", "Exchange")
CUSTOMER_STATUS = {
	flow.DRAFT: "Draft",
	flow.SUBMITTED: "Submitted",
	flow.BUSINESS_REVIEW: "Under Review",
	flow.QUALITY_INSPECTION: "Under Review",
	flow.APPROVED: "Approved",
	flow.REJECTED: "Rejected",
	flow.GOODS_RECEIVED: "Goods Received",
	flow.COMPLETED: "Completed",
	flow.CANCELLED: "Cancelled",
}
COLOUR = {
	"Draft": "gray",
	"Submitted": "blue",
	"Under Review": "orange",
	"Approved": "green",
	"Rejected": "red",
	"Goods Received": "green",
	"Completed": "gray",
	"Cancelled": "gray",
}


def badge(status: str) -> dict:
	label = CUSTOMER_STATUS.get(status, status)
	return {"label": _(label), "colour": COLOUR.get(label, "gray")}


def throw(message: str):
	frappe.throw(message, exc=PortalInputError, title=_("Return Request"))


def get_list_context(context) -> None:
	customers = require_customer(page=True)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Returns and Exchanges")
	rows = frappe.get_list(
		DOCTYPE,
		filters={"customer": ["in", customers]},
		fields=[
			"name",
			"status",
			"kind",
			"ground",
			"request_date",
			"sales_document",
			"total_amount",
			"currency",
		],
		order_by="creation desc",
		limit_page_length=100,
	)
	for row in rows:
		row.badge = badge(row.status)
		row.url = f"/returns/{row.name}"
	context.requests = rows


def get_context(context) -> None:
	customers = require_customer(page=True)
	doc = own_record(DOCTYPE, frappe.form_dict.name, customers)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Return Request {0}").format(doc.name)
	context.parents = [{"route": "returns", "title": _("Returns and Exchanges")}]
	context.request = frappe._dict(
		name=doc.name,
		status=doc.status,
		badge=badge(doc.status),
		kind=doc.kind,
		ground=doc.ground,
		request_date=doc.request_date,
		sales_document_type=doc.sales_document_type,
		sales_document=doc.sales_document,
		return_deadline=doc.return_deadline,
		description=doc.description,
		total_amount=doc.total_amount,
		currency=doc.currency,
		freight_payer=doc.freight_payer,
		lines=[
			{"item_name": i.item_name or i.item_code, "qty": i.qty, "serial_no": i.serial_no}
			for i in doc.items
		],
		# the reviewer's reason is written for the customer (its label says so); the internal review
		# notes are not shown
		rejection_reason=doc.rejection_reason if doc.status == flow.REJECTED else None,
		photos=frappe.get_all(
			"File",
			{"attached_to_doctype": DOCTYPE, "attached_to_name": doc.name, "is_folder": 0},
			pluck="file_url",
			order_by="creation",
		),
	)


def get_new_context(context) -> None:
	customers = require_customer(page=True)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Request a Return or Exchange")
	context.parents = [{"route": "returns", "title": _("Returns and Exchanges")}]
	lines = purchases.returnable_lines(customers)
	documents = {}
	for line in lines:
		documents.setdefault(
			(line.doctype, line.document),
			{
				"key": f"{line.doctype}|{line.document}",
				"label": f"{_(line.doctype)} {line.document}"
				f" ({frappe.format(line.posting_date, {'fieldtype': 'Date'})})",
				"deadline": frappe.format(line.deadline, {"fieldtype": "Date"}),
				"lines": [],
			},
		)["lines"].append(
			{
				"row": line.row,
				"item_name": line.item_name,
				"returnable_qty": line.returnable_qty,
				"serials": ", ".join(line.serials),
			}
		)
	context.documents = list(documents.values())
	context.kinds = [{"value": k, "label": _(k)} for k in KINDS]
	context.grounds = [{"value": g, "label": _(g)} for g in rules.GROUNDS]
	context.max_photos = portal_photos.MAX_PHOTOS


@frappe.whitelist(methods=["POST"])
def create_return_request(
	sales_document: str,
	kind: str,
	ground: str,
	description: str,
	items: str | list,
	photos: str | list | None = None,
) -> dict:
	"""`sales_document` is "Delivery Note|DN-..." or "Sales Invoice|SINV-..."; `items` a list of
	{"row": sale line, "qty": n}. Creates the request as the customer and submits it."""
	customers = require_customer()
	doctype, _sep, name = (sales_document or "").partition("|")
	if doctype not in purchases.SALES_DOCTYPES or not name:
		throw(_("Choose one of your deliveries or invoices."))
	if kind not in KINDS:
		throw(_("Choose a return for refund or an exchange."))
	if ground not in rules.GROUNDS:
		throw(_("Choose the reason for the return."))
	description = strip_html(description or "").strip()
	if not description or len(description) > 4000:
		throw(_("Describe the problem (up to {0} characters).").format(4000))
	lines = {line.row: line for line in purchases.sale_lines(customers, doctype, name)}
	if not lines:
		throw(_("Choose one of your deliveries or invoices."))
	items = frappe.parse_json(items) if isinstance(items, str) else items
	if not isinstance(items, list) or not items:
		throw(_("Choose at least one line to return."))
	rows = []
	for item in items:
		line = lines.get(item.get("row")) if isinstance(item, dict) else None
		if not line:
			throw(_("Choose lines of the delivery or invoice you picked."))
		rows.append(
			{
				"item_code": line.item_code,
				"qty": frappe.utils.flt(item.get("qty")),
				"source_row": line.row,
				"serial_no": "\n".join(purchases.serial_nos(line)) or None,
			}
		)
	checked_photos = portal_photos.parse(photos)
	customer = next(iter(lines.values())).customer
	contact = primary_contact(customer) or {}
	request = frappe.get_doc(
		{
			"doctype": DOCTYPE,
			"company": next(iter(lines.values())).company,
			"customer": customer,
			"kind": kind,
			"ground": ground,
			"request_date": nowdate(),
			"requested_remedy": "Refund" if kind == "Return for Refund" else "Replacement",
			"contact_person": contact.get("name"),
			"email": frappe.db.get_value("User", frappe.session.user, "email") or contact.get("email"),
			"phone": contact.get("phone"),
			"sales_document_type": doctype,
			"sales_document": name,
			"description": description,
			"items": rows,
		}
	)
	request.insert()  # with the customer's own create right and every rule of the Return Request
	portal_photos.attach(request, checked_photos, ("photo",))
	submit(request)
	return {"name": request.name, "url": f"/returns/{request.name}"}


def submit(request) -> None:
	"""Draft -> Submitted for the customer's own request: the Customer role may make this transition
	(return_flow) but has no write right, so the portal saves the status change alone."""
	doc = own_record(DOCTYPE, request.name, for_update=True)
	if doc.status != flow.DRAFT:
		return
	doc.status = flow.SUBMITTED
	doc.save(ignore_permissions=True)
