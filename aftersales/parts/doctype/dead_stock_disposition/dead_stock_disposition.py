# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Max
from frappe.utils import date_diff, flt, nowdate

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.integrity import FieldRules, capture, verify

# The stock figures are read from the ledger; the scrap entry is the one this disposition made.
FIELD_RULES = FieldRules(
	server=("valuation_rate", "value", "last_movement_date", "age_days", "stock_entry"),
)


class DispositionError(frappe.ValidationError):
	pass


class DeadStockDisposition(Document):
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		self.set_stock_figures()
		self.validate_qty()
		verify(self, FIELD_RULES)

	def on_submit(self):
		if self.disposition == "Scrap":
			self.db_set("stock_entry", self.make_scrap_entry())

	def on_cancel(self):
		if self.stock_entry and frappe.db.get_value("Stock Entry", self.stock_entry, "docstatus") == 1:
			entry = frappe.get_doc("Stock Entry", self.stock_entry)
			entry.flags.ignore_permissions = True
			entry.cancel()

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
