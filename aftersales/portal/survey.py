"""Satisfaction survey (FV-1, FV-3) on the portal: for each delivery of their orders, once, the
customer gives the same three scores and an outcome as the phone visit, and the answers are that
delivery's Service Follow-up (channel Online), submitted with the follow-up's own rules (a satisfied
answer closes the order, a complaint opens a Customer Complaint, anything else reopens the repair).

The Customer role has no right on Service Follow-up: `submit_survey` fills only the scores, the
outcome and the customer's words of the open follow-up of the customer's own order."""

import frappe
from frappe import _
from frappe.utils import cint

from aftersales.domain import work_order_flow as flow
from aftersales.portal.access import PortalInputError, as_system, own_record, require_customer
from aftersales.portal.orders import DOCTYPE, open_follow_up, status_badge

FOLLOW_UP = "Service Follow-up"
SCORES = ("repair_quality", "attitude", "duration")
# what the customer chooses -> the outcome class of the follow-up (FV-3); "not fixed" becomes "after
# several visits" when the order was reopened before
ANSWERS = (
	("satisfied", "Satisfied", "Satisfied: the problem is solved"),
	("unsatisfied", "Unsatisfied at Follow-up", "Not satisfied with the service"),
	("not_fixed", "Not Fixed at First Visit", "The fault is not fixed"),
	("complaint", "Complaint Call", "I want to complain about the repair"),
	("attitude", "Attitude Complaint", "I want to complain about the staff's attitude"),
)


class SurveyClosedError(frappe.ValidationError):
	"""No survey is open for the order: not delivered, or already answered."""


def surveys_due(customers: list[str]) -> list[dict]:
	orders = frappe.get_list(
		DOCTYPE,
		filters={"customer": ["in", customers], "status": ["in", (flow.DELIVERED, flow.FOLLOW_UP)]},
		fields=["name", "status", "item_name", "order_type", "delivered_on", "follow_up"],
		order_by="delivered_on desc",
		limit_page_length=100,
	)
	due = []
	for row in orders:
		if open_follow_up(frappe._dict(row, doctype=DOCTYPE)):
			row.badge = status_badge(row.status)
			row.url = f"/survey/{row.name}"
			due.append(row)
	return due


def get_list_context(context) -> None:
	customers = require_customer(page=True)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Satisfaction Survey")
	context.orders = surveys_due(customers)
	context.plan_surveys = plan_surveys_due(customers)


def get_context(context) -> None:
	customers = require_customer(page=True)
	doc = own_record(DOCTYPE, frappe.form_dict.name, customers)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("How Did We Do?")
	context.parents = [{"route": "survey", "title": _("Satisfaction Survey")}]
	context.order = frappe._dict(
		name=doc.name,
		item_name=doc.item_name,
		order_type=doc.order_type,
		technician_name=doc.technician_name,
		delivered_on=doc.delivered_on,
		badge=status_badge(doc.status),
	)
	context.open = bool(open_follow_up(doc))
	context.answers = [{"value": v, "label": _(label)} for v, _outcome, label in ANSWERS]
	context.scores = [
		{"field": "repair_quality", "label": _("Repair Quality")},
		{"field": "attitude", "label": _("Service Attitude")},
		{"field": "duration", "label": _("Repair Duration")},
	]


def outcome_for(doc, answer: str) -> str:
	outcome = dict((v, o) for v, o, _label in ANSWERS).get(answer)
	if not outcome:
		frappe.throw(_("Choose one of the answers."), exc=PortalInputError, title=_("Survey"))
	if outcome == "Not Fixed at First Visit" and (
		cint(doc.rework_count)
		or frappe.db.exists(FOLLOW_UP, {"service_work_order": doc.name, "docstatus": 1})
	):
		outcome = "Not Fixed after Several Visits"
	return outcome


@frappe.whitelist(methods=["POST"])
def submit_survey(
	order: str, repair_quality: int, attitude: int, duration: int, answer: str, remarks: str | None = None
) -> dict:
	customers = require_customer()
	doc = own_record(DOCTYPE, order, customers, for_update=True)
	name = open_follow_up(doc)
	if name:
		name = frappe.db.get_value(FOLLOW_UP, {"name": name, "docstatus": 0}, "name", for_update=True)
	if not name:
		frappe.throw(
			_(
				"There is no survey to answer for order {0}: it is not delivered yet, or you answered already."
			).format(frappe.bold(doc.name)),
			exc=SurveyClosedError,
			title=_("Survey Closed"),
		)
	stars = {}
	for field, value in zip(SCORES, (repair_quality, attitude, duration), strict=True):
		if cint(value) not in (1, 2, 3, 4, 5) or str(value).strip() != str(cint(value)):
			frappe.throw(_("Give each score from 1 to 5 stars."), exc=PortalInputError, title=_("Survey"))
		stars[field] = cint(value) / 5  # Frappe stores a rating as a fraction of the stars
	remarks = frappe.utils.strip_html(remarks or "").strip()
	if len(remarks) > 1000:
		frappe.throw(_("Keep the text under {0} characters.").format(1000), exc=PortalInputError)
	follow_up = frappe.get_doc(FOLLOW_UP, name)
	follow_up.update({**stars, "outcome": outcome_for(doc, answer), "remarks": remarks, "channel": "Online"})
	# the Customer role has no right on follow-ups: the portal submits the customer's own answers,
	# and the follow-up's controller does the rest (when, the order's next state, a complaint)
	follow_up.flags.ignore_permissions = True
	with as_system() as user:
		follow_up.submit()
		follow_up.db_set("followed_up_by", user)  # the customer answered, not the system
	return {"outcome": follow_up.outcome, "url": f"/service-orders/{doc.name}"}


# ---------------------------------------------------------------- follow-up plans' online surveys


# a follow-up plan's online survey (FV-2): the customer answers its questions and the overall outcome;
# "not fixed" is about a repair, which such a follow-up (a purchase, a monthly call) has none of
PLAN_ANSWERS = tuple(a for a in ANSWERS if a[0] != "not_fixed")


def plan_surveys_due(customers: list[str]) -> list[dict]:
	"""The customers' open follow-ups of plans whose channel is the portal survey (Online), due by
	today, with no work order (a delivery's follow-up is answered on its order's survey)."""
	rows = frappe.get_all(
		FOLLOW_UP,
		filters={
			"customer": ["in", customers or [""]],
			"docstatus": 0,
			"channel": "Online",
			"follow_up_plan": ["is", "set"],
			"service_work_order": ["is", "not set"],
			"scheduled_date": ["<=", frappe.utils.nowdate()],
		},
		fields=["name", "scheduled_date", "reference_doctype", "reference_name", "plan_trigger"],
		order_by="scheduled_date asc",
		limit_page_length=100,
	)
	for row in rows:
		row.url = f"/survey/plan/{row.name}"
		row.about = (
			_("Your purchase {0}").format(row.reference_name)
			if row.reference_name
			else _("How are we doing?")
		)
	return rows


def open_plan_survey(doc) -> bool:
	return bool(
		doc.docstatus == 0 and doc.follow_up_plan and not doc.service_work_order and doc.channel == "Online"
	)


def get_plan_context(context) -> None:
	customers = require_customer(page=True)
	doc = own_record(FOLLOW_UP, frappe.form_dict.name, customers)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("How Did We Do?")
	context.parents = [{"route": "survey", "title": _("Satisfaction Survey")}]
	context.follow_up = frappe._dict(
		name=doc.name,
		about=_("Your purchase {0}").format(doc.reference_name)
		if doc.reference_name
		else _("How are we doing?"),
	)
	context.open = open_plan_survey(doc)
	context.questions = [{"row": row.name, "label": row.question} for row in doc.answers]
	context.answers = [{"value": v, "label": _(label)} for v, _outcome, label in PLAN_ANSWERS]


@frappe.whitelist(methods=["POST"])
def submit_plan_survey(
	follow_up: str, answer: str, scores: dict | str | None = None, remarks: str | None = None
) -> dict:
	"""The customer's answers to their own open plan survey: 1-5 stars per question (by the answer
	row's name) and the outcome; submitted with the follow-up's own rules (a complaint opens a Customer
	Complaint)."""
	customers = require_customer()
	doc = own_record(FOLLOW_UP, follow_up, customers, for_update=True)
	if not open_plan_survey(doc):
		frappe.throw(
			_("There is no survey to answer here: you answered already, or it is not an online survey."),
			exc=SurveyClosedError,
			title=_("Survey Closed"),
		)
	outcome = dict((v, o) for v, o, _label in PLAN_ANSWERS).get(answer)
	if not outcome:
		frappe.throw(_("Choose one of the answers."), exc=PortalInputError, title=_("Survey"))
	scores = frappe.parse_json(scores) if scores else {}
	if not isinstance(scores, dict):
		frappe.throw(_("Give each score from 1 to 5 stars."), exc=PortalInputError, title=_("Survey"))
	for row in doc.answers:
		value = scores.get(row.name)
		if cint(value) not in (1, 2, 3, 4, 5) or str(value).strip() != str(cint(value)):
			frappe.throw(_("Give each score from 1 to 5 stars."), exc=PortalInputError, title=_("Survey"))
		row.score = cint(value) / 5
	remarks = frappe.utils.strip_html(remarks or "").strip()
	if len(remarks) > 1000:
		frappe.throw(_("Keep the text under {0} characters.").format(1000), exc=PortalInputError)
	doc.update({"outcome": outcome, "remarks": remarks})
	doc.flags.ignore_permissions = True
	with as_system() as user:
		doc.submit()
		doc.db_set("followed_up_by", user)  # the customer answered, not the system
	return {"outcome": doc.outcome, "url": "/survey"}
