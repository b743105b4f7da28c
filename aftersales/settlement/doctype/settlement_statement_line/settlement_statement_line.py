# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SettlementStatementLine(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		base: DF.Currency
		closed_on: DF.Datetime | None
		kind: DF.Literal["Job", "Claim Rejected"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		role: DF.Literal["Engineer", "Manager"]
		service_point: DF.Link | None
		service_work_order: DF.Link | None
		share: DF.Percent
		warranty_status: DF.Literal["", "In Warranty", "Out of Warranty"]
	# end: auto-generated types
	pass
