from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from aftersales.domain import field_values as fv
from aftersales.domain.field_values import BadValue, Column, clean, parse_column

VARCHAR = parse_column("varchar(140)")
TEXT = parse_column("text")
LONGTEXT = parse_column("longtext")
INT = parse_column("int(11)")
DECIMAL = parse_column("decimal(21,9)")
RATING = parse_column("decimal(3,2)")
DATE = parse_column("date")
DATETIME = parse_column("datetime(6)")
TIME = parse_column("time(6)")


def kind_of(fieldtype, column, value):
	with pytest.raises(BadValue) as caught:
		clean(fieldtype, column, value)
	return caught.value.kind


def test_column_definitions_as_frappe_writes_them():
	assert VARCHAR == Column("varchar", (140,))
	assert DECIMAL == Column("decimal", (21, 9))
	assert TEXT == Column("text")
	assert parse_column("int(11) not null default 0") == Column("int", (11,))
	assert parse_column(None) is None


@pytest.mark.parametrize(
	"value, stored",
	[(None, 0), ("", 0), (0, 0), (1, 1), (True, 1), (False, 0), ("1", 1), (" 0 ", 0), (1.0, 1)],
)
def test_check_takes_zero_or_one(value, stored):
	assert clean("Check", INT, value) == stored


@pytest.mark.parametrize("value", ["definitely", "yes", "true", 2, -1, "2", 0.5, [], {}])
def test_check_refuses_anything_else(value):
	assert kind_of("Check", INT, value) == fv.NOT_CHECK


@pytest.mark.parametrize(
	"value, stored",
	[
		("12.5", 12.5),
		(" -3 ", -3),
		("1e3", 1000.0),
		(".5", 0.5),
		(7, 7),
		(2.25, 2.25),
		(Decimal("1.5"), Decimal("1.5")),
	],
)
def test_numbers(value, stored):
	assert clean("Float", DECIMAL, value) == stored


@pytest.mark.parametrize(
	"value",
	[
		"abc",
		"12abc",
		"1,5",
		"1 000",
		"nan",
		"inf",
		"-Infinity",
		"0x10",
		"1_000",
		float("nan"),
		float("inf"),
		[1],
		{"a": 1},
	],
)
def test_not_numbers(value):
	assert kind_of("Float", DECIMAL, value) == fv.NOT_NUMBER


def test_empty_numbers_and_dates_stay_empty():
	for column in (DECIMAL, INT, DATE, DATETIME, TIME):
		assert clean("X", column, None) is None
		assert clean("X", column, "") == ""


def test_decimal_range_is_the_column_s():
	assert clean("Currency", DECIMAL, "999999999999.99") == 999999999999.99
	with pytest.raises(BadValue) as caught:
		clean("Currency", DECIMAL, "1000000000000")
	assert caught.value.kind == fv.OUT_OF_RANGE
	assert caught.value.limit[1] == Decimal("999999999999.999999999")
	assert kind_of("Float", DECIMAL, -1e15) == fv.OUT_OF_RANGE
	assert clean("Rating", RATING, "0.6") == 0.6
	assert kind_of("Rating", RATING, "10") == fv.OUT_OF_RANGE


def test_whole_numbers():
	assert clean("Int", INT, "42") == 42
	assert clean("Int", INT, 3.0) == 3
	assert kind_of("Int", INT, "1.5") == fv.NOT_WHOLE_NUMBER
	assert kind_of("Int", INT, "abc") == fv.NOT_WHOLE_NUMBER
	assert kind_of("Int", INT, 2**31) == fv.OUT_OF_RANGE
	assert clean("Int", parse_column("bigint(20)"), 2**31) == 2**31


def test_dates():
	assert clean("Date", DATE, "2026-03-01") == "2026-03-01"
	assert clean("Date", DATE, " 2026-03-01 10:30:00 ") == "2026-03-01"
	assert clean("Date", DATE, date(2026, 3, 1)) == date(2026, 3, 1)
	assert clean("Date", DATE, datetime(2026, 3, 1, 8)) == datetime(2026, 3, 1, 8)
	for bad in (
		"yesterday-ish",
		"2026-02-30",
		"2026-13-01",
		"01-03-2026",
		"2026/03/01",
		"20260301",
		"2026-03-01 25:00",
		20260301,
	):
		assert kind_of("Date", DATE, bad) == fv.NOT_DATE, bad


def test_datetimes():
	assert clean("Datetime", DATETIME, "2026-03-01 08:05") == "2026-03-01 08:05:00"
	assert clean("Datetime", DATETIME, "2026-03-01T08:05:09.5") == "2026-03-01 08:05:09.500000"
	assert clean("Datetime", DATETIME, "2026-03-01") == "2026-03-01 00:00:00"
	for bad in ("now-ish", "2026-03-01T08:05:09Z", "2026-03-01 08:05:09+08:00", "2026-03-01 24:00:00"):
		assert kind_of("Datetime", DATETIME, bad) == fv.NOT_DATETIME, bad


def test_times():
	assert clean("Time", TIME, "9:30") == "09:30:00"
	assert clean("Time", TIME, timedelta(hours=9)) == timedelta(hours=9)
	assert clean("Time", TIME, time(9)) == time(9)
	for bad in ("noon", "9", "09:60", "24:00"):
		assert kind_of("Time", TIME, bad) == fv.NOT_TIME, bad


def test_varchar_counts_characters():
	assert clean("Data", VARCHAR, "张" * 140) == "张" * 140
	with pytest.raises(BadValue) as caught:
		clean("Data", VARCHAR, "x" * 141)
	assert (caught.value.kind, caught.value.limit, caught.value.size) == (fv.TOO_MANY_CHARACTERS, 140, 141)


def test_text_counts_utf8mb4_bytes():
	"""A Small Text holds 65,535 bytes: that many ASCII letters, or 21,845 Chinese characters."""
	assert clean("Small Text", TEXT, "a" * 65535)
	assert clean("Small Text", TEXT, "修" * 21845)
	with pytest.raises(BadValue) as caught:
		clean("Small Text", TEXT, "修" * 30000)  # 90 KB
	assert (caught.value.kind, caught.value.limit, caught.value.size) == (fv.TOO_MANY_BYTES, 65535, 90000)
	assert kind_of("Small Text", TEXT, "x" * 100_000) == fv.TOO_MANY_BYTES
	assert kind_of("Small Text", TEXT, " " * 100_000) == fv.TOO_MANY_BYTES  # blank is not empty here
	assert clean("Long Text", LONGTEXT, "x" * 100_000)


def test_text_that_utf8_cannot_encode():
	assert kind_of("Small Text", TEXT, "bad \ud800 surrogate") == fv.NOT_TEXT


def test_preview_is_short_and_on_one_line():
	assert fv.preview("a\n b") == "a b"
	assert len(fv.preview("x" * 1000)) == 40
	assert fv.preview(3) == "3"


def test_huge_and_boolean_numbers():
	assert kind_of("Float", DECIMAL, 1e300) == fv.OUT_OF_RANGE
	assert kind_of("Float", DECIMAL, "1e300") == fv.OUT_OF_RANGE
	assert kind_of("Float", DECIMAL, 10**40) == fv.OUT_OF_RANGE
	assert clean("Float", DECIMAL, True) == 1
	assert clean("Int", INT, False) == 0
