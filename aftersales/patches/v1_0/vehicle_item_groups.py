"""Item Group gets the "Vehicles (Service Reception Check)" check that shows the reception section on
work orders (issue 16). Idempotent. Existing orders keep is_vehicle = 0 (the column's default): no
group is marked before this field exists, and an order's flag is set again on every save."""

import frappe

from aftersales.setup.custom_fields import make_custom_fields


def execute():
	make_custom_fields()
	frappe.clear_cache(doctype="Item Group")
