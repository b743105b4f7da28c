"""WO-1: where an order comes from. The channel is a stored code (Phone, Web Portal, Walk-in, Email;
the desk shows its translation) recorded on every path and reported by the KPI reports (group by
Channel).

- **Email**: an Email Account whose *Append To* is Service Work Order turns each new mail into an
  order (Frappe's receiver inserts it with `ignore_mandatory`: the subject as the symptoms, the
  sender's address and name); the sender is matched to a Customer through a Contact with that
  email address. An unknown sender's order stays New without a customer until the desk identifies
  them (the customer is mandatory on the desk's next save).
- **Walk-in**: an order taken at a store is that store's: the service point defaults to the one the
  user who registers it works at.
- **Portal**: aftersales/portal/request_service.py sets "Web Portal".
"""

import frappe

from aftersales.service.doctype.service_point.service_point import get_service_points_of_user

PHONE, WEB_PORTAL, WALK_IN, EMAIL = "Phone", "Web Portal", "Walk-in", "Email"


def is_incoming_mail(doc) -> bool:
	"""Made by Frappe's mail receiver: new, mandatory fields skipped, a sender address and nothing a
	desk agent or the portal would have filled in."""
	return bool(
		doc.is_new()
		and doc.flags.ignore_mandatory
		and doc.contact_email
		and not doc.customer
		and not doc.item_code
		and not doc.serial_no
	)


def set_channel_defaults(doc) -> None:
	"""Controller hook (validate, before the contact details are filled in)."""
	if not doc.is_new():
		return
	if is_incoming_mail(doc):
		from_email(doc)
	if doc.channel == WALK_IN and not doc.service_point:
		doc.service_point = store_of(frappe.session.user)


def from_email(doc) -> None:
	doc.channel = EMAIL
	doc.contact_email = doc.contact_email.strip().lower()
	customer, contact = customer_by_email(doc.contact_email)
	if customer:
		doc.customer, doc.contact_person = customer, contact
		doc.customer_name = frappe.db.get_value("Customer", customer, "customer_name")
	# the receiver runs as whoever pulls the mail: its user defaults say nothing about the order
	doc.company = default_company() or doc.company


def customer_by_email(email: str) -> tuple[str | None, str | None]:
	"""(customer, contact) of the one Customer a Contact with this email address belongs to; (None,
	None) when no Customer or several do (the desk decides)."""
	contact_email = frappe.qb.DocType("Contact Email")
	link = frappe.qb.DocType("Dynamic Link")
	rows = (
		frappe.qb.from_(contact_email)
		.join(link)
		.on((link.parent == contact_email.parent) & (link.parenttype == "Contact"))
		.select(link.link_name, contact_email.parent)
		.where(contact_email.email_id == email)
		.where(link.link_doctype == "Customer")
		.orderby(contact_email.is_primary, order=frappe.qb.desc)
	).run()
	customers = {customer for customer, _contact in rows}
	if len(customers) != 1:
		return None, None
	customer, contact = rows[0]
	return customer, contact


def default_company() -> str | None:
	"""As for the portal's orders: the company that runs the service points."""
	from aftersales.portal.request_service import default_company

	return default_company()


def store_of(user: str) -> str | None:
	"""The service point (store) the user works at, when there is exactly one that is in use."""
	points = [
		p for p in get_service_points_of_user(user) if not frappe.db.get_value("Service Point", p, "disabled")
	]
	return points[0] if len(points) == 1 else None
