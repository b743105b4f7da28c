"""Charges, job cost and the Sales Invoice of a Service Work Order (WO-12, WO-13).

- Out of warranty the customer pays the chargeable parts (issued less returned, at the line's
  rate) and labour (hours x the settings' labour rate) through an ERPNext Sales Invoice made from
  the order. The parts left stock through the order's Stock Entries, so the invoice does not
  update stock.
- In warranty the customer pays nothing; the work's cost is recorded as claimable from the maker.
- Job cost = parts at the valuation rate of their issue + labour hours x the labour cost rate;
  revenue = the submitted invoice's net total + the claimable amount; margin = revenue - cost.
"""

import frappe
from frappe import _
from frappe.utils import flt

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.service.work_order.errors import InvoicedChangeError, MissingInformationError
from aftersales.service.work_order.parts import parts_price_list

# What the Sales Invoice billed: fixed once it is submitted (cancel the invoice to change them).
INVOICED_PART_FIELDS = ("item_code", "qty", "rate", "chargeable", "status", "returned_qty")


def used_qty(row) -> float:
	if row.status == "Issued":
		return flt(row.issued_qty) - flt(row.returned_qty)
	if row.status == "Cancelled":
		return 0
	return flt(row.qty)  # requested or approved: what the customer would pay for


def calculate(doc) -> None:
	settings = get_settings()
	out_of_warranty = doc.warranty_status == "Out of Warranty"
	doc.parts_amount = sum(used_qty(r) * flt(r.rate) for r in doc.parts if r.chargeable)
	doc.labour_amount = flt(doc.labour_hours) * flt(settings.labour_rate) if out_of_warranty else 0
	doc.chargeable_amount = flt(doc.parts_amount) + flt(doc.labour_amount)

	issued = [r for r in doc.parts if r.status == "Issued"]
	doc.parts_cost = sum(used_qty(r) * flt(r.valuation_rate) for r in issued)
	doc.labour_cost = flt(doc.labour_hours) * flt(settings.labour_cost_rate)
	doc.total_cost = flt(doc.parts_cost) + flt(doc.labour_cost)

	free_parts_cost = sum(used_qty(r) * flt(r.valuation_rate) for r in issued if not r.chargeable)
	doc.claimable_amount = free_parts_cost + flt(doc.labour_cost) if not out_of_warranty else 0

	invoice = own_invoice(doc)
	invoiced = flt(invoice.base_net_total) if invoice else 0
	doc.revenue = invoiced + flt(doc.claimable_amount)
	doc.margin = flt(doc.revenue) - flt(doc.total_cost)


def own_invoice(doc, name: str | None = None):
	"""The order's Sales Invoice when it really is this order's: submitted, made from this order
	and for its customer. Anything else in `sales_invoice` counts as no invoice."""
	name = name or doc.sales_invoice
	if not name or doc.is_new():
		return None
	invoice = frappe.db.get_value(
		"Sales Invoice",
		name,
		["docstatus", "service_work_order", "customer", "base_net_total"],
		as_dict=True,
	)
	if (
		invoice
		and invoice.docstatus == 1
		and invoice.service_work_order == doc.name
		and invoice.customer == doc.customer
	):
		return invoice
	return None


def invoice_submitted(doc) -> bool:
	return bool(own_invoice(doc))


def validate_invoiced_lock(doc) -> None:
	"""Once the Sales Invoice is submitted, labour and the chargeable parts are what it billed."""
	before = doc.get_doc_before_save()
	if not before or not own_invoice(before):
		return
	changed = []
	if flt(before.labour_hours) != flt(doc.labour_hours):
		changed.append(_(doc.meta.get_label("labour_hours")))
	if before.customer != doc.customer:
		changed.append(_(doc.meta.get_label("customer")))
	old_rows = {row.name: row for row in before.parts if row.chargeable}
	for row in doc.parts:
		old = old_rows.pop(row.name, None)
		if old is None:
			if row.chargeable:
				changed.append(_("Parts row {0}").format(row.idx))
		elif any(
			old.get(f) != row.get(f) and flt(old.get(f)) != flt(row.get(f)) for f in INVOICED_PART_FIELDS
		):
			changed.append(_("Parts row {0}").format(row.idx))
	if old_rows:
		changed.append(_("Parts rows removed"))
	if changed:
		frappe.throw(
			_("Sales Invoice {0} has billed this order; cancel it before changing {1}.").format(
				frappe.bold(before.sales_invoice), ", ".join(changed)
			),
			exc=InvoicedChangeError,
			title=_("Already Invoiced"),
		)


def make_sales_invoice(doc):
	"""A new (unsaved) Sales Invoice for the chargeable parts and labour of `doc`."""
	if not doc.chargeable_amount:
		frappe.throw(_("Nothing on this order is chargeable."), exc=MissingInformationError)
	existing = frappe.db.get_value(
		"Sales Invoice", {"service_work_order": doc.name, "docstatus": ["<", 2]}, "name"
	)
	if existing:
		frappe.throw(
			_("Sales Invoice {0} already exists for this order.").format(frappe.bold(existing)),
			exc=MissingInformationError,
		)
	settings = get_settings()
	invoice = frappe.new_doc("Sales Invoice")
	invoice.update(
		{
			"customer": doc.customer,
			"company": doc.company,
			"currency": doc.currency,
			"selling_price_list": parts_price_list(),
			"service_work_order": doc.name,
			"update_stock": 0,
			"remarks": _("Service Work Order {0}").format(doc.name),
		}
	)
	for row in doc.parts:
		if row.chargeable and used_qty(row) > 0:
			invoice.append(
				"items",
				{"item_code": row.item_code, "qty": used_qty(row), "rate": row.rate, "uom": row.uom},
			)
	if doc.labour_amount:
		if not settings.labour_item:
			frappe.throw(
				_("Set the Labour Item in After-Sales Settings to invoice labour."),
				exc=MissingInformationError,
			)
		invoice.append(
			"items",
			{
				"item_code": settings.labour_item,
				"qty": flt(doc.labour_hours),
				"rate": flt(settings.labour_rate),
				"description": _("Labour for Service Work Order {0}").format(doc.name),
			},
		)
	invoice.set_missing_values()
	for item in invoice.items:
		# set_missing_values fills prices from the price list; the order's rates are what was agreed
		source = next((r for r in doc.parts if r.item_code == item.item_code and r.chargeable), None)
		item.rate = flt(source.rate) if source else flt(settings.labour_rate)
		item.price_list_rate = item.rate
		item.discount_percentage = 0
	invoice.calculate_taxes_and_totals()
	return invoice


def on_sales_invoice_submit(invoice, method=None) -> None:
	# a credit note made from the invoice carries the order too; it does not bill it
	if invoice.get("service_work_order") and not invoice.is_return:
		order = frappe.get_doc("Service Work Order", invoice.service_work_order)
		if invoice.customer != order.customer:
			frappe.throw(
				_("Sales Invoice {0} is for {1}, but Service Work Order {2} is for {3}.").format(
					invoice.name, frappe.bold(invoice.customer), order.name, frappe.bold(order.customer)
				),
				exc=InvoicedChangeError,
				title=_("Wrong Invoice"),
			)
		if own_invoice(order):
			frappe.throw(
				_("Service Work Order {0} is billed already by Sales Invoice {1}.").format(
					order.name, frappe.bold(order.sales_invoice)
				),
				exc=InvoicedChangeError,
				title=_("Already Invoiced"),
			)
		if abs(flt(invoice.net_total) - flt(order.chargeable_amount)) > 0.005:
			frappe.throw(
				_("Sales Invoice {0} bills {1}, but the charges of Service Work Order {2} are {3}.").format(
					invoice.name,
					frappe.bold(fmt(invoice.net_total, invoice.currency)),
					order.name,
					frappe.bold(fmt(order.chargeable_amount, order.currency)),
				),
				exc=InvoicedChangeError,
				title=_("Wrong Invoice"),
			)
		order.db_set("sales_invoice", invoice.name)
		calculate(order)
		order.db_set({f: order.get(f) for f in ("revenue", "margin")})


def fmt(amount, currency) -> str:
	return frappe.format(amount, {"fieldtype": "Currency", "options": currency})


def on_sales_invoice_cancel(invoice, method=None) -> None:
	if invoice.get("service_work_order"):
		order = frappe.get_doc("Service Work Order", invoice.service_work_order)
		if order.sales_invoice == invoice.name:
			order.db_set("sales_invoice", None)
			calculate(order)
			order.db_set({f: order.get(f) for f in ("revenue", "margin")})
