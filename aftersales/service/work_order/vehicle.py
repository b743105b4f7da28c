"""What the intake form shows for the product being registered: the vehicle reception section
(mileage, fuel level, exterior check) belongs to products of an Item Group marked *Vehicle* (a
custom field, aftersales/setup/custom_fields.py), or of a group under one.

Whether a group is a vehicle group is asked on every save of a work order; the answer is kept per
group in the site's cache (no query per save, issue 15) and forgotten whenever any Item Group is
saved, renamed or deleted (doc_events in hooks.py), the only ways its flag or its place in the tree
change, and again when that change is committed or rolled back (aftersales/cached_lookups.py)."""

import frappe

from aftersales.cached_lookups import forget

CACHE_KEY = "aftersales:vehicle_item_group"


def is_vehicle_item(item_code: str | None) -> bool:
	item_group = frappe.get_cached_value("Item", item_code, "item_group") if item_code else None
	return bool(item_group) and frappe.cache.hget(CACHE_KEY, item_group, lambda: is_vehicle_group(item_group))


def is_vehicle_group(item_group: str) -> bool:
	"""The group or one above it is marked Vehicle (read from the database)."""
	bounds = frappe.db.get_value("Item Group", item_group, ["lft", "rgt"])
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


def forget_vehicle_groups(doc=None, method: str | None = None, *args) -> None:
	"""doc_events of Item Group (on_update, on_trash, after_rename)."""
	forget(CACHE_KEY)


def set_vehicle_flag(doc) -> None:
	"""The order's hidden `is_vehicle` flag drives the reception section's depends_on."""
	doc.is_vehicle = 1 if is_vehicle_item(doc.item_code) else 0
