"""Every service KPI defined once (REQUIREMENTS KPI-1, KPI-2, FV-3, WO-13): which records it
counts, which date puts a record in a period, what it excludes, and how its counts become the
indicator. The reports, number cards, charts and (later) the appraisals all read these; docs/kpi.md
states them in words.

- A *source* is a table of records and the date that places each in a period (an order's intake,
  its first completion, its end, its delivery; a follow-up's date; a complaint's receipt...).
- A *counter* is one SQL aggregate over a source (`SUM(CASE WHEN ... THEN 1 ELSE 0 END)`, a sum of a
  column), so one indexed query per source computes all of its counters for every group at once.
- An *indicator* combines counters (numerator / denominator, an average, a percentile) with the
  formulas of aftersales/domain/kpi.py.

Records are attributed to the work order they belong to: a follow-up or a complaint counts for its
order's company, service point, technician, product and customer, and is seen by whoever may read
that order. Complaints that name no work order are not service complaints and are left out.
Returns and deliveries are sales documents: they have a company, an item and a customer, but no
service point or technician, so return rates exist only for those dimensions.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum

from aftersales.domain import kpi
from aftersales.domain import work_order_flow as flow

ORDER = "Service Work Order"


def translatable(text: str) -> str:
	"""An English label, translated where it is shown (`_(label)`); listed in translations/zh.csv."""
	return text


# ---------------------------------------------------------------- dimensions


@dataclass(frozen=True)
class Dimension:
	key: str
	label: str
	fieldtype: str = "Link"
	options: str | None = None
	tree: bool = False  # a nested set: a filter on it includes its descendants


DIMENSIONS = {
	d.key: d
	for d in (
		Dimension("company", translatable("Company"), options="Company"),
		Dimension("territory", translatable("Territory"), options="Territory", tree=True),
		Dimension("branch", translatable("Branch"), options="Branch"),
		Dimension("service_point", translatable("Service Point"), options="Service Point"),
		Dimension("technician", translatable("Technician"), options="Employee"),
		Dimension("item_group", translatable("Item Group"), options="Item Group", tree=True),
		Dimension("item_code", translatable("Item"), options="Item"),
		Dimension("customer_group", translatable("Customer Group"), options="Customer Group", tree=True),
		# WO-1: where the order came from (a stored code: Phone, Web Portal, Walk-in, Email)
		Dimension("channel", translatable("Channel"), fieldtype="Select"),
	)
}
# what sales documents (returns, deliveries) can be grouped and filtered by
GOODS_DIMENSIONS = ("company", "item_group", "item_code", "customer_group")


# ---------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
	key: str
	label: str
	doctype: str  # the table whose rows are counted
	date_field: str  # the date that puts a row in a period
	order_link: str | None = None  # Link to the work order (None: the row is the work order)
	header: str | None = None  # parent DocType of a child table (returns, deliveries)
	header_date: bool = False  # the date field lives on the header
	family: str = "order"  # "order": attributed to a work order; "goods": sales documents
	conditions: Callable = field(default=lambda ctx: [], compare=False)  # exclusions, always applied
	# the order's fields stored on the row (order field -> row column): the query joins the order only
	# for a user whose row-level permissions need it or for a field not stored here (issue 15)
	stored: dict = field(default_factory=dict, compare=False)


def _follow_up_conditions(ctx):
	return [ctx.row.docstatus == 1]


def _returned_conditions(ctx):
	return [ctx.header.status == "Completed"]


def _shipped_conditions(ctx):
	return [ctx.header.docstatus == 1, ctx.header.is_return == 0]


SOURCES = {
	s.key: s
	for s in (
		Source("received", translatable("Orders by intake date"), ORDER, "received_on"),
		Source("completed", translatable("Orders by completion date"), ORDER, "completed_on"),
		Source("ended", translatable("Orders by end date"), ORDER, "ended_on"),
		Source("delivered", translatable("Orders by delivery date"), ORDER, "delivered_on"),
		Source(
			"follow_up",
			translatable("Submitted follow-ups by follow-up date"),
			"Service Follow-up",
			"followed_up_on",
			order_link="service_work_order",
			conditions=_follow_up_conditions,
			# Service Follow-up's ORDER_DIMENSIONS (set from the order on every save, kept in step with
			# it); the customer group is still the order's (a plan's follow-up owns its customer)
			stored={
				"company": "company",
				"service_point": "service_point",
				"technician": "technician",
				"item_code": "item_code",
				"channel": "order_channel",
			},
		),
		Source(
			"complaint",
			translatable("Complaints by date received"),
			"Customer Complaint",
			"received_at",
			order_link="service_work_order",
		),
		Source(
			"complaint_closed",
			translatable("Complaints by date closed"),
			"Customer Complaint",
			"closed_on",
			order_link="service_work_order",
		),
		Source(
			"returned",
			translatable("Completed return requests by request date"),
			"Return Request Item",
			"request_date",
			header="Return Request",
			header_date=True,
			family="goods",
			conditions=_returned_conditions,
		),
		Source(
			"shipped",
			translatable("Deliveries by posting date"),
			"Delivery Note Item",
			"posting_date",
			header="Delivery Note",
			header_date=True,
			family="goods",
			conditions=_shipped_conditions,
		),
	)
}


# ---------------------------------------------------------------- counters


def count_if(criterion):
	return Sum(Case().when(criterion, 1).else_(0))


def sum_if(criterion, term):
	return Sum(Case().when(criterion, term).else_(0))


BEFORE_BOOKING = (flow.NEW, flow.ACCEPTED, flow.ASSIGNED)
OPEN_STATES = tuple(s for s in flow.STATES if s not in flow.FINAL_STATES)
SLA_OPEN_STATES = tuple(s for s in flow.STATES if s not in flow.SLA_FULFILLED)
COMPLAINT_START_TIER = "Desk"


@dataclass(frozen=True)
class Counter:
	key: str
	source: str
	label: str
	term: Callable = field(compare=False)  # ctx -> aggregate term
	internal: bool = False  # reads permlevel 1 fields (costs)


def _response_breached(ctx):
	o = ctx.order
	return (o.first_responded_on > o.response_by) | (
		o.first_responded_on.isnull() & (o.response_by < ctx.now) & o.status.isin(OPEN_STATES)
	)


def _resolution_breached(ctx):
	o = ctx.order
	return (o.sla_resolution_date > o.sla_resolution_by) | (
		o.sla_resolution_date.isnull() & (o.sla_resolution_by < ctx.now) & o.status.isin(SLA_OPEN_STATES)
	)


def _overdue(ctx):
	o = ctx.order
	return o.status.isin(SLA_OPEN_STATES) & (
		(o.status.isin(BEFORE_BOOKING) & (o.response_by < ctx.now)) | (o.sla_resolution_by < ctx.now)
	)


def _booked(ctx):
	return ctx.order.booked_on.notnull()


def _closed_after_visit(ctx):
	o = ctx.order
	return (o.status == flow.CLOSED) & (o.solved_by_phone == 0)


def _follow_up_ratings(ctx):
	"""The three ratings of a follow-up added up (each stored 0..1); averaged in Python, exactly."""
	f = ctx.row
	return f.repair_quality + f.attitude + f.duration


def _closed_in_time(ctx):
	c = ctx.row
	return (c.closed_on <= c.deadline) & (
		(c.tier == COMPLAINT_START_TIER) | (c.severity == "Safety-critical")
	)


FOLLOW_UP_OUTCOMES = (
	"Satisfied",
	"Unsatisfied at Follow-up",
	"Complaint Call",
	"Not Fixed at First Visit",
	"Not Fixed after Several Visits",
	"Attitude Complaint",
)


def outcome_counter_key(outcome: str) -> str:
	return "outcome_" + outcome.lower().replace(" ", "_").replace("-", "_")


def _outcome_counter(outcome: str) -> "Counter":
	return Counter(
		outcome_counter_key(outcome),
		"follow_up",
		outcome,
		lambda ctx: count_if(ctx.row.outcome == outcome),
	)


COUNTERS = {
	c.key: c
	for c in (
		# intake
		Counter("received", "received", translatable("Orders Received"), lambda ctx: Count("*")),
		Counter(
			"cancelled",
			"received",
			translatable("Cancelled"),
			lambda ctx: count_if(ctx.order.status == flow.CANCELLED),
		),
		Counter(
			"solved_by_phone",
			"received",
			translatable("Solved by Phone"),
			lambda ctx: count_if(ctx.order.solved_by_phone == 1),
		),
		Counter(
			"open",
			"received",
			translatable("Open Orders"),
			lambda ctx: count_if(ctx.order.status.isin(OPEN_STATES)),
		),
		Counter("overdue", "received", translatable("Overdue Orders"), lambda ctx: count_if(_overdue(ctx))),
		Counter(
			"appointment_overdue",
			"received",
			translatable("Appointment Overdue"),
			lambda ctx: count_if(ctx.order.status.isin(BEFORE_BOOKING) & (ctx.order.response_by < ctx.now)),
		),
		Counter(
			"booked", "received", translatable("Appointments Booked"), lambda ctx: count_if(_booked(ctx))
		),
		Counter(
			"booked_in_time",
			"received",
			translatable("Booked within the Limit"),
			lambda ctx: count_if(_booked(ctx) & (ctx.order.response_hours <= ctx.appointment_limit)),
		),
		Counter(
			"response_hours",
			"received",
			translatable("Response Hours"),
			lambda ctx: sum_if(_booked(ctx), ctx.order.response_hours),
		),
		Counter(
			"response_breaches",
			"received",
			translatable("Response SLA Breaches"),
			lambda ctx: count_if(_response_breached(ctx)),
		),
		Counter(
			"resolution_breaches",
			"received",
			translatable("Resolution SLA Breaches"),
			lambda ctx: count_if(_resolution_breached(ctx)),
		),
		Counter(
			"sla_breaches",
			"received",
			translatable("Orders Breaching the SLA"),
			lambda ctx: count_if(_response_breached(ctx) | _resolution_breached(ctx)),
		),
		# completion
		Counter("completed", "completed", translatable("Completed"), lambda ctx: Count("*")),
		Counter(
			"completed_first_visit",
			"completed",
			translatable("Completed at First Visit"),
			lambda ctx: count_if(ctx.order.completed_first_visit == 1),
		),
		Counter(
			"reworked",
			"completed",
			translatable("Reworked"),
			lambda ctx: count_if((ctx.order.rework_count > 0) | (ctx.order.reopen_count > 0)),
		),
		Counter(
			"repair_hours",
			"completed",
			translatable("Repair Hours"),
			lambda ctx: Sum(ctx.order.repair_hours),
		),
		# end
		Counter(
			"closed", "ended", translatable("Closed"), lambda ctx: count_if(ctx.order.status == flow.CLOSED)
		),
		Counter(
			"unrepairable",
			"ended",
			translatable("Unrepairable"),
			lambda ctx: count_if(ctx.order.status == flow.UNREPAIRABLE),
		),
		Counter(
			"closed_after_visit",
			"ended",
			translatable("Closed after a Visit"),
			lambda ctx: count_if(_closed_after_visit(ctx)),
		),
		Counter(
			"fixed_first_time",
			"ended",
			translatable("Fixed First Time"),
			lambda ctx: count_if(
				_closed_after_visit(ctx) & (ctx.order.rework_count == 0) & (ctx.order.reopen_count == 0)
			),
		),
		Counter(
			"ended_repairs",
			"ended",
			translatable("Closed or Unrepairable"),
			lambda ctx: count_if(ctx.order.status.isin((flow.CLOSED, flow.UNREPAIRABLE))),
		),
		# follow-ups
		Counter("follow_ups", "follow_up", translatable("Follow-ups"), lambda ctx: Count("*")),
		Counter(
			"score",
			"follow_up",
			translatable("Sum of Follow-up Ratings"),
			lambda ctx: Sum(_follow_up_ratings(ctx)),
		),
		*(_outcome_counter(outcome) for outcome in FOLLOW_UP_OUTCOMES),
		# complaints
		Counter("complaints", "complaint", translatable("Complaints"), lambda ctx: Count("*")),
		Counter(
			"complaints_closed", "complaint_closed", translatable("Complaints Closed"), lambda ctx: Count("*")
		),
		Counter(
			"complaints_in_time",
			"complaint_closed",
			translatable("Closed before the Deadline"),
			lambda ctx: count_if(_closed_in_time(ctx)),
		),
		# returns
		Counter("returned_qty", "returned", translatable("Returned Qty"), lambda ctx: Sum(ctx.row.qty)),
		Counter("delivered_qty", "shipped", translatable("Delivered Qty"), lambda ctx: Sum(ctx.row.qty)),
		# job cost (WO-13): permlevel 1
		Counter("jobs", "delivered", translatable("Jobs Delivered"), lambda ctx: Count("*")),
		*(
			Counter(fieldname, "delivered", label, (lambda f: lambda ctx: Sum(ctx.order[f]))(fieldname), True)
			for fieldname, label in (
				("parts_cost", translatable("Parts Cost")),
				("labour_cost", translatable("Labour Cost")),
				("total_cost", translatable("Total Cost")),
				("revenue", translatable("Revenue")),
				("margin", translatable("Margin")),
			)
		),
	)
}


# ---------------------------------------------------------------- indicators

COUNT, RATE, PER_HUNDRED, AVERAGE, SCORE, PERCENTILE, SUM = (
	"count",
	"rate",
	"per100",
	"average",
	"score",
	"percentile",
	"sum",
)


@dataclass(frozen=True)
class Indicator:
	key: str
	label: str
	kind: str
	numerator: str  # counter (for PERCENTILE: the source column, e.g. repair_hours)
	denominator: str | None = None
	higher_is_better: bool = True
	internal: bool = False
	description: str = ""

	@property
	def fieldtype(self) -> str:
		if self.kind in (RATE,):
			return "Percent"
		if self.kind == COUNT:
			return "Int"
		if self.kind == SUM or (self.internal and self.kind == AVERAGE):
			return "Currency"
		return "Float"

	def value(self, counters: dict) -> float | None:
		numerator = counters.get(self.numerator)
		if self.kind in (COUNT, SUM, PERCENTILE):
			return numerator
		denominator = counters.get(self.denominator)
		if self.kind == RATE:
			return kpi.ratio(numerator, denominator)
		if self.kind == PER_HUNDRED:
			return kpi.ratio(numerator, denominator, 100)
		if self.kind == SCORE:  # three ratings per follow-up, each stored 0..1: shown out of 5 stars
			return kpi.ratio(numerator, (denominator or 0) * 3, 5)
		return kpi.average(numerator, denominator)


INDICATORS = {
	i.key: i
	for i in (
		Indicator("received", translatable("Orders Received"), COUNT, "received"),
		Indicator("closed", translatable("Orders Closed"), COUNT, "closed"),
		Indicator("open", translatable("Open Orders"), COUNT, "open"),
		Indicator("overdue", translatable("Overdue Orders"), COUNT, "overdue", higher_is_better=False),
		Indicator(
			"response_time",
			translatable("Average Response Time (Working Hours)"),
			AVERAGE,
			"response_hours",
			"booked",
			higher_is_better=False,
		),
		Indicator(
			"appointment_rate", translatable("2-Hour Appointment Rate"), RATE, "booked_in_time", "booked"
		),
		Indicator(
			"on_site_completion_rate",
			translatable("On-site Completion Rate"),
			RATE,
			"completed_first_visit",
			"completed",
		),
		Indicator(
			"first_time_fix_rate",
			translatable("First-time Fix Rate"),
			RATE,
			"fixed_first_time",
			"closed_after_visit",
		),
		Indicator(
			"rework_rate", translatable("Rework Rate"), RATE, "reworked", "completed", higher_is_better=False
		),
		Indicator("resolution_rate", translatable("Resolution Rate"), RATE, "closed", "ended_repairs"),
		Indicator(
			"repair_hours",
			translatable("Average Repair Duration (Hours)"),
			AVERAGE,
			"repair_hours",
			"completed",
			higher_is_better=False,
		),
		Indicator(
			"repair_hours_p90",
			translatable("P90 Repair Duration (Hours)"),
			PERCENTILE,
			"repair_hours",
			higher_is_better=False,
		),
		Indicator(
			"satisfaction_score", translatable("Average Follow-up Score (of 5)"), SCORE, "score", "follow_ups"
		),
		Indicator(
			"satisfied_rate", translatable("Satisfaction Rate"), RATE, "outcome_satisfied", "follow_ups"
		),
		Indicator(
			"complaint_rate",
			translatable("Complaints per 100 Orders"),
			PER_HUNDRED,
			"complaints",
			"received",
			higher_is_better=False,
		),
		Indicator(
			"complaints_in_time_rate",
			translatable("Complaints Closed before Deadline"),
			RATE,
			"complaints_in_time",
			"complaints_closed",
		),
		Indicator(
			"return_rate",
			translatable("Return Rate"),
			RATE,
			"returned_qty",
			"delivered_qty",
			higher_is_better=False,
		),
		Indicator(
			"response_breaches",
			translatable("Response SLA Breaches"),
			COUNT,
			"response_breaches",
			higher_is_better=False,
		),
		Indicator(
			"resolution_breaches",
			translatable("Resolution SLA Breaches"),
			COUNT,
			"resolution_breaches",
			higher_is_better=False,
		),
		Indicator(
			"sla_breach_rate",
			translatable("SLA Breach Rate"),
			RATE,
			"sla_breaches",
			"received",
			higher_is_better=False,
		),
		Indicator(
			"parts_cost_per_job",
			translatable("Parts Cost per Job"),
			AVERAGE,
			"parts_cost",
			"jobs",
			internal=True,
		),
		Indicator(
			"labour_cost_per_job",
			translatable("Labour Cost per Job"),
			AVERAGE,
			"labour_cost",
			"jobs",
			internal=True,
		),
		Indicator(
			"revenue_per_job", translatable("Revenue per Job"), AVERAGE, "revenue", "jobs", internal=True
		),
		Indicator("margin_per_job", translatable("Margin per Job"), AVERAGE, "margin", "jobs", internal=True),
		Indicator("margin_total", translatable("Total Margin"), SUM, "margin", internal=True),
	)
}

# the indicators a service point is ranked by (AP-6), with the After-Sales Settings field of each weight
RANKING_WEIGHTS = {
	"appointment_rate": "ranking_weight_appointment",
	"on_site_completion_rate": "ranking_weight_on_site",
	"first_time_fix_rate": "ranking_weight_first_time_fix",
	"resolution_rate": "ranking_weight_resolution",
	"satisfied_rate": "ranking_weight_satisfaction",
	"complaint_rate": "ranking_weight_complaints",
	"rework_rate": "ranking_weight_rework",
}


def counters_of(indicator: Indicator) -> list[str]:
	if indicator.kind == PERCENTILE:
		return []
	return [k for k in (indicator.numerator, indicator.denominator) if k]


def sources_of(indicators) -> set[str]:
	found = set()
	for indicator in indicators:
		for key in counters_of(indicator):
			found.add(COUNTERS[key].source)
		if indicator.kind == PERCENTILE:
			found.add("completed")
	return found
