# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A maker or brand that pays the warranty work on its products (WO-14): the Customer invoiced for
the claims and what was agreed with it (labour rate, parts price list, the item the claim lines
are made of). Items and item groups name their maker (custom field `warranty_maker`)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from aftersales.integrity import FieldRules, capture, verify
from aftersales.settlement.claims import check_maker
from aftersales.settlement.errors import MakerSetupError

# nothing here is computed by the server; the rules still run (state editors, input)
FIELD_RULES = FieldRules()


class WarrantyMaker(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		claim_item: DF.Link
		customer: DF.Link
		customer_name: DF.Data | None
		disabled: DF.Check
		labour_rate: DF.Currency
		price_list: DF.Link
		terms: DF.SmallText | None

	# end: auto-generated types
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		if flt(self.labour_rate) < 0:
			frappe.throw(
				_("{0} cannot be negative.").format(frappe.bold(_("Agreed Labour Rate (per Hour)"))),
				exc=MakerSetupError,
				title=_("Invalid Maker Agreement"),
			)
		check_maker(self)
		verify(self, FIELD_RULES)
