# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import nowdate

from aftersales.integrity import FieldRules, capture, verify

# Classes, stock figures, forecasts and the suggested warning line are computed by the daily and
# weekly jobs (aftersales/parts/analytics.py).
FIELD_RULES = FieldRules(
	server=(
		"abc_class",
		"computed_class",
		"issued_value",
		"classified_on",
		"stock_qty",
		"stock_value",
		"last_movement_date",
		"is_dead_stock",
		"last_counted_on",
		"forecast_qty",
		"forecast_recent_level",
		"forecast_seasonal_index",
		"forecast_on",
		"suggested_warning_line",
	),
	server_columns={"class_history": "*", "warning_lines": ("stock_qty", "below_warning_line")},
)


class SparePartItemError(frappe.ValidationError):
	pass


class WarningLineError(frappe.ValidationError):
	pass


class SparePart(Document):
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		self.validate_item()
		self.validate_warning_lines()
		self.set_effective_class()
		verify(self, FIELD_RULES)

	def on_update(self):
		before = self.get_doc_before_save()
		watched = {row.warehouse for row in before.warning_lines} if before else set()
		sync_reorder_levels(self.item_code, {row.warehouse: row for row in self.warning_lines}, watched)

	def on_trash(self):
		sync_reorder_levels(self.item_code, {}, {row.warehouse for row in self.warning_lines})

	def validate_item(self):
		item = frappe.db.get_value("Item", self.item_code, ["is_stock_item", "has_variants"], as_dict=True)
		if item and (not item.is_stock_item or item.has_variants):
			frappe.throw(
				_(
					"Item {0} must be a stock item (and not a template with variants) to be a spare part."
				).format(frappe.bold(self.item_code)),
				exc=SparePartItemError,
				title=_("Not a Stock Item"),
			)

	def validate_warning_lines(self):
		seen = set()
		for row in self.warning_lines:
			if row.warehouse in seen:
				frappe.throw(
					_("Row {0}: warehouse {1} has a warning line already.").format(
						row.idx, frappe.bold(row.warehouse)
					),
					exc=WarningLineError,
					title=_("Duplicate Warning Line"),
				)
			seen.add(row.warehouse)
			if frappe.db.get_value("Warehouse", row.warehouse, "is_group"):
				frappe.throw(
					_("Row {0}: {1} is a group warehouse.").format(row.idx, frappe.bold(row.warehouse)),
					exc=WarningLineError,
					title=_("Invalid Warehouse"),
				)

	def set_effective_class(self):
		"""The manual override wins over the computed class; every change is kept in the history."""
		effective = self.class_override or self.computed_class
		if effective != self.abc_class:
			if self.abc_class or effective:
				self.append(
					"class_history",
					{
						"changed_on": nowdate(),
						"from_class": self.abc_class,
						"to_class": effective,
						"source": "Manual" if self.class_override else "Computed",
						"issued_value": self.issued_value,
						"note": self.override_reason if self.class_override else None,
					},
				)
			self.abc_class = effective


def sync_reorder_levels(item_code: str, lines: dict, previously_watched: set[str]) -> None:
	"""Warning lines live in the Item's reorder levels, where ERPNext's reorder job reads them.
	Rows of warehouses the part no longer watches are removed; other rows are left alone."""
	item = frappe.get_doc("Item", item_code)
	changed = False
	for row in list(item.reorder_levels):
		if row.warehouse in previously_watched and row.warehouse not in lines:
			item.remove(row)
			changed = True
	for warehouse, line in lines.items():
		values = {
			"warehouse_reorder_level": line.warning_level,
			"warehouse_reorder_qty": line.reorder_qty,
			"material_request_type": "Purchase",
		}
		existing = next((r for r in item.reorder_levels if r.warehouse == warehouse), None)
		if existing is None:
			item.append("reorder_levels", {"warehouse": warehouse, **values})
			changed = True
		elif any(existing.get(k) != v for k, v in values.items()):
			existing.update(values)
			changed = True
	if changed:
		item.flags.ignore_permissions = True
		item.save()


@frappe.whitelist()
def make_spare_part(item_code: str) -> str:
	"""One click from an Item: its Spare Part, created if it does not exist yet."""
	frappe.has_permission("Spare Part", "create", throw=True)
	existing = frappe.db.exists("Spare Part", {"item_code": item_code})
	if existing:
		return existing
	part = frappe.get_doc(
		{
			"doctype": "Spare Part",
			"item_code": item_code,
			"default_warehouse": frappe.db.get_value(
				"Item Default", {"parent": item_code}, "default_warehouse"
			),
		}
	)
	part.insert()
	return part.name
