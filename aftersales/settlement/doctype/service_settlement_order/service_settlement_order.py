# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceSettlementOrder(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		base: DF.Currency
		claim_amount: DF.Currency
		closed_on: DF.Datetime | None
		company_amount: DF.Currency
		company_share: DF.Percent
		fee_split_version: DF.Link | None
		kind: DF.Literal["Job", "Claim Rejected"]
		manager: DF.Link | None
		manager_amount: DF.Currency
		manager_name: DF.Data | None
		manager_share: DF.Percent
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		parts_cost: DF.Currency
		revenue: DF.Currency
		service_point: DF.Link | None
		service_work_order: DF.Link
		settled_key: DF.Data | None
		technician: DF.Link | None
		technician_amount: DF.Currency
		technician_name: DF.Data | None
		technician_share: DF.Percent
		warranty_claim_batch: DF.Link | None
		warranty_status: DF.Literal["", "In Warranty", "Out of Warranty"]
	# end: auto-generated types
	pass
