# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_months, flt, nowdate


def execute(filters=None):
	"""RR-6: returns by ground, item and customer over a period, with the return rate per item
	(quantity asked back / quantity delivered in the same period)."""
	filters = frappe._dict(filters or {})
	from_date = filters.from_date or add_months(nowdate(), -12)
	to_date = filters.to_date or nowdate()
	request = frappe.qb.DocType("Return Request")
	item = frappe.qb.DocType("Return Request Item")
	query = (
		frappe.qb.from_(item)
		.join(request)
		.on(request.name == item.parent)
		.select(
			request.ground,
			item.item_code,
			request.customer,
			Count(request.name).as_("requests"),
			Sum(item.qty).as_("returned_qty"),
			Sum(item.amount).as_("amount"),
		)
		.where(request.status.notin(["Rejected", "Cancelled", "Draft"]))
		.where(request.request_date[from_date:to_date])
		.groupby(request.ground, item.item_code, request.customer)
		.orderby(item.item_code)
	)
	if filters.company:
		query = query.where(request.company == filters.company)
	if filters.ground:
		query = query.where(request.ground == filters.ground)
	rows = query.run(as_dict=True)
	delivered = delivered_by_item({r.item_code for r in rows}, from_date, to_date, filters.company)
	for row in rows:
		row.delivered_qty = delivered.get(row.item_code, 0)
		row.return_rate = flt(row.returned_qty) / row.delivered_qty * 100 if row.delivered_qty else None
	return columns(), rows


def delivered_by_item(items, from_date, to_date, company=None) -> dict[str, float]:
	if not items:
		return {}
	note = frappe.qb.DocType("Delivery Note")
	row = frappe.qb.DocType("Delivery Note Item")
	query = (
		frappe.qb.from_(row)
		.join(note)
		.on(note.name == row.parent)
		.select(row.item_code, Sum(row.qty))
		.where(note.docstatus == 1)
		.where(note.is_return == 0)
		.where(row.item_code.isin(list(items)))
		.where(note.posting_date[from_date:to_date])
		.groupby(row.item_code)
	)
	if company:
		query = query.where(note.company == company)
	return {code: flt(qty) for code, qty in query.run()}


def columns():
	return [
		{"label": _("Ground"), "fieldname": "ground", "fieldtype": "Select", "width": 160},
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 150},
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 160,
		},
		{"label": _("Requests"), "fieldname": "requests", "fieldtype": "Int", "width": 80},
		{"label": _("Returned Qty"), "fieldname": "returned_qty", "fieldtype": "Float", "width": 100},
		{"label": _("Amount"), "fieldname": "amount", "fieldtype": "Currency", "width": 110},
		{"label": _("Delivered Qty"), "fieldname": "delivered_qty", "fieldtype": "Float", "width": 100},
		{"label": _("Return Rate %"), "fieldname": "return_rate", "fieldtype": "Percent", "width": 110},
	]
