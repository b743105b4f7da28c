"""What the intake form shows for the product being registered: the vehicle reception section
(mileage, fuel level, exterior check) belongs to products of an Item Group marked *Vehicle* (a
custom field, aftersales/setup/custom_fields.py), or of a group under one."""

import frappe


def is_vehicle_item(item_code: str | None) -> bool:
	item_group = frappe.get_cached_value("Item", item_code, "item_group") if item_code else None
	if not item_group:
		return False
	bounds = frappe.get_cached_value("Item Group", item_group, ["lft", "rgt"])
	if not bounds:
		return False
	group = frappe.qb.DocType("Item Group")
	return bool(
		frappe.qb.from_(group)
		.select(group.name)
		.where(group.lft <= bounds[0])
		.where(group.rgt >= bounds[1])
		.where(group.aftersales_is_vehicle == 1)
		.limit(1)
		.run()
	)


def set_vehicle_flag(doc) -> None:
	"""The order's hidden `is_vehicle` flag drives the reception section's depends_on."""
	doc.is_vehicle = 1 if is_vehicle_item(doc.item_code) else 0
