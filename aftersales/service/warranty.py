"""Frappe side of the warranty decision: reads Serial No, Item and After-Sales Settings, calls the
pure rule in `aftersales.domain.warranty` and turns its input errors into translated messages."""

import frappe
from frappe import _
from frappe.utils import cint, getdate

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain.warranty import WarrantyDecision, WarrantyInputError, decide_warranty


class WarrantyDecisionError(frappe.ValidationError):
	pass


class SerialNoMismatchError(frappe.ValidationError):
	pass


def get_warranty_decision(
	item_code: str, serial_no: str | None, purchase_date, fault_date
) -> WarrantyDecision:
	serial = None
	if serial_no:
		serial = frappe.db.get_value(
			"Serial No", serial_no, ["item_code", "warranty_expiry_date", "warranty_period"], as_dict=True
		)
		if not serial:
			frappe.throw(
				_("Serial No {0} does not exist.").format(frappe.bold(serial_no)),
				exc=SerialNoMismatchError,
				title=_("Invalid Serial No"),
			)
		if item_code and serial.item_code != item_code:
			frappe.throw(
				_("Serial No {0} belongs to item {1}, not {2}.").format(
					frappe.bold(serial_no), frappe.bold(serial.item_code), frappe.bold(item_code)
				),
				exc=SerialNoMismatchError,
				title=_("Invalid Serial No"),
			)
		item_code = item_code or serial.item_code

	# the Item as cached by Frappe (cleared whenever the Item is saved): no query on each save
	item_warranty = frappe.get_cached_value("Item", item_code, "warranty_period") if item_code else None
	warranty_days = cint(serial and serial.warranty_period) or cint(item_warranty)

	try:
		return decide_warranty(
			purchase_date=getdate(purchase_date) if purchase_date else None,
			fault_date=getdate(fault_date) if fault_date else None,
			policy=get_settings().warranty_policy(),
			serial_warranty_end=getdate(serial.warranty_expiry_date)
			if serial and serial.warranty_expiry_date
			else None,
			warranty_days=warranty_days or None,
		)
	except WarrantyInputError as e:
		frappe.throw(_(e.message).format(*e.args_), exc=WarrantyDecisionError, title=_("Warranty Decision"))
