# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _

from aftersales.parts.report import part_columns


def execute(filters=None):
	filters = frappe._dict(filters or {})
	line = frappe.qb.DocType("Spare Part Warning Line")
	part = frappe.qb.DocType("Spare Part")
	bin_ = frappe.qb.DocType("Bin")
	query = (
		frappe.qb.from_(line)
		.join(part)
		.on(part.name == line.parent)
		.left_join(bin_)
		.on((bin_.item_code == part.item_code) & (bin_.warehouse == line.warehouse))
		.select(
			part.item_code,
			part.item_name,
			part.abc_class,
			line.warehouse,
			bin_.actual_qty.as_("stock_qty"),
			bin_.projected_qty,
			line.warning_level,
			line.reorder_qty,
			part.forecast_qty,
			part.suggested_warning_line,
			part.order_batch_qty,
		)
		.where(part.disabled == 0)
		.where((bin_.projected_qty.isnull()) | (bin_.projected_qty <= line.warning_level))
		.orderby(part.abc_class)
		.orderby(part.item_code)
	)
	if filters.warehouse:
		query = query.where(line.warehouse == filters.warehouse)
	if filters.abc_class:
		query = query.where(part.abc_class == filters.abc_class)
	return columns(), query.run(as_dict=True)


def columns():
	return [
		*part_columns(),
		{"label": _("Stock"), "fieldname": "stock_qty", "fieldtype": "Float", "width": 90},
		{"label": _("Projected Qty"), "fieldname": "projected_qty", "fieldtype": "Float", "width": 110},
		{"label": _("Warning Line"), "fieldname": "warning_level", "fieldtype": "Float", "width": 110},
		{"label": _("Reorder Qty"), "fieldname": "reorder_qty", "fieldtype": "Float", "width": 100},
		{"label": _("Forecast Next Month"), "fieldname": "forecast_qty", "fieldtype": "Float", "width": 140},
		{
			"label": _("Suggested Warning Line"),
			"fieldname": "suggested_warning_line",
			"fieldtype": "Float",
			"width": 150,
		},
		{"label": _("Order Batch Size"), "fieldname": "order_batch_qty", "fieldtype": "Float", "width": 120},
	]
