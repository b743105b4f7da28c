"""What the benchmark data generator makes, as pure functions with no database (unit-tested in
tests/unit/test_benchmark_plan.py).

- `make_plan(orders, ...)`: how many customers, serial numbers, service points, technicians, parts
  and products go with a number of work orders (the defaults are those of a national chain at one
  million orders: 100k customers, 300k serial numbers, 20 service points, 200 technicians, 20k
  spare parts);
- `order_story(rng, received_on, now, stalled)`: one work order's life as the status log the
  controller would have written, cut at `now`: every step is a transition of the shipped workflow
  (domain/work_order_flow.py), so the data looks like orders that went through the app;
- `working_hours_after(start, hours)`: the moment a number of working hours (08:00-20:00 every
  day, the app's default Service Level Agreement) after `start`.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from aftersales.domain import work_order_flow as flow

PREFIX = "BM"  # every record the generator makes is named BM-…, so cleanup finds exactly them
DAY_START, DAY_END = time(8), time(20)

ORDER_TYPES = (("Repair", 70), ("Installation", 15), ("Maintenance", 15))
CHANNELS = (("Phone", 55), ("Web Portal", 25), ("Walk-in", 15), ("Email", 5))
# where a stalled (still open) order waits, by weight
OPEN_STATES = (
	(flow.NEW, 6),
	(flow.ACCEPTED, 8),
	(flow.ASSIGNED, 12),
	(flow.APPOINTMENT_BOOKED, 16),
	(flow.IN_PROGRESS, 28),
	(flow.AWAITING_CONSENT, 6),
	(flow.QUALITY_CHECK, 8),
	(flow.READY_FOR_DELIVERY, 16),
)
FOLLOW_UP_DAYS = 3  # After-Sales Settings' follow-up delay


@dataclass(frozen=True)
class Plan:
	orders: int
	customers: int
	serial_nos: int
	service_points: int
	technicians: int
	parts: int
	products: int
	open_orders: int
	days: int = 3 * 365
	complaint_rate: float = 0.02
	return_rate: float = 0.01
	parts_rate: float = 0.45  # repairs that use spare parts
	phone_rate: float = 0.08  # repairs solved by phone
	cancel_rate: float = 0.04
	unrepairable_rate: float = 0.02
	reopen_rate: float = 0.05
	rework_rate: float = 0.04
	consent_rate: float = 0.1
	chunk: int = 5_000
	seed: int = 15
	weights: dict = field(default_factory=dict, compare=False)

	@property
	def complaints(self) -> int:
		return round(self.orders * self.complaint_rate)

	@property
	def returns(self) -> int:
		return round(self.orders * self.return_rate)

	@property
	def stall_rate(self) -> float:
		"""Share of orders held in the open backlog (the rest run their course to the present)."""
		return min(1.0, self.open_orders / self.orders) if self.orders else 0.0


def scaled(value_at_million: int, orders: int, floor: int) -> int:
	return max(floor, round(value_at_million * orders / 1_000_000))


def make_plan(orders: int = 1_000_000, **overrides) -> Plan:
	"""The data set for `orders` work orders; any count can be overridden."""
	if orders < 1:
		raise ValueError("orders must be positive")
	values = {
		"orders": orders,
		"customers": scaled(100_000, orders, 100),
		"serial_nos": scaled(300_000, orders, 300),
		"service_points": 20,
		"technicians": 200,
		"parts": scaled(20_000, orders, 500),
		"products": 200,
		"open_orders": round(orders * 0.1),
	}
	unknown = set(overrides) - set(Plan.__dataclass_fields__)
	if unknown:
		raise ValueError(f"unknown plan settings: {sorted(unknown)}")
	values.update({k: v for k, v in overrides.items() if v is not None})
	plan = Plan(**values)
	if plan.technicians < plan.service_points:
		raise ValueError("at least one technician per service point")
	return plan


def pick(rng: random.Random, weighted) -> str:
	total = sum(w for _, w in weighted)
	x = rng.random() * total
	for value, weight in weighted:
		x -= weight
		if x < 0:
			return value
	return weighted[-1][0]


def received_moments(rng: random.Random, count: int, now: datetime, days: int) -> list[datetime]:
	"""`count` intake moments over the last `days` days, oldest first: volume grows ~25% a year, calls
	come between 08:00 and 20:00."""
	growth = 0.25
	moments = []
	for _ in range(count):
		# inverse transform of a density rising linearly from 1 to 1 + growth*years over the period
		u = rng.random()
		a = growth * days / 365
		x = ((1 + a) ** 2 * u + (1 - u)) ** 0.5 - 1
		day = now - timedelta(days=days) + timedelta(days=days * x / a)
		moment = datetime.combine(day.date(), DAY_START) + timedelta(seconds=rng.randrange(12 * 3600))
		moments.append(min(moment, now - timedelta(minutes=1)))
	moments.sort()
	return moments


def working_hours_after(start: datetime, hours: float) -> datetime:
	"""`start` plus `hours` of working time, 08:00-20:00 every day."""
	remaining = timedelta(hours=hours)
	moment = start
	while True:
		opens = datetime.combine(moment.date(), DAY_START)
		closes = datetime.combine(moment.date(), DAY_END)
		if moment < opens:
			moment = opens
		if moment >= closes:
			moment = opens + timedelta(days=1)
			continue
		if moment + remaining <= closes:
			return moment + remaining
		remaining -= closes - moment
		moment = opens + timedelta(days=1)


@dataclass
class Story:
	"""One order's life: its type, log [(status, previous, timestamp)], deliveries and follow-up
	outcomes (one per delivery that was followed up)."""

	order_type: str
	log: list = field(default_factory=list)
	solved_by_phone: bool = False
	follow_ups: list = field(default_factory=list)  # [(delivered_at, followed_up_at|None, outcome)]
	parts_at: datetime | None = None  # when parts were issued (first In Progress)
	stalled: bool = False

	@property
	def status(self) -> str:
		return self.log[-1][0]


def order_story(
	rng: random.Random, order_type: str, received_on: datetime, now: datetime, plan: Plan
) -> Story:
	"""The status log of one order from intake to where it stands at `now`."""
	story = Story(order_type)
	stalled = rng.random() < plan.stall_rate
	stop_at = pick(rng, OPEN_STATES) if stalled else None
	moment = received_on
	state = flow.NEW
	story.log.append((flow.NEW, None, moment))

	def step(to: str, hours_low: float, hours_high: float) -> bool:
		"""Move on after a random wait; False once the order is where it stands now."""
		nonlocal moment, state
		if state == stop_at:
			story.stalled = True
			return False
		candidate = moment + timedelta(hours=rng.uniform(hours_low, hours_high))
		if candidate >= now:
			return False
		moment = candidate
		story.log.append((to, state, moment))
		state = to
		return True

	repair = order_type == "Repair"
	roll = rng.random()
	if repair and roll < plan.phone_rate and not stalled:
		step(flow.CLOSED, 0.1, 2)
		story.solved_by_phone = state == flow.CLOSED
		return story
	cancel = roll > 1 - plan.cancel_rate and not stalled
	unrepairable = repair and not cancel and roll > 1 - plan.cancel_rate - plan.unrepairable_rate
	if not step(flow.ACCEPTED, 0.1, 2):
		return story
	if cancel and rng.random() < 0.5:
		step(flow.CANCELLED, 1, 24)
		return story
	if not step(flow.ASSIGNED, 0.2, 4) or not step(flow.APPOINTMENT_BOOKED, 0.3, 6):
		return story
	if cancel:
		step(flow.CANCELLED, 1, 48)
		return story
	if not step(flow.IN_PROGRESS, 4, 72):
		return story
	story.parts_at = moment
	if unrepairable:
		step(flow.UNREPAIRABLE, 2, 48)
		return story
	if rng.random() < plan.consent_rate:
		if not step(flow.AWAITING_CONSENT, 1, 24) or not step(flow.IN_PROGRESS, 1, 72):
			return story
	reopened = False
	while True:
		if not step(flow.QUALITY_CHECK, 2, 48):
			return story
		if rng.random() < plan.rework_rate:
			if not step(flow.IN_PROGRESS, 0.5, 4) or not step(flow.QUALITY_CHECK, 2, 24):
				return story
		if not step(flow.READY_FOR_DELIVERY, 0.5, 8):
			return story
		if not step(flow.DELIVERED, 2, 48):
			return story
		delivered_at = moment
		if not step(flow.FOLLOW_UP, FOLLOW_UP_DAYS * 24, FOLLOW_UP_DAYS * 24 + 10):
			story.follow_ups.append((delivered_at, None, None))
			return story
		reopen = not reopened and rng.random() < plan.reopen_rate
		if reopen:
			if not step(flow.IN_PROGRESS, 0.5, 24):
				story.follow_ups.append((delivered_at, None, None))
				return story
			story.follow_ups.append((delivered_at, moment, "Not Fixed at First Visit"))
			reopened = True
			continue
		if not step(flow.CLOSED, 0.2, 24):
			story.follow_ups.append((delivered_at, None, None))
			return story
		story.follow_ups.append((delivered_at, moment, "Satisfied"))
		return story


def zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
	"""Cumulative weights of a Zipf distribution over `count` items (a few parts are used a lot: the
	A class of an ABC analysis)."""
	total, cumulative = 0.0, []
	for rank in range(1, count + 1):
		total += 1 / rank**exponent
		cumulative.append(total)
	return cumulative
