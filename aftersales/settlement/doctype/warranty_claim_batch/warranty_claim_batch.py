# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A maker's warranty claim for a period (WO-14): the closed in-warranty orders of the maker's
items that no batch has claimed, valued at the maker's agreed prices and labour rate. Submitting
it makes ONE Sales Invoice to the maker, a line per order; a line the maker rejects later is
recorded with its reason and reversed by a credit note for that line. Each order is claimed once
(aftersales/settlement/keys.py). The lines are the server's: recollected on every save of the
draft, checked again when it is submitted."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate, nowdate

from aftersales.domain import desk_actions
from aftersales.domain.settlement import IN_WARRANTY, money
from aftersales.integrity import FieldRules, acts_on_stored, capture, check_cancel, verify
from aftersales.settlement import claims, keys
from aftersales.settlement.amendment import refuse_update_after_submit, start_afresh
from aftersales.settlement.errors import (
	CancellationBlockedError,
	ClaimedTwiceError,
	ClaimRejectionError,
	ClaimSettledError,
	InvalidPeriodError,
	NothingToClaimError,
	StaleLinesError,
)
from aftersales.settlement.orders import closed_orders

# the orders, their values, the totals and the invoice are the server's; people choose the maker,
# the company and the period
FIELD_RULES = FieldRules(
	server=(
		"currency",
		"status",
		"parts_amount",
		"labour_amount",
		"total_amount",
		"rejected_amount",
		"net_amount",
		"sales_invoice",
	),
	server_columns={"items": "*"},
)
CLAIMERS = desk_actions.roles_for("Warranty Claim Batch", "reject_line")  # domain/desk_actions.py
LINE_FIELDS = (
	"item_code",
	"serial_no",
	"fault_code",
	"technician",
	"closed_on",
	"parts_amount",
	"labour_hours",
	"labour_rate",
	"labour_amount",
	"amount",
	"description",
)
KEY = ("Warranty Claim Batch Item", "claim_key")


class WarrantyClaimBatch(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales.settlement.doctype.warranty_claim_batch_item.warranty_claim_batch_item import (
			WarrantyClaimBatchItem,
		)

		amended_from: DF.Link | None
		company: DF.Link
		currency: DF.Link | None
		customer: DF.Link | None
		from_date: DF.Date
		items: DF.Table[WarrantyClaimBatchItem]
		labour_amount: DF.Currency
		maker: DF.Link
		naming_series: DF.Literal["WCB-.YYYY.-"]
		net_amount: DF.Currency
		parts_amount: DF.Currency
		posting_date: DF.Date
		rejected_amount: DF.Currency
		remarks: DF.SmallText | None
		sales_invoice: DF.Link | None
		status: DF.Literal["Draft", "Claimed", "Partly Rejected", "Rejected", "Cancelled"]
		to_date: DF.Date
		total_amount: DF.Currency

	# end: auto-generated types
	def before_insert(self):
		start_afresh(self, FIELD_RULES)

	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		self.validate_period()
		claims.check_maker(self.maker_agreement())
		self.currency = frappe.get_cached_value("Company", self.company, "default_currency")
		if self.docstatus == 0:
			self.collect()
			self.status = "Draft"
		self.set_totals()
		verify(self, FIELD_RULES)

	def before_submit(self):
		if not self.items:
			frappe.throw(
				_("No closed in-warranty orders of {0} are left to claim up to {1}.").format(
					frappe.bold(self.maker), frappe.format(self.to_date, {"fieldtype": "Date"})
				),
				exc=NothingToClaimError,
				title=_("Nothing to Claim"),
			)
		self.check_lines_current()
		for row in self.items:
			row.status = "Claimed"
		self.status = "Claimed"

	def on_submit(self):
		keys.take(
			*KEY,
			{row.name: row.service_work_order for row in self.items},
			ClaimedTwiceError,
			_("Service Work Order {0} is claimed by another warranty claim batch already."),
		)
		invoice = claims.make_claim_invoice(self, self.maker_agreement())
		self.db_set("sales_invoice", invoice.name)
		for row, item in zip(self.items, invoice.items, strict=True):
			row.db_set({"sales_invoice_item": item.name, "claim_key": row.service_work_order})

	def before_update_after_submit(self):
		refuse_update_after_submit(self)

	def before_cancel(self):
		check_cancel(self, FIELD_RULES)  # a forged copy's invoice is not cancelled
		self.check_not_settled()
		self.status = "Cancelled"

	def on_cancel(self):
		notes = [("Sales Invoice", row.credit_note) for row in reversed(self.items) if row.credit_note]
		claims.cancel_documents(
			[*notes, ("Sales Invoice", self.sales_invoice)],
			_("{0} {1} cannot be cancelled, so this claim batch cannot be either: {2}"),
			CancellationBlockedError,
		)
		keys.release(*KEY, self.name)
		self.db_set("status", "Cancelled")

	# ------------------------------------------------------------ lines

	def maker_agreement(self):
		return frappe.get_cached_doc("Warranty Maker", self.maker)

	def validate_period(self):
		if self.from_date and self.to_date and getdate(self.from_date) > getdate(self.to_date):
			frappe.throw(
				_("The period must start before it ends."), exc=InvalidPeriodError, title=_("Invalid Period")
			)

	def lines(self, names: list[str] | None = None) -> dict[str, dict]:
		"""order name -> the claim line it would make now."""
		maker = self.maker_agreement()
		found = {}
		for order in closed_orders(
			self.company, self.to_date, warranty_status=IN_WARRANTY, names=names, exclude_keys_of=KEY
		):
			if claims.maker_of(order.item_code) != self.maker:
				continue
			value, parts = claims.value_order(order, maker)
			if not value.amount:
				continue  # nothing the maker pays for (a job solved on the phone)
			found[order.name] = {
				"service_work_order": order.name,
				"item_code": order.item_code,
				"serial_no": order.serial_no,
				"fault_code": order.fault_code,
				"technician": order.technician,
				"closed_on": order.closed_on,
				"parts_amount": value.parts_amount,
				"labour_hours": flt(order.labour_hours),
				"labour_rate": flt(maker.labour_rate),
				"labour_amount": value.labour_amount,
				"amount": value.amount,
				"description": claims.describe(order, parts, value, maker.labour_rate),
				"status": "Pending",
			}
		return found

	def collect(self):
		"""The draft's lines: every order there is to claim now, rows of orders still there kept."""
		existing = {row.service_work_order: row for row in self.items}
		self.set("items", [])
		for order, values in self.lines().items():
			row = existing.get(order)
			if row:
				row.update(values)
				self.append("items", row)
			else:
				self.append("items", values)
		for idx, row in enumerate(self.items, start=1):
			row.idx = idx

	def check_lines_current(self):
		"""What is submitted is what was collected: the same orders, still unclaimed, same values."""
		names = [row.service_work_order for row in self.items]
		now = self.lines(names)
		taken = keys.holders(*KEY, [n for n in names if n not in now])
		if taken:
			order = next(iter(taken))
			frappe.throw(
				_("Service Work Order {0} is claimed by warranty claim batch {1} already.").format(
					frappe.bold(order), taken[order]
				),
				exc=ClaimedTwiceError,
				title=_("Already Claimed"),
			)
		changed = [
			row.service_work_order
			for row in self.items
			if row.service_work_order not in now
			or any(
				not same_value(row.get(f), now[row.service_work_order][f])
				for f in LINE_FIELDS
				if f != "closed_on"
			)
		]
		if changed:
			frappe.throw(
				_(
					"These orders changed since the batch was saved: {0}. Save it again to refresh the lines."
				).format(", ".join(changed)),
				exc=StaleLinesError,
				title=_("Orders Changed"),
			)

	def set_totals(self):
		self.parts_amount = money(sum(flt(r.parts_amount) for r in self.items))
		self.labour_amount = money(sum(flt(r.labour_amount) for r in self.items))
		self.total_amount = money(sum(flt(r.amount) for r in self.items))
		self.rejected_amount = money(sum(flt(r.amount) for r in self.items if r.status == "Rejected"))
		self.net_amount = money(self.total_amount - self.rejected_amount)

	def claim_status(self) -> str:
		rejected = [r for r in self.items if r.status == "Rejected"]
		if not rejected:
			return "Claimed"
		return "Rejected" if len(rejected) == len(self.items) else "Partly Rejected"

	# ------------------------------------------------------------ cancel

	def check_not_settled(self):
		line = frappe.qb.DocType("Service Settlement Order")
		settlement = frappe.qb.DocType("Service Settlement")
		settled = (
			frappe.qb.from_(line)
			.join(settlement)
			.on(settlement.name == line.parent)
			.select(settlement.name, line.service_work_order)
			.where(line.parenttype == "Service Settlement")
			.where(line.warranty_claim_batch == self.name)
			.where(settlement.docstatus == 1)
			.limit(1)
		).run()
		if settled:
			frappe.throw(
				_(
					"Service Work Order {0} of this batch is settled by {1}; cancel that settlement first."
				).format(frappe.bold(settled[0][1]), frappe.bold(settled[0][0])),
				exc=ClaimSettledError,
				title=_("Settled"),
			)

	# ------------------------------------------------------------ the maker's answer

	@frappe.whitelist()
	@acts_on_stored
	def reject_line(self, row_name: str, reason: str) -> str:
		"""The maker rejected a claimed order: record why and reverse its line with a credit note."""
		if not set(frappe.get_roles()) & set(CLAIMERS):
			frappe.throw(
				_("Only {0} record a maker's rejection.").format(", ".join(_(r) for r in CLAIMERS[:2])),
				exc=frappe.PermissionError,
				title=_("Not Permitted"),
			)
		self.check_permission("read")
		if self.docstatus != 1:
			frappe.throw(_("Submit the batch before recording a rejection."), exc=ClaimRejectionError)
		row = next((r for r in self.items if r.name == row_name), None)
		if not row or row.status != "Claimed":
			frappe.throw(
				_("Only a claimed line of this batch can be rejected."),
				exc=ClaimRejectionError,
				title=_("Cannot Reject"),
			)
		reason = (reason or "").strip()
		if not reason or len(reason) > 1000:
			frappe.throw(
				_("Give the maker's reason (up to 1000 characters)."),
				exc=ClaimRejectionError,
				title=_("Reason Required"),
			)
		row.rejection_reason = reason
		note = claims.make_credit_note(self, row)
		row.db_set(
			{
				"status": "Rejected",
				"rejection_reason": reason,
				"rejected_on": nowdate(),
				"rejected_by": frappe.session.user,
				"credit_note": note.name,
			}
		)
		self.set_totals()
		self.db_set(
			{
				"rejected_amount": self.rejected_amount,
				"net_amount": self.net_amount,
				"status": self.claim_status(),
			}
		)
		return note.name


def same_value(a, b) -> bool:
	if isinstance(b, int | float) or isinstance(a, int | float):
		return abs(flt(a) - flt(b)) < 0.005
	return (a or "") == (b or "")
