"""What an approved Return Request does, all through ERPNext documents created from it and linked
back (RR-4, RR-5):

- goods received: a return Delivery Note against the original Delivery Note into the returns
  quarantine warehouse, or, for a sale invoiced without a Delivery Note, a Material Receipt;
- completed: each line's disposition (saleable: back to the warehouse it was shipped from; scrap:
  to the scrap warehouse; repair: stays in quarantine for the workshop), the replacement Delivery
  Note for an exchange or a missing shipment, the credit note (return Sales Invoice) for a refund,
  and a Sales Invoice for the return freight when the customer pays it;
- cancelled: every document above is cancelled, newest first, or the cancellation is refused with
  the name of the document that blocks it.
"""

import frappe
from frappe import _
from frappe.utils import flt

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain import returns as rules
from aftersales.service.work_order.parts import parts_price_list

REFUND, EXCHANGE = "Return for Refund", "Exchange"


class ReturnDocumentError(frappe.ValidationError):
	pass


def quarantine_warehouse() -> str:
	warehouse = get_settings().returns_quarantine_warehouse
	if not warehouse:
		frappe.throw(
			_("Set the Returns Quarantine Warehouse in After-Sales Settings first."), exc=ReturnDocumentError
		)
	return warehouse


def submit(doc):
	doc.flags.ignore_permissions = True
	doc.insert()
	doc.submit()
	return doc


def receive_goods(request) -> None:
	if request.ground == rules.MISSING_SHIPMENT:
		frappe.throw(_("Nothing comes back for a missing shipment."), exc=ReturnDocumentError)
	if request.sales_document_type == "Delivery Note":
		request.db_set("return_delivery_note", make_return_delivery_note(request).name)
	else:
		request.db_set("receipt_stock_entry", make_receipt_entry(request).name)


def make_return_delivery_note(request):
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

	note = make_sales_return(request.sales_document)
	wanted = {row.source_row: row for row in request.items}
	note.items = [row for row in note.items if row.dn_detail in wanted]
	for row in note.items:
		line = wanted[row.dn_detail]
		row.qty = -flt(line.qty)
		row.warehouse = quarantine_warehouse()
		if line.serial_no:
			row.use_serial_batch_fields = 1
			row.serial_no = line.serial_no
		if line.batch_no:
			row.use_serial_batch_fields = 1
			row.batch_no = line.batch_no
	note.remarks = _("Return Request {0}").format(request.name)
	return submit(note)


def make_receipt_entry(request):
	items = []
	for line in request.items:
		row = {
			"item_code": line.item_code,
			"qty": line.qty,
			"t_warehouse": quarantine_warehouse(),
			"basic_rate": flt(frappe.db.get_value("Item", line.item_code, "valuation_rate")),
			"allow_zero_valuation_rate": 1,
		}
		if line.serial_no or line.batch_no:
			row.update({"use_serial_batch_fields": 1, "serial_no": line.serial_no, "batch_no": line.batch_no})
		items.append(row)
	return submit(stock_entry(request, "Material Receipt", items))


def stock_entry(request, purpose, items):
	return frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": purpose,
			"purpose": purpose,
			"company": request.company,
			"aftersales_reference_doctype": request.doctype,
			"aftersales_reference_name": request.name,
			"remarks": _("Return Request {0}").format(request.name),
			"items": items,
		}
	)


def complete(request) -> None:
	if request.ground != rules.MISSING_SHIPMENT:
		dispose(request)
	if request.kind == EXCHANGE or request.ground == rules.MISSING_SHIPMENT:
		request.db_set("replacement_delivery_note", make_replacement(request).name)
	elif request.kind == REFUND:
		credit_note = make_credit_note(request)
		if credit_note:
			request.db_set("credit_note", credit_note.name)
	if request.freight_payer == rules.CUSTOMER and flt(request.freight_amount):
		request.db_set("freight_invoice", make_freight_invoice(request).name)


def dispose(request) -> None:
	settings = get_settings()
	for line in request.items:
		target = {
			"Saleable Stock": line.source_warehouse,
			"Scrap": settings.scrap_warehouse,
			"Repair": None,  # stays in quarantine for the workshop
		}[line.disposition]
		if not target or target == quarantine_warehouse():
			continue
		row = {
			"item_code": line.item_code,
			"qty": line.qty,
			"s_warehouse": quarantine_warehouse(),
			"t_warehouse": target,
		}
		if line.serial_no or line.batch_no:
			row.update({"use_serial_batch_fields": 1, "serial_no": line.serial_no, "batch_no": line.batch_no})
		entry = submit(stock_entry(request, "Material Transfer", [row]))
		line.db_set("disposition_entry", entry.name)


def make_replacement(request):
	note = frappe.new_doc("Delivery Note")
	note.update(
		{
			"customer": request.customer,
			"company": request.company,
			"currency": request.currency,
			"selling_price_list": parts_price_list(),
			"remarks": _("Replacement for Return Request {0}").format(request.name),
		}
	)
	for line in request.items:
		note.append(
			"items",
			{
				"item_code": line.item_code,
				"qty": line.qty,
				"rate": line.rate,
				"warehouse": line.source_warehouse,
			},
		)
	note.set_missing_values()
	for row, line in zip(note.items, request.items, strict=True):
		row.rate, row.price_list_rate, row.discount_percentage = line.rate, line.rate, 0
	return submit(note)


def original_invoice_rows(request) -> dict[str, tuple[str, str]]:
	"""source row -> (Sales Invoice, its item row) for the lines being refunded."""
	if request.sales_document_type == "Sales Invoice":
		return {line.source_row: (request.sales_document, line.source_row) for line in request.items}
	rows = frappe.get_all(
		"Sales Invoice Item",
		filters={"dn_detail": ["in", [line.source_row for line in request.items]], "docstatus": 1},
		fields=["parent", "name", "dn_detail"],
	)
	return {row.dn_detail: (row.parent, row.name) for row in rows}


def make_credit_note(request):
	"""A return Sales Invoice against the original invoice; None when the goods were never invoiced
	(the return Delivery Note then settles it)."""
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	rows = original_invoice_rows(request)
	invoices = {invoice for invoice, _row in rows.values()}
	if not invoices:
		return None
	if len(invoices) > 1:
		frappe.throw(
			_(
				"The returned lines were invoiced on several invoices ({0}); refund them one invoice at a time."
			).format(", ".join(sorted(invoices))),
			exc=ReturnDocumentError,
		)
	credit_note = make_sales_return(invoices.pop())
	by_invoice_row = {rows[line.source_row][1]: line for line in request.items if line.source_row in rows}
	credit_note.items = [row for row in credit_note.items if row.sales_invoice_item in by_invoice_row]
	for row in credit_note.items:
		row.qty = -flt(by_invoice_row[row.sales_invoice_item].qty)
	credit_note.update_stock = 0  # the goods came back through the return note or receipt
	credit_note.remarks = _("Refund for Return Request {0}").format(request.name)
	return submit(credit_note)


def make_freight_invoice(request):
	item = get_settings().freight_item
	if not item:
		frappe.throw(
			_("Set the Freight Item in After-Sales Settings to charge freight."), exc=ReturnDocumentError
		)
	invoice = frappe.new_doc("Sales Invoice")
	invoice.update(
		{
			"customer": request.customer,
			"company": request.company,
			"currency": request.currency,
			"selling_price_list": parts_price_list(),
			"remarks": _("Return freight for Return Request {0}").format(request.name),
		}
	)
	invoice.append("items", {"item_code": item, "qty": 1, "rate": request.freight_amount})
	invoice.set_missing_values()
	invoice.items[0].rate = invoice.items[0].price_list_rate = flt(request.freight_amount)
	return submit(invoice)


def cancel_documents(request) -> None:
	"""Newest first; a document ERPNext will not cancel stops the whole cancellation."""
	documents = [
		("Sales Invoice", request.freight_invoice),
		("Sales Invoice", request.credit_note),
		("Delivery Note", request.replacement_delivery_note),
		*[("Stock Entry", line.disposition_entry) for line in reversed(request.items)],
		("Stock Entry", request.receipt_stock_entry),
		("Delivery Note", request.return_delivery_note),
	]
	for doctype, name in documents:
		if not name or frappe.db.get_value(doctype, name, "docstatus") != 1:
			continue
		doc = frappe.get_doc(doctype, name)
		doc.flags.ignore_permissions = True
		try:
			doc.cancel()
		except frappe.ValidationError as e:
			frappe.throw(
				_("{0} {1} cannot be cancelled, so this return request cannot be either: {2}").format(
					_(doctype), frappe.bold(name), frappe.utils.strip_html(str(e))
				),
				exc=ReturnDocumentError,
				title=_("Cancellation Blocked"),
			)
