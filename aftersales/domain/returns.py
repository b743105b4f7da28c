"""Return and exchange rules (REQUIREMENTS RR-1..RR-5). Pure Python: no Frappe import."""

from datetime import date, timedelta

QUALITY_DEFECT = "Quality Defect"
WRONG_SPECIFICATION = "Wrong Specification"
WRONG_SHIPMENT = "Wrong Shipment"
MISSING_SHIPMENT = "Missing Shipment"
CUSTOMER_REASON = "Customer's Own Reason"
GROUNDS = (QUALITY_DEFECT, WRONG_SPECIFICATION, WRONG_SHIPMENT, MISSING_SHIPMENT, CUSTOMER_REASON)

COMPANY, CUSTOMER = "Company", "Customer"


def freight_payer(ground: str) -> str:
	"""RR-5: the company pays both ways for its own faults (defects, wrong or missing goods); the
	customer pays when the reason is theirs."""
	if ground not in GROUNDS:
		raise ValueError(f"Unknown ground {ground!r}")
	return CUSTOMER if ground == CUSTOMER_REASON else COMPANY


def add_working_days(start: date, days: int, holidays: set[date]) -> date:
	"""The date `days` working days after `start` (the day of receipt is not counted; holidays and
	the Holiday List's weekly offs are skipped)."""
	if days < 0:
		raise ValueError("days must be zero or more")
	current = start
	remaining = days
	while remaining:
		current += timedelta(days=1)
		if current not in holidays:
			remaining -= 1
	return current


def return_deadline(received: date, window_days: int, holidays: set[date]) -> date:
	return add_working_days(received, window_days, holidays)


def returnable_qty(delivered: float, returned_elsewhere: float) -> float:
	"""What may still be asked back: delivered less what other requests already return."""
	return max(delivered - returned_elsewhere, 0.0)
