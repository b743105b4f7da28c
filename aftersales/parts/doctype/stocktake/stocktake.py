# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A stocktake (ST-1..ST-4): the book quantities are frozen when counting starts, the counted
quantities are compared with them, every difference needs a reason, the count is approved
(warehouse manager; the After-Sales Manager too above the settings' value) and posted as ONE
ERPNext Stock Reconciliation that adjusts today's quantity by the difference found, so movements
between the freeze and the posting are kept (see aftersales/domain/stocktake.py)."""

import csv
import io

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, cint, flt, get_datetime, getdate, now_datetime, nowdate

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain import stocktake as rules
from aftersales.domain import stocktake_flow as flow
from aftersales.integrity import FieldRules, acts_on_stored, capture, verify
from aftersales.roles import AFTER_SALES_MANAGER

# Book quantities and values are fixed at the freeze; the differences and totals are computed.
FIELD_RULES = FieldRules(
	server=(
		"freeze_time",
		"counted_by",
		"needs_manager_approval",
		"gain_value",
		"loss_value",
		"net_value",
		"stock_reconciliation",
	),
	server_columns={
		"items": (
			"book_qty",
			"valuation_rate",
			"difference_qty",
			"difference_value",
			"current_qty",
			"posted_qty",
		)
	},
	flow=flow.FLOW,
)
OPEN_STATES = (flow.COUNTING, flow.COUNTED, flow.APPROVED_BY_WAREHOUSE)


class StocktakeStateError(frappe.ValidationError):
	pass


class CountError(frappe.ValidationError):
	pass


class ItemNotOnSheetError(CountError):
	pass


class ReasonRequiredError(CountError):
	pass


class ApprovalError(frappe.ValidationError):
	pass


class OverlappingStocktakeError(frappe.ValidationError):
	pass


class Stocktake(Document):
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		self.validate_status_change()
		if self.entering(flow.COUNTING) and not self.freeze_time:
			self.freeze()
			self.check_no_overlap(OPEN_STATES)
		self.validate_counts()
		self.set_differences()
		if self.entering(flow.COUNTED):
			self.check_count_complete()
			self.counted_by = frappe.session.user
		verify(self, FIELD_RULES)

	def before_submit(self):
		self.check_approval()
		self.check_count_complete()
		if self.stock_reconciliation:
			frappe.throw(_("This stocktake is posted already."), exc=StocktakeStateError)
		# a part counted by two stocktakes at once would have its difference posted twice
		self.check_no_overlap(OPEN_STATES, posted_since_freeze=True)

	def on_submit(self):
		self.db_set("status", flow.POSTED)
		self.db_set("stock_reconciliation", self.post_differences())
		self.mark_parts_counted()

	def before_update_after_submit(self):
		# a posted stocktake changes only by being cancelled; submitting it again lands here
		frappe.throw(
			_("Stocktake {0} is posted already ({1}); cancel and amend it to count again.").format(
				frappe.bold(self.name), self.stock_reconciliation or _("no differences")
			),
			exc=StocktakeStateError,
			title=_("Already Posted"),
		)

	def before_cancel(self):
		self.status = flow.CANCELLED

	def on_cancel(self):
		self.db_set("status", flow.CANCELLED)
		if (
			self.stock_reconciliation
			and frappe.db.get_value("Stock Reconciliation", self.stock_reconciliation, "docstatus") == 1
		):
			reconciliation = frappe.get_doc("Stock Reconciliation", self.stock_reconciliation)
			reconciliation.flags.ignore_permissions = True
			reconciliation._cancel()  # in this transaction, as the posting (see post_differences)

	# ------------------------------------------------------------ status

	def previous_status(self) -> str | None:
		before = self.get_doc_before_save()
		return before.status if before else None

	def entering(self, state: str) -> bool:
		return self.status == state and self.previous_status() != state

	def validate_status_change(self):
		old = self.previous_status() or flow.DRAFT
		if self.is_new() and self.status != flow.DRAFT:
			self.throw_state(_("A new stocktake starts as {0}.").format(_(flow.DRAFT)))
		if self.docstatus == 0 and self.status in (flow.POSTED, flow.CANCELLED):
			self.throw_state(_("A stocktake is {0} only by submitting it.").format(_(self.status)))
		if not flow.FLOW.is_allowed(old, self.status) and self.status not in (flow.POSTED, flow.CANCELLED):
			self.throw_state(
				_("A stocktake cannot go from {0} to {1}.").format(
					frappe.bold(_(old)), frappe.bold(_(self.status))
				)
			)
		if old != flow.DRAFT and self.status != flow.DRAFT:
			before = self.get_doc_before_save()
			if before and self.sheet_keys(before) != self.sheet_keys(self):
				self.throw_state(_("The count sheet is fixed once the book quantities are frozen."))

	@staticmethod
	def sheet_keys(doc) -> list[tuple[str, str]]:
		return sorted((row.item_code, row.warehouse) for row in doc.items)

	def throw_state(self, message: str):
		frappe.throw(message, exc=StocktakeStateError, title=_("Stocktake"))

	# ------------------------------------------------------------ one count per part at a time

	def check_no_overlap(self, states: tuple[str, ...], posted_since_freeze: bool = False):
		"""No other open stocktake holds the same part in the same warehouse; when posting, none that
		holds it has been posted since this one froze its book quantities."""
		stocktake = frappe.qb.DocType("Stocktake")
		item = frappe.qb.DocType("Stocktake Item")
		keys = {(row.item_code, row.warehouse) for row in self.items}
		if not keys:
			return
		condition = stocktake.status.isin(states)
		if posted_since_freeze:
			condition = condition | (
				(stocktake.docstatus == 1) & (stocktake.modified >= get_datetime(self.freeze_time))
			)
		rows = (
			frappe.qb.from_(item)
			.join(stocktake)
			.on(stocktake.name == item.parent)
			.select(stocktake.name, item.item_code, item.warehouse)
			.where(item.parenttype == "Stocktake")
			.where(stocktake.name != (self.name or ""))
			.where(item.item_code.isin(list({k[0] for k in keys})))
			.where(condition)
		).run(as_dict=True)
		clashes = sorted(
			{(r.name, r.item_code, r.warehouse) for r in rows if (r.item_code, r.warehouse) in keys}
		)
		if clashes:
			frappe.throw(
				_("These parts are counted by another stocktake at the same time: {0}.").format(
					"; ".join(
						_("{0} in {1} ({2})").format(frappe.bold(code), warehouse, name)
						for name, code, warehouse in clashes[:10]
					)
				),
				exc=OverlappingStocktakeError,
				title=_("Counted Twice"),
			)

	# ------------------------------------------------------------ freeze

	def freeze(self):
		"""Fill the count sheet (unless rows were listed by hand) with the book quantities now."""
		self.freeze_time = now_datetime()
		if not self.items:
			for item_code, warehouse in self.parts_to_count():
				self.append("items", {"item_code": item_code, "warehouse": warehouse})
		if not self.items:
			frappe.throw(_("Nothing to count: no spare parts match this stocktake."), exc=CountError)
		for row in self.items:
			bin_ = frappe.db.get_value(
				"Bin",
				{"item_code": row.item_code, "warehouse": row.warehouse},
				["actual_qty", "valuation_rate"],
			) or (0, 0)
			row.book_qty, row.valuation_rate = flt(bin_[0]), flt(bin_[1]) or valuation_rate_of(row.item_code)
			row.counted, row.counted_qty = 0, 0

	def parts_to_count(self) -> list[tuple[str, str]]:
		bin_ = frappe.qb.DocType("Bin")
		part = frappe.qb.DocType("Spare Part")
		warehouse = frappe.qb.DocType("Warehouse")
		query = (
			frappe.qb.from_(bin_)
			.join(part)
			.on(part.item_code == bin_.item_code)
			.join(warehouse)
			.on(warehouse.name == bin_.warehouse)
			.select(bin_.item_code, bin_.warehouse)
			.where(part.disabled == 0)
			.where(warehouse.company == self.company)
			.where(bin_.actual_qty != 0)
			.orderby(bin_.warehouse)
			.orderby(bin_.item_code)
		)
		if self.warehouse:
			query = query.where(bin_.warehouse == self.warehouse)
		if self.abc_class:
			query = query.where(part.abc_class == self.abc_class)
		if self.kind == "Monthly Cycle Count":
			due = cycle_due_classes_condition(part)
			query = query.where(due)
		return query.run()

	# ------------------------------------------------------------ counting

	def validate_counts(self):
		before = self.get_doc_before_save()
		old = {(r.item_code, r.warehouse): r for r in before.items} if before else {}
		for row in self.items:
			if flt(row.counted_qty) < 0:
				frappe.throw(
					_("Row {0}: the counted quantity of {1} cannot be negative.").format(
						row.idx, frappe.bold(row.item_code)
					),
					exc=CountError,
					title=_("Invalid Count"),
				)
			previous = old.get((row.item_code, row.warehouse))
			if previous and flt(previous.counted_qty) != flt(row.counted_qty):
				row.counted = 1
			if row.counted and self.status == flow.DRAFT:
				frappe.throw(_("Freeze the book quantities before entering counts."), exc=StocktakeStateError)

	def set_differences(self):
		lines = []
		for row in self.items:
			if not row.counted:
				row.difference_qty = row.difference_value = 0
				continue
			line = self.line(row)
			row.difference_qty = line.difference
			row.difference_value = line.difference_value
			lines.append(line)
		totals = rules.totals(lines)
		self.gain_value, self.loss_value, self.net_value = (
			totals["gain_value"],
			totals["loss_value"],
			totals["net_value"],
		)
		threshold = flt(get_settings().stocktake_approval_value)
		self.needs_manager_approval = int(flt(self.gain_value) + flt(self.loss_value) > threshold)

	@staticmethod
	def line(row) -> rules.Line:
		return rules.Line(
			row.item_code, row.warehouse, flt(row.book_qty), flt(row.counted_qty), flt(row.valuation_rate)
		)

	def check_count_complete(self):
		missing = [str(row.idx) for row in self.items if not row.counted]
		if missing:
			frappe.throw(
				_("Rows {0} have not been counted.").format(", ".join(missing)),
				exc=CountError,
				title=_("Count Incomplete"),
			)
		unexplained = [str(row.idx) for row in self.items if flt(row.difference_qty) and not row.reason]
		if unexplained:
			frappe.throw(
				_("Give a reason for the difference in rows {0}.").format(", ".join(unexplained)),
				exc=ReasonRequiredError,
				title=_("Reason Required"),
			)

	def check_approval(self):
		roles = set(frappe.get_roles())
		old = self.previous_status()
		if self.needs_manager_approval:
			if old != flow.APPROVED_BY_WAREHOUSE or AFTER_SALES_MANAGER not in roles:
				frappe.throw(
					_(
						"Differences worth {0} need the warehouse manager's approval and then the After-Sales Manager's."
					).format(
						frappe.format(flt(self.gain_value) + flt(self.loss_value), {"fieldtype": "Currency"})
					),
					exc=ApprovalError,
					title=_("Approval Required"),
				)
		elif old != flow.COUNTED or not roles & {"Stock Manager", AFTER_SALES_MANAGER}:
			frappe.throw(
				_("A counted stocktake is approved and posted by a Stock Manager."),
				exc=ApprovalError,
				title=_("Approval Required"),
			)

	@frappe.whitelist()
	@acts_on_stored
	def import_counts(self, content: str) -> int:
		"""Counted quantities from CSV text with the columns item_code, warehouse, counted_qty and
		optionally reason: every row must be on the sheet; nothing is saved if one is wrong."""
		self.check_permission("write")
		if self.status != flow.COUNTING:
			frappe.throw(_("Counts are imported while the stocktake is Counting."), exc=StocktakeStateError)
		rows = {(r.item_code, r.warehouse): r for r in self.items}
		reader = csv.DictReader(io.StringIO(content))
		count = 0
		for number, record in enumerate(reader, start=2):
			key = ((record.get("item_code") or "").strip(), (record.get("warehouse") or "").strip())
			row = rows.get(key)
			if not row:
				frappe.throw(
					_("Line {0}: {1} in {2} is not on this count sheet.").format(
						number, *map(frappe.bold, key)
					),
					exc=ItemNotOnSheetError,
					title=_("Not on the Sheet"),
				)
			try:
				qty = float(record.get("counted_qty"))
			except (TypeError, ValueError):
				frappe.throw(_("Line {0}: counted_qty must be a number.").format(number), exc=CountError)
			row.counted_qty, row.counted = qty, 1
			if record.get("reason"):
				row.reason = record["reason"].strip()
			count += 1
		self.save()
		return count

	# ------------------------------------------------------------ posting

	def post_differences(self) -> str | None:
		"""One Stock Reconciliation: today's quantity + the difference found at the count."""
		reconciliation = frappe.new_doc("Stock Reconciliation")
		# posted now (ERPNext's own timestamp): after every movement counted in `current` below
		reconciliation.update({"company": self.company, "purpose": "Stock Reconciliation"})
		for row in self.items:
			if not flt(row.difference_qty):
				continue
			current = flt(
				frappe.db.get_value(
					"Bin", {"item_code": row.item_code, "warehouse": row.warehouse}, "actual_qty"
				)
			)
			try:
				target = rules.qty_to_post(current, self.line(row))
			except rules.CountError:
				frappe.throw(
					_("{0} in {1}: today's stock {2} less the loss found ({3}) would be negative.").format(
						frappe.bold(row.item_code), frappe.bold(row.warehouse), current, row.difference_qty
					),
					exc=CountError,
				)
			row.db_set({"current_qty": current, "posted_qty": target})
			reconciliation.append(
				"items",
				{
					"item_code": row.item_code,
					"warehouse": row.warehouse,
					"qty": target,
					"valuation_rate": flt(row.valuation_rate) or valuation_rate_of(row.item_code),
				},
			)
		if not reconciliation.items:
			return None
		reconciliation.flags.ignore_permissions = True
		reconciliation.insert()
		# ERPNext queues the submission of a reconciliation of more than 100 lines; the stocktake is
		# posted in the same transaction instead, so it is never Posted without its reconciliation
		reconciliation._submit()
		return reconciliation.name

	def mark_parts_counted(self):
		for item_code in {row.item_code for row in self.items}:
			if frappe.db.exists("Spare Part", item_code):
				frappe.db.set_value("Spare Part", item_code, "last_counted_on", getdate(self.freeze_time))


def valuation_rate_of(item_code: str) -> float:
	return flt(frappe.db.get_value("Item", item_code, "valuation_rate"))


def cycle_due_classes_condition(part):
	"""Cycle counts: class A every `cycle_days_a` days, B and C likewise; never counted is due."""
	settings = get_settings()
	today = getdate(nowdate())
	condition = None
	for klass, days in (
		("A", settings.cycle_days_a),
		("B", settings.cycle_days_b),
		("C", settings.cycle_days_c),
	):
		due_before = add_days(today, -cint(days or 30))
		clause = (part.abc_class == klass) & (
			part.last_counted_on.isnull() | (part.last_counted_on <= due_before)
		)
		condition = clause if condition is None else condition | clause
	unclassified = part.abc_class.isnull() | (part.abc_class == "")
	return condition | unclassified
