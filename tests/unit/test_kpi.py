from datetime import date, datetime, time

import pytest

from aftersales.domain import kpi
from aftersales.domain import work_order_flow as flow
from aftersales.domain.kpi import LogEntry

# ERPNext's default agreement made by the app: every day 08:00-20:00
EVERY_DAY = {day: [(time(8), time(20))] for day in range(7)}
WEEKDAYS = {day: [(time(9), time(12)), (time(13), time(18))] for day in range(5)}


def dt(text: str) -> datetime:
	return datetime.fromisoformat(text)


# ---------------------------------------------------------------- rates


@pytest.mark.parametrize(
	"numerator, denominator, scale, expected",
	[
		(3, 4, 100, 75),
		(0, 5, 100, 0),
		(1, 3, 100, 100 / 3),
		(5, 0, 100, None),
		(5, None, 100, None),
		(2, 8, 1, 0.25),
	],
)
def test_ratio(numerator, denominator, scale, expected):
	assert kpi.ratio(numerator, denominator, scale) == expected


def test_average_of_nothing_is_none():
	assert kpi.average(10, 4) == 2.5
	assert kpi.average(0, 0) is None


@pytest.mark.parametrize(
	"values, p, expected",
	[
		([4, 9, 24, 24, 41], 90, 41),  # ceil(4.5) = 5th
		([5, 7, 48], 90, 48),
		(list(range(1, 11)), 90, 9),  # ceil(9) = 9th
		(list(range(1, 11)), 50, 5),
		([7], 90, 7),
		([], 90, None),
		([None, 3, None, 1], 100, 3),
	],
)
def test_percentile_nearest_rank(values, p, expected):
	assert kpi.percentile(values, p) == expected


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
	"value, period, expected",
	[
		(dt("2025-01-08 23:59:59"), kpi.DAY, date(2025, 1, 8)),
		(dt("2025-01-08 10:00:00"), kpi.WEEK, date(2025, 1, 6)),  # Wednesday -> Monday
		(date(2025, 1, 6), kpi.WEEK, date(2025, 1, 6)),
		(date(2025, 1, 5), kpi.WEEK, date(2024, 12, 30)),  # Sunday belongs to the week before
		(date(2025, 2, 28), kpi.MONTH, date(2025, 2, 1)),
		(date(2025, 8, 31), kpi.QUARTER, date(2025, 7, 1)),
		(date(2025, 12, 31), kpi.YEAR, date(2025, 1, 1)),
	],
)
def test_period_start(value, period, expected):
	assert kpi.period_start(value, period) == expected


def test_unknown_period_is_refused():
	with pytest.raises(ValueError):
		kpi.period_start(date(2025, 1, 1), "Fortnight")


def test_periods_between_include_empty_buckets_and_partial_ends():
	assert kpi.periods_between(date(2025, 1, 15), date(2025, 3, 1), kpi.MONTH) == [
		date(2025, 1, 1),
		date(2025, 2, 1),
		date(2025, 3, 1),
	]
	assert kpi.periods_between(date(2025, 1, 1), date(2025, 1, 31), kpi.WEEK)[0] == date(2024, 12, 30)
	assert len(kpi.periods_between(date(2024, 12, 1), date(2025, 1, 31), kpi.DAY)) == 62
	assert kpi.periods_between(date(2024, 11, 1), date(2025, 2, 1), kpi.QUARTER) == [
		date(2024, 10, 1),
		date(2025, 1, 1),
	]


def test_period_end_and_labels():
	assert kpi.period_end(date(2025, 2, 1), kpi.MONTH) == date(2025, 2, 28)
	assert kpi.period_end(date(2024, 2, 1), kpi.MONTH) == date(2024, 2, 29)
	assert kpi.period_end(date(2025, 12, 1), kpi.MONTH) == date(2025, 12, 31)
	assert kpi.period_label(date(2025, 1, 6), kpi.WEEK) == "2025-W02"
	assert kpi.period_label(date(2024, 12, 30), kpi.WEEK) == "2025-W01"  # ISO week-year
	assert kpi.period_label(date(2025, 2, 1), kpi.MONTH) == "2025-02"
	assert kpi.period_label(date(2025, 4, 1), kpi.QUARTER) == "2025-Q2"
	assert kpi.period_label(date(2025, 1, 1), kpi.YEAR) == "2025"
	assert kpi.period_label(date(2025, 1, 9), kpi.DAY) == "2025-01-09"


# ---------------------------------------------------------------- working time


@pytest.mark.parametrize(
	"start, end, expected_hours",
	[
		("2025-01-06 09:00", "2025-01-06 10:00", 1),
		("2025-01-07 19:00", "2025-01-08 09:00", 2),  # one hour in the evening, one next morning
		("2025-01-07 21:00", "2025-01-08 07:00", 0),  # all night: nothing
		("2025-01-06 07:00", "2025-01-07 21:00", 24),  # two full days
		("2025-01-06 12:00", "2025-01-06 11:00", 0),  # booked "before" intake
	],
)
def test_working_hours_every_day(start, end, expected_hours):
	assert kpi.working_seconds(dt(start), dt(end), EVERY_DAY) / 3600 == expected_hours


def test_working_hours_skip_weekends_lunch_and_holidays():
	# Friday 17:00 to Monday 10:00 with a lunch break and weekends off: 1 h Friday + 1 h Monday
	assert kpi.working_seconds(dt("2025-01-10 17:00"), dt("2025-01-13 10:00"), WEEKDAYS) / 3600 == 2
	assert kpi.working_seconds(dt("2025-01-06 11:00"), dt("2025-01-06 14:00"), WEEKDAYS) / 3600 == 2
	holidays = {date(2025, 1, 13)}
	assert kpi.working_seconds(dt("2025-01-10 17:00"), dt("2025-01-14 10:00"), WEEKDAYS, holidays) / 3600 == 2


def test_without_working_hours_every_second_counts():
	assert kpi.working_seconds(dt("2025-01-07 19:00"), dt("2025-01-08 09:00"), None) / 3600 == 14


# ---------------------------------------------------------------- work order facts


def log(*rows):
	previous, entries = None, []
	for status, timestamp in rows:
		entries.append(LogEntry(status, previous, dt(timestamp)))
		previous = status
	return entries


def working(start, end):
	return kpi.working_seconds(start, end, EVERY_DAY)


def test_facts_of_a_job_done_at_the_first_visit():
	entries = log(
		(flow.NEW, "2025-01-06 09:00"),
		(flow.ACCEPTED, "2025-01-06 09:10"),
		(flow.ASSIGNED, "2025-01-06 09:20"),
		(flow.APPOINTMENT_BOOKED, "2025-01-06 10:00"),
		(flow.IN_PROGRESS, "2025-01-06 10:30"),
		(flow.QUALITY_CHECK, "2025-01-06 12:00"),
		(flow.READY_FOR_DELIVERY, "2025-01-06 13:00"),
		(flow.DELIVERED, "2025-01-06 15:00"),
		(flow.CLOSED, "2025-01-08 10:00"),
	)
	facts = kpi.order_facts(dt("2025-01-06 09:00"), entries, working)
	assert facts == kpi.OrderFacts(
		booked_on=dt("2025-01-06 10:00"),
		response_hours=1.0,
		completed_on=dt("2025-01-06 13:00"),
		completed_first_visit=True,
		reopen_count=0,
		ended_on=dt("2025-01-08 10:00"),
		repair_hours=4.0,
	)


def test_a_failed_quality_check_is_no_first_visit_completion():
	entries = log(
		(flow.NEW, "2025-01-07 19:00"),
		(flow.APPOINTMENT_BOOKED, "2025-01-08 09:00"),
		(flow.IN_PROGRESS, "2025-01-08 09:30"),
		(flow.QUALITY_CHECK, "2025-01-08 12:00"),
		(flow.IN_PROGRESS, "2025-01-08 12:30"),
		(flow.QUALITY_CHECK, "2025-01-09 11:00"),
		(flow.READY_FOR_DELIVERY, "2025-01-09 12:00"),
	)
	facts = kpi.order_facts(dt("2025-01-07 19:00"), entries, working)
	assert facts.response_hours == 2.0  # working hours, not the 14 on the clock
	assert facts.completed_first_visit is False
	assert facts.repair_hours == 41.0
	assert facts.ended_on is None and facts.reopen_count == 0


def test_reopens_after_delivery_are_counted_and_completion_is_the_first():
	entries = log(
		(flow.NEW, "2025-01-13 10:00"),
		(flow.APPOINTMENT_BOOKED, "2025-01-13 14:00"),
		(flow.IN_PROGRESS, "2025-01-13 15:00"),
		(flow.QUALITY_CHECK, "2025-01-14 09:00"),
		(flow.READY_FOR_DELIVERY, "2025-01-14 10:00"),
		(flow.DELIVERED, "2025-01-14 11:00"),
		(flow.FOLLOW_UP, "2025-01-16 09:00"),
		(flow.IN_PROGRESS, "2025-01-16 10:00"),
		(flow.QUALITY_CHECK, "2025-01-19 10:00"),
		(flow.READY_FOR_DELIVERY, "2025-01-19 11:00"),
		(flow.DELIVERED, "2025-01-20 10:00"),
		(flow.IN_PROGRESS, "2025-01-20 16:00"),
		(flow.UNREPAIRABLE, "2025-01-22 10:00"),
	)
	facts = kpi.order_facts(dt("2025-01-13 10:00"), entries, working)
	assert facts.completed_on == dt("2025-01-14 10:00")
	assert facts.completed_first_visit is True  # the work itself was done at the first visit
	assert facts.reopen_count == 2
	assert facts.ended_on == dt("2025-01-22 10:00")
	assert facts.repair_hours == 24.0


def test_an_order_solved_by_phone_has_no_appointment_and_no_completion():
	entries = log((flow.NEW, "2025-01-20 11:00"), (flow.CLOSED, "2025-01-20 11:30"))
	facts = kpi.order_facts(dt("2025-01-20 11:00"), entries, working)
	assert facts == kpi.OrderFacts(ended_on=dt("2025-01-20 11:30"))


def test_facts_without_a_log_or_intake():
	assert kpi.order_facts(None, []) == kpi.OrderFacts()
	entries = log((flow.NEW, "2025-01-20 11:00"), (flow.APPOINTMENT_BOOKED, "2025-01-20 12:30"))
	assert kpi.order_facts(None, entries).response_hours is None
	# without a calendar every hour counts
	assert kpi.order_facts(dt("2025-01-20 11:00"), entries).response_hours == 1.5


# ---------------------------------------------------------------- ranking

HIGHER = {"appointment": True, "complaints": False}


@pytest.mark.parametrize(
	"weights, valid",
	[
		({"a": 20, "b": 10, "c": 20, "d": 10, "e": 20, "f": 10, "g": 10}, True),
		({"a": 100, "b": 0}, True),
		({"a": 50, "b": 49.99}, False),
		({"a": 120, "b": -20}, False),
		({"a": 50, "b": None}, False),
	],
)
def test_weights_must_add_up_to_100(weights, valid):
	assert kpi.weights_valid(weights) is valid


def test_indicator_scores():
	assert kpi.indicator_score(75) == 75
	assert kpi.indicator_score(12.5, higher_is_better=False) == 87.5
	assert kpi.indicator_score(150, higher_is_better=False) == 0  # 150 complaints per 100 orders
	assert kpi.indicator_score(None) is None


def test_weighted_score_leaves_out_indicators_without_data():
	weights = {"appointment": 60, "complaints": 40}
	assert kpi.weighted_score({"appointment": 80, "complaints": 10}, weights, HIGHER) == 84
	# no complaint data: the appointment rate carries the whole weight
	assert kpi.weighted_score({"appointment": 80, "complaints": None}, weights, HIGHER) == 80
	assert kpi.weighted_score({"appointment": None}, weights, HIGHER) is None
	assert (
		kpi.weighted_score(
			{"appointment": 80, "complaints": 0}, {"appointment": 0, "complaints": 100}, HIGHER
		)
		== 100
	)


def test_rank_shares_places_for_equal_scores():
	ranks = kpi.rank({"A": 90.0, "B": 70.0, "C": 90.0000000001, "D": None, "E": 50})
	assert ranks == {"A": 1, "B": 3, "C": 1, "D": None, "E": 4}


def test_rank_change():
	assert kpi.rank_change(1, 2) == 1
	assert kpi.rank_change(2, 1) == -1
	assert kpi.rank_change(1, None) is None
	assert kpi.rank_change(None, 1) is None
