"""Monthly ranking of service points (AP-6) by a weighted score of the service KPIs, the weights
in After-Sales Settings (adding up to 100%). Scoring and ranking are aftersales/domain/kpi.py;
the indicators come from aftersales/kpi/query.py, so the ranking uses exactly the numbers of the
Service KPI report."""

from datetime import date

import frappe
from frappe.utils import add_months, getdate

from aftersales.domain import kpi
from aftersales.kpi import query
from aftersales.kpi.definitions import INDICATORS, RANKING_WEIGHTS


def weights() -> dict[str, float]:
	settings = frappe.get_cached_doc("After-Sales Settings")
	return {key: float(settings.get(fieldname) or 0) for key, fieldname in RANKING_WEIGHTS.items()}


def month_range(day) -> tuple[date, date]:
	start = kpi.period_start(getdate(day), kpi.MONTH)
	return start, kpi.period_end(start, kpi.MONTH)


def month_scores(filters: dict, month_start: date, user: str | None = None) -> dict:
	"""{service point: {indicator values..., "score": ...}} for one month, plus "" for all points."""
	start, end = month_range(month_start)
	scoped = {**filters, "from_date": start, "to_date": end}
	keys = [*RANKING_WEIGHTS, "received"]
	result = query.compute(scoped, group_by="service_point", indicators=keys, user=user)
	higher = {key: INDICATORS[key].higher_is_better for key in RANKING_WEIGHTS}
	weight = weights()
	scores = {}
	for row in [*result.rows, {**result.total, "group_value": ""}]:
		if row.get("group_value") is None:
			continue  # orders not dispatched to a service point yet
		values = {key: row.get(key) for key in keys}
		values["score"] = kpi.weighted_score(values, weight, higher)
		scores[row["group_value"]] = values
	return scores


def ranking(filters: dict, month, user: str | None = None) -> list[dict]:
	"""One row per service point of the company (points without work included, unranked), best first,
	with last month's rank and the places gained."""
	start, _end = month_range(month)
	current = month_scores(filters, start, user)
	previous = month_scores(filters, add_months(start, -1), user)
	point_filters = {"disabled": 0}
	if filters.get("company"):
		point_filters["company"] = filters["company"]
	points = set(frappe.get_all("Service Point", point_filters, pluck="name")) | {p for p in current if p}
	if filters.get("service_point"):
		points &= {filters["service_point"]}
	ranks = kpi.rank({p: current.get(p, {}).get("score") for p in points})
	previous_ranks = kpi.rank({p: v.get("score") for p, v in previous.items() if p})
	rows = []
	for point in points:
		values = current.get(point, {})
		rows.append(
			{
				"service_point": point,
				"rank": ranks.get(point),
				"previous_rank": previous_ranks.get(point),
				"rank_change": kpi.rank_change(ranks.get(point), previous_ranks.get(point)),
				**values,
			}
		)
	rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["service_point"]))
	total = current.get("")
	if total:
		rows.append({"service_point": "", "is_total": 1, **total})
	return rows
