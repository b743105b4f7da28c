# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Max, Sum
from frappe.utils import add_days, getdate
from pypika.analytics import RowNumber
from pypika.enums import Order

PROPOSALS_PER_REASON = 5


def execute(filters=None):
	"""ST-4: gains and losses of posted stocktakes by cause, with the latest proposals made for each
	cause. Two queries whatever the number of stocktakes, lines and causes."""
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
	rows = with_filters(query, stocktake, filters).run(as_dict=True)
	proposals = latest_proposals(filters)
	for row in rows:
		row.suggestions = "; ".join(proposals.get(row.reason, []))
	return columns(), rows


def with_filters(query, stocktake, filters):
	if filters.company:
		query = query.where(stocktake.company == filters.company)
	if filters.from_date:
		query = query.where(stocktake.freeze_time >= getdate(filters.from_date))
	if filters.to_date:
		query = query.where(stocktake.freeze_time < add_days(getdate(filters.to_date), 1))
	return query


def latest_proposals(filters, per_reason: int = PROPOSALS_PER_REASON) -> dict[str, list[str]]:
	"""Up to `per_reason` distinct proposals per cause, newest first, from posted stocktakes."""
	stocktake = frappe.qb.DocType("Stocktake")
	item = frappe.qb.DocType("Stocktake Item")
	newest = Max(item.creation)
	distinct = with_filters(
		frappe.qb.from_(item)
		.join(stocktake)
		.on(stocktake.name == item.parent)
		.select(
			item.reason,
			item.proposal,
			RowNumber().over(item.reason).orderby(newest, order=Order.desc).as_("rank"),
		)
		.where(stocktake.docstatus == 1)
		.where(item.difference_qty != 0)
		.where(item.proposal.notnull())
		.where(item.proposal != "")
		.groupby(item.reason, item.proposal),
		stocktake,
		filters,
	).as_("distinct_proposals")
	rows = (
		frappe.qb.from_(distinct)
		.select(distinct.reason, distinct.proposal)
		.where(distinct.rank <= per_reason)
		.orderby(distinct.reason)
		.orderby(distinct.rank)
	).run()
	proposals = {}
	for reason, proposal in rows:
		proposals.setdefault(reason, []).append(proposal)
	return proposals


def columns():
	return [
		{"label": _("Reason"), "fieldname": "reason", "fieldtype": "Select", "width": 160},
		{"label": _("Lines"), "fieldname": "lines", "fieldtype": "Int", "width": 70},
		{"label": _("Difference"), "fieldname": "difference_qty", "fieldtype": "Float", "width": 100},
		{"label": _("Gains"), "fieldname": "gain_value", "fieldtype": "Currency", "width": 120},
		{"label": _("Losses"), "fieldname": "loss_value", "fieldtype": "Currency", "width": 120},
		{"label": _("Suggestions"), "fieldname": "suggestions", "fieldtype": "Data", "width": 360},
	]
