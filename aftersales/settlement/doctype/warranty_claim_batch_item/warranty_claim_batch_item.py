# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class WarrantyClaimBatchItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		claim_key: DF.Data | None
		closed_on: DF.Datetime | None
		credit_note: DF.Link | None
		description: DF.SmallText | None
		fault_code: DF.Link | None
		item_code: DF.Link | None
		labour_amount: DF.Currency
		labour_hours: DF.Float
		labour_rate: DF.Currency
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		parts_amount: DF.Currency
		rejected_by: DF.Link | None
		rejected_on: DF.Date | None
		rejection_reason: DF.SmallText | None
		sales_invoice_item: DF.Data | None
		serial_no: DF.Link | None
		service_work_order: DF.Link
		status: DF.Literal["Pending", "Claimed", "Rejected"]
		technician: DF.Link | None
	# end: auto-generated types
	pass
