# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceSettlementPayee(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		additional_salary: DF.Data | None
		amount: DF.Currency
		as_engineer: DF.Currency
		as_manager: DF.Currency
		employee: DF.Link
		employee_name: DF.Data | None
		orders: DF.Int
		paid_by: DF.Literal["Journal Entry", "Additional Salary"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		statement: DF.Link | None
	# end: auto-generated types
	pass
