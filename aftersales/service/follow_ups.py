"""Follow-up plans (FV-2): which customers are called, when, on which channel and with which
questions.

A Follow-up Plan chooses customers by customer group (subgroups included), Customer Class and, for
purchases and deliveries, the item group of what they bought; its trigger says when a follow-up is
due:

- *Days After Purchase*: N days after the posting date of a submitted Delivery Note or Sales
  Invoice (not a return, not the invoice of a repair);
- *Monthly*: once a month, on the plan's day of the month, for every customer it chooses (the
  long-term customers' regular call);
- *After Delivery*: every delivery of a work order (FV-1, the existing behaviour): the work order's
  follow-up takes the plan's delay, channel and questions.

`create_due_follow_ups` runs daily (hooks.py): one query per plan selects what is due and has no
follow-up of that plan yet, so running it twice on a day, or on the next day, makes nothing new.
The follow-up's `plan_key` (plan, customer, period, document) is unique in the database as well, so
two runs at the same moment cannot both insert. Customers marked Do Not Contact get no purchase or
monthly follow-up; the follow-up after a repair is part of closing the order and is always made.

The desk works the due follow-ups in the report *Follow-up Call List* and records each outcome with
`record_outcome` (the follow-up's own rules then apply: a satisfied answer closes the order, …).
"""

import hashlib

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_first_day, get_last_day, getdate, nowdate

from aftersales.integrity import server_action

DOCTYPE = "Service Follow-up"
PLAN = "Follow-up Plan"
DAYS_AFTER_PURCHASE = "Days After Purchase"
MONTHLY = "Monthly"
AFTER_DELIVERY = "After Delivery"
# a day the job did not run (site down) is caught up for this many days, never further back
CATCH_UP_DAYS = 30
STARS = 5  # Frappe stores a Rating as a fraction of its stars


class FollowUpClosedError(frappe.ValidationError):
	"""The follow-up was already recorded or cancelled."""


class ScoreError(frappe.ValidationError):
	"""A score is not a whole number of stars from 1 to 5."""


def plan_key(plan: str, customer: str, period: str | None, reference: str | None = None) -> str:
	"""One follow-up per plan, customer, period and document: the unique key of a plan's follow-up."""
	raw = "\x1f".join((plan, customer, period or "", reference or ""))
	return hashlib.sha1(raw.encode()).hexdigest()


# ---------------------------------------------------------------- which customers and products


def with_subgroups(doctype: str, groups: list[str]) -> list[str]:
	names = set()
	for group in groups:
		names.add(group)
		names.update(frappe.db.get_descendants(doctype, group) or [])
	return sorted(names)


def plan_groups(plan) -> tuple[list[str], list[str]]:
	customer_groups = with_subgroups("Customer Group", [row.customer_group for row in plan.customer_groups])
	item_groups = with_subgroups("Item Group", [row.item_group for row in plan.item_groups])
	return customer_groups, item_groups


def customer_conditions(query, customer, plan, customer_groups: list[str], contactable: bool = True):
	"""The plan's customer filters on the Customer table `customer`."""
	query = query.where(customer.disabled == 0)
	if contactable:
		query = query.where(customer.aftersales_do_not_contact == 0)
	if customer_groups:
		query = query.where(customer.customer_group.isin(customer_groups))
	if plan.customer_class:
		query = query.where(customer.aftersales_customer_class == plan.customer_class)
	return query


def plan_answers(plan) -> list[dict]:
	return [{"question": row.question, "weight": cint(row.weight)} for row in plan.questions]


# ---------------------------------------------------------------- the daily job


def create_due_follow_ups(today: str | None = None) -> list[str]:
	"""Daily: the follow-ups every enabled plan has due today (or missed on earlier days)."""
	made = []
	for name in frappe.get_all(PLAN, {"enabled": 1, "trigger": ["!=", AFTER_DELIVERY]}, pluck="name"):
		made += plan_due_follow_ups(frappe.get_doc(PLAN, name), today)
	return made


def plan_due_follow_ups(plan, today: str | None = None) -> list[str]:
	"""The follow-ups one plan has due (the daily job, or the plan's *Make Due Follow-ups Now*)."""
	today = getdate(today or nowdate())
	if plan.trigger == AFTER_DELIVERY:
		return []  # made at each delivery
	rows = due_purchases(plan, today) if plan.trigger == DAYS_AFTER_PURCHASE else due_monthly(plan, today)
	return [name for name in (make_follow_up(plan, row) for row in rows) if name]


def due_purchases(plan, today) -> list[dict]:
	"""Submitted sales documents posted `days_after` days ago (or up to CATCH_UP_DAYS before, when
	the job missed a day), of the plan's customers and item groups, without this plan's follow-up."""
	doctype = plan.purchase_document
	document = frappe.qb.DocType(doctype)
	line = frappe.qb.DocType(f"{doctype} Item")
	customer = frappe.qb.DocType("Customer")
	follow_up = frappe.qb.DocType(DOCTYPE)
	last = add_days(today, -cint(plan.days_after))
	first = max(getdate(plan.applies_from), getdate(add_days(last, -CATCH_UP_DAYS)))
	if first > getdate(last):
		return []
	customer_groups, item_groups = plan_groups(plan)
	query = (
		frappe.qb.from_(document)
		.join(customer)
		.on(customer.name == document.customer)
		.select(
			document.name.as_("reference_name"),
			document.posting_date,
			customer.name.as_("customer"),
			customer.customer_name,
			customer.mobile_no.as_("phone"),
		)
		.where(document.docstatus == 1)
		.where(document.is_return == 0)
		.where(document.posting_date[first:last])
		.where(
			document.name.notin(
				frappe.qb.from_(follow_up)
				.select(follow_up.reference_name)
				.where(follow_up.follow_up_plan == plan.name)
				.where(follow_up.reference_doctype == doctype)
			)
		)
		.orderby(document.posting_date)
		.orderby(document.name)
	)
	if doctype == "Sales Invoice":
		# the invoice of a repair is no purchase: the work order has its own follow-up
		query = query.where(document.service_work_order.isnull() | (document.service_work_order == ""))
	if item_groups:
		query = query.where(
			document.name.isin(
				frappe.qb.from_(line)
				.select(line.parent)
				.where(line.parenttype == doctype)
				.where(line.item_group.isin(item_groups))
			)
		)
	query = customer_conditions(query, customer, plan, customer_groups)
	return [
		dict(
			row,
			reference_doctype=doctype,
			scheduled_date=add_days(row.posting_date, cint(plan.days_after)),
			period=str(row.posting_date),
		)
		for row in query.run(as_dict=True)
	]


def monthly_due_date(plan, today):
	day = min(max(cint(plan.day_of_month), 1), getdate(get_last_day(today)).day)
	return getdate(get_first_day(today)).replace(day=day)


def due_monthly(plan, today) -> list[dict]:
	"""This month's follow-up of each of the plan's customers, from its day of the month on."""
	due = monthly_due_date(plan, today)
	if today < due or due < getdate(plan.applies_from):
		return []
	period = due.strftime("%Y-%m")
	customer = frappe.qb.DocType("Customer")
	follow_up = frappe.qb.DocType(DOCTYPE)
	customer_groups, _item_groups = plan_groups(plan)
	query = (
		frappe.qb.from_(customer)
		.select(customer.name.as_("customer"), customer.customer_name, customer.mobile_no.as_("phone"))
		.where(
			customer.name.notin(
				frappe.qb.from_(follow_up)
				.select(follow_up.customer)
				.where(follow_up.follow_up_plan == plan.name)
				.where(follow_up.period == period)
			)
		)
		.orderby(customer.name)
	)
	query = customer_conditions(query, customer, plan, customer_groups)
	return [dict(row, scheduled_date=due, period=period) for row in query.run(as_dict=True)]


def make_follow_up(plan, row: dict) -> str | None:
	key = plan_key(plan.name, row["customer"], row["period"], row.get("reference_name"))
	if frappe.db.exists(DOCTYPE, {"plan_key": key}):
		return None
	doc = frappe.get_doc(
		{
			"doctype": DOCTYPE,
			"customer": row["customer"],
			"customer_name": row.get("customer_name"),
			"phone": row.get("phone"),
			"scheduled_date": row["scheduled_date"],
			"channel": plan.channel,
			"follow_up_plan": plan.name,
			"plan_trigger": plan.trigger,
			"period": row["period"],
			"reference_doctype": row.get("reference_doctype"),
			"reference_name": row.get("reference_name"),
			"plan_key": key,
			"answers": plan_answers(plan),
		}
	)
	server_action(doc, "follow-up plan")
	try:
		doc.insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		# another run inserted the same follow-up at the same moment
		return None
	return doc.name


# ---------------------------------------------------------------- after a delivery (FV-1)


def delivery_plan(order) -> str | None:
	"""The enabled After Delivery plan that fits the order's customer and product, if any (the one
	with the most filters, then by name)."""
	customer = frappe.db.get_value(
		"Customer", order.customer, ["customer_group", "aftersales_customer_class"], as_dict=True
	)
	item_group = frappe.db.get_value("Item", order.item_code, "item_group") if order.item_code else None
	best, best_rank = None, -1
	for name in frappe.get_all(
		PLAN, {"enabled": 1, "trigger": AFTER_DELIVERY}, pluck="name", order_by="name"
	):
		plan = frappe.get_doc(PLAN, name)
		customer_groups, item_groups = plan_groups(plan)
		if customer_groups and (not customer or customer.customer_group not in customer_groups):
			continue
		if plan.customer_class and (
			not customer or customer.aftersales_customer_class != plan.customer_class
		):
			continue
		if item_groups and item_group not in item_groups:
			continue
		rank = bool(customer_groups) + bool(plan.customer_class) + bool(item_groups)
		if rank > best_rank:
			best, best_rank = plan, rank
	return best


def delivery_follow_up_values(order, delivered_on) -> dict:
	"""What an After Delivery plan adds to the follow-up of a delivery: its delay, channel and
	questions (empty when no plan fits: the settings' delay and a phone call, as before)."""
	plan = delivery_plan(order)
	if not plan:
		return {}
	period = str(delivered_on)
	return {
		"scheduled_date": add_days(getdate(delivered_on), cint(plan.days_after)),
		"channel": plan.channel,
		"follow_up_plan": plan.name,
		"plan_trigger": plan.trigger,
		"period": period,
		"plan_key": plan_key(plan.name, order.customer, period, order.name),
		"answers": plan_answers(plan),
	}


# ---------------------------------------------------------------- the desk's call list


def stars(value) -> float:
	if str(value).strip() not in {str(n) for n in range(1, STARS + 1)}:
		frappe.throw(_("Give each score from 1 to 5 stars."), exc=ScoreError, title=_("Score"))
	return cint(value) / STARS


@frappe.whitelist(methods=["POST"])
def record_outcome(
	follow_up: str, outcome: str, remarks: str | None = None, scores: dict | str | None = None
) -> dict:
	"""The call list's *Record Outcome*: the customer's scores (1-5 stars; the repair's three and one
	per plan question, by the answer row's name), answers and outcome, submitted as the caller (who
	needs the right to submit follow-ups; the follow-up's rules apply as in its form)."""
	doc = frappe.get_doc(DOCTYPE, follow_up)
	doc.check_permission("submit")
	if doc.docstatus != 0:
		frappe.throw(
			_("Follow-up {0} is already recorded or cancelled.").format(frappe.bold(doc.name)),
			exc=FollowUpClosedError,
			title=_("Follow-up Closed"),
		)
	scores = frappe.parse_json(scores) if scores else {}
	if not isinstance(scores, dict) or not isinstance(scores.get("answers") or {}, dict):
		# a list or a number from a script is a clear 417, not a 500
		frappe.throw(_("Give each score from 1 to 5 stars."), exc=ScoreError, title=_("Score"))
	for field in ("repair_quality", "attitude", "duration"):
		if scores.get(field):
			doc.set(field, stars(scores[field]))
	answers = scores.get("answers") or {}
	for row in doc.answers:
		answer = answers.get(row.name) or {}
		if answer.get("score"):
			row.score = stars(answer["score"])
		if answer.get("answer"):
			row.answer = frappe.utils.strip_html(str(answer["answer"]))[:1000]
	doc.outcome = outcome
	if remarks:
		doc.remarks = frappe.utils.strip_html(remarks)[:1000]
	doc.submit()
	return {"name": doc.name, "outcome": doc.outcome, "total_score": doc.total_score}
