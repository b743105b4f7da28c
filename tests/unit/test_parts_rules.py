import pytest

from aftersales.domain.abc import classify
from aftersales.domain.forecast import forecast_next
from aftersales.domain.stocktake import CountError, Line, qty_to_post, totals


def test_abc_first_80_percent_is_a_next_15_b_rest_c():
	values = {"P1": 800, "P2": 150, "P3": 40, "P4": 10, "P5": 0}
	assert classify(values) == {"P1": "A", "P2": "B", "P3": "C", "P4": "C", "P5": "C"}


def test_abc_the_part_crossing_the_threshold_is_still_a():
	# P1 alone is 60%, P2 takes the total to 90%: both A (P2 started below 80%)
	assert classify({"P1": 60, "P2": 30, "P3": 10}) == {"P1": "A", "P2": "A", "P3": "B"}


def test_abc_ties_do_not_depend_on_input_order():
	# A and B tie at 10: A ranks first by code, so A is still class A (75% before it) and B is B
	expected = {"X": "A", "A": "A", "B": "B", "Y": "C"}
	assert classify({"X": 75, "A": 10, "B": 10, "Y": 5}) == expected
	assert classify({"Y": 5, "B": 10, "A": 10, "X": 75}) == expected


def test_abc_nothing_issued_is_all_c_and_thresholds_are_checked():
	assert classify({"P1": 0, "P2": 0}) == {"P1": "C", "P2": "C"}
	with pytest.raises(ValueError):
		classify({"P1": 1}, a_share=90, b_share=80)


def test_forecast_seasonal_example():
	# the docstring's example: the last 12 months average 20, the month being forecast used 30 a
	# year ago (index 1.5), the last three months used 10, 12, 14 (level 12): forecast 18
	history = [30, *[21.75] * 8, 10, 12, 14]
	result = forecast_next(history)
	assert (result.recent_level, result.seasonal_index, result.quantity) == (12, 1.5, 18)


def test_forecast_without_a_year_of_history_uses_the_recent_level():
	result = forecast_next([4, 6, 8])
	assert (result.quantity, result.seasonal_index) == (6, 1.0)
	assert forecast_next([]).quantity == 0


def test_forecast_of_an_unused_part_is_zero():
	result = forecast_next([0] * 15)
	assert (result.quantity, result.seasonal_index) == (0, 1.0)


def test_forecast_seasonal_index_is_bounded():
	# nothing used in that month last year: the index stops at 0.5 instead of forecasting zero
	result = forecast_next([0] * 9 + [3, 3, 3])
	assert (result.seasonal_index, result.quantity) == (0.5, 1.5)
	assert forecast_next([100] + [1] * 11).seasonal_index == 2.0


def test_stocktake_posts_todays_quantity_plus_the_difference():
	line = Line("P1", "W1", book_qty=20, counted_qty=18, valuation_rate=10)
	assert line.difference == -2
	assert line.difference_value == -20
	# 3 issued after the freeze: today 17 -> post 15, not the 18 counted
	assert qty_to_post(17, line) == 15


def test_stocktake_refuses_a_negative_result_and_an_uncounted_line():
	with pytest.raises(CountError):
		qty_to_post(1, Line("P1", "W1", book_qty=10, counted_qty=5))
	with pytest.raises(CountError):
		Line("P1", "W1", book_qty=10, counted_qty=None).difference


def test_stocktake_totals():
	lines = [Line("A", "W", 10, 12, 5), Line("B", "W", 10, 7, 2)]
	assert totals(lines) == {"gain_value": 10, "loss_value": 6, "net_value": 4}
