"""Replenishment of spare parts (REQUIREMENTS SP-3, SP-4). Pure rules, no database.

    suggested warning line = forecast usage over the lead time + safety stock
                           = monthly forecast / 30 x lead time (days) + safety stock

A Material Request is raised for a part in a warehouse when the projected quantity there (stock +
ordered + requested - reserved, ERPNext's Bin.projected_qty) is at or below the warning line, as
ERPNext's own reorder job does. It asks for the larger of the reorder quantity and the shortfall
below the line, rounded up to whole order batches:

    warning line 40, projected 13, reorder qty 20, batch 12: shortfall 27 -> 3 batches = 36
"""

import math

DAYS_PER_MONTH = 30


def suggested_warning_line(monthly_forecast: float, lead_time_days: int, safety_stock: float = 0.0) -> float:
	"""What the part uses while an order is on its way, plus the stock kept against surprises."""
	if lead_time_days < 0 or safety_stock < 0 or monthly_forecast < 0:
		raise ValueError("forecast, lead time and safety stock cannot be negative")
	return round(monthly_forecast / DAYS_PER_MONTH * lead_time_days + safety_stock, 2)


def needs_request(projected_qty: float, warning_level: float) -> bool:
	"""A line of 0 watches nothing; otherwise at or below the line asks for more."""
	return warning_level > 0 and projected_qty <= warning_level


def request_qty(warning_level: float, projected_qty: float, reorder_qty: float, batch_qty: float) -> float:
	"""Quantity of one Material Request line: at least the reorder quantity and the shortfall below
	the warning line, at least one batch, always whole batches (a batch of 0 means any quantity)."""
	if batch_qty < 0 or reorder_qty < 0:
		raise ValueError("batch and reorder quantities cannot be negative")
	wanted = max(reorder_qty, warning_level - projected_qty, 0.0)
	if batch_qty <= 0:
		return wanted
	batches = max(math.ceil(round(wanted / batch_qty, 9)), 1)
	return batches * batch_qty


def batch_multiple(qty: float, batch_qty: float) -> float:
	"""`qty` rounded up to whole batches (unchanged when there is no batch size or no quantity)."""
	if batch_qty <= 0 or qty <= 0:
		return qty
	return math.ceil(round(qty / batch_qty, 9)) * batch_qty
