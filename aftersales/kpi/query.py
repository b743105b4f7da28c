"""The SQL side of the KPIs: one `frappe.qb` aggregate per source (aftersales/kpi/definitions.py),
grouped by a dimension and/or a period, filtered, and limited to the records the user may read.

Row-level permissions: every query carries the same condition `frappe.get_list` would add for the
user (`DatabaseQuery.build_match_conditions`: the app's permission_query_conditions hook, User
Permissions, shared documents) on the table that decides visibility: the work order for
order-attributed sources, the Return Request or Delivery Note for returns and deliveries. A
technician therefore counts only the orders assigned to them or to their service points.
Internal figures (costs, revenue, margin: permlevel 1) are computed only for users who may read
that level of Service Work Order.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import frappe
from frappe import _
from frappe.model.db_query import DatabaseQuery
from frappe.query_builder import CustomFunction
from frappe.query_builder.functions import Cast, Count, Floor
from frappe.utils import add_days, flt, get_datetime, getdate, now_datetime
from frappe.utils.nestedset import get_descendants_of
from pypika.terms import Criterion, LiteralValue

from aftersales.domain import kpi
from aftersales.kpi import summary
from aftersales.kpi.definitions import (
	COUNTERS,
	DIMENSIONS,
	GOODS_DIMENSIONS,
	INDICATORS,
	OPEN_STATES,
	ORDER,
	PERCENTILE,
	SOURCES,
	counters_of,
)

FILTER_KEYS = tuple(DIMENSIONS)
_DATE = CustomFunction("DATE", ["d"])
_WEEKDAY = CustomFunction("WEEKDAY", ["d"])
_SUBDATE = CustomFunction("SUBDATE", ["d", "n"])
_DATE_FORMAT = CustomFunction("DATE_FORMAT", ["d", "f"])
_MAKEDATE = CustomFunction("MAKEDATE", ["y", "n"])
_YEAR = CustomFunction("YEAR", ["d"])
_QUARTER = CustomFunction("QUARTER", ["d"])
_TIMESTAMPADD = CustomFunction("TIMESTAMPADD", ["unit", "n", "d"])


class KPIFilterError(frappe.ValidationError):
	pass


class RawCondition(Criterion):
	"""A condition Frappe itself builds as SQL text (the user's row-level permissions)."""

	def __init__(self, sql: str):
		super().__init__()
		self.sql = sql

	def get_sql(self, **kwargs) -> str:
		return f"({self.sql})"


def permission_condition(doctype: str, user: str) -> Criterion | None:
	"""What `frappe.get_list(doctype)` adds for `user`; PermissionError when they may not read it
	(raised quietly: a KPI the user may not see is left empty, without a message)."""
	if not frappe.has_permission(doctype, "read", user=user) and not frappe.share.get_shared(doctype, user):
		raise frappe.PermissionError(doctype)
	messages = len(frappe.local.message_log)
	try:
		sql = DatabaseQuery(doctype, user=user).build_match_conditions()
	except frappe.PermissionError:
		del frappe.local.message_log[messages:]
		raise
	return RawCondition(sql) if sql else None


def may_read_internal(user: str) -> bool:
	"""Permlevel 1 of Service Work Order (costs, revenue, margin) readable by the user."""
	if user == "Administrator":
		return True
	return 1 in frappe.get_meta(ORDER).get_permlevel_access("read", user=user)


def period_term(term, period: str):
	"""The first day of the period holding `term`, in SQL; the same as domain.kpi.period_start."""
	if period == kpi.DAY:
		return _DATE(term)
	if period == kpi.WEEK:
		return _SUBDATE(_DATE(term), _WEEKDAY(term))
	if period == kpi.MONTH:
		return _DATE_FORMAT(term, "%Y-%m-01")
	if period == kpi.QUARTER:
		return _TIMESTAMPADD(LiteralValue("MONTH"), (_QUARTER(term) - 1) * 3, _MAKEDATE(_YEAR(term), 1))
	if period == kpi.YEAR:
		return _MAKEDATE(_YEAR(term), 1)
	raise KPIFilterError(period)


# ---------------------------------------------------------------- filters


@dataclass
class Filters:
	from_date: date
	to_date: date
	values: dict = field(default_factory=dict)  # dimension key -> value (or list of values for trees)
	# only these stretches of days within from_date..to_date, [(first, last)]: one range scan of the
	# date index with several ranges (the daily summary's days read live)
	ranges: list | None = None

	@classmethod
	def parse(cls, filters: dict | None) -> "Filters":
		filters = frappe._dict(filters or {})
		to_date = getdate(filters.to_date) if filters.to_date else getdate()
		from_date = getdate(filters.from_date) if filters.from_date else to_date.replace(day=1)
		if from_date > to_date:
			frappe.throw(
				_("The From Date must not be after the To Date."),
				exc=KPIFilterError,
				title=_("Invalid Filters"),
			)
		values = {}
		for key in FILTER_KEYS:
			value = filters.get(key)
			if not value:
				continue
			dimension = DIMENSIONS[key]
			if dimension.tree:
				value = [value, *get_descendants_of(dimension.options, value, ignore_permissions=True)]
			values[key] = value
		return cls(from_date, to_date, values)


# ---------------------------------------------------------------- one query per source


class Context:
	"""The tables of one source's query, joined as the dimensions and filters need them."""

	def __init__(self, source, now, appointment_limit: float):
		self.source = source
		self.now = now
		self.appointment_limit = appointment_limit
		self._order = self.row = self.header = None
		self._joined: dict[str, object] = {}
		if source.header:
			self.row = frappe.qb.DocType(source.doctype)
			self.header = frappe.qb.DocType(source.header)
			self.query = (
				frappe.qb.from_(self.row)
				.join(self.header)
				.on((self.header.name == self.row.parent) & (self.row.parenttype == source.header))
			)
		elif source.order_link and source.stored:
			# the order joined only when something needs it (`order`): its dimensions are on the row
			self.row = frappe.qb.DocType(source.doctype)
			self.query = frappe.qb.from_(self.row)
		elif source.order_link:
			self.row = frappe.qb.DocType(source.doctype)
			self._order = frappe.qb.DocType(ORDER)
			self.query = (
				frappe.qb.from_(self.row)
				.join(self._order)
				.on(self._order.name == self.row[source.order_link])
			)
		else:
			self._order = self.row = frappe.qb.DocType(ORDER)
			self.query = frappe.qb.from_(self._order)

	@property
	def order(self):
		return self.join_order()

	def join_order(self):
		"""The work order's table, joined (inner, as every order-attributed source) on first use."""
		if self._order is None and self.source.order_link:
			self._order = frappe.qb.DocType(ORDER)
			self.query = self.query.join(self._order).on(self._order.name == self.row[self.source.order_link])
		return self._order

	def order_field(self, fieldname: str):
		"""An order's field: the copy stored on the row when the source keeps one, else the order's."""
		if fieldname in self.source.stored:
			return self.row[self.source.stored[fieldname]]
		return self.order[fieldname]

	@property
	def date_field(self):
		table = self.header if self.source.header_date else self.row
		return table[self.source.date_field]

	def join(self, doctype: str, on_field):
		if doctype not in self._joined:
			table = frappe.qb.DocType(doctype)
			self.query = self.query.left_join(table).on(table.name == on_field)
			self._joined[doctype] = table
		return self._joined[doctype]

	def dimension(self, key: str):
		"""The SQL term of a dimension for this source, or None if the source does not have it."""
		if self.source.family == "goods":
			if key not in GOODS_DIMENSIONS:
				return None
			if key == "company":
				return self.header.company
			if key == "item_code":
				return self.row.item_code
			if key == "item_group":
				return self.join("Item", self.row.item_code).item_group
			return self.join("Customer", self.header.customer).customer_group
		if key in ("company", "service_point", "technician", "item_code", "channel"):
			return self.order_field(key)
		if key in ("territory", "branch"):
			return self.join("Service Point", self.order_field("service_point"))[key]
		if key == "item_group":
			return self.join("Item", self.order_field("item_code")).item_group
		if key == "customer_group":
			return self.join("Customer", self.order_field("customer")).customer_group
		raise KPIFilterError(key)

	def visibility_doctype(self) -> str:
		return self.source.header if self.source.family == "goods" else ORDER


def source_query(
	ctx: Context, filters: Filters, group_by: str | None, period: str | None, user: str, dated: bool = True
):
	"""The base query of a source (no select yet) and its group terms, or None when the source
	cannot answer these filters (a return has no service point) or the user may not read it.
	`dated=False`: all records whatever their date (a snapshot: what is open now)."""
	group_terms = []
	if group_by:
		term = ctx.dimension(group_by)
		if term is None:
			return None
		group_terms.append(term.as_("group_value"))
	if period:
		group_terms.append(period_term(ctx.date_field, period).as_("period_start"))
	conditions = list(ctx.source.conditions(ctx))
	if dated:
		conditions += [ctx.date_field >= filters.from_date, ctx.date_field < add_days(filters.to_date, 1)]
		if filters.ranges:
			conditions.append(
				Criterion.any(
					(ctx.date_field >= first) & (ctx.date_field < add_days(last, 1))
					for first, last in filters.ranges
				)
			)
	for key, value in filters.values.items():
		term = ctx.dimension(key)
		if term is None:
			return None
		conditions.append(term.isin(value) if isinstance(value, list) else term == value)
	try:
		permission = permission_condition(ctx.visibility_doctype(), user)
	except frappe.PermissionError:
		return None
	if permission is not None:
		if ctx.visibility_doctype() == ORDER:
			ctx.join_order()  # Frappe's condition is on the order's table
		conditions.append(permission)
	if ctx.source.stored:
		# what the join to the order excluded when it was always made: rows of no work order
		conditions.append(ctx.row[ctx.source.order_link] != "")
	query = ctx.query
	for condition in conditions:
		query = query.where(condition)
	return query, group_terms


def run_source(
	source_key,
	counter_keys,
	filters,
	group_by,
	period,
	user,
	now,
	appointment_limit,
	histograms=None,
	exact: bool = False,
) -> dict | None:
	"""{(group_value, period): {counter: value}} for one source; None when it cannot answer (a
	dimension it does not have, or a DocType the user may not read).

	`histograms` (a dict; the completion source only) is filled from the same query with what
	`percentiles` needs: {(group_value, period): {whole hour of the repair duration: orders}}. The
	query is then grouped by the hour as well and the counters added up here, exactly (the
	database's decimals summed as decimals: the same figures), which saves reading the completed
	orders a second time.

	`exact`: the counters as the database's exact decimals (`Decimal`), not floats (the daily
	summary keeps them so, aftersales/kpi/summary.py)."""
	ctx = Context(SOURCES[source_key], now, appointment_limit)
	built = source_query(ctx, filters, group_by, period, user)
	if built is None:
		return None
	query, group_terms = built
	terms = list(group_terms)
	if histograms is not None:
		terms.append(Floor(ctx.order[PERCENTILE_COLUMN]).as_("unit"))
	if histograms is None and not exact:
		query = query.select(*terms, *(COUNTERS[k].term(ctx).as_(k) for k in counter_keys))
	else:
		# the partial sums as text: added up as exact decimals (Frappe reads decimals as floats)
		counters = (Cast(COUNTERS[k].term(ctx), "CHAR").as_(k) for k in counter_keys)
		query = query.select(*terms, *counters, Count("*").as_("in_unit"))
	if terms:
		query = query.groupby(*(LiteralValue(f"`{t.alias}`") for t in terms))
	if histograms is None and not exact:
		return {
			group_key(row, group_by, period): {k: flt(row.get(k)) for k in counter_keys}
			for row in query.run(as_dict=True)
		}
	sums: dict[tuple, dict] = {}
	for row in query.run(as_dict=True):
		key = group_key(row, group_by, period)
		found = sums.setdefault(key, dict.fromkeys(counter_keys))
		for k in counter_keys:
			if row.get(k) is not None:  # SUM leaves out NULLs
				found[k] = Decimal(row[k]) + (found[k] or 0)
		if histograms is not None and row.unit is not None:
			histograms.setdefault(key, {})[int(row.unit)] = int(row.in_unit)
	if exact:
		return sums
	return {key: {k: flt(v) for k, v in found.items()} for key, found in sums.items()}


def percentiles(filters, group_by, period, user, now, appointment_limit, histograms=None, p=90):
	"""({(group_value, period): the p-th percentile of the repair duration over the completion
	source}, the same over all groups), exactly domain.kpi.percentile's nearest rank, without
	reading every completed order into Python (330,000 for a year at 1M orders, most of the
	report's time before; issue 15):

	1. how many values fall in each whole hour, per group (`histograms`, when run_source counted
	   them with the completion counters; else one query here);
	2. the values of only the hours that hold a group's (or the total's) rank, sorted in Python."""
	ctx = Context(SOURCES["completed"], now, appointment_limit)
	built = source_query(ctx, filters, group_by, period, user)
	if built is None:
		return {}, None
	query, group_terms = built
	value = ctx.order[PERCENTILE_COLUMN]
	unit = Floor(value)
	query = query.where(value.notnull())
	if histograms is None:
		histograms = {}
		for row in (
			query.select(*group_terms, unit.as_("unit"), Count("*").as_("n"))
			.groupby(*(LiteralValue(f"`{t.alias}`") for t in group_terms), LiteralValue("`unit`"))
			.run(as_dict=True)
		):
			histograms.setdefault(group_key(row, group_by, period), {})[int(row.unit)] = int(row.n)
	overall: dict[int, int] = {}
	for histogram in histograms.values():
		for bucket, n in histogram.items():
			overall[bucket] = overall.get(bucket, 0) + n
	if not overall:
		return {}, None
	targets = {key: rank_in_units(histogram, p) for key, histogram in histograms.items()}
	overall_target = rank_in_units(overall, p)
	wanted = sorted({bucket for bucket, _rank in targets.values()} | {overall_target[0]})
	found: dict[tuple, list[float]] = {}
	in_overall_unit: list[float] = []
	for row in (
		query.select(*group_terms, unit.as_("unit"), value.as_("value")).where(unit.isin(wanted))
	).run(as_dict=True):
		key, bucket = group_key(row, group_by, period), int(row.unit)
		if targets.get(key, (None,))[0] == bucket:
			found.setdefault(key, []).append(flt(row.value))
		if bucket == overall_target[0]:
			in_overall_unit.append(flt(row.value))
	values = {key: sorted(found[key])[targets[key][1] - 1] for key in targets if key in found}
	return values, sorted(in_overall_unit)[overall_target[1] - 1]


def rank_in_units(histogram: dict[int, int], p: float) -> tuple[int, int]:
	"""(the unit holding the nearest rank of domain.kpi.percentile, the rank within that unit)."""
	rank = max(1, math.ceil(p / 100 * sum(histogram.values())))
	below = 0
	for bucket in sorted(histogram):
		if below + histogram[bucket] >= rank:
			return bucket, rank - below
		below += histogram[bucket]
	raise AssertionError(rank)


def group_key(row, group_by, period) -> tuple:
	return (
		row.get("group_value") if group_by else None,
		getdate(row.get("period_start")) if period and row.get("period_start") else None,
	)


# ---------------------------------------------------------------- the engine


@dataclass
class Result:
	indicators: list  # the Indicator definitions computed
	rows: list[dict]  # one per group: group_value, period, counters and indicator values
	total: dict  # the same over all groups (rates recomputed from the summed counts, p90 over all)
	unavailable: set = field(default_factory=set)  # indicators the user may not see (internal)


PERCENTILE_COLUMN = "repair_hours"  # the order column of the PERCENTILE indicator
VALUES = "repair_hours_percentile"  # a group's percentile, computed by the database (percentiles)


def finish(chosen, group_value, period_start, counters: dict) -> dict:
	"""A group's row: its counters and every chosen indicator computed from them."""
	row = {"group_value": group_value, "period": period_start, **counters}
	for indicator in chosen:
		if indicator.kind == PERCENTILE:
			row[indicator.key] = counters.get(VALUES)
		else:
			row[indicator.key] = indicator.value(counters)
	row.pop(VALUES, None)
	return row


def appointment_limit_hours() -> float:
	return flt(frappe.db.get_single_value("After-Sales Settings", "appointment_limit_hours")) or 2


def compute(
	filters: dict | None = None,
	group_by: str | None = None,
	period: str | None = None,
	indicators: list[str] | None = None,
	user: str | None = None,
	counters: list[str] | None = None,
	now=None,
	with_total: bool = True,
	use_summary: bool = True,
) -> Result:
	user = user or frappe.session.user
	now = get_datetime(now) if now else now_datetime()
	if group_by and group_by not in DIMENSIONS:
		frappe.throw(
			_("Unknown grouping {0}.").format(group_by), exc=KPIFilterError, title=_("Invalid Filters")
		)
	if period and period not in kpi.PERIODS:
		frappe.throw(_("Unknown period {0}.").format(period), exc=KPIFilterError, title=_("Invalid Filters"))
	parsed = Filters.parse(filters)
	chosen = [INDICATORS[k] for k in (INDICATORS if indicators is None else indicators)]
	internal = may_read_internal(user)
	unavailable = {i.key for i in chosen if i.internal and not internal}
	chosen = [i for i in chosen if i.key not in unavailable]
	extra = [c for c in (counters or ()) if internal or not COUNTERS[c].internal]
	limit = appointment_limit_hours()

	by_source: dict[str, list[str]] = {}
	for counter in [c for i in chosen for c in counters_of(i)] + extra:
		keys = by_source.setdefault(COUNTERS[counter].source, [])
		if counter not in keys:
			keys.append(counter)
	merged: dict[tuple, dict] = {}
	answered: list[str] = []  # counters of the sources that could answer (others stay None)
	overall: dict = {}  # sources that cannot be grouped this way (returns by service point) in total
	# the hours of the repair durations (for the percentile) counted with the completion counters
	histograms = {} if any(i.kind == PERCENTILE for i in chosen) and "completed" in by_source else None
	# past days of the order sources from the daily summary, where it gives the same figures
	daily = summary.reader(parsed, group_by, period, user, now, limit) if use_summary else None
	for source_key, counter_keys in by_source.items():
		runner = daily.run_source if daily and source_key in summary.SUMMARISED else run_source
		found = runner(
			source_key,
			counter_keys,
			parsed,
			group_by,
			period,
			user,
			now,
			limit,
			histograms if source_key == "completed" else None,
		)
		if found is None:
			if with_total and (group_by or period):
				whole = run_source(source_key, counter_keys, parsed, None, None, user, now, limit)
				overall.update(next(iter(whole.values()), {}) if whole else {})
			continue
		answered += counter_keys
		for key, counters in found.items():
			merged.setdefault(key, {}).update(counters)
	overall_percentile = None
	if any(i.kind == PERCENTILE for i in chosen):
		values, overall_percentile = percentiles(parsed, group_by, period, user, now, limit, histograms)
		for key, value in values.items():
			merged.setdefault(key, {})[VALUES] = value

	rows = [
		finish(chosen, group_value, period_start, counters)
		for (group_value, period_start), counters in merged.items()
	]
	rows.sort(key=lambda r: (r["period"] or date.min, r["group_value"] is None, str(r["group_value"] or "")))
	total = {}
	if with_total:
		# every counter is a COUNT or a SUM, so the total of the groups is their sum: no second query
		# added up with math.fsum: correctly rounded whatever the groups' order (the daily summary
		# gives the same groups in another order than the live query)
		parts: dict[str, list[float]] = {key: [flt(value)] for key, value in overall.items()}
		for key in answered:
			parts.setdefault(key, [])
		for counters in merged.values():
			for key, value in counters.items():
				if key != VALUES:
					parts.setdefault(key, []).append(flt(value))
		summed: dict = {key: math.fsum(values) for key, values in parts.items()}
		summed[VALUES] = overall_percentile  # over all the groups' values, not a sum
		total = finish(chosen, None, None, summed)
	return Result(chosen, rows, total, unavailable)


def list_orders(
	filters: dict | None,
	fields: list[str],
	source: str = "delivered",
	user: str | None = None,
	limit: int | None = None,
):
	"""The work orders a source counts (e.g. jobs delivered in the period), one row each, with the
	same filters and row-level permissions as the aggregates; the first `limit` by date when given."""
	user = user or frappe.session.user
	ctx = Context(SOURCES[source], now_datetime(), appointment_limit_hours())
	built = source_query(ctx, Filters.parse(filters), None, None, user)
	if built is None:
		return []
	query, _ = built
	query = query.select(*(ctx.order[f] for f in fields)).orderby(ctx.date_field).orderby(ctx.order.name)
	if limit:
		query = query.limit(limit)
	return query.run(as_dict=True)


def snapshot(counter_keys: list[str], filters: dict | None = None, user: str | None = None, now=None) -> dict:
	"""Counters of the work orders as they stand now, whatever their dates (open orders, appointments
	overdue now): {counter: value}. Only orders matching one of the counted conditions are read, so
	the status index keeps this cheap however long the history."""
	user = user or frappe.session.user
	ctx = Context(
		SOURCES["received"], get_datetime(now) if now else now_datetime(), appointment_limit_hours()
	)
	built = source_query(ctx, Filters.parse(filters), None, None, user, dated=False)
	if built is None:
		return {key: None for key in counter_keys}
	query, _groups = built
	# every snapshot counter (open, appointment overdue, ...) counts open orders only
	query = query.where(ctx.order.status.isin(OPEN_STATES))
	row = query.select(*(COUNTERS[k].term(ctx).as_(k) for k in counter_keys)).run(as_dict=True)[0]
	return {key: flt(row.get(key)) for key in counter_keys}
