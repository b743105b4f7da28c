"""Escalation of overdue complaints (CP-7): a complaint whose answer deadline passed moves up a
tier (desk -> technical lead -> management), is reassigned to that tier's person from the
settings, gets a new deadline and notifies; each step is logged on the complaint. The query reads
open complaints past their deadline only (status and deadline are indexed), so the job's cost
follows the open workload, not the archive."""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.complaints.doctype.customer_complaint.customer_complaint import SEVERITY_HOURS, owner_for_tier
from aftersales.domain import complaint_flow as flow


def escalate_overdue(now=None) -> list[str]:
	now = get_datetime(now or now_datetime())
	complaint = frappe.qb.DocType("Customer Complaint")
	overdue = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where(complaint.status.isin(flow.OPEN_STATES))
		.where(complaint.deadline < now)
		.where(complaint.tier != flow.MANAGEMENT)
	).run(pluck=True)
	for name in overdue:
		escalate(frappe.get_doc("Customer Complaint", name), now)
	return overdue


def escalate(doc, now) -> None:
	from_tier, missed = doc.tier, doc.deadline
	to_tier = flow.next_tier(from_tier)
	if not to_tier:
		return
	doc.tier = to_tier
	doc.owner_user = owner_for_tier(to_tier) or doc.owner_user
	doc.deadline = flow.deadline(now, get_settings().get(SEVERITY_HOURS[doc.severity]) or 48)
	doc.add_escalation(
		from_tier, to_tier, _("Not answered by {0}").format(frappe.utils.format_datetime(missed))
	)
