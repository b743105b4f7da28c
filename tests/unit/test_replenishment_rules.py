from datetime import date

import pytest

from aftersales.domain.abc import class_change, effective_class
from aftersales.domain.replenishment import batch_multiple, needs_request, request_qty, suggested_warning_line
from aftersales.domain.stock_status import changed_values, is_dead_stock
from aftersales.domain.stocktake_flow import (
	APPROVED_BY_WAREHOUSE,
	COUNTED,
	FLOW,
	POSTED,
	POSTING,
	state_after_failed_posting,
)


def test_suggested_warning_line_is_usage_over_the_lead_time_plus_safety_stock():
	# 60 a month = 2 a day; 15 days on the way = 30; plus 10 kept against surprises
	assert suggested_warning_line(60, 15, 10) == 40
	assert suggested_warning_line(0, 30, 5) == 5
	assert suggested_warning_line(45, 0) == 0
	with pytest.raises(ValueError):
		suggested_warning_line(10, -1)


def test_request_in_whole_batches():
	# the module's example: line 40, projected 13, reorder 20, batch 12 -> shortfall 27 -> 36
	assert request_qty(40, 13, 20, 12) == 36
	# the reorder quantity wins when it is larger than the shortfall, still in whole batches
	assert request_qty(40, 35, 20, 12) == 24
	# exactly on a batch boundary: no extra batch
	assert request_qty(40, 16, 0, 12) == 24
	# at the line with nothing to reorder: one batch
	assert request_qty(40, 40, 0, 12) == 12
	# no batch size: the plain quantity, as ERPNext's reorder job asks
	assert request_qty(40, 13, 20, 0) == 27
	# fractional batches (litres) do not suffer from float error
	assert request_qty(1.5, 0, 0, 0.5) == 1.5
	with pytest.raises(ValueError):
		request_qty(40, 13, 20, -1)


def test_needs_request_at_or_below_a_real_line():
	assert needs_request(40, 40) and needs_request(-5, 10)
	assert not needs_request(41, 40)
	assert not needs_request(0, 0)


def test_batch_multiple():
	assert batch_multiple(25, 12) == 36
	assert batch_multiple(24, 12) == 24
	assert batch_multiple(7, 0) == 7


def test_dead_stock_needs_stock_and_no_recent_movement():
	today = date(2026, 11, 30)
	assert is_dead_stock(5, date(2026, 6, 3), today, 180)  # 180 days
	assert not is_dead_stock(5, date(2026, 6, 4), today, 180)
	assert is_dead_stock(5, None, today, 180)
	assert not is_dead_stock(0, None, today, 180)


def test_only_changed_values_are_written():
	stored = {"stock_qty": 5.0, "last_movement_date": "2026-01-02", "is_dead_stock": 0, "forecast_qty": None}
	computed = {
		"stock_qty": 5,
		"last_movement_date": date(2026, 1, 2),
		"is_dead_stock": False,
		"forecast_qty": 0,
	}
	assert changed_values(stored, computed) == {}
	computed["stock_qty"] = 4.5
	computed["is_dead_stock"] = True
	assert changed_values(stored, computed) == {"stock_qty": 4.5, "is_dead_stock": True}


def test_class_change_keeps_the_manual_override():
	assert effective_class("A", "C") == "A"
	# the computed class moved under an override: the effective class stays, no history entry
	assert class_change("A", "A", "B") is None
	assert class_change(None, None, "C") == {"from_class": None, "to_class": "C", "source": "Computed"}
	assert class_change("C", "A", "C") == {"from_class": "C", "to_class": "A", "source": "Manual"}


def test_stocktake_posting_is_a_state_of_its_own():
	# approving queues the posting; only the job makes it Posted, and a failure goes back
	assert FLOW.is_allowed(COUNTED, POSTING) and FLOW.is_allowed(APPROVED_BY_WAREHOUSE, POSTING)
	assert not FLOW.is_allowed(COUNTED, POSTED)
	assert not FLOW.next_states(POSTING)
	assert FLOW.doc_status.get(POSTING, 0) == 0 and FLOW.doc_status[POSTED] == 1
	assert state_after_failed_posting(True) == APPROVED_BY_WAREHOUSE
	assert state_after_failed_posting(False) == COUNTED
