# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class AfterSalesSettlementAccount(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link
		cost_center: DF.Link | None
		expense_account: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		payable_account: DF.Link
	# end: auto-generated types
	pass
