"""Warranty decision at intake (REQUIREMENTS WO-4, 三包).

Pure rules, no database: the Frappe layer (`aftersales.service.warranty`) reads the dates from
Serial No, Item and After-Sales Settings and calls `decide_warranty`.

Counting days: the day of sale (or delivery) is day 0 and the windows count whole days after it,
as Chinese law counts periods (the first day is not counted). With a 7-day refund window, a
fault on purchase date + 7 days may still be refunded, one on + 8 days may not.

三包 remedies:
- within the refund window: refund, replacement or repair;
- within the replacement window: replacement or repair;
- until the warranty ends: repair;
- after the warranty ends: nothing free of charge (a paid repair).

The warranty end is, in this order: the Serial No's warranty expiry date; the purchase date plus
the warranty period in days (the Serial No's, else the Item's); the purchase date plus the
statutory repair window from the settings.
"""

from dataclasses import dataclass
from datetime import date, timedelta

REFUND = "Refund"
REPLACE = "Replace"
REPAIR = "Repair"

IN_WARRANTY = "In Warranty"
OUT_OF_WARRANTY = "Out of Warranty"

BASIS_SERIAL_NO = "Serial No"
BASIS_PERIOD = "Warranty Period"
BASIS_POLICY = "Statutory Repair Window"


class WarrantyInputError(ValueError):
	"""Inputs that cannot give a decision. `message` is an English text with positional
	placeholders, translated by the caller; `args` fill them."""

	def __init__(self, message: str, *args):
		super().__init__(message.format(*args))
		self.message = message
		self.args_ = args


@dataclass(frozen=True)
class WarrantyPolicy:
	refund_days: int = 7
	replacement_days: int = 15
	repair_days: int = 365

	def __post_init__(self):
		for name in ("refund_days", "replacement_days", "repair_days"):
			if getattr(self, name) is None or getattr(self, name) < 0:
				raise WarrantyInputError("Warranty window {0} must be zero or more days", name)
		if not self.refund_days <= self.replacement_days <= self.repair_days:
			raise WarrantyInputError(
				"Warranty windows must satisfy refund days <= replacement days <= repair days"
			)


@dataclass(frozen=True)
class WarrantyDecision:
	status: str
	warranty_end: date
	basis: str
	days_since_purchase: int
	remedies: tuple[str, ...]

	@property
	def in_warranty(self) -> bool:
		return self.status == IN_WARRANTY


def warranty_end_date(
	purchase_date: date | None,
	policy: WarrantyPolicy,
	serial_warranty_end: date | None = None,
	warranty_days: int | None = None,
) -> tuple[date, str]:
	"""Return (warranty end, which source decided it)."""
	if serial_warranty_end:
		return serial_warranty_end, BASIS_SERIAL_NO
	if not purchase_date:
		raise WarrantyInputError(
			"Purchase date is required when the serial number carries no warranty expiry date"
		)
	if warranty_days:
		if warranty_days < 0:
			raise WarrantyInputError("Warranty period cannot be negative")
		return purchase_date + timedelta(days=warranty_days), BASIS_PERIOD
	return purchase_date + timedelta(days=policy.repair_days), BASIS_POLICY


def decide_warranty(
	*,
	purchase_date: date | None,
	fault_date: date | None,
	policy: WarrantyPolicy | None = None,
	serial_warranty_end: date | None = None,
	warranty_days: int | None = None,
) -> WarrantyDecision:
	policy = policy or WarrantyPolicy()
	if not purchase_date:
		raise WarrantyInputError("Purchase date is required for the warranty decision")
	if not fault_date:
		raise WarrantyInputError("Fault date is required for the warranty decision")
	if fault_date < purchase_date:
		raise WarrantyInputError(
			"Fault date {0} is before the purchase date {1}",
			fault_date.isoformat(),
			purchase_date.isoformat(),
		)

	end, basis = warranty_end_date(purchase_date, policy, serial_warranty_end, warranty_days)
	days = (fault_date - purchase_date).days

	if days <= policy.refund_days:
		remedies = (REFUND, REPLACE, REPAIR)
	elif days <= policy.replacement_days:
		remedies = (REPLACE, REPAIR)
	elif fault_date <= end:
		remedies = (REPAIR,)
	else:
		remedies = ()

	status = IN_WARRANTY if remedies else OUT_OF_WARRANTY
	return WarrantyDecision(
		status=status, warranty_end=end, basis=basis, days_since_purchase=days, remedies=remedies
	)
