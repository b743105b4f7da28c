# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Follow-up Outcomes (FV-3): how submitted follow-ups came out, by service point, technician,
product or period: the six outcome classes (count and share of the follow-ups), the average score
and the share satisfied. A follow-up counts for its work order (company, service point,
technician, product) on its follow-up date, for users who may read that order."""

from frappe import _

from aftersales.domain import kpi
from aftersales.kpi import query, reporting
from aftersales.kpi.definitions import FOLLOW_UP_OUTCOMES, outcome_counter_key

INDICATORS = ["satisfaction_score", "satisfied_rate"]


def execute(filters=None):
	filters = reporting.report_filters(filters)
	group_by, period = filters.group_by or None, filters.period or None
	counters = ["follow_ups", *(outcome_counter_key(o) for o in FOLLOW_UP_OUTCOMES)]
	result = query.compute(
		filters, group_by=group_by, period=period, indicators=INDICATORS, counters=counters
	)
	rows = reporting.output_rows(result, group_by, period, reporting.date_range_label(filters))
	for row in rows:
		for outcome in FOLLOW_UP_OUTCOMES:
			key = outcome_counter_key(outcome)
			row["share_" + key] = kpi.ratio(row.get("n_" + key), row.get("n_follow_ups"))
	return reporting.with_precision(columns(group_by, period)), rows, None, chart(rows, group_by, period)


def columns(group_by, period):
	cols = reporting.group_columns(group_by, period)
	cols.append({"label": _("Follow-ups"), "fieldname": "n_follow_ups", "fieldtype": "Int", "width": 100})
	for outcome in FOLLOW_UP_OUTCOMES:
		key = outcome_counter_key(outcome)
		cols.append({"label": _(outcome), "fieldname": "n_" + key, "fieldtype": "Int", "width": 120})
		cols.append(
			{"label": _(outcome) + " (%)", "fieldname": "share_" + key, "fieldtype": "Percent", "width": 120}
		)
	cols.append(
		{
			"label": _("Average Follow-up Score (of 5)"),
			"fieldname": "satisfaction_score",
			"fieldtype": "Float",
			"width": 150,
		}
	)
	cols.append(
		{
			"label": _("Satisfaction Rate") + " (%)",
			"fieldname": "satisfied_rate",
			"fieldtype": "Percent",
			"width": 110,
		}
	)
	return cols


def chart(rows, group_by, period):
	data_rows = [r for r in rows if not r.get("bold")]
	if not data_rows or not any(r.get("n_follow_ups") for r in data_rows):
		return None
	return reporting.bar_chart(
		[reporting.row_label(r, group_by, period) for r in data_rows],
		[
			{
				"name": _(outcome),
				"values": reporting.none_as_zero(
					r.get("n_" + outcome_counter_key(outcome)) for r in data_rows
				),
			}
			for outcome in FOLLOW_UP_OUTCOMES
		],
		"Int",
		stacked=True,
	)
