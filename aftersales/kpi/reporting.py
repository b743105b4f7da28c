"""Pieces the KPI reports share: columns for the grouping, the period and each indicator (with the
counts behind it), names for grouped values, the total row and chart data. The numbers themselves
come from aftersales/kpi/query.py."""

import frappe
from frappe import _
from frappe.utils import add_months, cint, getdate

from aftersales.domain import kpi
from aftersales.kpi.definitions import (
	AVERAGE,
	COUNT,
	COUNTERS,
	DIMENSIONS,
	PER_HUNDRED,
	PERCENTILE,
	RATE,
	SCORE,
	SUM,
)

# the readable name beside a grouped id
NAME_FIELDS = {"technician": ("Employee", "employee_name"), "item_code": ("Item", "item_name")}


def report_filters(filters) -> frappe._dict:
	"""Dates as dates (this month by default). `months` (the dashboard's trend chart: Frappe hands a
	report chart the report's default dates, not the chart's) means the last so many months up to
	`to_date`."""
	filters = frappe._dict(filters or {})
	filters.to_date = getdate(filters.to_date) if filters.to_date else getdate()
	filters.from_date = getdate(filters.from_date) if filters.from_date else filters.to_date.replace(day=1)
	if cint(filters.months) > 0:
		filters.from_date = add_months(filters.to_date.replace(day=1), 1 - cint(filters.months))
	return filters


def date_range_label(filters) -> str:
	return f"{frappe.format(filters.from_date, 'Date')} – {frappe.format(filters.to_date, 'Date')}"


def with_precision(columns: list[dict]) -> list[dict]:
	"""Rates with one decimal, other decimals with two (Frappe's default shows three)."""
	for column in columns:
		if column.get("fieldtype") == "Percent":
			column.setdefault("precision", 1)
		elif column.get("fieldtype") == "Float":
			column.setdefault("precision", 2)
	return columns


def group_columns(group_by: str | None, period: str | None) -> list[dict]:
	columns = []
	if period:
		columns.append({"label": _("Period"), "fieldname": "period_label", "fieldtype": "Data", "width": 100})
	if group_by:
		dimension = DIMENSIONS[group_by]
		# Frappe drops report rows whose Link values the user has no User Permission for; ERPNext
		# gives every employee-user one on their own Employee, which work orders ignore (their
		# technician field does), so technicians are listed as text, not as Employee links
		link = dimension.options != "Employee"
		columns.append(
			{
				"label": _(dimension.label),
				"fieldname": "group_value",
				"fieldtype": dimension.fieldtype if link and dimension.options else "Data",
				"options": dimension.options if link else None,
				"width": 160,
			}
		)
		if group_by in NAME_FIELDS or dimension.fieldtype == "Select":
			columns.append({"label": _("Name"), "fieldname": "group_name", "fieldtype": "Data", "width": 150})
	if not columns:
		columns.append({"label": _("Date Range"), "fieldname": "scope", "fieldtype": "Data", "width": 180})
	return columns


def indicator_columns(indicators, with_counts: bool = True) -> list[dict]:
	"""Each indicator, followed by the counts it is made of (each count shown once)."""
	columns = []
	# a count shown as an indicator of its own (orders received, closed) is not repeated
	shown = {i.numerator for i in indicators if i.kind == COUNT}
	for indicator in indicators:
		columns.append(
			{
				"label": _(indicator.label) + (" (%)" if indicator.kind == RATE else ""),
				"fieldname": indicator.key,
				"fieldtype": indicator.fieldtype,
				"width": 130,
			}
		)
		if not with_counts or indicator.kind in (COUNT, SUM, PERCENTILE):
			continue
		for key in (indicator.numerator, indicator.denominator):
			if key and key not in shown:
				shown.add(key)
				counter = COUNTERS[key]
				columns.append(
					{
						"label": _(counter.label),
						"fieldname": "n_" + key,
						"fieldtype": "Currency" if counter.internal else counter_fieldtype(indicator, key),
						"width": 110,
					}
				)
	return columns


def counter_fieldtype(indicator, key: str) -> str:
	if indicator.kind in (AVERAGE, SCORE) and key == indicator.numerator:
		return "Float"
	if indicator.kind in (RATE, PER_HUNDRED) and COUNTERS[key].source in ("returned", "shipped"):
		return "Float"
	return "Int"


def group_names(group_by: str | None, values) -> dict:
	if group_by in DIMENSIONS and DIMENSIONS[group_by].fieldtype == "Select":
		# a stored code (the channel): its translation is its name
		return {v: _(v) for v in values if v}
	if group_by not in NAME_FIELDS:
		return {}
	doctype, fieldname = NAME_FIELDS[group_by]
	values = [v for v in values if v]
	if not values:
		return {}
	return dict(frappe.get_all(doctype, {"name": ["in", values]}, ["name", fieldname], as_list=True))


def output_rows(result, group_by: str | None, period: str | None, scope: str | None = None) -> list[dict]:
	"""Report rows from a query Result: counters as n_<key>, indicators by key, then the total row.
	`scope` names the single row of an ungrouped report (the date range)."""
	names = group_names(group_by, {r["group_value"] for r in result.rows})
	rows = [output_row(r, result, group_by, period, names) for r in result.rows]
	if not (group_by or period):
		return (
			[{**output_row(result.total, result, None, None, {}), "scope": scope or _("All")}]
			if result.total
			else []
		)
	if result.total:
		total = output_row(result.total, result, None, None, {})
		total.update({"bold": 1, "period_label": _("Total")})
		if not period:
			total["group_value"] = _("Total")
		rows.append(total)
	return rows


def output_row(row: dict, result, group_by, period, names) -> dict:
	out = {"group_value": row.get("group_value")}
	if period and row.get("period"):
		out["period"] = row["period"]
		out["period_label"] = kpi.period_label(row["period"], period)
	if group_by:
		out["group_name"] = names.get(row.get("group_value"))
		if row.get("group_value") is None:
			out["group_value"] = _("Not Set")
	for key, value in row.items():
		if key in COUNTERS:
			out["n_" + key] = value
	for indicator in result.indicators:
		out[indicator.key] = row.get(indicator.key)
	return out


def row_label(row: dict, group_by: str | None, period: str | None) -> str:
	parts = []
	if period:
		parts.append(row.get("period_label") or "")
	if group_by:
		parts.append(str(row.get("group_name") or row.get("group_value") or ""))
	return " ".join(p for p in parts if p) or _("All")


def line_chart(labels, datasets, fieldtype="Percent") -> dict:
	return {
		"data": {"labels": labels, "datasets": datasets},
		"type": "line",
		"fieldtype": fieldtype,
		"lineOptions": {"dotSize": 4},
	}


def bar_chart(labels, datasets, fieldtype="Percent", stacked=False) -> dict:
	chart = {"data": {"labels": labels, "datasets": datasets}, "type": "bar", "fieldtype": fieldtype}
	if stacked:
		chart["barOptions"] = {"stacked": 1}
	return chart


def none_as_zero(values):
	return [round(v, 2) if v is not None else 0 for v in values]
