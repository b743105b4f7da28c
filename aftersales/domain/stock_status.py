"""Daily stock status of a spare part (REQUIREMENTS SP-3, SP-5). Pure rules, no database.

The daily job computes every part's figures from a few set-based queries and writes only the
parts whose figures differ from what is stored: `changed_values` says which.
"""

from datetime import date


def is_dead_stock(stock_qty: float, last_movement: date | None, today: date, dead_stock_days: int) -> bool:
	"""Stock on hand and no movement for `dead_stock_days` (or never)."""
	if stock_qty <= 0:
		return False
	return last_movement is None or (today - last_movement).days >= dead_stock_days


def below_warning_line(stock_qty: float, warning_level: float) -> bool:
	return stock_qty <= warning_level


def same(old, new) -> bool:
	"""Stored and computed values agree (numbers to 6 decimals, empty = empty)."""
	if isinstance(new, bool):
		new = int(new)
	if isinstance(new, int | float) and not isinstance(new, bool):
		return round(float(old or 0), 6) == round(float(new), 6)
	if isinstance(new, date) and isinstance(old, str):
		return old == new.isoformat()
	return (old or None) == (new or None)


def changed_values(stored: dict, computed: dict) -> dict:
	"""The computed values that differ from the stored ones."""
	return {key: value for key, value in computed.items() if not same(stored.get(key), value)}
