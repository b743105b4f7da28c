"""Open work orders made before the contact's email was taken from the Customer's primary Contact
(issue 16, WO-7) get it now, so their customers hear of the next steps. Only empty emails are
filled, from the order's contact or else the customer's primary contact; idempotent."""

import frappe

from aftersales.domain import work_order_flow as flow


def execute():
	order = frappe.qb.DocType("Service Work Order")
	customer = frappe.qb.DocType("Customer")
	contact = frappe.qb.DocType("Contact")
	rows = (
		frappe.qb.from_(order)
		.join(customer)
		.on(customer.name == order.customer)
		.join(contact)
		.on(
			contact.name
			== frappe.query_builder.functions.Coalesce(
				order.contact_person, customer.customer_primary_contact
			)
		)
		.select(order.name, contact.name.as_("contact"), contact.email_id)
		.where(order.status.notin(flow.FINAL_STATES))
		.where(order.contact_email.isnull() | (order.contact_email == ""))
		.where(contact.email_id.isnotnull() & (contact.email_id != ""))
	).run(as_dict=True)
	for row in rows:
		frappe.db.set_value(
			"Service Work Order",
			row.name,
			{"contact_email": row.email_id, "contact_person": row.contact},
			update_modified=False,
		)
