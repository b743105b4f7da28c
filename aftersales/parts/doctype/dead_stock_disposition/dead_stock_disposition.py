# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import Order
from frappe.query_builder.functions import Coalesce, Max, Sum
from frappe.utils import date_diff, flt, nowdate

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.integrity import FieldRules, capture, check_cancel, verify

# The stock figures are read from the ledger; the scrap entry and the supplier return are the ones
# this disposition made.
FIELD_RULES = FieldRules(
	server=(
		"valuation_rate",
		"value",
		"last_movement_date",
		"age_days",
		"stock_entry",
		"purchase_return",
		"return_against",
	),
)
RETURN_TO_SUPPLIER = "Return to Supplier"


class DispositionError(frappe.ValidationError):
	pass


class NoReceiptToReturnError(DispositionError):
	"""No submitted Purchase Receipt of the part from the supplier still has quantity to return."""


class DeadStockDisposition(Document):
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		self.set_stock_figures()
		self.validate_qty()
		verify(self, FIELD_RULES)

	def before_submit(self):
		if self.disposition == RETURN_TO_SUPPLIER:
			self._receipt = self.receipt_to_return_against()

	def on_submit(self):
		if self.disposition == "Scrap":
			self.db_set("stock_entry", self.make_scrap_entry())
		elif self.disposition == RETURN_TO_SUPPLIER:
			receipt, returnable = self._receipt
			self.db_set(
				{"return_against": receipt, "purchase_return": self.make_purchase_return(receipt, returnable)}
			)

	def before_cancel(self):
		# a forged copy cancelled over the API must not point on_cancel at other documents
		check_cancel(self, FIELD_RULES)

	def on_cancel(self):
		if self.stock_entry and frappe.db.get_value("Stock Entry", self.stock_entry, "docstatus") == 1:
			entry = frappe.get_doc("Stock Entry", self.stock_entry)
			entry.flags.ignore_permissions = True
			entry.cancel()
		self.undo_purchase_return()

	def set_stock_figures(self):
		bin_ = frappe.db.get_value(
			"Bin",
			{"item_code": self.item_code, "warehouse": self.warehouse},
			["actual_qty", "valuation_rate"],
			as_dict=True,
		) or frappe._dict(actual_qty=0, valuation_rate=0)
		self.valuation_rate = flt(bin_.valuation_rate)
		self.value = flt(self.qty) * self.valuation_rate
		sle = frappe.qb.DocType("Stock Ledger Entry")
		self.last_movement_date = (
			frappe.qb.from_(sle)
			.select(Max(sle.posting_date))
			.where(sle.item_code == self.item_code)
			.where(sle.warehouse == self.warehouse)
			.where(sle.is_cancelled == 0)
		).run()[0][0]
		self.age_days = date_diff(nowdate(), self.last_movement_date) if self.last_movement_date else None
		self._available = flt(bin_.actual_qty)

	def validate_qty(self):
		if flt(self.qty) <= 0 or flt(self.qty) > self._available:
			frappe.throw(
				_("Quantity must be more than 0 and at most the {0} in stock in {1}.").format(
					self._available, frappe.bold(self.warehouse)
				),
				exc=DispositionError,
				title=_("Invalid Quantity"),
			)
		if self.disposition == RETURN_TO_SUPPLIER and not self.supplier:
			frappe.throw(
				_("Choose the supplier the parts go back to."),
				exc=DispositionError,
				title=_("No Supplier"),
			)
		if self.disposition == "Scrap" and not get_settings().scrap_warehouse:
			frappe.throw(
				_("Set the Scrap Warehouse in After-Sales Settings first."),
				exc=DispositionError,
				title=_("No Scrap Warehouse"),
			)

	def make_scrap_entry(self) -> str:
		entry = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Transfer",
				"purpose": "Material Transfer",
				"company": self.company,
				"aftersales_reference_doctype": self.doctype,
				"aftersales_reference_name": self.name,
				"remarks": _("Dead stock scrapped: {0}").format(self.reason),
				"items": [
					{
						"item_code": self.item_code,
						"qty": self.qty,
						"s_warehouse": self.warehouse,
						"t_warehouse": get_settings().scrap_warehouse,
					}
				],
			}
		)
		entry.flags.ignore_permissions = True
		entry.insert()
		entry.submit()
		return entry.name

	# ------------------------------------------------------------ return to supplier (SP-5)

	def receipt_to_return_against(self) -> tuple[str, float]:
		"""The supplier's latest submitted Purchase Receipt of the part (this company) that still
		has a quantity to return, and that quantity."""
		pr = frappe.qb.DocType("Purchase Receipt")
		item = frappe.qb.DocType("Purchase Receipt Item")
		returns = frappe.qb.DocType("Purchase Receipt Item").as_("returned")
		returned_pr = frappe.qb.DocType("Purchase Receipt").as_("return_pr")
		returned = (
			frappe.qb.from_(returns)
			.join(returned_pr)
			.on(returned_pr.name == returns.parent)
			.select(Coalesce(Sum(-returns.stock_qty), 0))
			.where(returned_pr.docstatus == 1)
			.where(returned_pr.is_return == 1)
			.where(returns.purchase_receipt_item == item.name)
		)
		rows = (
			frappe.qb.from_(item)
			.join(pr)
			.on(pr.name == item.parent)
			.select(pr.name, (item.stock_qty - returned).as_("returnable"))
			.where(pr.docstatus == 1)
			.where(pr.is_return == 0)
			.where(pr.supplier == self.supplier)
			.where(pr.company == self.company)
			.where(item.item_code == self.item_code)
			.orderby(pr.posting_date, order=Order.desc)
			.orderby(pr.posting_time, order=Order.desc)
			.orderby(pr.creation, order=Order.desc)
			.limit(20)
		).run(as_dict=True)
		for row in rows:
			if flt(row.returnable) > 0:
				return row.name, flt(row.returnable)
		frappe.throw(
			_(
				"There is no submitted Purchase Receipt of {0} from {1} in {2} with a quantity left to "
				"return, so no return to the supplier can be made. Return the parts with a Purchase "
				"Invoice debit note, or choose another disposition."
			).format(frappe.bold(self.item_code), frappe.bold(self.supplier), frappe.bold(self.company)),
			exc=NoReceiptToReturnError,
			title=_("No Purchase Receipt to Return Against"),
		)

	def make_purchase_return(self, receipt: str, returnable: float) -> str:
		"""A draft Purchase Receipt return (ERPNext's own `make_return_doc`) of this part only, for
		the disposed quantity (at most what the receipt still has to return), from the disposition's
		warehouse. The Stock Manager checks and submits it."""
		from erpnext.controllers.sales_and_purchase_return import make_return_doc

		doc = make_return_doc("Purchase Receipt", receipt)
		rows = [row for row in doc.items if row.item_code == self.item_code]
		qty = min(flt(self.qty), returnable)
		row = rows[0]
		factor = flt(row.conversion_factor) or 1
		row.update(
			{
				"qty": -qty / factor,
				"received_qty": -qty / factor,
				"rejected_qty": 0,
				"stock_qty": -qty,
				"received_stock_qty": -qty,
				"warehouse": self.warehouse,
			}
		)
		doc.set("items", [row])
		doc.remarks = _("Dead stock returned to the supplier ({0}): {1}").format(self.name, self.reason or "")
		doc.run_method("calculate_taxes_and_totals")
		doc.flags.ignore_permissions = True
		doc.insert()
		if qty < flt(self.qty):
			frappe.msgprint(
				_(
					"Receipt {0} takes back only {1} of the {2}; return the rest with another disposition."
				).format(frappe.bold(receipt), qty, flt(self.qty)),
				title=_("Partly Returned"),
			)
		return doc.name

	def undo_purchase_return(self):
		"""Cancelling the disposition deletes its draft return, or cancels the submitted one."""
		if not self.purchase_return:
			return
		docstatus = frappe.db.get_value("Purchase Receipt", self.purchase_return, "docstatus")
		if docstatus is None:
			return
		doc = frappe.get_doc("Purchase Receipt", self.purchase_return)
		doc.flags.ignore_permissions = True
		if docstatus == 0:
			self.db_set("purchase_return", None)
			frappe.delete_doc("Purchase Receipt", doc.name, ignore_permissions=True)
		elif docstatus == 1:
			doc.cancel()
