"""Settlement of closed jobs (REQUIREMENTS WO-14; seeds 003, 004): what the maker is claimed for
in-warranty work, the base each job is settled on, the fee split of that base between the service
centre, the engineer and the service point's manager, and the lines of the one Journal Entry that
posts what is owed. Pure rules, no database: amounts are rounded half up to the cent.

- Claim (in warranty): the parts the order used free of charge at the maker's agreed prices, plus
  the labour hours at the maker's agreed rate.
- Base: out of warranty, the revenue net of the parts' cost (never below zero); in warranty, the
  amount claimed from the maker, or nothing when the maker rejected the claim.
- Shares: those in force when the order closed (a dated history of the settings), so a later change
  of the settings does not rewrite what earlier jobs earn.
- A claim the maker rejects after its job was settled is reversed in the next settlement by a line
  that takes back exactly what the first one paid.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from aftersales.domain.fee_split import Shares, as_decimal, round_half_up, split_fee

IN_WARRANTY = "In Warranty"
OUT_OF_WARRANTY = "Out of Warranty"


def money(amount) -> float:
	"""`amount` rounded half up to the cent (2.675 -> 2.68, whatever its binary float is)."""
	return round_half_up(amount or 0, 2)


def times(a, b) -> float:
	"""a x b to the cent, multiplied as the decimals they print as (1.5 x 60.05 = 90.075 -> 90.08)."""
	return round_half_up(as_decimal(a) * as_decimal(b), 2)


# ------------------------------------------------------------------------------ maker's claim


@dataclass(frozen=True)
class ClaimPart:
	item_code: str
	qty: float
	price: float  # the maker's agreed price

	@property
	def amount(self) -> float:
		return times(self.qty, self.price)


@dataclass(frozen=True)
class ClaimValue:
	parts_amount: float
	labour_amount: float

	@property
	def amount(self) -> float:
		return money(self.parts_amount + self.labour_amount)


def claim_value(parts: Iterable[ClaimPart], labour_hours: float, labour_rate: float) -> ClaimValue:
	"""Parts at the agreed price (each line rounded to the cent) plus hours x the agreed rate."""
	return ClaimValue(
		parts_amount=money(sum(part.amount for part in parts)),
		labour_amount=times(labour_hours, labour_rate),
	)


# ------------------------------------------------------------------------------ base and shares


def settlement_base(
	warranty_status: str,
	revenue: float = 0,
	parts_cost: float = 0,
	claim_amount: float = 0,
	claim_rejected: bool = False,
) -> float:
	if warranty_status == IN_WARRANTY:
		return 0.0 if claim_rejected else money(claim_amount)
	return max(0.0, money((revenue or 0) - (parts_cost or 0)))


@dataclass(frozen=True)
class FeeSplitVersion:
	"""The shares in force from `valid_from` until the next version."""

	name: str
	valid_from: datetime
	in_warranty: Shares
	out_of_warranty: Shares

	def shares(self, warranty_status: str) -> Shares:
		return self.in_warranty if warranty_status == IN_WARRANTY else self.out_of_warranty


def version_in_force(versions: Iterable[FeeSplitVersion], when: datetime) -> FeeSplitVersion | None:
	"""The latest version that started at or before `when`; for a moment before the first version,
	the first one (the history starts with the shares the app was using). None without versions."""
	ordered = sorted(versions, key=lambda v: v.valid_from)
	if not ordered:
		return None
	current = ordered[0]
	for version in ordered:
		if version.valid_from <= when:
			current = version
	return current


@dataclass(frozen=True)
class Split:
	company: float
	technician: float
	manager: float

	def negated(self) -> "Split":
		return Split(-self.company, -self.technician, -self.manager)


def split(base: float, shares: Shares) -> Split:
	"""The base split by the shares; the company's part absorbs the rounding, so the three parts
	always add up to the base exactly."""
	company, technician, manager = split_fee(money(base), shares)
	return Split(company, technician, manager)


# ------------------------------------------------------------------------------ what is owed


@dataclass
class Payee:
	employee: str
	as_engineer: float = 0.0
	as_manager: float = 0.0
	orders: set = field(default_factory=set)

	@property
	def amount(self) -> float:
		return money(self.as_engineer + self.as_manager)


@dataclass(frozen=True)
class Line:
	order: str
	technician: str | None
	manager: str | None
	amounts: Split


class MissingPayeeError(ValueError):
	"""A share is owed to nobody (an order without an engineer, a point without a manager)."""

	def __init__(self, order: str, role: str):
		super().__init__(order, role)
		self.order, self.role = order, role


def payees(lines: Iterable[Line]) -> list[Payee]:
	"""What each person is owed, as engineer and as manager, in the order they first appear."""
	found: dict[str, Payee] = {}
	for line in lines:
		for role, employee, amount in (
			("technician", line.technician, line.amounts.technician),
			("manager", line.manager, line.amounts.manager),
		):
			if not amount:
				continue
			if not employee:
				raise MissingPayeeError(line.order, role)
			payee = found.setdefault(employee, Payee(employee))
			if role == "technician":
				payee.as_engineer = money(payee.as_engineer + amount)
			else:
				payee.as_manager = money(payee.as_manager + amount)
			payee.orders.add(line.order)
	return list(found.values())


@dataclass(frozen=True)
class JournalRow:
	"""One line of the Journal Entry: the expense account (party None) or an employee's payable."""

	party: str | None
	debit: float
	credit: float


def journal_rows(owed: Iterable[tuple[str, float]]) -> list[JournalRow]:
	"""The expense debited with the total, each employee's payable credited with what they are owed
	(a net amount below zero, from a reversed claim, is debited back); empty when nothing is owed."""
	rows = []
	total = 0.0
	for employee, amount in owed:
		amount = money(amount)
		if not amount:
			continue
		total = money(total + amount)
		rows.append(JournalRow(employee, max(0.0, -amount), max(0.0, amount)))
	if not rows:
		return []
	expense = JournalRow(None, max(0.0, total), max(0.0, -total))
	return [expense, *rows] if total else rows
