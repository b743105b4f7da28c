# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Spare Part Supplier Comparison (SP-7): every supplier of spare parts side by side over a period,
with the measures behind the app's Supplier Scorecard criteria, each criterion's score and the
weighted score for the period (computed by ERPNext's own Supplier Scorecard Period from the same
formulas), and the supplier's current scorecard score and standing."""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from aftersales.parts.supplier_scoring import (
	CRITERIA,
	delivery_measures,
	failure_measures,
	inspection_measures,
	price_measures,
	receipt_measures,
	spare_part_suppliers,
)


class ComparisonFilterError(frappe.ValidationError):
	pass


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if not (filters.from_date and filters.to_date) or getdate(filters.from_date) > getdate(filters.to_date):
		frappe.throw(_("Choose a From Date before the To Date."), exc=ComparisonFilterError)
	suppliers = [filters.supplier] if filters.supplier else spare_part_suppliers()
	rows = comparison_rows(suppliers, filters.from_date, filters.to_date)
	return columns(), rows, None, chart(rows)


def comparison_rows(suppliers: list[str], start, end) -> list[dict]:
	if not suppliers:
		return []
	measures = [
		measure(start, end, suppliers)
		for measure in (
			receipt_measures,
			inspection_measures,
			failure_measures,
			price_measures,
			delivery_measures,
		)
	]
	scorecards = {
		s.name: s
		for s in frappe.get_all(
			"Supplier Scorecard",
			{"name": ["in", suppliers]},
			["name", "supplier_score", "status", "indicator_color"],
		)
	}
	names = dict(
		frappe.get_all("Supplier", {"name": ["in", suppliers]}, ["name", "supplier_name"], as_list=True)
	)
	rows = []
	for supplier in suppliers:
		row = frappe._dict(supplier=supplier, supplier_name=names.get(supplier))
		for found in measures:
			row.update({k: v for k, v in (found.get(supplier) or {}).items() if k != "supplier"})
		row.received_qty = flt(row.received_qty)
		row.rejected_qty = flt(row.rejected_qty)
		row.rejected_percent = 100 * row.rejected_qty / row.received_qty if row.received_qty else 0
		row.on_time_percent = (
			100 * flt(row.on_time_qty) / flt(row.ordered_received_qty)
			if flt(row.ordered_received_qty)
			else None
		)
		row.update(period_scores(row))
		card = scorecards.get(supplier)
		row.scorecard_score = flt(card.supplier_score) if card else None
		row.standing = card.status if card else None
		rows.append(row)
	return sorted(rows, key=lambda r: -flt(r.period_score))


def period_scores(row) -> dict:
	"""Each criterion's score and the weighted total, evaluated by ERPNext's Supplier Scorecard
	Period from the criteria's formulas and these measures (no database access)."""
	period = frappe.new_doc("Supplier Scorecard Period")
	values = {
		"total_received_items": row.received_qty,
		"total_rejected_items": row.rejected_qty,
		"as_inspections": row.inspections,
		"as_inspections_rejected": row.inspections_rejected,
		"as_warranty_failures": row.warranty_failures,
		"as_price_index": row.price_index,
		"as_ordered_received_qty": row.ordered_received_qty,
		"as_on_time_qty": row.on_time_qty,
	}
	for param_name, value in values.items():
		period.append("variables", {"param_name": param_name, "path": param_name, "value": flt(value)})
	for criteria_name, weight, formula in CRITERIA:
		period.append(
			"criteria",
			{"criteria_name": criteria_name, "weight": weight, "formula": formula, "max_score": 100},
		)
	period.calculate_criteria()
	period.calculate_score()
	scores = {criterion_field(c.criteria_name): flt(c.score, 1) for c in period.criteria}
	scores["period_score"] = flt(period.total_score, 1)
	return scores


def criterion_field(criteria_name: str) -> str:
	return "score_" + frappe.scrub(criteria_name.replace("Spare Parts ", "").replace("-", " "))


def columns() -> list[dict]:
	def col(label, fieldname, fieldtype="Float", width=110, **extra):
		return {"label": label, "fieldname": fieldname, "fieldtype": fieldtype, "width": width, **extra}

	return [
		# a Link only for users who may read suppliers (Frappe refuses the report otherwise)
		col(_("Supplier"), "supplier", "Link", 160, options="Supplier")
		if frappe.has_permission("Supplier", "read")
		else col(_("Supplier"), "supplier", "Data", 160),
		col(_("Supplier Name"), "supplier_name", "Data", 180),
		col(_("Received Qty"), "received_qty"),
		col(_("Rejected Qty"), "rejected_qty"),
		col(_("Rejected %"), "rejected_percent", "Percent", 90),
		col(_("Quality Inspections"), "inspections", "Int"),
		col(_("Rejected Inspections"), "inspections_rejected", "Int"),
		col(_("Parts Failed Under Warranty"), "warranty_failures"),
		col(_("Price Index"), "price_index", width=90),
		col(_("On-time %"), "on_time_percent", "Percent", 90),
		*(col(_(name), criterion_field(name), width=120) for name, _weight, _formula in CRITERIA),
		col(_("Score for the Period"), "period_score", width=120),
		col(_("Scorecard Score"), "scorecard_score", width=110),
		col(_("Standing"), "standing", "Data", 100),
	]


def chart(rows: list[dict]) -> dict:
	return {
		"data": {
			"labels": [r.supplier_name or r.supplier for r in rows],
			"datasets": [{"name": _("Score for the Period"), "values": [flt(r.period_score) for r in rows]}],
		},
		"type": "bar",
	}
