"""Service KPI formulas (REQUIREMENTS KPI-1, KPI-2, AP-6): the arithmetic behind every indicator,
free of the database so it can be tested in milliseconds. The SQL side (aftersales/kpi/) counts;
these functions turn counts into rates, score and rank service points, bucket dates into periods
and derive each work order's KPI facts from its status log.

Pure Python: no Frappe import.
"""

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from aftersales.domain import work_order_flow as flow

# ---------------------------------------------------------------- rates


def ratio(numerator: float | None, denominator: float | None, scale: float = 100) -> float | None:
	"""numerator / denominator x scale; None when there is nothing to divide by (no data is not 0%)."""
	if not denominator:
		return None
	return (numerator or 0) * scale / denominator


def average(total: float | None, count: float | None) -> float | None:
	return ratio(total, count, scale=1)


def percentile(values: Iterable[float | None], p: float) -> float | None:
	"""Nearest-rank percentile: the smallest value with at least p% of the values at or below it
	(always one of the values; p90 of 5 values is the 5th, of 10 values the 9th)."""
	ordered = sorted(v for v in values if v is not None)
	if not ordered:
		return None
	rank = max(1, math.ceil(p / 100 * len(ordered)))
	return ordered[rank - 1]


# ---------------------------------------------------------------- periods

DAY, WEEK, MONTH, QUARTER, YEAR = "Day", "Week", "Month", "Quarter", "Year"
PERIODS = (DAY, WEEK, MONTH, QUARTER, YEAR)


def period_start(value: date | datetime, period: str) -> date:
	"""First day of the period holding `value`; weeks start on Monday (ISO 8601)."""
	day = value.date() if isinstance(value, datetime) else value
	if period == DAY:
		return day
	if period == WEEK:
		return day - timedelta(days=day.weekday())
	if period == MONTH:
		return day.replace(day=1)
	if period == QUARTER:
		return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
	if period == YEAR:
		return date(day.year, 1, 1)
	raise ValueError(f"unknown period {period!r}")


def next_period(start: date, period: str) -> date:
	if period == DAY:
		return start + timedelta(days=1)
	if period == WEEK:
		return start + timedelta(days=7)
	if period in (MONTH, QUARTER):
		months = 1 if period == MONTH else 3
		month = start.month - 1 + months
		return date(start.year + month // 12, month % 12 + 1, 1)
	if period == YEAR:
		return date(start.year + 1, 1, 1)
	raise ValueError(f"unknown period {period!r}")


def period_end(start: date, period: str) -> date:
	"""Last day of the period that starts on `start`."""
	return next_period(start, period) - timedelta(days=1)


def periods_between(from_date: date, to_date: date, period: str) -> list[date]:
	"""Start of every period touching from_date..to_date, in order (empty buckets included)."""
	starts, current = [], period_start(from_date, period)
	while current <= to_date:
		starts.append(current)
		current = next_period(current, period)
	return starts


def period_label(start: date, period: str) -> str:
	if period == DAY:
		return start.isoformat()
	if period == WEEK:
		year, week, _ = start.isocalendar()
		return f"{year}-W{week:02d}"
	if period == MONTH:
		return f"{start.year}-{start.month:02d}"
	if period == QUARTER:
		return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
	return str(start.year)


# ---------------------------------------------------------------- working time

# weekday (Monday = 0) -> the working windows of that day
WorkingHours = Mapping[int, Sequence[tuple[time, time]]]


def working_seconds(
	start: datetime, end: datetime, hours: WorkingHours | None, holidays: Collection[date] = ()
) -> float:
	"""Seconds of working time between two moments: the parts of each day's windows (ERPNext's
	Service Level Agreement "Support and Resolution" rows) that fall between them, holidays skipped.
	Without working hours every second counts."""
	if end <= start:
		return 0.0
	if hours is None:
		return (end - start).total_seconds()
	total, day = 0.0, start.date()
	while day <= end.date():
		if day not in holidays:
			for opens, closes in hours.get(day.weekday(), ()):
				window_start = max(start, datetime.combine(day, opens))
				window_end = min(end, datetime.combine(day, closes))
				if window_end > window_start:
					total += (window_end - window_start).total_seconds()
		day += timedelta(days=1)
	return total


# ---------------------------------------------------------------- work order facts


@dataclass(frozen=True)
class LogEntry:
	"""One row of a work order's status log."""

	status: str
	previous_status: str | None
	timestamp: datetime
	event: str | None = None  # work_order_flow.LOG_EVENTS: an answer or an arrival, not a status change

	@property
	def is_status_change(self) -> bool:
		return self.status != self.previous_status


@dataclass(frozen=True)
class OrderFacts:
	"""What the KPIs need from one work order's history, stored on the order so that the reports
	aggregate one table with indexed dates instead of replaying status logs.

	- booked_on: when the first appointment was booked (the SLA's first response);
	- response_hours: working hours from intake (received_on) to that booking;
	- completed_on: the first time the order reached Ready for Delivery (the work was done);
	- completed_first_visit: completed after exactly one on-site arrival (the technician's check-in)
	  and without failing a quality check before that; an order with no check-in recorded (older
	  orders, jobs done at the counter) counts its appointments instead: one, and no failed check;
	- reopen_count: times the order went back to work after delivery (not fixed, unsatisfied);
	- ended_on: when it reached its final state (Closed, Cancelled or Unrepairable);
	- repair_hours: calendar hours from intake to completion (the customer's wait).
	"""

	booked_on: datetime | None = None
	response_hours: float | None = None
	completed_on: datetime | None = None
	completed_first_visit: bool = False
	reopen_count: int = 0
	ended_on: datetime | None = None
	repair_hours: float | None = None


# the Service Work Order fields holding its facts (server-owned: only the app writes them)
ORDER_FACT_FIELDS = (
	"booked_on",
	"response_hours",
	"completed_on",
	"completed_first_visit",
	"reopen_count",
	"ended_on",
	"repair_hours",
)


def hours_between(start: datetime, end: datetime) -> float:
	return max(0.0, (end - start).total_seconds() / 3600)


def is_quality_failure(entry: LogEntry) -> bool:
	return entry.status == flow.IN_PROGRESS and entry.previous_status == flow.QUALITY_CHECK


def is_reopen(entry: LogEntry) -> bool:
	return entry.status == flow.IN_PROGRESS and entry.previous_status in (flow.DELIVERED, flow.FOLLOW_UP)


def order_facts(
	received_on: datetime | None,
	log: Sequence[LogEntry],
	working_time: Callable[[datetime, datetime], float] | None = None,
) -> OrderFacts:
	"""The facts of one order from its status log (in the order the rows were written).
	`working_time(start, end)` gives working seconds (default: every second counts)."""
	working_time = working_time or (lambda start, end: max(0.0, (end - start).total_seconds()))
	booked = next((e for e in log if e.is_status_change and e.status == flow.APPOINTMENT_BOOKED), None)
	completed_index = next(
		(i for i, e in enumerate(log) if e.is_status_change and e.status == flow.READY_FOR_DELIVERY), None
	)
	completed = log[completed_index] if completed_index is not None else None

	response_hours = None
	if booked and received_on:
		response_hours = round(working_time(received_on, booked.timestamp) / 3600, 4)

	first_visit = False
	if completed is not None:
		before = log[:completed_index]
		failed = any(is_quality_failure(e) for e in before)
		arrivals = sum(1 for e in before if e.event == flow.CHECKED_IN)
		if arrivals:
			first_visit = arrivals == 1 and not failed
		else:
			appointments = sum(
				1 for e in before if e.is_status_change and e.status == flow.APPOINTMENT_BOOKED
			)
			first_visit = appointments == 1 and not failed

	moves = [e for e in log if e.is_status_change]
	last = moves[-1] if moves else None
	return OrderFacts(
		booked_on=booked.timestamp if booked else None,
		response_hours=response_hours,
		completed_on=completed.timestamp if completed else None,
		completed_first_visit=first_visit,
		reopen_count=sum(1 for e in log if is_reopen(e)),
		ended_on=last.timestamp if last and last.status in flow.FINAL_STATES else None,
		repair_hours=round(hours_between(received_on, completed.timestamp), 4)
		if completed and received_on
		else None,
	)


# ---------------------------------------------------------------- service point ranking

WEIGHT_TOLERANCE = 0.001


def weights_valid(weights: Mapping[str, float]) -> bool:
	"""Each weight within 0..100 and all of them adding up to 100%."""
	values = [w or 0 for w in weights.values()]
	return all(0 <= w <= 100 for w in values) and abs(sum(values) - 100) < WEIGHT_TOLERANCE


def indicator_score(value: float | None, higher_is_better: bool = True) -> float | None:
	"""An indicator on a 0..100 scale where 100 is best: a rate as it is, a rate where less is
	better (rework, complaints per 100 orders) as 100 minus it; clipped to 0..100."""
	if value is None:
		return None
	score = value if higher_is_better else 100 - value
	return min(100.0, max(0.0, score))


def weighted_score(
	values: Mapping[str, float | None],
	weights: Mapping[str, float],
	higher_is_better: Mapping[str, bool] | None = None,
) -> float | None:
	"""Weighted average of the indicator scores. An indicator without data for this service point
	(no follow-ups this month, say) is left out and the other weights are scaled up to 100%, so a
	point is neither punished nor rewarded for work it had none of. None when no weighted
	indicator has data."""
	higher_is_better = higher_is_better or {}
	total_weight = total = 0.0
	for key, weight in weights.items():
		score = indicator_score(values.get(key), higher_is_better.get(key, True))
		if score is None or not weight:
			continue
		total_weight += weight
		total += weight * score
	return total / total_weight if total_weight else None


def rank(scores: Mapping[str, float | None], places: int = 6) -> dict[str, int | None]:
	"""Competition ranking by score, best first: equal scores share a rank and the next rank skips
	(1, 2, 2, 4). Without a score there is no rank."""
	rounded = {k: round(v, places) for k, v in scores.items() if v is not None}
	ranks: dict[str, int | None] = {k: None for k in scores}
	for key, value in rounded.items():
		ranks[key] = 1 + sum(1 for other in rounded.values() if other > value)
	return ranks


def rank_change(current: int | None, previous: int | None) -> int | None:
	"""Places gained since the previous period (positive = moved up); None if either is unranked."""
	if current is None or previous is None:
		return None
	return previous - current
