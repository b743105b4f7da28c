# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A settlement of closed jobs for a period, a service point or an engineer (WO-14): each order's
base split by the shares in force when it closed into what the service centre keeps and what its
engineer and manager are owed (aftersales/settlement/settle.py). Draft -> Checked -> Approved (the
After-Sales Manager) -> Posted: ONE Journal Entry (expense to the employees' payables) and one
statement per person; cancelling it cancels them; an amendment re-settles the same orders. Each
order is settled once (aftersales/settlement/keys.py). The lines are the server's: recollected on
every save of a draft, frozen once checked and checked again at each step."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate, now_datetime

from aftersales.domain import settlement_flow as flow
from aftersales.domain.settlement import money
from aftersales.integrity import FieldRules, capture, check_cancel, server_action, verify
from aftersales.lifecycle import check_status_change
from aftersales.settlement import accounts, keys, settle
from aftersales.settlement.amendment import refuse_update_after_submit, start_afresh
from aftersales.settlement.claims import cancel_documents
from aftersales.settlement.errors import (
	ApprovalError,
	CancellationBlockedError,
	InvalidPeriodError,
	SettledTwiceError,
	SettlementStateError,
	StaleLinesError,
)

# what is settled and who is owed what are the server's; people choose the period and scope and
# move the settlement through its lifecycle
FIELD_RULES = FieldRules(
	server=(
		"currency",
		"total_base",
		"company_amount",
		"engineer_amount",
		"manager_amount",
		"total_amount",
		"journal_entry",
		"checked_by",
		"checked_on",
		"approved_by",
		"approved_on",
	),
	server_columns={"orders": "*", "payees": "*"},
	flow=flow.FLOW,
)


class ServiceSettlement(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales.settlement.doctype.service_settlement_order.service_settlement_order import (
			ServiceSettlementOrder,
		)
		from aftersales.settlement.doctype.service_settlement_payee.service_settlement_payee import (
			ServiceSettlementPayee,
		)

		amended_from: DF.Link | None
		approved_by: DF.Link | None
		approved_on: DF.Datetime | None
		checked_by: DF.Link | None
		checked_on: DF.Datetime | None
		company: DF.Link
		company_amount: DF.Currency
		currency: DF.Link | None
		engineer_amount: DF.Currency
		from_date: DF.Date
		journal_entry: DF.Link | None
		manager_amount: DF.Currency
		naming_series: DF.Literal["SSET-.YYYY.-"]
		orders: DF.Table[ServiceSettlementOrder]
		payees: DF.Table[ServiceSettlementPayee]
		posting_date: DF.Date
		remarks: DF.SmallText | None
		service_point: DF.Link | None
		status: DF.Literal["Draft", "Checked", "Approved", "Posted", "Cancelled"]
		technician: DF.Link | None
		to_date: DF.Date
		total_amount: DF.Currency
		total_base: DF.Currency

	# end: auto-generated types
	def before_insert(self):
		start_afresh(self, FIELD_RULES)

	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		self.validate_period()
		self.currency = frappe.get_cached_value("Company", self.company, "default_currency")
		old = check_status_change(self, flow.FLOW, SettlementStateError)
		if self.docstatus == 0 and self.status == flow.DRAFT:
			self.collect()
		else:
			self.check_lines_current()
		self.set_payees(strict=self.status != flow.DRAFT)
		self.set_totals()
		self.record_steps(old)
		verify(self, FIELD_RULES)

	def before_submit(self):
		before = self.get_doc_before_save()
		if (before.status if before else None) != flow.APPROVED:
			frappe.throw(
				_("The After-Sales Manager approves a settlement before it is posted."),
				exc=ApprovalError,
				title=_("Not Approved"),
			)
		if not set(frappe.get_roles()) & {*flow.POSTERS, "System Manager"}:
			frappe.throw(
				_("A settlement is posted by {0}.").format(", ".join(_(r) for r in flow.POSTERS)),
				exc=ApprovalError,
				title=_("Not Permitted"),
			)
		self.status = flow.POSTED

	def on_submit(self):
		keys.take(
			*settle.KEY,
			{row.name: settle.key_of(row.service_work_order, row.kind) for row in self.orders},
			SettledTwiceError,
			_("Service Work Order {0} is settled by another settlement already."),
		)
		for row in self.orders:
			row.settled_key = settle.key_of(row.service_work_order, row.kind)
		self.post()
		self.make_statements()

	def before_update_after_submit(self):
		refuse_update_after_submit(self)

	def before_cancel(self):
		check_cancel(self, FIELD_RULES)  # a forged copy's journal entry is not cancelled
		self.check_not_reversed()
		self.status = flow.CANCELLED

	def on_cancel(self):
		statements = frappe.get_all(
			"Settlement Statement", {"settlement": self.name, "docstatus": 1}, pluck="name"
		)
		for name in statements:
			statement = frappe.get_doc("Settlement Statement", name)
			statement.flags.ignore_permissions = True
			server_action(statement, "settlement cancelled")
			statement.cancel()
		for payee in self.payees:
			accounts.withdraw_additional_salary(payee.additional_salary)
		cancel_documents(
			[("Journal Entry", self.journal_entry)],
			_("{0} {1} cannot be cancelled, so this settlement cannot be either: {2}"),
			CancellationBlockedError,
		)
		keys.release(*settle.KEY, self.name)
		self.db_set("status", flow.CANCELLED)

	# ------------------------------------------------------------ lines

	def validate_period(self):
		if getdate(self.from_date) > getdate(self.to_date):
			frappe.throw(
				_("The period must start before it ends."), exc=InvalidPeriodError, title=_("Invalid Period")
			)

	def only(self) -> set[tuple[str, str]] | None:
		"""An amendment settles again the orders of the settlement it amends, and no others."""
		if not self.amended_from:
			return None
		return {
			(row.service_work_order, row.kind)
			for row in frappe.get_all(
				"Service Settlement Order",
				{"parent": self.amended_from, "parenttype": self.doctype},
				["service_work_order", "kind"],
			)
		}

	def collect(self):
		"""The draft's lines as they are now; rows of orders still there are kept."""
		existing = {(row.service_work_order, row.kind): row for row in self.orders}
		self.set("orders", [])
		for values in settle.lines_of(self, self.only()):
			row = existing.get((values["service_work_order"], values["kind"]))
			if row:
				row.update(values)
				self.append("orders", row)
			else:
				self.append("orders", values)
		for idx, row in enumerate(self.orders, start=1):
			row.idx = idx

	def check_lines_current(self):
		"""Checked, approved and posted figures are the figures of the orders now: a line whose order
		was settled elsewhere, or whose base, shares or people changed, stops the step."""
		if not self.orders:
			frappe.throw(
				_("Nothing to settle: no closed order is ready in this period."),
				exc=SettlementStateError,
				title=_("Nothing to Settle"),
			)
		mine = {(row.service_work_order, row.kind) for row in self.orders}
		now = {(line["service_work_order"], line["kind"]): line for line in settle.lines_of(self, mine)}
		missing = [key for key in sorted(mine) if key not in now]
		taken = keys.holders(*settle.KEY, [settle.key_of(order, kind) for order, kind in missing])
		if taken:
			key, holder = next(iter(taken.items()))
			frappe.throw(
				_("Service Work Order {0} is settled by {1} already.").format(
					frappe.bold(key.split("/")[0]), holder
				),
				exc=SettledTwiceError,
				title=_("Already Settled"),
			)
		changed = [
			row.service_work_order
			for row in self.orders
			if (row.service_work_order, row.kind) not in now
			or any(
				not same(row.get(f), now[(row.service_work_order, row.kind)].get(f))
				for f in settle.LINE_FIELDS
			)
		]
		if changed:
			frappe.throw(
				_(
					"The figures of these orders changed since the settlement was drawn up: {0}. Send it back to Draft and save it to refresh them."
				).format(", ".join(changed)),
				exc=StaleLinesError,
				title=_("Orders Changed"),
			)

	def set_payees(self, strict: bool):
		"""What each person is owed; rows of people still owed are kept."""
		existing = {row.employee: row for row in self.payees}
		payroll = accounts.pays_engineers_through_payroll()
		self.set("payees", [])
		for idx, payee in enumerate(settle.payees_of(self.orders, strict), start=1):
			values = {
				"employee": payee.employee,
				"employee_name": settle.employee_name(payee.employee),
				"orders": len(payee.orders),
				"as_engineer": payee.as_engineer,
				"as_manager": payee.as_manager,
				"amount": payee.amount,
				"paid_by": "Additional Salary" if payroll and payee.as_engineer > 0 else "Journal Entry",
				"idx": idx,
			}
			row = existing.get(payee.employee)
			if row:
				row.update(values)
				self.append("payees", row)
			else:
				self.append("payees", values)

	def set_totals(self):
		self.total_base = money(sum(flt(r.base) for r in self.orders))
		self.company_amount = money(sum(flt(r.company_amount) for r in self.orders))
		self.engineer_amount = money(sum(flt(r.technician_amount) for r in self.orders))
		self.manager_amount = money(sum(flt(r.manager_amount) for r in self.orders))
		self.total_amount = money(self.engineer_amount + self.manager_amount)

	def record_steps(self, old: str | None):
		if old == self.status:
			return
		if self.status == flow.CHECKED:
			self.checked_by, self.checked_on = frappe.session.user, now_datetime()
		elif self.status == flow.APPROVED:
			self.approved_by, self.approved_on = frappe.session.user, now_datetime()
		elif self.status == flow.DRAFT:
			self.checked_by = self.checked_on = self.approved_by = self.approved_on = None

	# ------------------------------------------------------------ posting

	def post(self):
		"""ONE Journal Entry for everything owed; engineers' shares through payroll when set."""
		owed = []
		for payee in self.payees:
			through_journal = flt(payee.amount)
			if payee.paid_by == "Additional Salary":
				payee.db_set(
					"additional_salary",
					accounts.make_additional_salary(self, payee.employee, flt(payee.as_engineer)),
				)
				through_journal = flt(payee.as_manager)
			owed.append((payee.employee, through_journal))
		entry = accounts.make_journal_entry(self, owed)
		if entry:
			self.db_set("journal_entry", entry)

	def make_statements(self):
		for payee in self.payees:
			statement = frappe.get_doc(
				{
					"doctype": "Settlement Statement",
					"settlement": self.name,
					"employee": payee.employee,
					"user": frappe.db.get_value("Employee", payee.employee, "user_id"),
					"company": self.company,
					"from_date": self.from_date,
					"to_date": self.to_date,
					"posting_date": self.posting_date,
					"currency": self.currency,
					"paid_by": payee.paid_by,
					"journal_entry": self.journal_entry,
					"additional_salary": payee.additional_salary,
					"as_engineer": payee.as_engineer,
					"as_manager": payee.as_manager,
					"total_amount": payee.amount,
					"lines": settle.statement_lines(self, payee.employee),
				}
			)
			statement.flags.ignore_permissions = True
			server_action(statement, "settlement posted")
			statement.insert()
			statement.submit()
			payee.db_set("statement", statement.name)

	def check_not_reversed(self):
		"""A job line whose rejected claim a later settlement reversed stays settled until that
		settlement is cancelled."""
		reversals = keys.holders(
			*settle.KEY,
			[
				settle.key_of(r.service_work_order, settle.REVERSAL)
				for r in self.orders
				if r.kind == settle.JOB
			],
		)
		if reversals:
			key, holder = next(iter(reversals.items()))
			frappe.throw(
				_("Settlement {0} reverses the rejected claim of {1} settled here; cancel it first.").format(
					frappe.bold(holder), frappe.bold(key.split("/")[0])
				),
				exc=CancellationBlockedError,
				title=_("Cancellation Blocked"),
			)


def same(a, b) -> bool:
	if isinstance(a, int | float) or isinstance(b, int | float):
		return abs(flt(a) - flt(b)) < 0.005
	return (a or "") == (b or "")
