# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""One version of the fee-split shares, valid from a moment until the next version (the history
After-Sales Settings keeps; aftersales/settlement/fee_split.py). Written only by the app."""

import frappe
from frappe import _
from frappe.model.document import Document

from aftersales.integrity import FieldRules, capture, verify

# the whole record is history: only the app's code writes it
FIELD_RULES = FieldRules(
	server=(
		"valid_from",
		"recorded_by",
		"in_warranty_company_share",
		"in_warranty_technician_share",
		"in_warranty_manager_share",
		"out_of_warranty_company_share",
		"out_of_warranty_technician_share",
		"out_of_warranty_manager_share",
	)
)


class FeeSplitHistoryError(frappe.ValidationError):
	pass


class FeeSplitVersion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		in_warranty_company_share: DF.Percent
		in_warranty_manager_share: DF.Percent
		in_warranty_technician_share: DF.Percent
		out_of_warranty_company_share: DF.Percent
		out_of_warranty_manager_share: DF.Percent
		out_of_warranty_technician_share: DF.Percent
		recorded_by: DF.Link | None
		valid_from: DF.Datetime

	# end: auto-generated types
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		if not self.is_new() and not self.flags.server_action:
			frappe.throw(
				_("The fee-split history cannot be changed; change the shares in After-Sales Settings."),
				exc=FeeSplitHistoryError,
				title=_("Fee Split History"),
			)
		verify(self, FIELD_RULES)

	def on_trash(self):
		if not frappe.flags.in_uninstall:
			frappe.throw(
				_("The fee-split history cannot be deleted: settled jobs refer to it."),
				exc=FeeSplitHistoryError,
				title=_("Fee Split History"),
			)
