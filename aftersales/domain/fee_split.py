"""Fee split of a settled job between the service centre, the technician and the manager
(REQUIREMENTS WO-14; seed 004: in warranty 25% / 50% / 25%, out of warranty 50% to the
technician). Pure rules, no database."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TOLERANCE = 0.001


def as_decimal(value) -> Decimal:
	"""A float as the decimal it prints as (0.1 -> Decimal("0.1")); a Decimal as it is."""
	return value if isinstance(value, Decimal) else Decimal(repr(float(value or 0)))


def round_half_up(amount, precision: int = 2) -> float:
	"""Rounded half up (2.675 -> 2.68), not to the nearest binary float as `round` does (2.67)."""
	return float(as_decimal(amount).quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Shares:
	company: float
	technician: float
	manager: float

	def as_tuple(self) -> tuple[float, float, float]:
		return (self.company, self.technician, self.manager)

	@property
	def total(self) -> float:
		return sum(self.as_tuple())

	def is_valid(self) -> bool:
		"""Every share within 0..100 and all of them adding up to 100%."""
		return all(0 <= s <= 100 for s in self.as_tuple()) and abs(self.total - 100) < TOLERANCE


def split_fee(amount: float, shares: Shares, precision: int = 2) -> tuple[float, float, float]:
	"""Split `amount` by `shares`, each part rounded half up; rounding is absorbed by the company's
	part so that the three parts always add up to `amount` exactly."""
	if not shares.is_valid():
		raise ValueError("Shares must each lie within 0..100 and add up to 100")
	exact = as_decimal(amount)
	technician = round_half_up(exact * as_decimal(shares.technician) / 100, precision)
	manager = round_half_up(exact * as_decimal(shares.manager) / 100, precision)
	company = round_half_up(exact - as_decimal(technician) - as_decimal(manager), precision)
	return company, technician, manager
