"""Agree to a scope change (WO-8) on the portal. While an order waits for the customer's consent, the
customer sees the revised estimate (the parts added since they last agreed, the hours now estimated,
the new total when the job is chargeable) and agrees or declines.

Agreeing records the consent exactly as the desk would (who, when, how, to what amount) and moves
the order back to In Progress; the amount is the one this page computed and showed, never a value
the customer sent. Declining records when and why, and tells the order's technician and the desk;
the order waits for them to decide what happens next (continue with the agreed work, return the
product unrepaired, cancel)."""

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as assign_to
from frappe.utils import flt, now_datetime

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain import work_order_flow as flow
from aftersales.integrity import server_action
from aftersales.portal.access import PortalInputError, as_system, own_record, require_customer
from aftersales.portal.orders import DOCTYPE, consent_pending, customer_parts, order_list, status_badge
from aftersales.service.work_order import billing
from aftersales.service.work_order.status_notes import PORTAL_CONSENT, status_note

METHOD = "Web Portal"


class ConsentNotPendingError(frappe.ValidationError):
	"""The order is not waiting for this customer's consent (any more)."""


def revised_estimate(doc) -> dict:
	"""What the customer is asked to agree to: every part not cancelled and the hours now estimated
	(or worked, if more), priced as the order will bill them; nothing to pay in warranty."""
	chargeable = doc.warranty_status == "Out of Warranty"
	hours = max(flt(doc.estimated_hours), flt(doc.labour_hours))
	parts_amount = sum(billing.used_qty(r) * flt(r.rate) for r in doc.parts if r.chargeable)
	labour_amount = hours * flt(get_settings().labour_rate) if chargeable else 0
	total = max(parts_amount + labour_amount, flt(doc.chargeable_amount)) if chargeable else 0
	return {
		"chargeable": chargeable,
		"parts": customer_parts(doc),
		"hours": f"{hours:g}",
		"agreed_hours": f"{flt(doc.planned_hours):g}",
		"parts_amount": parts_amount,
		"labour_amount": labour_amount,
		"total": total,
		"agreed_before": max(
			flt(doc.estimated_cost) if doc.customer_confirmed else 0, flt(doc.consented_amount)
		),
		"currency": doc.currency,
	}


def get_list_context(context) -> None:
	customers = require_customer(page=True)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Scope Changes")
	orders = order_list(customers, {"status": flow.AWAITING_CONSENT})
	context.orders = [o for o in orders if consent_pending(frappe.get_doc(DOCTYPE, o.name))]


def get_context(context) -> None:
	customers = require_customer(page=True)
	doc = own_record(DOCTYPE, frappe.form_dict.name, customers)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Scope Change for {0}").format(doc.name)
	context.parents = [
		{"route": "service-orders", "title": _("My Service Orders")},
		{"route": f"service-orders/{doc.name}", "title": doc.name},
	]
	context.order = frappe._dict(
		name=doc.name,
		item_name=doc.item_name,
		diagnosis=doc.diagnosis,
		technician_name=doc.technician_name,
		badge=status_badge(doc.status),
		in_warranty=doc.warranty_status == "In Warranty",
	)
	context.pending = consent_pending(doc)
	context.declined_on = doc.consent_declined_on
	context.estimate = revised_estimate(doc)


@frappe.whitelist(methods=["POST"])
def respond(order: str, agree: int | str, note: str | None = None) -> dict:
	"""The customer agrees to or declines the revised estimate of their order."""
	customers = require_customer()
	doc = own_record(DOCTYPE, order, customers, for_update=True)
	if not consent_pending(doc):
		frappe.throw(
			_("Order {0} is not waiting for your consent.").format(frappe.bold(doc.name)),
			exc=ConsentNotPendingError,
			title=_("Nothing to Agree"),
		)
	note = (note or "").strip()
	if len(note) > 500:
		frappe.throw(_("Keep the text under {0} characters.").format(500), exc=PortalInputError)
	who = frappe.utils.get_fullname(frappe.session.user)
	if str(agree) in ("1", "true", "True"):
		estimate = revised_estimate(doc)
		doc.update(
			{
				"consent_by": who,
				"consent_on": now_datetime(),
				"consent_method": METHOD,
				"consented_amount": estimate["total"],
				"consent_note": _("Agreed on the service portal by {0}.").format(frappe.session.user)
				+ (f" {note}" if note else ""),
				"status": flow.IN_PROGRESS,
			}
		)
		doc.flags.status_note = status_note(PORTAL_CONSENT, frappe.session.user)
		# the customer is no editor of an order waiting for consent: the portal records the consent
		# (the fields above only, computed here) as the desk would, through the order's own checks
		server_action(doc, "customer consent on the portal")
		with as_system():
			doc.save(ignore_permissions=True)
		return {"status": "agreed", "url": f"/service-orders/{doc.name}"}
	if not note:
		frappe.throw(
			_("Tell us why you decline, so the service desk can propose what to do next."),
			exc=PortalInputError,
		)
	doc.update(
		{
			"consent_declined_on": now_datetime(),
			"consent_note": _("Declined on the service portal by {0}: {1}").format(frappe.session.user, note),
		}
	)
	server_action(doc, "customer declined the scope change on the portal")
	doc.save(ignore_permissions=True)
	tell_staff_of_decline(doc, note)
	return {"status": "declined", "url": f"/service-orders/{doc.name}"}


def tell_staff_of_decline(doc, note: str) -> None:
	users = [u for u in (doc.technician_user,) if u]
	if users:
		assign_to(
			{
				"doctype": DOCTYPE,
				"name": doc.name,
				"assign_to": users,
				"description": _("The customer declined the scope change: {0}").format(note),
				"priority": "High",
			},
			ignore_permissions=True,
		)
	doc.add_comment(
		"Info", _("The customer declined the scope change on the service portal: {0}").format(note)
	)
