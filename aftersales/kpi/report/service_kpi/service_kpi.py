# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Service KPI (KPI-1, KPI-2): every indicator of aftersales/kpi/definitions.py, grouped by a
dimension and/or a period, with the counts behind each rate and a total row whose rates are
recomputed from the summed counts. Rows are limited to what the user may read (a technician sees
their own and their service point's orders); internal figures need permlevel 1."""

from frappe import _

from aftersales.kpi import query, reporting
from aftersales.kpi.definitions import INDICATORS

# the rates drawn over time (the "KPI trend" chart) and offered for a grouped chart
TREND = (
	"appointment_rate",
	"on_site_completion_rate",
	"first_time_fix_rate",
	"resolution_rate",
	"satisfied_rate",
)


def execute(filters=None):
	filters = reporting.report_filters(filters)
	group_by, period = filters.group_by or None, filters.period or None
	# the dashboard's trend chart asks for its five rates only (filters_json "indicators": "trend"),
	# which the composite KPI indexes answer without reading the orders themselves
	indicators = ["received", *TREND] if filters.indicators == "trend" else None
	result = query.compute(filters, group_by=group_by, period=period, indicators=indicators)
	columns = reporting.group_columns(group_by, period) + reporting.indicator_columns(result.indicators)
	rows = reporting.output_rows(result, group_by, period, reporting.date_range_label(filters))
	return (
		reporting.with_precision(columns),
		rows,
		None,
		chart(rows, filters, group_by, period),
		summary(result.total),
	)


def chart(rows, filters, group_by, period):
	data_rows = [r for r in rows if not r.get("bold")]
	if not data_rows:
		return None
	if period and not group_by:
		return reporting.line_chart(
			[r["period_label"] for r in data_rows],
			[
				{
					"name": _(INDICATORS[k].label),
					"values": reporting.none_as_zero(r.get(k) for r in data_rows),
				}
				for k in TREND
			],
		)
	key = filters.chart_indicator if filters.chart_indicator in INDICATORS else "appointment_rate"
	indicator = INDICATORS[key]
	if key not in data_rows[0]:
		return None
	if group_by and period:
		periods = sorted({r["period_label"] for r in data_rows})
		groups = sorted({str(r["group_name"] or r["group_value"]) for r in data_rows})[:10]
		values = {
			(r["period_label"], str(r["group_name"] or r["group_value"])): r.get(key) for r in data_rows
		}
		return reporting.line_chart(
			periods,
			[
				{"name": g, "values": reporting.none_as_zero(values.get((p, g)) for p in periods)}
				for g in groups
			],
			indicator.fieldtype,
		)
	if group_by:
		return reporting.bar_chart(
			[reporting.row_label(r, group_by, period) for r in data_rows],
			[{"name": _(indicator.label), "values": reporting.none_as_zero(r.get(key) for r in data_rows)}],
			indicator.fieldtype,
		)
	return reporting.bar_chart(
		[_(INDICATORS[k].label) for k in TREND],
		[{"name": _("All"), "values": reporting.none_as_zero(data_rows[0].get(k) for k in TREND)}],
	)


def summary(total: dict) -> list[dict]:
	if not total:
		return []
	cards = [
		("received", "Int", "Blue"),
		("open", "Int", "Orange"),
		("appointment_rate", "Percent", "Green"),
		("first_time_fix_rate", "Percent", "Green"),
		("satisfied_rate", "Percent", "Green"),
		("complaint_rate", "Data", "Red"),  # shown with one decimal (Frappe would show three)
	]
	return [
		{
			"value": shown(total.get(key), datatype),
			"label": _(INDICATORS[key].label),
			"datatype": datatype if total.get(key) is not None else "Data",
			"indicator": color,
		}
		for key, datatype, color in cards
		if key in total
	]


def shown(value, datatype: str):
	if value is None:
		return "-"
	return f"{value:.1f}" if datatype == "Data" else round(value, 1)
