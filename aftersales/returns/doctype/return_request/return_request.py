# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A customer's request to return or exchange goods (RR-1..RR-6): the request and its review sit
in front of ERPNext's own documents, which it creates and links when the goods come back and when
it is completed (see aftersales/returns/effects.py)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain import return_flow as flow
from aftersales.domain import returns as rules
from aftersales.integrity import FieldRules, RoleOwned, capture, verify
from aftersales.lifecycle import check_status_change
from aftersales.returns import effects
from aftersales.roles import AFTER_SALES_MANAGER, QUALITY_INSPECTOR, SERVICE_DESK_AGENT

REVIEW_STATES = (flow.SUBMITTED, flow.BUSINESS_REVIEW, flow.QUALITY_INSPECTION)
# The reviewers' fields belong to the reviewing roles, in their stage; the rest is computed or
# written by the documents the request makes (aftersales/integrity.py).
FIELD_RULES = FieldRules(
	server=(
		"currency",
		"return_deadline",
		"total_amount",
		"approved_by",
		"freight_payer",
		"freight_invoice",
		"return_delivery_note",
		"receipt_stock_entry",
		"replacement_delivery_note",
		"credit_note",
	),
	server_columns={
		"items": (
			"delivered_qty",
			"returnable_qty",
			"rate",
			"amount",
			"source_warehouse",
			"disposition_entry",
		)
	},
	role_owned=(
		RoleOwned(
			("business_review_note",),
			(SERVICE_DESK_AGENT, AFTER_SALES_MANAGER),
			(flow.SUBMITTED, flow.BUSINESS_REVIEW),
		),
		RoleOwned(
			("defect_confirmed", "inspection_note", "quality_inspection"),
			(QUALITY_INSPECTOR, AFTER_SALES_MANAGER),
			(flow.QUALITY_INSPECTION,),
		),
		RoleOwned(("rejection_reason",), (AFTER_SALES_MANAGER,), REVIEW_STATES),
		RoleOwned(("late_override", "override_reason"), (AFTER_SALES_MANAGER,)),
		# the window counts from it: the desk records when goods came, a customer never moves it
		RoleOwned(("received_date",), (SERVICE_DESK_AGENT, AFTER_SALES_MANAGER)),
	),
	flow=flow.FLOW,
)


class ReturnWindowError(frappe.ValidationError):
	pass


class OverReturnError(frappe.ValidationError):
	pass


class ReturnSourceError(frappe.ValidationError):
	pass


class ReturnTransitionError(frappe.ValidationError):
	pass


class ReturnDecisionError(frappe.ValidationError):
	pass


ACTIVE_STATES = tuple(s for s in flow.STATES if s not in (flow.REJECTED, flow.CANCELLED))


class ReturnRequest(Document):
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		self.validate_source()
		self.set_item_details()
		self.validate_quantities()
		self.validate_window()
		self.freight_payer = rules.freight_payer(self.ground)
		self.total_amount = sum(flt(row.amount) for row in self.items)
		self.validate_transition()
		verify(self, FIELD_RULES)

	def on_update(self):
		if not self.has_value_changed("status"):
			return
		if self.status == flow.GOODS_RECEIVED:
			effects.receive_goods(self)
		elif self.status == flow.COMPLETED:
			effects.complete(self)
		elif self.status == flow.CANCELLED:
			effects.cancel_documents(self)

	# ------------------------------------------------------------ the sale

	def source(self):
		return frappe.get_cached_doc(self.sales_document_type, self.sales_document)

	def validate_source(self):
		source = frappe.db.get_value(
			self.sales_document_type,
			self.sales_document,
			["docstatus", "customer", "company", "posting_date", "is_return", "currency"],
			as_dict=True,
		)
		problem = None
		if not source or source.docstatus != 1 or source.is_return:
			problem = _("{0} {1} is not a submitted sale.").format(
				_(self.sales_document_type), self.sales_document
			)
		elif source.customer != self.customer or source.company != self.company:
			problem = _("{0} {1} belongs to another customer or company.").format(
				_(self.sales_document_type), self.sales_document
			)
		if problem:
			frappe.throw(problem, exc=ReturnSourceError, title=_("Invalid Sales Document"))
		self.currency = source.currency
		self.received_date = self.received_date or source.posting_date
		if getdate(self.received_date) < getdate(source.posting_date):
			frappe.throw(
				_("The goods cannot have been received before the sale on {0}.").format(
					frappe.format(source.posting_date, {"fieldtype": "Date"})
				),
				exc=ReturnSourceError,
			)

	def source_rows(self) -> dict[str, object]:
		return {row.name: row for row in self.source().items}

	def set_item_details(self):
		rows = self.source_rows()
		by_item = {}
		for row in rows.values():
			by_item.setdefault(row.item_code, row)
		for item in self.items:
			source_row = rows.get(item.source_row) or by_item.get(item.item_code)
			if not source_row:
				frappe.throw(
					_("Row {0}: {1} is not on {2} {3}.").format(
						item.idx,
						frappe.bold(item.item_code),
						_(self.sales_document_type),
						self.sales_document,
					),
					exc=ReturnSourceError,
					title=_("Not Sold"),
				)
			item.source_row = source_row.name
			item.delivered_qty = flt(source_row.qty)
			item.rate = flt(source_row.rate)
			item.amount = flt(item.qty) * item.rate
			item.source_warehouse = source_row.get("warehouse")

	def validate_quantities(self):
		seen = set()
		for item in self.items:
			if item.source_row in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice.").format(item.idx, frappe.bold(item.item_code)),
					exc=OverReturnError,
				)
			seen.add(item.source_row)
			item.returnable_qty = rules.returnable_qty(item.delivered_qty, self.returned_elsewhere(item))
			if flt(item.qty) <= 0 or flt(item.qty) > item.returnable_qty:
				frappe.throw(
					_("Row {0}: {1} can be returned up to {2} (delivered {3}, already returned {4}).").format(
						item.idx,
						frappe.bold(item.item_code),
						item.returnable_qty,
						item.delivered_qty,
						item.delivered_qty - item.returnable_qty,
					),
					exc=OverReturnError,
					title=_("Too Many Returned"),
				)

	def returned_elsewhere(self, item) -> float:
		"""What is already taken back of this sale line, each unit once: other active requests, and
		ERPNext's own returns against the line (return Delivery Notes, credit notes) that no request
		made, since a request's own return documents carry units it counts already."""
		parent = frappe.qb.DocType("Return Request")
		child = frappe.qb.DocType("Return Request Item")
		other = (
			frappe.qb.from_(child)
			.join(parent)
			.on(parent.name == child.parent)
			.select(child.qty)
			.where(child.source_row == item.source_row)
			.where(parent.status.isin(ACTIVE_STATES))
			.where(parent.name != (self.name or ""))
		).run(pluck=True)
		return sum(flt(q) for q in other) + erpnext_returns(item.source_row)

	# ------------------------------------------------------------ window

	def validate_window(self):
		"""The deadline is kept current; the window is checked once, when the request is made or
		submitted, and when a manager overrides it, so a late request the manager accepted moves on
		through review, receipt and completion."""
		settings = get_settings()
		holidays = holiday_dates(self.company, settings.holiday_list)
		self.return_deadline = rules.return_deadline(
			getdate(self.received_date), settings.return_window_days or 0, holidays
		)
		before = self.get_doc_before_save()
		override_changed = not before or any(
			before.get(f) != self.get(f) for f in ("late_override", "override_reason")
		)
		checked_now = (
			override_changed
			or (self.status == flow.SUBMITTED and before.status != flow.SUBMITTED)
			or before.get("request_date") != self.get("request_date")
		)
		if not checked_now or getdate(self.request_date) <= getdate(self.return_deadline):
			return
		if self.late_override:
			# the override stays the manager's decision once made (a role-owned field, FIELD_RULES)
			if not self.override_reason or (
				override_changed and AFTER_SALES_MANAGER not in frappe.get_roles()
			):
				frappe.throw(
					_("Only an After-Sales Manager accepts a late request, with a reason."),
					exc=ReturnWindowError,
					title=_("Late Request"),
				)
			return
		frappe.throw(
			_("Returns are accepted within {0} working days of receipt: the deadline was {1}.").format(
				settings.return_window_days, frappe.format(self.return_deadline, {"fieldtype": "Date"})
			),
			exc=ReturnWindowError,
			title=_("Return Window Passed"),
		)

	# ------------------------------------------------------------ lifecycle

	def validate_transition(self):
		old = check_status_change(self, flow.FLOW, ReturnTransitionError)
		if old is None or old == self.status:
			return
		if self.status in (flow.APPROVED, flow.REJECTED):
			self.decide()
		if (
			self.status == flow.COMPLETED
			and self.kind == "Return for Refund"
			and not frappe.has_permission("Sales Invoice", "create")
		):
			frappe.throw(
				_(
					"Completing a refund makes a credit note: it needs an Accounts User or the After-Sales Manager."
				),
				exc=ReturnDecisionError,
				title=_("Not Permitted"),
			)
		if self.status == flow.COMPLETED and self.ground != rules.MISSING_SHIPMENT:
			undecided = [str(row.idx) for row in self.items if not row.disposition]
			if undecided:
				frappe.throw(
					_("Decide what happens to the returned goods in rows {0}.").format(", ".join(undecided)),
					exc=ReturnDecisionError,
				)
		if self.status == flow.CANCELLED and not self.cancellation_reason:
			frappe.throw(_("Give the reason for cancelling."), exc=ReturnDecisionError)

	def decide(self):
		if AFTER_SALES_MANAGER not in frappe.get_roles():
			frappe.throw(
				_("An After-Sales Manager approves or rejects return requests."),
				exc=ReturnDecisionError,
				title=_("Not Permitted"),
			)
		if self.status == flow.REJECTED and not self.rejection_reason:
			frappe.throw(_("Give the customer the reason for the rejection."), exc=ReturnDecisionError)
		if (
			self.status == flow.APPROVED
			and self.ground == rules.QUALITY_DEFECT
			and self.defect_confirmed != "Yes"
		):
			frappe.throw(
				_("A return for a quality defect is approved once the inspection confirms the defect."),
				exc=ReturnDecisionError,
				title=_("Inspection Required"),
			)
		self.approved_by = frappe.session.user


def erpnext_returns(source_row: str) -> float:
	"""Units of a sale line returned by submitted ERPNext return documents that no Return Request
	made: return Delivery Notes against a Delivery Note line, credit notes against an invoice line."""
	request = frappe.qb.DocType("Return Request")
	total = 0.0
	for doctype, link, request_field in (
		("Delivery Note", "dn_detail", request.return_delivery_note),
		("Sales Invoice", "sales_invoice_item", request.credit_note),
	):
		parent = frappe.qb.DocType(doctype)
		child = frappe.qb.DocType(f"{doctype} Item")
		made_by_requests = frappe.qb.from_(request).select(request_field).where(request_field.isnotnull())
		quantities = (
			frappe.qb.from_(child)
			.join(parent)
			.on(parent.name == child.parent)
			.select(child.qty)
			.where(child[link] == source_row)
			.where(parent.docstatus == 1)
			.where(parent.is_return == 1)
			.where(parent.name.notin(made_by_requests))
		).run(pluck=True)
		total += -sum(flt(q) for q in quantities)
	return total


def holiday_dates(company: str, holiday_list: str | None = None) -> set:
	holiday_list = holiday_list or frappe.get_cached_value("Company", company, "default_holiday_list")
	if not holiday_list:
		return set()
	return {getdate(d) for d in frappe.get_all("Holiday", {"parent": holiday_list}, pluck="holiday_date")}
