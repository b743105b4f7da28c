# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum


def execute(filters=None):
	"""ST-4: gains and losses of posted stocktakes by cause, with the proposals made."""
	filters = frappe._dict(filters or {})
	stocktake = frappe.qb.DocType("Stocktake")
	item = frappe.qb.DocType("Stocktake Item")
	query = (
		frappe.qb.from_(item)
		.join(stocktake)
		.on(stocktake.name == item.parent)
		.select(
			item.reason,
			Count(item.name).as_("lines"),
			Sum(item.difference_qty).as_("difference_qty"),
			Sum(Case().when(item.difference_value > 0, item.difference_value).else_(0)).as_("gain_value"),
			Sum(Case().when(item.difference_value < 0, -item.difference_value).else_(0)).as_("loss_value"),
		)
		.where(stocktake.docstatus == 1)
		.where(item.difference_qty != 0)
		.groupby(item.reason)
		.orderby(item.reason)
	)
	if filters.company:
		query = query.where(stocktake.company == filters.company)
	if filters.from_date:
		query = query.where(stocktake.freeze_time >= filters.from_date)
	if filters.to_date:
		query = query.where(stocktake.freeze_time <= filters.to_date + " 23:59:59")
	rows = query.run(as_dict=True)
	for row in rows:
		proposals = frappe.get_all(
			"Stocktake Item",
			filters={"reason": row.reason, "proposal": ["is", "set"], "docstatus": 1},
			pluck="proposal",
			limit=5,
			order_by="creation desc",
		)
		row.suggestions = "; ".join(dict.fromkeys(proposals))
	return columns(), rows


def columns():
	return [
		{"label": _("Reason"), "fieldname": "reason", "fieldtype": "Data", "width": 160},
		{"label": _("Lines"), "fieldname": "lines", "fieldtype": "Int", "width": 70},
		{"label": _("Difference"), "fieldname": "difference_qty", "fieldtype": "Float", "width": 100},
		{"label": _("Gains"), "fieldname": "gain_value", "fieldtype": "Currency", "width": 120},
		{"label": _("Losses"), "fieldname": "loss_value", "fieldtype": "Currency", "width": 120},
		{"label": _("Suggestions"), "fieldname": "suggestions", "fieldtype": "Data", "width": 360},
	]
