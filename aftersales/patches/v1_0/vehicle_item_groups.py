"""Item Group gets the "Vehicles" check that shows the vehicle reception section on work orders
(issue 16), and existing orders get their flag. Idempotent."""

import frappe

from aftersales.service.work_order.vehicle import is_vehicle_item
from aftersales.setup.custom_fields import make_custom_fields


def execute():
	make_custom_fields()
	frappe.clear_cache(doctype="Item Group")
	for name, item_code in frappe.get_all("Service Work Order", fields=["name", "item_code"], as_list=True):
		flag = int(is_vehicle_item(item_code))
		frappe.db.set_value("Service Work Order", name, "is_vehicle", flag, update_modified=False)
