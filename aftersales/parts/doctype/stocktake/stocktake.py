# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A stocktake (ST-1..ST-4): the book quantities are frozen when counting starts, the counted
quantities are compared with them, every difference needs a reason, the count is approved
(warehouse manager; the After-Sales Manager too above the settings' value) and posted as ONE
ERPNext Stock Reconciliation that adjusts today's quantity by the difference found, so movements
between the freeze and the posting are kept (see aftersales/domain/stocktake.py).

Posting runs as a background job (queue "long"): approving moves the stocktake to Posting and
queues `post_stocktake`, which makes and submits the reconciliation and submits the stocktake in one
transaction, reporting its progress to the form. On any error the job rolls all of it back, records
the error on the stocktake and returns it to the state it was approved from, so it can be posted
again; a stocktake is Posted only together with its submitted reconciliation."""

import csv
import io

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, cint, flt, get_datetime, getdate, now_datetime, nowdate
from frappe.utils.background_jobs import is_job_enqueued

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain import stocktake as rules
from aftersales.domain import stocktake_flow as flow
from aftersales.integrity import FieldRules, acts_on_stored, capture, check_cancel, server_action, verify
from aftersales.parts.bulk import insert_rows, update_rows
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
		"posting_error",
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
OPEN_STATES = (flow.COUNTING, flow.COUNTED, flow.APPROVED_BY_WAREHOUSE, flow.POSTING)
POSTING_QUEUE = "long"
POSTING_TIMEOUT = 3600


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
		if self.previous_status() == flow.POSTING and not self.flags.posting_job:
			self.throw_state(_("This stocktake is being posted; wait until the posting has finished."))
		self.validate_status_change()
		if self.entering(flow.COUNTING) and not self.freeze_time:
			self.freeze()
			self.check_no_overlap(OPEN_STATES)
		self.validate_counts()
		self.set_differences()
		if self.entering(flow.COUNTED):
			self.check_count_complete()
			self.counted_by = frappe.session.user
		if self.entering(flow.POSTING):
			self.check_approval()
			self.check_count_complete()
			self.check_no_overlap(OPEN_STATES, posted_since_freeze=True)
			self.posting_error = None
			self.flags.queue_posting = True
		verify(self, FIELD_RULES)

	def on_update(self):
		if self.flags.sheet_rows:
			self.insert_sheet_rows()
		if self.flags.queue_posting:
			self.flags.queue_posting = False
			queue_posting(self.name)

	def before_submit(self):
		# only the posting job submits, with the reconciliation it made in the same transaction
		if not self.flags.posting_job or self.previous_status() != flow.POSTING:
			frappe.throw(
				_("A stocktake is posted by approving it; the posting runs in the background."),
				exc=StocktakeStateError,
				title=_("Posting"),
			)
		self.check_count_complete()
		# a part counted by two stocktakes at once would have its difference posted twice
		self.check_no_overlap(OPEN_STATES, posted_since_freeze=True)

	def on_submit(self):
		self.db_set({"status": flow.POSTED, "posting_error": None})
		self.mark_parts_counted()

	def _validate_links(self):
		"""Rows of the count sheet stored with the same item and warehouse had their links checked when
		they were added (and the sheet is fixed once frozen): only the others are checked again, not
		one query per row of a sheet of thousands on every save."""
		if self.is_new() or not self.items:
			return super()._validate_links()
		item = frappe.qb.DocType("Stocktake Item")
		stored = set(
			frappe.qb.from_(item)
			.select(item.name, item.item_code, item.warehouse)
			.where(item.parent == self.name)
			.where(item.parenttype == self.doctype)
			.run()
		)
		sheet = self.items
		self.items = [row for row in sheet if (row.name, row.item_code, row.warehouse) not in stored]
		try:
			return super()._validate_links()
		finally:
			self.items = sheet

	def update_child_table(self, fieldname, df=None):
		"""The count sheet (up to tens of thousands of rows) is written in bulk statements, not a
		statement per row as Frappe does for child tables (aftersales/parts/bulk.py)."""
		if fieldname != "items":
			return super().update_child_table(fieldname, df)
		write_sheet(self)

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
		check_cancel(self, FIELD_RULES)  # a forged copy's stock_reconciliation is not cancelled
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
		if (
			self.docstatus == 0
			and self.status in (flow.POSTED, flow.CANCELLED)
			and not self.flags.posting_job
		):
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
		rows = self.flags.sheet_rows or self.items
		keys = {(row.get("item_code"), row.get("warehouse")) for row in rows}
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
		# a Version listing every row of a count sheet of thousands of parts would say nothing more
		# than the sheet itself
		self.flags.ignore_version = True
		if not self.items:
			# the sheet is made from the bins in one query and written in bulk after the save
			# (`on_update`): thousands of rows never pass one by one through the document
			self.flags.sheet_rows = self.sheet_from_bins()
			if not self.flags.sheet_rows:
				frappe.throw(_("Nothing to count: no spare parts match this stocktake."), exc=CountError)
			return
		bins = bins_of(self.items)
		item_rates = item_valuation_rates(
			{
				row.item_code
				for row in self.items
				if not flt(bins.get((row.item_code, row.warehouse), {}).get("rate"))
			}
		)
		for row in self.items:
			bin_ = bins.get((row.item_code, row.warehouse)) or {}
			row.book_qty = flt(bin_.get("qty"))
			row.valuation_rate = flt(bin_.get("rate")) or item_rates.get(row.item_code, 0.0)
			row.counted, row.counted_qty = 0, 0

	def sheet_from_bins(self) -> list[dict]:
		rows = self.parts_to_count()
		item_rates = item_valuation_rates({row.item_code for row in rows if not flt(row.valuation_rate)})
		return [
			{
				"item_code": row.item_code,
				"item_name": row.item_name,
				"warehouse": row.warehouse,
				"book_qty": flt(row.actual_qty),
				"valuation_rate": flt(row.valuation_rate) or item_rates.get(row.item_code, 0.0),
				"counted": 0,
				"counted_qty": 0,
			}
			for row in rows
		]

	def insert_sheet_rows(self):
		rows = self.flags.sheet_rows
		self.flags.sheet_rows = None
		timestamp, user = self.modified, frappe.session.user
		for idx, row in enumerate(rows, start=1):
			row.update(
				{
					"name": frappe.generate_hash(length=10),
					"parent": self.name,
					"parenttype": self.doctype,
					"parentfield": "items",
					"idx": idx,
					"docstatus": 0,
					"creation": timestamp,
					"modified": timestamp,
					"owner": user,
					"modified_by": user,
				}
			)
		insert_rows("Stocktake Item", rows)
		self.set("items", rows)

	def parts_to_count(self) -> list[dict]:
		bin_ = frappe.qb.DocType("Bin")
		part = frappe.qb.DocType("Spare Part")
		warehouse = frappe.qb.DocType("Warehouse")
		query = (
			frappe.qb.from_(bin_)
			.join(part)
			.on(part.item_code == bin_.item_code)
			.join(warehouse)
			.on(warehouse.name == bin_.warehouse)
			.select(bin_.item_code, part.item_name, bin_.warehouse, bin_.actual_qty, bin_.valuation_rate)
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
		return query.run(as_dict=True)

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
		old = self.previous_status()
		roles = set(frappe.get_roles())
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

	@frappe.whitelist()
	@acts_on_stored
	def queue_posting_again(self) -> None:
		"""A posting whose job was lost (a worker stopped) is queued again by a manager; a job that
		is still queued or running is left alone."""
		if not set(frappe.get_roles()) & set(flow.MANAGERS):
			raise frappe.PermissionError
		if self.status != flow.POSTING or self.docstatus != 0:
			self.throw_state(_("Only a stocktake that is being posted can be queued again."))
		queue_posting(self.name)

	def post_differences(self, progress=None) -> str | None:
		"""One Stock Reconciliation: today's quantity + the difference found at the count."""
		progress = progress or (lambda percent, description: None)
		reconciliation = frappe.new_doc("Stock Reconciliation")
		# posted now (ERPNext's own timestamp): after every movement counted in `current` below
		reconciliation.update({"company": self.company, "purpose": "Stock Reconciliation"})
		rows = [row for row in self.items if flt(row.difference_qty)]
		bins = bins_of(rows, for_update=True)
		item_rates = item_valuation_rates({row.item_code for row in rows if not flt(row.valuation_rate)})
		posted = {}
		for row in rows:
			current = flt(bins.get((row.item_code, row.warehouse), {}).get("qty"))
			try:
				target = rules.qty_to_post(current, self.line(row))
			except rules.CountError:
				frappe.throw(
					_("{0} in {1}: today's stock {2} less the loss found ({3}) would be negative.").format(
						frappe.bold(row.item_code), frappe.bold(row.warehouse), current, row.difference_qty
					),
					exc=CountError,
				)
			row.current_qty, row.posted_qty = current, target
			posted[row.name] = {"current_qty": current, "posted_qty": target}
			reconciliation.append(
				"items",
				{
					"item_code": row.item_code,
					"warehouse": row.warehouse,
					"qty": target,
					"valuation_rate": flt(row.valuation_rate) or item_rates.get(row.item_code, 0.0),
				},
			)
		update_rows("Stocktake Item", posted, update_modified=False)
		if not reconciliation.items:
			return None
		progress(10, _("Checking {0} lines in the Stock Reconciliation").format(len(reconciliation.items)))
		reconciliation.flags.ignore_permissions = True
		reconciliation.insert()
		progress(40, _("Posting {0} lines to the stock ledger").format(len(reconciliation.items)))
		# ERPNext queues the submission of a reconciliation of more than 100 lines; this job submits it
		# itself, in its own transaction, so the stocktake is never Posted without its reconciliation
		reconciliation._submit()
		return reconciliation.name

	def mark_parts_counted(self):
		part = frappe.qb.DocType("Spare Part")
		items = list({row.item_code for row in self.items})
		for start in range(0, len(items), 1000):
			(
				frappe.qb.update(part)
				.set(part.last_counted_on, getdate(self.freeze_time))
				.where(part.name.isin(items[start : start + 1000]))
			).run()


def valuation_rate_of(item_code: str) -> float:
	return flt(frappe.db.get_value("Item", item_code, "valuation_rate"))


def write_sheet(doc) -> None:
	"""Delete the rows no longer on the sheet, insert the new ones, update the others: a few
	statements per 1,000 rows whatever the size of the sheet."""
	item = frappe.qb.DocType("Stocktake Item")
	kept = [row.name for row in doc.items if row.name and not row.is_new()]
	delete = (
		frappe.qb.from_(item)
		.delete()
		.where(item.parent == doc.name)
		.where(item.parenttype == doc.doctype)
		.where(item.parentfield == "items")
	)
	if kept:
		delete = delete.where(item.name.notin(kept))
	delete.run()
	before = doc.get_doc_before_save()
	before_rows = {row.name: row for row in before.items} if before else {}
	new, changed, docstatus_only = [], {}, []
	for row in doc.items:
		values = row.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True)
		if row.is_new() or not row.name:
			row.name = row.name or frappe.generate_hash(length=10)
			values["name"] = row.name
			new.append(values)
			continue
		values = {column: value for column, value in values.items() if column != "name"}
		old = before_rows.get(row.name)
		if old is not None:
			differs = changed_columns(
				old.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True), values
			)
			if not differs:
				continue  # unchanged rows are not written again
			if differs == {"docstatus"}:
				docstatus_only.append(row.name)  # submitting or cancelling: one statement below
				continue
		changed[row.name] = values
	if new:
		insert_rows("Stocktake Item", new)
		for row in doc.items:
			row.set("__islocal", None)
	update_rows("Stocktake Item", changed, update_modified=False)
	for start in range(0, len(docstatus_only), 1000):
		(
			frappe.qb.update(item)
			.set(item.docstatus, doc.docstatus)
			.where(item.name.isin(docstatus_only[start : start + 1000]))
		).run()


def changed_columns(old: dict, new: dict) -> set[str]:
	"""The columns that differ, but for the timestamps every save sets on every row."""
	return {
		column
		for column, value in new.items()
		if column not in ("modified", "modified_by") and old.get(column) != value
	}


def bins_of(rows, for_update: bool = False) -> dict[tuple[str, str], dict]:
	"""Quantity and valuation rate of each row's Bin, one query per 1,000 items."""
	bin_ = frappe.qb.DocType("Bin")
	keys = {(row.item_code, row.warehouse) for row in rows}
	items = sorted({item for item, _warehouse in keys})
	found = {}
	for start in range(0, len(items), 1000):
		query = (
			frappe.qb.from_(bin_)
			.select(bin_.item_code, bin_.warehouse, bin_.actual_qty, bin_.valuation_rate)
			.where(bin_.item_code.isin(items[start : start + 1000]))
			.where(bin_.warehouse.isin(sorted({warehouse for _item, warehouse in keys})))
		)
		if for_update:
			query = query.for_update()
		for item, warehouse, qty, rate in query.run():
			if (item, warehouse) in keys:
				found[(item, warehouse)] = {"qty": flt(qty), "rate": flt(rate)}
	return found


def item_valuation_rates(items) -> dict[str, float]:
	"""The Items' own valuation rates, for parts never received into a warehouse."""
	if not items:
		return {}
	item = frappe.qb.DocType("Item")
	items = sorted(items)
	rates = {}
	for start in range(0, len(items), 1000):
		rows = (
			frappe.qb.from_(item)
			.select(item.name, item.valuation_rate)
			.where(item.name.isin(items[start : start + 1000]))
		).run()
		rates.update({name: flt(rate) for name, rate in rows})
	return rates


# ---------------------------------------------------------------- the posting job


SAVEPOINT = "stocktake_posting"


def posting_job_id(name: str) -> str:
	return f"stocktake-posting::{name}"


def queue_posting(name: str) -> None:
	"""After the approval commits, post in the background (at once in tests: ERPNext's Stock
	Reconciliation does the same with its queued submissions). A job already queued or running for
	this stocktake is not queued again."""
	if not frappe.flags.in_test and is_job_enqueued(posting_job_id(name)):
		return
	frappe.enqueue(
		"aftersales.parts.doctype.stocktake.stocktake.post_stocktake",
		queue=POSTING_QUEUE,
		timeout=POSTING_TIMEOUT,
		job_id=posting_job_id(name),
		deduplicate=not frappe.flags.in_test,
		enqueue_after_commit=True,
		now=bool(frappe.flags.in_test),
		stocktake=name,
	)


def post_stocktake(stocktake: str) -> str:
	"""The job: the Stock Reconciliation and the stocktake's submission, all or nothing. Returns the
	stocktake's status afterwards."""
	# the row lock makes a second job (or a second worker) wait, then find the stocktake posted
	status = frappe.db.get_value("Stocktake", stocktake, ["status", "docstatus"], for_update=True)
	if not status or tuple(status) != (flow.POSTING, 0):
		return status[0] if status else None

	def progress(percent, description):
		frappe.publish_progress(
			percent,
			title=_("Posting Stocktake"),
			doctype="Stocktake",
			docname=stocktake,
			description=description,
		)

	frappe.db.savepoint(SAVEPOINT)
	messages = len(frappe.local.message_log or [])
	try:
		progress(1, _("Reading today's stock"))
		doc = frappe.get_doc("Stocktake", stocktake)
		reconciliation = doc.post_differences(progress)
		progress(90, _("Marking the stocktake as posted"))
		doc.stock_reconciliation = reconciliation
		doc.flags.posting_job = True
		server_action(doc, "stocktake posting")
		doc.submit()
	except Exception as error:
		try:
			frappe.db.rollback(save_point=SAVEPOINT)
		except Exception:
			# the database ended the transaction itself (a deadlock): the job had nothing else in it
			frappe.db.rollback()
		# the error is recorded on the stocktake, not shown to whoever happens to be waiting
		del frappe.local.message_log[messages:]
		record_posting_failure(stocktake, error)
		progress(100, _("Posting failed: nothing was posted."))
		return frappe.db.get_value("Stocktake", stocktake, "status")
	progress(100, _("Posted"))
	return flow.POSTED


def record_posting_failure(stocktake: str, error: Exception) -> None:
	"""The stocktake goes back to where it was approved from, with the error, to be posted again."""
	message = frappe.utils.strip_html(str(error)) or error.__class__.__name__
	frappe.log_error(title=_("Stocktake {0} could not be posted").format(stocktake))
	needs_manager = frappe.db.get_value("Stocktake", stocktake, "needs_manager_approval")
	frappe.db.set_value(
		"Stocktake",
		stocktake,
		{"status": flow.state_after_failed_posting(bool(needs_manager)), "posting_error": message[:1000]},
	)


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
