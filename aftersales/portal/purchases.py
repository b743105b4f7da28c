"""What a portal customer bought: the lines of their submitted Delivery Notes and Sales Invoices (an
invoice line that points to a delivery is shown once, through the delivery), with the serial numbers
each line carried. The portal offers only these for a service request or a return, and checks
again on the server that the line chosen is one of them."""

import frappe
from frappe.query_builder.functions import Coalesce
from frappe.utils import flt, getdate, nowdate

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain import returns as return_rules

SALES_DOCTYPES = ("Delivery Note", "Sales Invoice")
LIMIT = 300


def sale_lines(customers: list[str], doctype: str | None = None, name: str | None = None) -> list[dict]:
	"""Submitted, non-return sale lines of `customers`, newest first; one document when `name` is
	given."""
	lines = []
	for sales_doctype in (doctype,) if doctype else SALES_DOCTYPES:
		if sales_doctype not in SALES_DOCTYPES:
			return []
		parent = frappe.qb.DocType(sales_doctype)
		child = frappe.qb.DocType(f"{sales_doctype} Item")
		item = frappe.qb.DocType("Item")
		query = (
			frappe.qb.from_(child)
			.join(parent)
			.on(parent.name == child.parent)
			.join(item)
			.on(item.name == child.item_code)
			.select(
				parent.name.as_("document"),
				parent.posting_date,
				parent.company,
				parent.customer,
				child.name.as_("row"),
				child.item_code,
				child.item_name,
				child.qty,
				child.serial_no,
				child.serial_and_batch_bundle,
				item.is_stock_item,
			)
			.where(parent.customer.isin(customers))
			.where(parent.docstatus == 1)
			.where(parent.is_return == 0)
			.where(child.parenttype == sales_doctype)
			.orderby(parent.posting_date, order=frappe.qb.desc)
			.orderby(child.idx)
			.limit(LIMIT)
		)
		if sales_doctype == "Sales Invoice":
			query = query.where(Coalesce(child.delivery_note, "") == "")
		if name:
			query = query.where(parent.name == name)
		for row in query.run(as_dict=True):
			row.doctype = sales_doctype
			lines.append(row)
	lines.sort(key=lambda r: getdate(r.posting_date), reverse=True)
	return lines


def serial_nos(line) -> list[str]:
	"""The serial numbers a sale line carried: its serial_no text or its Serial and Batch Bundle."""
	found = [s.strip() for s in (line.serial_no or "").replace(",", "\n").splitlines() if s.strip()]
	if not found and line.serial_and_batch_bundle:
		found = frappe.get_all(
			"Serial and Batch Entry",
			{"parent": line.serial_and_batch_bundle, "serial_no": ["is", "set"]},
			pluck="serial_no",
			order_by="idx",
		)
	return found


def product_key(line, serial: str | None) -> str:
	return "|".join((line.doctype, line.document, line.row, serial or ""))


def products(customers: list[str], doctype: str | None = None, name: str | None = None) -> list[dict]:
	"""The products a customer may ask service for: one choice per serial number, or per line when
	it had none (stock items only: services and freight are no products)."""
	choices = []
	for line in sale_lines(customers, doctype, name):
		if not line.is_stock_item:
			continue
		for serial in serial_nos(line) or [None]:
			choices.append(
				frappe._dict(
					key=product_key(line, serial),
					item_code=line.item_code,
					item_name=line.item_name,
					serial_no=serial,
					sales_document_type=line.doctype,
					sales_document=line.document,
					purchase_date=line.posting_date,
					company=line.company,
					customer=line.customer,
				)
			)
	return choices


def find_product(customers: list[str], key) -> dict | None:
	"""The product `key` stands for, when it is one of `customers`' purchases."""
	parts = key.split("|") if isinstance(key, str) else []
	if len(parts) != 4:
		return None
	doctype, name = parts[0], parts[1]
	return next((p for p in products(customers, doctype, name) if p.key == key), None)


# ---------------------------------------------------------------------------------------- returns


def returnable_lines(customers: list[str], doctype: str | None = None, name: str | None = None) -> list[dict]:
	"""Sale lines the customer may still ask to return: inside the return window (working days from
	the sale, as the Return Request counts them) and not taken back in full already."""
	from aftersales.returns.doctype.return_request.return_request import holiday_dates

	settings = get_settings()
	today = getdate(nowdate())
	probe = frappe.new_doc("Return Request")
	holidays = {}
	lines = []
	for line in sale_lines(customers, doctype, name):
		if line.company not in holidays:
			holidays[line.company] = holiday_dates(line.company, settings.holiday_list)
		deadline = return_rules.return_deadline(
			getdate(line.posting_date), settings.return_window_days or 0, holidays[line.company]
		)
		if today > deadline:
			continue
		returnable = return_rules.returnable_qty(
			flt(line.qty), probe.returned_elsewhere(frappe._dict(source_row=line.row))
		)
		if returnable <= 0:
			continue
		line.deadline = deadline
		line.returnable_qty = returnable
		line.serials = serial_nos(line)
		lines.append(line)
	return lines
