# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.query_builder.functions import Max
from frappe.utils import add_days, cint, date_diff, getdate, nowdate

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.parts.report import part_columns


def execute(filters=None):
	"""Parts with stock and no movement for the settings' dead-stock days, per warehouse, with
	value, age and the latest disposition decided for them."""
	filters = frappe._dict(filters or {})
	days = cint(filters.days) or cint(get_settings().dead_stock_days) or 180
	today = getdate(nowdate())
	sle = frappe.qb.DocType("Stock Ledger Entry")
	bin_ = frappe.qb.DocType("Bin")
	part = frappe.qb.DocType("Spare Part")
	last_move = (
		frappe.qb.from_(sle)
		.select(sle.item_code, sle.warehouse, Max(sle.posting_date).as_("last_movement_date"))
		.where(sle.is_cancelled == 0)
		.groupby(sle.item_code, sle.warehouse)
	).as_("last_move")
	query = (
		frappe.qb.from_(bin_)
		.join(part)
		.on(part.item_code == bin_.item_code)
		.left_join(last_move)
		.on((last_move.item_code == bin_.item_code) & (last_move.warehouse == bin_.warehouse))
		.select(
			bin_.item_code,
			part.item_name,
			part.abc_class,
			bin_.warehouse,
			bin_.actual_qty,
			bin_.stock_value,
			last_move.last_movement_date,
		)
		.where(bin_.actual_qty > 0)
		.where(part.disabled == 0)
		.where(
			last_move.last_movement_date.isnull() | (last_move.last_movement_date <= add_days(today, -days))
		)
		.orderby(bin_.stock_value, order=frappe.qb.desc)
	)
	if filters.warehouse:
		query = query.where(bin_.warehouse == filters.warehouse)
	rows = query.run(as_dict=True)
	for row in rows:
		row.age_days = date_diff(today, row.last_movement_date) if row.last_movement_date else None
		row.disposition = frappe.db.get_value(
			"Dead Stock Disposition",
			{"item_code": row.item_code, "warehouse": row.warehouse, "docstatus": 1},
			"disposition",
			order_by="creation desc",
		)
	return columns(), rows


def columns():
	return [
		*part_columns(),
		{"label": _("Stock"), "fieldname": "actual_qty", "fieldtype": "Float", "width": 90},
		{"label": _("Stock Value"), "fieldname": "stock_value", "fieldtype": "Currency", "width": 120},
		{"label": _("Last Movement"), "fieldname": "last_movement_date", "fieldtype": "Date", "width": 110},
		{"label": _("Days Without Movement"), "fieldname": "age_days", "fieldtype": "Int", "width": 120},
		{"label": _("Disposition"), "fieldname": "disposition", "fieldtype": "Data", "width": 140},
	]
