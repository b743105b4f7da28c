"""The daily KPI summary: past days of the work order KPIs, kept so that the Service KPI report need
not scan a year of orders five times (issue 15; docs/performance.md, "The daily KPI summary").

One Service KPI Day per (company, day) holds what `query.run_source` gives for that day, by service
point, for the five order sources (orders by intake, completion, end and delivery date; submitted
follow-ups by follow-up date): every counter as an exact decimal and the completion source's repair
hours by whole hour (the percentile's first step). It is built by `query.run_source` itself, as
Administrator, so a counter can never be defined twice.

It is read only where it gives exactly what the live queries give, and each day separately:
- grouping by nothing, company or service point (any period: periods are whole days); filters on
  company and service point only; a user who reads every order and follow-up (no row-level
  condition). Anything else, and the other sources, stay live;
- today and the two days before are never summarised;
- a day is read from its row only while nothing changed since it was built (`marks` equal to
  `built_marks`: every change to an order or follow-up of the day raises `marks`, `mark`), no SLA
  deadline of its open orders has passed since (`valid_until`: the overdue and breach counters
  compare deadlines with the time), the appointment limit is the one it was built with, and the
  counters are defined as they were (`definition`, a fingerprint of their SQL).
Other days of the range are read live in the same report; too many separate ones and the whole
range is read live.

Marking: the orders' and follow-ups' own saves, submits, cancels, deletions and `db_set`s reach
`on_change` / `on_trash` (hooks), which mark the days of the record before and after the change.
The app's writers that bypass the document (`frappe.db.set_value`, bulk updates) call `mark_orders`
themselves; tests/unit/test_kpi_summary_writers.py lists every such writer, so a new one fails that
test until it is looked at. The scheduled jobs' bulk changes write their marks in one statement
(`marks_together`).

The race with a save: `build_day` takes the day's row (insert or update: a row lock held to its
commit) before it reads the orders, reads them as committed after that, and stores the count it saw.
A save that marked the day first makes the build wait for the save's commit and then read its
change; a save that comes later waits for the build's commit and leaves the day marked changed.
"""

import functools
import hashlib
import json
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

import frappe
from frappe.query_builder import Case
from frappe.query_builder.functions import Min
from frappe.utils import add_days, cint, flt, get_datetime, getdate, now_datetime

from aftersales.domain import kpi
from aftersales.kpi.definitions import COUNTERS, OPEN_STATES, ORDER, SLA_OPEN_STATES, SOURCES

DAY = "Service KPI Day"
FOLLOW_UP = "Service Follow-up"
SUMMARISED = ("received", "completed", "ended", "delivered", "follow_up")
# the sources whose counters compare a deadline with the time (checked by test_service_kpi_day)
CLOCK_SOURCES = ("received",)
ORDER_DATES = ("received_on", "completed_on", "ended_on", "delivered_on")
FOLLOW_UP_DATE = "followed_up_on"
# today and the days before it that are always read live; a change is marked on the days before
# `UNMARKED_DAYS` only, so the orders of today and yesterday (most saves) mark nothing, and a save
# running across midnight still marks any day a build may have read
LIVE_DAYS = 3
UNMARKED_DAYS = 2
# more separate stretches of days to read live than this, and the whole range is read live
MAX_LIVE_RANGES = 24
FILTERS = {"company", "service_point"}
TOGETHER = "kpi_summary_marks"  # frappe.local.flags: the marks of a bulk change (marks_together)
GROUPINGS = (None, "company", "service_point")


def last_summarised(today: date | None = None) -> date:
	return add_days(getdate(today), -LIVE_DAYS)


def row_name(company: str, day) -> str:
	return hashlib.md5(f"{company}\n{getdate(day)}".encode()).hexdigest()


def each_day(first: date, last: date):
	day = first
	while day <= last:
		yield day
		day = add_days(day, 1)


def upsert_days(days, marks: int, on_duplicate: str) -> None:
	"""Insert the (company, day) rows, `marks` changes each, or `on_duplicate` where they exist: a row
	lock held to the transaction's end. In the order of the key (the row's name), so that two
	transactions taking the same rows take them in the same order and cannot deadlock on them."""
	now, user = now_datetime(), frappe.session.user
	values = []
	for name, company, day in sorted(
		(row_name(company, day), company, getdate(day)) for company, day in days
	):
		values += [name, company, day, marks, now, now, user, user]
	frappe.db.sql(
		f"""insert into `tab{DAY}` (name, company, day, marks, creation, modified, owner, modified_by)
		values {", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * (len(values) // 8))}
		on duplicate key update {on_duplicate}""",
		values,
	)


# ---------------------------------------------------------------- marking changes


def mark(pairs: Iterable[tuple]) -> None:
	"""Record a change to what the (company, day) pairs count: their rows' `marks` go up (a row is
	made for a day not built yet). Days too recent to be summarised are left alone."""
	last = add_days(getdate(), -UNMARKED_DAYS)
	days = {(company, getdate(day)) for company, day in pairs if company and day and getdate(day) <= last}
	if not days:
		return
	together = frappe.local.flags.get(TOGETHER)
	if together is not None:
		together.update(days)  # written once at the end of the bulk change (marks_together)
		return
	try:
		upsert_days(days, 1, "marks = marks + 1")
	except Exception as e:
		# a patch that saves orders before migrate has made the table: there is no summary to mark
		if not frappe.db.is_table_missing(e):
			raise


@contextmanager
def marks_together():
	"""The marks of a bulk change (a scheduled job moving or flagging many orders, each through its
	on_change) written in one statement when it ends, in its transaction, instead of one per order.
	When the change fails, its transaction is rolled back and nothing needs marking."""
	if frappe.local.flags.get(TOGETHER) is not None:
		yield  # inside another: that one writes them
		return
	frappe.local.flags[TOGETHER] = together = set()
	try:
		yield
	finally:
		frappe.local.flags.pop(TOGETHER, None)
	mark(together)


def order_days(doc) -> set[tuple]:
	if not doc:
		return set()
	return {(doc.get("company"), doc.get(field)) for field in ORDER_DATES if doc.get(field)}


def follow_up_days(doc) -> set[tuple]:
	if not doc or not doc.get(FOLLOW_UP_DATE):
		return set()
	return {(doc.get("company"), doc.get(FOLLOW_UP_DATE))}


def on_change(doc, method=None) -> None:
	"""hooks doc_events (Service Work Order, Service Follow-up: on_change, on_trash): the days the
	record counts on, before and after the change."""
	days = order_days if doc.doctype == ORDER else follow_up_days
	mark(days(doc) | days(doc.get_doc_before_save()))


def mark_orders(names: Iterable[str]) -> None:
	"""For a writer that changes orders without their documents (`frappe.db.set_value`, a bulk
	`UPDATE`): the days the orders count on. Call it before the change when it moves a date, company
	or follow-up, and after it as well."""
	names = list(set(names))
	if not names:
		return
	order = frappe.qb.DocType(ORDER)
	rows = (
		frappe.qb.from_(order)
		.select(order.company, *(order[f] for f in ORDER_DATES))
		.where(order.name.isin(names))
		.run(as_dict=True)
	)
	follow_up = frappe.qb.DocType(FOLLOW_UP)
	rows_of_follow_ups = (
		frappe.qb.from_(follow_up)
		.select(follow_up.company, follow_up[FOLLOW_UP_DATE])
		.where(follow_up.service_work_order.isin(names))
		.run(as_dict=True)
	)
	mark(
		{pair for row in rows for pair in order_days(row)}
		| {pair for row in rows_of_follow_ups for pair in follow_up_days(row)}
	)


def forget(company: str | None = None) -> None:
	"""Drop the summary (of one company): renames and merges of companies and service points, whose
	names it holds. It is built again by the next run of `build`."""
	frappe.db.delete(DAY, {"company": company} if company else None)


def on_rename_company(doc, method=None, old=None, new=None, merge=False) -> None:
	forget()


def on_rename_service_point(doc, method=None, old=None, new=None, merge=False) -> None:
	forget()  # (the orders of any company may name it)


# ---------------------------------------------------------------- building


def build(
	now=None, commit: bool = True, until: date | None = None, companies: list[str] | None = None
) -> int:
	"""hooks scheduler (hourly_long): build every day of every company (or of `companies`) up to
	`last_summarised` that has no usable row; the number of days built. A day is one transaction
	(`build_day`)."""
	from aftersales.kpi.query import appointment_limit_hours

	now = get_datetime(now) if now else now_datetime()
	last = min(getdate(until), last_summarised()) if until else last_summarised()
	limit = appointment_limit_hours()
	order = frappe.qb.DocType(ORDER)
	(first,) = frappe.qb.from_(order).select(Min(order.received_on)).run()[0]
	if not first:
		return 0
	built = 0
	with read_committed(commit):
		for company in companies or frappe.get_all("Company", pluck="name", order_by="name"):
			usable = usable_days(rows_of([company], getdate(first), last), now, limit)
			for day in each_day(getdate(first), last):
				if (company, day) not in usable:
					build_day(company, day, now, limit, commit=commit)
					built += 1
	return built


@contextmanager
def read_committed(active: bool = True):
	"""The session's transactions read what is committed when each statement runs (READ COMMITTED),
	not what was when the transaction began: a day's build reads the orders only after it holds the
	day's row, so it sees every save that marked the day before it. Afterwards the session is back
	at REPEATABLE READ, the level Frappe's connections run at (MariaDB's default)."""
	if not active:
		yield
		return
	frappe.db.commit()
	# (a session's level, not `set transaction`: Frappe has begun the next transaction already)
	frappe.db.sql("set session transaction isolation level read committed")
	try:
		yield
	finally:
		frappe.db.commit()
		frappe.db.sql("set session transaction isolation level repeatable read")


def build_day(company: str, day, now, limit: float, commit: bool = True) -> None:
	"""Summarise one (company, day): lock its row, read the orders as committed after that, store the
	figures with the change count seen. With `commit`, its own transaction (the tests build inside
	theirs)."""
	from aftersales.kpi.query import Filters, run_source

	day = getdate(day)
	name = row_name(company, day)
	if commit:
		frappe.db.commit()
	upsert_days([(company, day)], 0, "marks = marks")
	marks = cint(frappe.db.sql(f"select marks from `tab{DAY}` where name = %s for update", name)[0][0])
	filters = Filters(day, day, {"company": company})
	# {source: {"k": [counter keys], "g": {service point: [values in the keys' order]}, "h": {service
	# point: {whole hour: completed orders}}}}; a value is an int, or a decimal as exact text
	payload = {}
	for source in SUMMARISED:
		keys = source_counters(source)
		hours = {} if source == "completed" else None
		found = run_source(
			source, keys, filters, "service_point", None, "Administrator", now, limit, hours, exact=True
		)
		payload[source] = {
			"k": keys,
			"g": {
				(point or ""): [compact(counters[k]) for k in keys]
				for (point, _p), counters in (found or {}).items()
			},
		}
		if hours is not None:
			payload[source]["h"] = {(point or ""): units for (point, _p), units in hours.items()}
	frappe.db.sql(
		f"""update `tab{DAY}` set payload = %s, definition = %s, built_marks = %s, built_on = %s,
		valid_until = %s, appointment_limit = %s, modified = %s where name = %s""",
		(
			json.dumps(payload, separators=(",", ":")),
			definition(),
			marks,
			now,
			next_deadline(company, day, now),
			limit,
			now,
			name,
		),
	)
	if commit:
		frappe.db.commit()


def source_counters(source: str) -> list[str]:
	return [k for k, counter in COUNTERS.items() if counter.source == source]


def compact(value: Decimal | None) -> int | str | None:
	"""A counter as stored: an int when whole, else the decimal's exact text without trailing zeros
	(the database's SUM of a decimal(21,9) column reads "12.500000000")."""
	if value is None:
		return None
	if value == value.to_integral_value():
		return int(value)
	return format(value.normalize(), "f")


@functools.cache
def definition() -> str:
	"""A fingerprint of what the summary holds: the SQL `run_source` sends for each summarised source
	(every counter, condition and join) at a fixed day and time. A row built by code that counted
	otherwise (an app update that adds or corrects a counter) is not used, and is built again."""
	from aftersales.kpi.query import Context, Filters, source_query

	fixed = datetime(2000, 1, 1)
	parts = []
	for source in SUMMARISED:
		ctx = Context(SOURCES[source], fixed, 1.0)
		query, groups = source_query(
			ctx, Filters(fixed.date(), fixed.date(), {"company": "-"}), "service_point", None, "Administrator"
		)
		terms = [COUNTERS[k].term(ctx).as_(k) for k in source_counters(source)]
		parts.append(query.select(*groups, *terms).get_sql(quote_char="`"))
	return hashlib.md5("\n".join(parts).encode()).hexdigest()


def next_deadline(company: str, day: date, now):
	"""The earliest SLA deadline still ahead of `now` among the open orders the clock-dependent
	counters of the day may count: until then those counters stay as built."""
	order = frappe.qb.DocType(ORDER)
	deadlines = (
		frappe.qb.from_(order)
		.select(*(Min(Case().when(order[f] > now, order[f])) for f in ("response_by", "sla_resolution_by")))
		.where(order.company == company)
		.where(order.received_on >= day)
		.where(order.received_on < add_days(day, 1))
		.where(order.status.isin(sorted(set(OPEN_STATES) | set(SLA_OPEN_STATES))))
		.run()[0]
	)
	deadlines = [get_datetime(value) for value in deadlines if value]
	return min(deadlines) if deadlines else None


# ---------------------------------------------------------------- reading


def rows_of(companies: list[str] | None, from_date: date, to_date: date) -> list[dict]:
	table = frappe.qb.DocType(DAY)
	query = (
		frappe.qb.from_(table)
		.select(
			table.company,
			table.day,
			table.marks,
			table.built_marks,
			table.built_on,
			table.valid_until,
			table.appointment_limit,
			table.definition,
			table.payload,
		)
		.where(table.day >= from_date)
		.where(table.day <= to_date)
	)
	if companies is not None:
		query = query.where(table.company.isin(companies))
	return query.run(as_dict=True)


def usable(row, now, limit: float) -> bool:
	return (
		row.built_marks is not None
		and cint(row.built_marks) == cint(row.marks)
		and row.built_on is not None
		and get_datetime(row.built_on) <= now
		and (row.valid_until is None or get_datetime(row.valid_until) > now)
		and flt(row.appointment_limit) == flt(limit)
		and row.definition == definition()
	)


def usable_days(rows: list[dict], now, limit: float) -> set[tuple]:
	return {(row.company, getdate(row.day)) for row in rows if usable(row, now, limit)}


class Reader:
	"""The five order sources of one report, read from the summary for its usable days and live for
	the others (`query.run_source`'s signature and result)."""

	def __init__(self, rows: list[dict], live_ranges: list[tuple[date, date]], service_points):
		self.live_ranges = live_ranges
		self.service_points = service_points  # None: all
		self.payloads = [(row.company, getdate(row.day), json.loads(row.payload or "{}")) for row in rows]

	def run_source(
		self, source_key, counter_keys, filters, group_by, period, user, now, limit, histograms=None
	) -> dict:
		from aftersales.kpi.query import Filters, run_source

		sums: dict[tuple, dict] = {}

		def add(key, values):
			"""(counter, value) pairs: an int, a Decimal, or a decimal's exact text (stored), added
			exactly, as the database adds them."""
			into = sums.setdefault(key, dict.fromkeys(counter_keys))
			for k, value in values:
				if value is not None:
					into[k] = (Decimal(value) if isinstance(value, str) else value) + (into[k] or 0)

		def add_hours(key, hours):
			into = histograms.setdefault(key, {})
			for unit, n in hours.items():
				into[int(unit)] = into.get(int(unit), 0) + int(n)

		for company, day, payload in self.payloads:
			stored = payload[source_key]
			at = [(k, stored["k"].index(k)) for k in counter_keys]
			start = kpi.period_start(day, period) if period else None
			for point, values in stored["g"].items():
				point = point or None
				if self.service_points is not None and point not in self.service_points:
					continue
				key = ({None: None, "company": company, "service_point": point}[group_by], start)
				add(key, ((k, values[i]) for k, i in at))
				if histograms is not None:
					add_hours(key, stored.get("h", {}).get(point or "", {}))
		if self.live_ranges:
			# the days read live, in one scan of the date's index with a range for each stretch
			hours = {} if histograms is not None else None
			live = Filters(
				self.live_ranges[0][0], self.live_ranges[-1][1], filters.values, ranges=self.live_ranges
			)
			found = run_source(
				source_key, counter_keys, live, group_by, period, user, now, limit, hours, exact=True
			)
			for key, counters in (found or {}).items():
				add(key, ((k, counters.get(k)) for k in counter_keys))
			for key, unit_counts in (hours or {}).items():
				add_hours(key, unit_counts)
		return {key: {k: flt(v) for k, v in counters.items()} for key, counters in sums.items()}


def reader(filters, group_by, period, user: str, now, limit: float) -> Reader | None:
	"""A Reader when the summary can answer this report (module docstring), else None (all live)."""
	from aftersales.kpi.query import permission_condition

	if group_by not in GROUPINGS or set(filters.values) - FILTERS:
		return None
	last = min(filters.to_date, last_summarised())
	if filters.from_date > last:
		return None
	try:
		if permission_condition(ORDER, user) is not None or permission_condition(FOLLOW_UP, user) is not None:
			return None
	except frappe.PermissionError:
		return None
	company = filters.values.get("company")
	companies = None if company is None else (company if isinstance(company, list) else [company])
	point = filters.values.get("service_point")
	points = None if point is None else set(point if isinstance(point, list) else [point])
	everyone = companies if companies is not None else frappe.get_all("Company", pluck="name")
	rows = [row for row in rows_of(companies, filters.from_date, last) if usable(row, now, limit)]
	held = {(row.company, getdate(row.day)) for row in rows}
	summarised = {day for day in each_day(filters.from_date, last) if all((c, day) in held for c in everyone)}
	if not summarised:
		return None
	live_ranges: list[tuple[date, date]] = []
	day = filters.from_date
	while day <= filters.to_date:
		if day in summarised:
			day = add_days(day, 1)
			continue
		start = day
		while day <= filters.to_date and day not in summarised:
			day = add_days(day, 1)
		live_ranges.append((start, add_days(day, -1)))
	if len(live_ranges) > MAX_LIVE_RANGES:
		return None
	return Reader([row for row in rows if getdate(row.day) in summarised], live_ranges, points)
