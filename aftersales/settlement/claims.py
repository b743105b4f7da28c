"""Warranty claims on the maker (REQUIREMENTS WO-14; seeds 003, 004).

- Who pays an item's warranty work: the Warranty Maker named on the Item, else on its Item Group
  or the nearest parent group that names one (custom fields `warranty_maker`). The maker's
  agreement holds the labour rate, the parts price list and the claim item.
- What an order is claimed for: the parts it used free of charge (issued less returned, not
  chargeable to the customer) at the agreed prices, plus its labour hours at the agreed rate.
- The claim is an ERPNext Sales Invoice to the maker with one line per order; a line the maker
  rejects is reversed by a credit note (a return Sales Invoice) for that line alone.
"""

import frappe
from frappe import _
from frappe.utils import flt

from aftersales.domain import settlement as rules
from aftersales.settlement.errors import ClaimPriceMissingError, ClaimRejectionError, MakerSetupError


def maker_of(item_code: str | None) -> str | None:
	"""The enabled Warranty Maker named by the item, or by its group or the nearest ancestor group."""
	if not item_code:
		return None
	maker, item_group = frappe.get_cached_value("Item", item_code, ["warranty_maker", "item_group"]) or (
		None,
		None,
	)
	if not maker and item_group:
		bounds = frappe.get_cached_value("Item Group", item_group, ["lft", "rgt"])
		if bounds:
			group = frappe.qb.DocType("Item Group")
			found = (
				frappe.qb.from_(group)
				.select(group.warranty_maker)
				.where(group.lft <= bounds[0])
				.where(group.rgt >= bounds[1])
				.where(group.warranty_maker.isnotnull())
				.where(group.warranty_maker != "")
				.orderby(group.lft, order=frappe.qb.desc)
				.limit(1)
			).run()
			maker = found[0][0] if found else None
	if maker and not frappe.get_cached_value("Warranty Maker", maker, "disabled"):
		return maker
	return None


def claimed_parts(order: str) -> list[tuple[str, float]]:
	"""(item_code, qty) of the parts the order used that the customer did not pay for."""
	rows = frappe.get_all(
		"Service Work Order Part",
		filters={"parent": order, "parenttype": "Service Work Order", "status": "Issued", "chargeable": 0},
		fields=["item_code", "issued_qty", "returned_qty"],
		order_by="idx",
	)
	return [
		(row.item_code, flt(row.issued_qty) - flt(row.returned_qty))
		for row in rows
		if flt(row.issued_qty) - flt(row.returned_qty) > 0
	]


def agreed_price(price_list: str, item_code: str) -> float | None:
	rows = frappe.get_all(
		"Item Price",
		filters={"price_list": price_list, "item_code": item_code},
		fields=["price_list_rate"],
		order_by="valid_from desc",
		limit=1,
	)
	return flt(rows[0].price_list_rate) if rows else None


def value_order(order, maker) -> tuple[rules.ClaimValue, list[tuple[str, float, float]]]:
	"""The claim of one order at the maker's agreed prices; refused when a part has no price."""
	parts, missing = [], []
	for item_code, qty in claimed_parts(order.name):
		price = agreed_price(maker.price_list, item_code)
		if price is None:
			missing.append(item_code)
		else:
			parts.append((item_code, qty, price))
	if missing:
		frappe.throw(
			_("Price List {0} of maker {1} has no price for {2} (used by {3}).").format(
				frappe.bold(maker.price_list),
				frappe.bold(maker.name),
				", ".join(frappe.bold(code) for code in sorted(set(missing))),
				order.name,
			),
			exc=ClaimPriceMissingError,
			title=_("Price Missing"),
		)
	value = rules.claim_value(
		[rules.ClaimPart(*part) for part in parts], flt(order.labour_hours), flt(maker.labour_rate)
	)
	return value, parts


def describe(order, parts, value: rules.ClaimValue, labour_rate: float) -> str:
	"""The line on the maker's invoice: order, serial number, fault code, parts and labour."""
	fault = frappe.get_cached_value("Fault Code", order.fault_code, "fault_name") if order.fault_code else ""
	lines = [
		_("Service Work Order {0}; Serial No {1}; Fault Code {2}").format(
			order.name,
			order.serial_no or "-",
			f"{order.fault_code} {fault}".strip() if order.fault_code else "-",
		)
	]
	for item_code, qty, price in parts:
		lines.append(
			_("Part {0}: {1} x {2} = {3}").format(
				item_code, f"{flt(qty):g}", f"{price:.2f}", f"{rules.times(qty, price):.2f}"
			)
		)
	if value.labour_amount:
		lines.append(
			_("Labour: {0} h x {1} = {2}").format(
				f"{flt(order.labour_hours):g}", f"{flt(labour_rate):.2f}", f"{value.labour_amount:.2f}"
			)
		)
	return "\n".join(lines)


def check_maker(maker) -> None:
	if not frappe.db.get_value("Price List", maker.price_list, "selling"):
		frappe.throw(
			_("Price List {0} is not a selling price list.").format(frappe.bold(maker.price_list)),
			exc=MakerSetupError,
			title=_("Invalid Maker Agreement"),
		)
	if frappe.get_cached_value("Item", maker.claim_item, "is_stock_item"):
		frappe.throw(
			_("The claim item {0} must be a non-stock item: a claim moves no stock.").format(
				frappe.bold(maker.claim_item)
			),
			exc=MakerSetupError,
			title=_("Invalid Maker Agreement"),
		)


# ------------------------------------------------------------------------- ERPNext documents


def submit(doc):
	doc.flags.ignore_permissions = True
	doc.insert()
	doc.submit()
	return doc


def make_claim_invoice(batch, maker):
	"""One Sales Invoice to the maker, a line per claimed order (in the batch's row order)."""
	invoice = frappe.new_doc("Sales Invoice")
	invoice.update(
		{
			"customer": maker.customer,
			"company": batch.company,
			"currency": batch.currency,
			"posting_date": batch.posting_date,
			"set_posting_time": 1,
			"due_date": batch.posting_date,
			"selling_price_list": maker.price_list,
			"update_stock": 0,
			"remarks": _("Warranty claim {0} on {1}").format(batch.name, maker.name),
		}
	)
	for row in batch.items:
		invoice.append(
			"items",
			{"item_code": maker.claim_item, "qty": 1, "rate": row.amount, "description": row.description},
		)
	invoice.set_missing_values()
	for item, row in zip(invoice.items, batch.items, strict=True):
		# set_missing_values fills the price list's rate; the claim is the valued amount
		item.rate = item.price_list_rate = flt(row.amount)
		item.discount_percentage = item.discount_amount = 0
		item.description = row.description
	invoice.calculate_taxes_and_totals()
	return submit(invoice)


def make_credit_note(batch, row):
	"""A return Sales Invoice against the claim invoice for the rejected line alone."""
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	note = make_sales_return(batch.sales_invoice)
	note.items = [item for item in note.items if item.sales_invoice_item == row.sales_invoice_item]
	if len(note.items) != 1:
		frappe.throw(
			_("Line {0} is not on the claim invoice {1}.").format(row.idx, batch.sales_invoice),
			exc=ClaimRejectionError,
		)
	note.items[0].qty = -1
	note.items[0].idx = 1
	note.update_stock = 0
	note.remarks = _("Maker rejected the claim for {0}: {1}").format(
		row.service_work_order, row.rejection_reason
	)
	return submit(note)


def cancel_documents(names: list[tuple[str, str]], blocked_message: str, exc) -> None:
	"""Cancel submitted ERPNext documents in the order given; one that ERPNext will not cancel
	stops the whole cancellation with its reason."""
	for doctype, name in names:
		if not name or frappe.db.get_value(doctype, name, "docstatus") != 1:
			continue
		doc = frappe.get_doc(doctype, name)
		doc.flags.ignore_permissions = True
		try:
			doc.cancel()
		except frappe.ValidationError as e:
			frappe.throw(
				blocked_message.format(_(doctype), frappe.bold(name), frappe.utils.strip_html(str(e))),
				exc=exc,
				title=_("Cancellation Blocked"),
			)
