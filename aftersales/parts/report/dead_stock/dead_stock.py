# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.query_builder.functions import Max
from frappe.utils import add_days, cint, date_diff, getdate, nowdate
from pypika.terms import ExistsCriterion

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.parts.report import part_columns


def execute(filters=None):
	"""Parts with stock and no movement for the settings' dead-stock days, per warehouse, with
	value, age and the latest disposition decided for them. Two queries whatever the number of
	parts: the bins with their last movement, and the latest dispositions."""
	filters = frappe._dict(filters or {})
	days = cint(filters.days) or cint(get_settings().dead_stock_days) or 180
	today = getdate(nowdate())
	sle = frappe.qb.DocType("Stock Ledger Entry")
	bin_ = frappe.qb.DocType("Bin")
	part = frappe.qb.DocType("Spare Part")
	# a bin is dead when no ledger entry of its item and warehouse is newer than the cut-off (a short
	# range on ERPNext's (item_code, warehouse, posting_datetime) index); the date of the last
	# movement is then read, newest first along the same index, for those bins only
	recent = (
		frappe.qb.from_(sle)
		.select(sle.name)
		.where(sle.item_code == bin_.item_code)
		.where(sle.warehouse == bin_.warehouse)
		.where(sle.is_cancelled == 0)
		.where(sle.posting_datetime >= add_days(today, -days + 1))
	)
	last_move = (
		frappe.qb.from_(sle)
		.select(sle.posting_date)
		.where(sle.item_code == bin_.item_code)
		.where(sle.warehouse == bin_.warehouse)
		.where(sle.is_cancelled == 0)
		.orderby(sle.posting_datetime, order=frappe.qb.desc)
		.limit(1)
	)
	query = (
		frappe.qb.from_(bin_)
		.join(part)
		.on(part.item_code == bin_.item_code)
		.select(
			bin_.item_code,
			part.item_name,
			part.abc_class,
			bin_.warehouse,
			bin_.actual_qty,
			bin_.stock_value,
			last_move.as_("last_movement_date"),
		)
		.where(bin_.actual_qty > 0)
		.where(part.disabled == 0)
		.where(ExistsCriterion(recent).negate())
		.orderby(bin_.stock_value, order=frappe.qb.desc)
	)
	if filters.warehouse:
		query = query.where(bin_.warehouse == filters.warehouse)
	rows = query.run(as_dict=True)
	decided = latest_dispositions(filters.warehouse)
	for row in rows:
		row.age_days = date_diff(today, row.last_movement_date) if row.last_movement_date else None
		row.disposition = decided.get((row.item_code, row.warehouse))
	return columns(), rows


def latest_dispositions(warehouse=None) -> dict[tuple[str, str], str]:
	"""The disposition most recently decided (submitted) for each part and warehouse."""
	disposition = frappe.qb.DocType("Dead Stock Disposition")
	latest = (
		frappe.qb.from_(disposition)
		.select(disposition.item_code, disposition.warehouse, Max(disposition.creation).as_("creation"))
		.where(disposition.docstatus == 1)
		.groupby(disposition.item_code, disposition.warehouse)
	)
	if warehouse:
		latest = latest.where(disposition.warehouse == warehouse)
	latest = latest.as_("latest")
	rows = (
		frappe.qb.from_(disposition)
		.join(latest)
		.on(
			(latest.item_code == disposition.item_code)
			& (latest.warehouse == disposition.warehouse)
			& (latest.creation == disposition.creation)
		)
		.select(disposition.item_code, disposition.warehouse, disposition.disposition)
		.where(disposition.docstatus == 1)
	).run()
	return {(item, warehouse): decided for item, warehouse, decided in rows}


def columns():
	return [
		*part_columns(),
		{"label": _("Stock"), "fieldname": "actual_qty", "fieldtype": "Float", "width": 90},
		{"label": _("Stock Value"), "fieldname": "stock_value", "fieldtype": "Currency", "width": 120},
		{"label": _("Last Movement"), "fieldname": "last_movement_date", "fieldtype": "Date", "width": 110},
		{"label": _("Days Without Movement"), "fieldname": "age_days", "fieldtype": "Int", "width": 120},
		{"label": _("Disposition"), "fieldname": "disposition", "fieldtype": "Data", "width": 140},
	]
