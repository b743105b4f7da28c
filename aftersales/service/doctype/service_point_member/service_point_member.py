# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServicePointMember(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		employee: DF.Link
		employee_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		post: DF.Literal[
			"Technician", "Dispatcher", "Service Desk Agent", "Quality Inspector", "Warehouse Keeper"
		]
		user_id: DF.Link | None
	# end: auto-generated types
	pass
