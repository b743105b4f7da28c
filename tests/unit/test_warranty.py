from datetime import date, timedelta

import pytest

from aftersales.domain.warranty import (
	BASIS_PERIOD,
	BASIS_POLICY,
	BASIS_SERIAL_NO,
	IN_WARRANTY,
	OUT_OF_WARRANTY,
	REFUND,
	REPAIR,
	REPLACE,
	WarrantyInputError,
	WarrantyPolicy,
	decide_warranty,
)

PURCHASE = date(2026, 3, 1)
POLICY = WarrantyPolicy(refund_days=7, replacement_days=15, repair_days=365)


def decide(days_after: int, **kw):
	kw.setdefault("policy", POLICY)
	return decide_warranty(purchase_date=PURCHASE, fault_date=PURCHASE + timedelta(days=days_after), **kw)


@pytest.mark.parametrize(
	"days_after, remedies",
	[
		(0, (REFUND, REPLACE, REPAIR)),  # fault on the day of sale
		(7, (REFUND, REPLACE, REPAIR)),  # last day of the refund window
		(8, (REPLACE, REPAIR)),  # first day after it
		(15, (REPLACE, REPAIR)),  # last day of the replacement window
		(16, (REPAIR,)),
		(365, (REPAIR,)),  # last day of the warranty
		(366, ()),  # first day out of warranty
	],
)
def test_three_guarantee_boundaries(days_after, remedies):
	decision = decide(days_after)
	assert decision.remedies == remedies
	assert decision.status == (IN_WARRANTY if remedies else OUT_OF_WARRANTY)
	assert decision.in_warranty is bool(remedies)
	assert decision.days_since_purchase == days_after


def test_serial_expiry_date_wins_over_warranty_period():
	serial_end = PURCHASE + timedelta(days=30)
	decision = decide(31, serial_warranty_end=serial_end, warranty_days=730)
	assert decision.basis == BASIS_SERIAL_NO
	assert decision.warranty_end == serial_end
	assert decision.remedies == ()
	assert decide(30, serial_warranty_end=serial_end).remedies == (REPAIR,)


def test_warranty_period_in_days():
	decision = decide(700, warranty_days=730)
	assert decision.basis == BASIS_PERIOD
	assert decision.warranty_end == PURCHASE + timedelta(days=730)
	assert decision.remedies == (REPAIR,)
	assert decide(731, warranty_days=730).remedies == ()


def test_statutory_window_when_nothing_else_is_known():
	decision = decide(100)
	assert decision.basis == BASIS_POLICY
	assert decision.warranty_end == PURCHASE + timedelta(days=365)


def test_refund_window_applies_even_when_the_warranty_is_shorter():
	# a 3-day serial warranty does not take away the statutory refund window
	decision = decide(5, serial_warranty_end=PURCHASE + timedelta(days=3))
	assert decision.remedies == (REFUND, REPLACE, REPAIR)


def test_default_policy_is_seven_fifteen_365():
	decision = decide_warranty(purchase_date=PURCHASE, fault_date=PURCHASE + timedelta(days=8))
	assert decision.remedies == (REPLACE, REPAIR)


@pytest.mark.parametrize(
	"kwargs, text",
	[
		({"purchase_date": None, "fault_date": PURCHASE}, "Purchase date is required"),
		({"purchase_date": PURCHASE, "fault_date": None}, "Fault date is required"),
		({"purchase_date": PURCHASE, "fault_date": PURCHASE - timedelta(days=1)}, "before the purchase date"),
	],
)
def test_missing_or_impossible_dates_are_clear_errors(kwargs, text):
	with pytest.raises(WarrantyInputError) as info:
		decide_warranty(**kwargs)
	assert text in str(info.value)
	assert info.value.message  # the untranslated text the Frappe layer translates


def test_negative_warranty_period_is_refused():
	with pytest.raises(WarrantyInputError):
		decide(10, warranty_days=-5)


@pytest.mark.parametrize(
	"refund, replacement, repair",
	[(16, 15, 365), (7, 400, 365), (-1, 15, 365)],
)
def test_policy_windows_must_be_ordered_and_non_negative(refund, replacement, repair):
	with pytest.raises(WarrantyInputError):
		WarrantyPolicy(refund_days=refund, replacement_days=replacement, repair_days=repair)
