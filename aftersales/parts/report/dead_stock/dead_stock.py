# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.query_builder.functions import Max
from frappe.utils import add_days, cint, date_diff, flt, fmt_money, getdate, nowdate
from pypika import analytics as an
from pypika.terms import ExistsCriterion

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.parts.report import part_columns

# the dead bins listed, those holding the most stock value first, unless the user asks for more
LIMIT = 1000


def execute(filters=None):
	"""Parts with stock and no movement for the settings' dead-stock days, per warehouse, with
	value, age and the latest disposition decided for them, the most valuable first. Two queries
	whatever the number of parts: the bins with their last movement, and the latest dispositions.

	At most LIMIT bins are listed (filter Show at Most, 0: all; 100,000 dead bins at 20k parts
	are more than a desk grid shows), with a message giving the number and value of all of them."""
	filters = frappe._dict(filters or {})
	days = cint(filters.days) or cint(get_settings().dead_stock_days) or 180
	limit = LIMIT if filters.get("limit") in (None, "") else max(cint(filters.limit), 0)
	today = getdate(nowdate())
	sle = frappe.qb.DocType("Stock Ledger Entry")
	bin_ = frappe.qb.DocType("Bin")
	part = frappe.qb.DocType("Spare Part")
	# a bin is dead when no ledger entry of its item and warehouse is newer than the cut-off (a short
	# range on ERPNext's (item_code, warehouse, posting_datetime) index)
	recent = (
		frappe.qb.from_(sle)
		.select(sle.name)
		.where(sle.item_code == bin_.item_code)
		.where(sle.warehouse == bin_.warehouse)
		.where(sle.is_cancelled == 0)
		.where(sle.posting_datetime >= add_days(today, -days + 1))
	)
	dead = (
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
			an.Count(bin_.name).over().as_("dead_bins"),
			an.Sum(bin_.stock_value).over().as_("dead_value"),
		)
		.where(bin_.actual_qty > 0)
		.where(part.disabled == 0)
		.where(ExistsCriterion(recent).negate())
		.orderby(bin_.stock_value, order=frappe.qb.desc)
	)
	if filters.warehouse:
		dead = dead.where(bin_.warehouse == filters.warehouse)
	if limit:
		dead = dead.limit(limit)
	dead = dead.as_("dead")
	# the date of the last movement, newest first along the same index, for the bins listed only
	last_move = (
		frappe.qb.from_(sle)
		.select(sle.posting_date)
		.where(sle.item_code == dead.item_code)
		.where(sle.warehouse == dead.warehouse)
		.where(sle.is_cancelled == 0)
		.orderby(sle.posting_datetime, order=frappe.qb.desc)
		.limit(1)
	)
	rows = (
		frappe.qb.from_(dead)
		.select(
			dead.item_code,
			dead.item_name,
			dead.abc_class,
			dead.warehouse,
			dead.actual_qty,
			dead.stock_value,
			last_move.as_("last_movement_date"),
			dead.dead_bins,
			dead.dead_value,
		)
		.orderby(dead.stock_value, order=frappe.qb.desc)
	).run(as_dict=True)
	decided = latest_dispositions(filters.warehouse)
	every = cint(rows[0].dead_bins) if rows else 0
	value = flt(rows[0].dead_value) if rows else 0
	for row in rows:
		del row["dead_bins"], row["dead_value"]
		row.age_days = date_diff(today, row.last_movement_date) if row.last_movement_date else None
		row.disposition = decided.get((row.item_code, row.warehouse))
	message = None
	if len(rows) < every:
		message = _(
			"The {0} of {1} dead stock lines holding the most stock value are listed; all {1} hold {2}. "
			"Choose a warehouse or raise Show at Most to see the others."
		).format(len(rows), every, fmt_money(value))
	return columns(), rows, message


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
