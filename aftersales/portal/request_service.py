"""Request Service (WO-1, WO-2, WO-4 from the portal): the customer picks a product they bought (or
types one), describes the fault, adds photos, the address and a preferred time; the portal creates
the Service Work Order with the channel "Web Portal" and shows the warranty decision.

The Customer role has no create right on Service Work Order: `create_service_request` writes as the
system, but only the fields named below, each checked against what this customer owns (their own
purchases, addresses and customers). Everything the server decides (warranty, charges, status) is
left to the order's controller and its field rules."""

import html

import frappe
from frappe import _
from frappe.utils import cstr, now_datetime, strip_html

from aftersales.portal import photos as portal_photos
from aftersales.portal import purchases
from aftersales.portal.access import PortalInputError, require_customer
from aftersales.portal.orders import ORDER_TYPES
from aftersales.service.doctype.service_work_order.service_work_order import normalise_phone
from aftersales.service.warranty import get_warranty_decision

CHANNEL = "Web Portal"
PHOTO_FIELDS = ("photo", "photo_2", "photo_3")
MAX_TEXT = 2000


def throw(message: str):
	frappe.throw(message, exc=PortalInputError, title=_("Request Service"))


# ------------------------------------------------------------------------------------ page context


def get_context(context) -> None:
	customers = require_customer(page=True)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Request Service")
	context.customers = [
		{"name": c, "customer_name": frappe.db.get_value("Customer", c, "customer_name")} for c in customers
	]
	context.products = purchases.products(customers)
	context.addresses = customer_addresses(customers)
	context.order_types = [{"value": t, "label": _(t)} for t in ORDER_TYPES]
	contact = primary_contact(customers[0])
	context.phone = contact.get("phone") if contact else ""
	context.prefill = prefill()
	context.max_photos = portal_photos.MAX_PHOTOS


def prefill() -> dict:
	"""From the Help Center's "Did this solve it? No": the fault code and its symptom."""
	values = {"fault_code": "", "symptoms": "", "product": cstr(frappe.form_dict.product)[:200]}
	code = cstr(frappe.form_dict.fault_code)[:140]
	if code:
		fault = frappe.db.get_value(
			"Fault Code", {"name": code, "disabled": 0}, ["name", "fault_name", "symptom"], as_dict=True
		)
		if fault:
			values["fault_code"] = fault.name
			values["fault_name"] = fault.fault_name
			values["symptoms"] = html.unescape(fault.symptom or "")  # shown in a textarea, escaped once
	return values


def customer_addresses(customers: list[str]) -> list[dict]:
	link = frappe.qb.DocType("Dynamic Link")
	address = frappe.qb.DocType("Address")
	rows = (
		frappe.qb.from_(address)
		.join(link)
		.on((link.parent == address.name) & (link.parenttype == "Address"))
		.select(address.name, address.address_line1, address.address_line2, address.city, link.link_name)
		.where(link.link_doctype == "Customer")
		.where(link.link_name.isin(customers))
		.where(address.disabled == 0)
		.orderby(address.is_primary_address, order=frappe.qb.desc)
	).run(as_dict=True)
	for row in rows:
		row.label = ", ".join(p for p in (row.address_line1, row.address_line2, row.city) if p)
	return rows


def primary_contact(customer: str) -> dict | None:
	"""The Customer's primary contact (ERPNext's customer_primary_contact), else its first contact,
	else the session user's own Contact: name, phone and email."""
	name = frappe.db.get_value("Customer", customer, "customer_primary_contact")
	if not name:
		link = frappe.qb.DocType("Dynamic Link")
		found = (
			frappe.qb.from_(link)
			.select(link.parent)
			.where(link.parenttype == "Contact")
			.where(link.link_doctype == "Customer")
			.where(link.link_name == customer)
			.limit(1)
		).run(pluck=True)
		name = found[0] if found else frappe.db.get_value("Contact", {"user": frappe.session.user})
	if not name:
		return None
	contact = frappe.db.get_value("Contact", name, ["name", "mobile_no", "phone", "email_id"], as_dict=True)
	if not contact:
		return None
	return {"name": contact.name, "phone": contact.mobile_no or contact.phone, "email": contact.email_id}


# --------------------------------------------------------------------------------------- endpoints


def warranty_view(decision) -> dict:
	return {
		"status": decision.status,
		"status_label": _(decision.status) if decision.status else _("Decided by the service desk"),
		"warranty_end": frappe.format(decision.warranty_end, {"fieldtype": "Date"})
		if decision.warranty_end
		else None,
		"remedies": [_(r) for r in decision.remedies],
	}


@frappe.whitelist(methods=["POST"])
def warranty_for(product: str) -> dict:
	"""The warranty decision for one of the customer's own purchased products, before requesting."""
	customers = require_customer()
	chosen = purchases.find_product(customers, product)
	if not chosen:
		throw(_("Choose one of the products you bought."))
	return warranty_view(
		get_warranty_decision(chosen.item_code, chosen.serial_no, chosen.purchase_date, now_datetime().date())
	)


@frappe.whitelist(methods=["POST"])
def create_service_request(
	order_type: str,
	symptoms: str,
	product: str | None = None,
	typed_product: str | None = None,
	address: str | None = None,
	address_text: str | None = None,
	preferred_time: str | None = None,
	phone: str | None = None,
	customer: str | None = None,
	fault_code: str | None = None,
	photos: str | list | None = None,
) -> dict:
	"""Create the customer's Service Work Order from the portal form; returns its name, where to see
	it and the warranty decision."""
	customers = require_customer()
	customer = customer or customers[0]
	if customer not in customers:
		throw(_("Choose one of your customer accounts."))
	if order_type not in ORDER_TYPES:
		throw(_("Choose repair, installation or maintenance."))
	symptoms = clean_text(symptoms)
	if not symptoms:
		throw(_("Describe the fault or what you need."))
	chosen = None
	if product:
		chosen = purchases.find_product([customer], product)
		if not chosen:
			throw(_("Choose one of the products you bought."))
	typed_product = clean_text(typed_product, 140)
	address_display = chosen_address(customer, address, address_text)
	contact = primary_contact(customer) or {}
	phone = normalise_phone(phone) or normalise_phone(contact.get("phone"))
	if len(phone.lstrip("+")) < 6:
		throw(_("Give a phone number we can call you on."))
	checked_photos = portal_photos.parse(photos)
	if fault_code and not frappe.db.exists("Fault Code", {"name": cstr(fault_code)[:140], "disabled": 0}):
		fault_code = None

	values = {
		"doctype": "Service Work Order",
		"company": (chosen and chosen.company) or default_company(),
		"order_type": order_type,
		"channel": CHANNEL,
		"received_on": now_datetime(),
		"customer": customer,
		"contact_person": contact.get("name"),
		"phone": phone,
		"contact_email": contact.get("email") or frappe.db.get_value("User", frappe.session.user, "email"),
		"customer_address": address or None,
		"address_display": address_display,
		"preferred_time": clean_text(preferred_time, 140),
		"fault_code": fault_code,
		"symptoms": symptoms
		if not typed_product
		else _("Product: {0}").format(typed_product) + "\n" + symptoms,
	}
	if chosen:
		values.update(
			{
				"item_code": chosen.item_code,
				"serial_no": chosen.serial_no,
				"sales_document_type": chosen.sales_document_type,
				"sales_document": chosen.sales_document,
				"purchase_date": chosen.purchase_date,
			}
		)
	order = frappe.get_doc(values)
	# the Customer role may not create orders; the portal does, with the values checked above only
	order.flags.ignore_permissions = True
	order.insert()
	portal_photos.attach(order, checked_photos, PHOTO_FIELDS)
	order.add_comment("Info", _("Requested by {0} on the service portal.").format(frappe.session.user))
	return {
		"name": order.name,
		"url": f"/service-orders/{order.name}",
		"warranty": {
			"status": order.warranty_status,
			"status_label": _(order.warranty_status)
			if order.warranty_status
			else _("Decided by the service desk"),
			"warranty_end": frappe.format(order.warranty_end, {"fieldtype": "Date"})
			if order.warranty_end
			else None,
			"remedies": [_(r.strip()) for r in (order.allowed_remedies or "").split(",") if r.strip()],
		},
	}


def clean_text(value, limit: int = MAX_TEXT) -> str:
	text = strip_html(cstr(value)).strip()
	if len(text) > limit:
		throw(_("Keep the text under {0} characters.").format(limit))
	return text


def chosen_address(customer: str, address: str | None, address_text: str | None) -> str:
	if address:
		if address not in {row.name for row in customer_addresses([customer])}:
			throw(_("Choose one of your addresses."))
		from frappe.contacts.doctype.address.address import get_address_display

		return strip_html(get_address_display(address).replace("<br>", "\n")).strip()
	text = clean_text(address_text, 500)
	if not text:
		throw(_("Give the address where the service is needed."))
	return text


def default_company() -> str:
	"""A typed product's order goes to the company that runs the service points (the first one
	made), else the site's default company."""
	return (
		frappe.db.get_value("Service Point", {"disabled": 0}, "company", order_by="creation asc")
		or frappe.defaults.get_global_default("company")
		or frappe.get_all("Company", limit=1, pluck="name")[0]
	)
