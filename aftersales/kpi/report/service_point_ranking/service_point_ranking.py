# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Service Point Ranking (AP-6): the month's weighted score of each service point and its rank,
last month's rank and the places gained. Weights: After-Sales Settings (section Service Point
Ranking Weights). A point's indicators without data that month are left out of its score and the
other weights scaled up (aftersales/domain/kpi.py, weighted_score)."""

from frappe import _
from frappe.utils import getdate

from aftersales.domain import kpi
from aftersales.kpi import ranking, reporting
from aftersales.kpi.definitions import INDICATORS, RANKING_WEIGHTS


def execute(filters=None):
	filters = dict(filters or {})
	month = getdate(filters.get("month") or getdate())
	scope = {k: v for k, v in filters.items() if k in ("company", "service_point") and v}
	rows = ranking.ranking(scope, month)
	weight = ranking.weights()
	for row in rows:
		if row.pop("is_total", None):
			row.update({"service_point": _("Total"), "bold": 1})
	message = _("Weights: {0}").format(
		", ".join(f"{_(INDICATORS[k].label)} {weight[k]:g}%" for k in RANKING_WEIGHTS)
	)
	return reporting.with_precision(columns()), rows, message, chart(rows, month)


def columns():
	cols = [
		{"label": _("Rank"), "fieldname": "rank", "fieldtype": "Int", "width": 70},
		{
			"label": _("Service Point"),
			"fieldname": "service_point",
			"fieldtype": "Link",
			"options": "Service Point",
			"width": 170,
		},
		{"label": _("Ranking Score"), "fieldname": "score", "fieldtype": "Float", "width": 90},
		{"label": _("Last Month's Rank"), "fieldname": "previous_rank", "fieldtype": "Int", "width": 120},
		{"label": _("Places Gained"), "fieldname": "rank_change", "fieldtype": "Int", "width": 110},
		{"label": _("Orders Received"), "fieldname": "received", "fieldtype": "Int", "width": 110},
	]
	for key in RANKING_WEIGHTS:
		indicator = INDICATORS[key]
		cols.append(
			{
				"label": _(indicator.label) + (" (%)" if indicator.fieldtype == "Percent" else ""),
				"fieldname": key,
				"fieldtype": indicator.fieldtype,
				"width": 130,
			}
		)
	return cols


def chart(rows, month):
	ranked = [r for r in rows if r.get("rank")]
	if not ranked:
		return None
	return reporting.bar_chart(
		[r["service_point"] for r in ranked],
		[
			{
				"name": _("Ranking Score")
				+ " "
				+ kpi.period_label(kpi.period_start(month, kpi.MONTH), kpi.MONTH),
				"values": reporting.none_as_zero(r.get("score") for r in ranked),
			}
		],
		"Float",
	)
