"""Custom fields the app adds to ERPNext DocTypes, made on install and by patch, removed on
uninstall."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

# Stock Entries made by after-sales documents (parts issue, old-part receipt, scrap of dead stock,
# return receipt) point back to the document that made them.
CUSTOM_FIELDS = {
	"Stock Entry": [
		{
			"fieldname": "aftersales_section",
			"fieldtype": "Section Break",
			"label": "After-Sales",
			"insert_after": "remarks",
			"collapsible": 1,
		},
		{
			"fieldname": "aftersales_reference_doctype",
			"fieldtype": "Link",
			"label": "After-Sales Reference Type",
			"options": "DocType",
			"insert_after": "aftersales_section",
			"read_only": 1,
			"no_copy": 1,
		},
		{
			"fieldname": "aftersales_reference_name",
			"fieldtype": "Dynamic Link",
			"label": "After-Sales Reference",
			"options": "aftersales_reference_doctype",
			"insert_after": "aftersales_reference_doctype",
			"read_only": 1,
			"no_copy": 1,
			"search_index": 1,
		},
	],
	# who pays the warranty work of an item: its own maker, else its group's (or the nearest parent
	# group's); aftersales/settlement/claims.py
	"Item": [
		{
			"fieldname": "warranty_maker",
			"fieldtype": "Link",
			"label": "Warranty Paid By (Maker)",
			"options": "Warranty Maker",
			"insert_after": "warranty_period",
			"description": "The maker or brand claimed for this item's in-warranty repairs; empty: its item group's.",
		},
	],
	"Item Group": [
		{
			"fieldname": "warranty_maker",
			"fieldtype": "Link",
			"label": "Warranty Paid By (Maker)",
			"options": "Warranty Maker",
			"insert_after": "parent_item_group",
			"description": "The maker or brand claimed for in-warranty repairs of the items in this group (and its subgroups) that name none themselves.",
		},
		# the intake form shows the vehicle reception section (mileage, fuel, exterior check) only for
		# products of a group marked here or under one (aftersales/service/work_order/vehicle.py)
		{
			"fieldname": "aftersales_is_vehicle",
			"fieldtype": "Check",
			"label": "Vehicles (Service Reception Check)",
			"insert_after": "warranty_maker",
			"description": "Service work orders for the items of this group and its subgroups record mileage, fuel level and an exterior check at reception.",
		},
	],
	# the customer file (FV-5): class, how and when to contact, the opt-out and the birthday of care
	# messages (ERPNext's Customer and Contact have no birthday)
	"Customer": [
		{
			"fieldname": "aftersales_customer_file_section",
			"fieldtype": "Section Break",
			"label": "After-Sales Customer File",
			# after the basic details (image is their last field), before Defaults
			"insert_after": "image",
			"collapsible": 0,
		},
		{
			"fieldname": "aftersales_customer_class",
			"fieldtype": "Link",
			"label": "Customer Class",
			"options": "Customer Class",
			"insert_after": "aftersales_customer_file_section",
			"in_standard_filter": 1,
		},
		{
			"fieldname": "aftersales_birthday",
			"fieldtype": "Date",
			"label": "Birthday",
			"insert_after": "aftersales_customer_class",
		},
		{
			"fieldname": "aftersales_customer_file_column",
			"fieldtype": "Column Break",
			"insert_after": "aftersales_birthday",
		},
		{
			"fieldname": "aftersales_contact_channel",
			"fieldtype": "Select",
			"label": "Preferred Contact Channel",
			"options": "\nPhone\nSMS\nEmail\nOnline",
			"insert_after": "aftersales_customer_file_column",
		},
		{
			"fieldname": "aftersales_preferred_time",
			"fieldtype": "Select",
			"label": "Preferred Contact Time",
			"options": "\nMorning\nAfternoon\nEvening\nWorking Hours\nWeekends",
			"insert_after": "aftersales_contact_channel",
		},
		{
			"fieldname": "aftersales_do_not_contact",
			"fieldtype": "Check",
			"label": "Do Not Contact",
			"insert_after": "aftersales_preferred_time",
			"description": "No care messages and no follow-ups of purchases or monthly plans (the follow-up of a repair is still made).",
		},
	],
	"Sales Invoice": [
		{
			"fieldname": "service_work_order",
			"fieldtype": "Link",
			"label": "Service Work Order",
			"options": "Service Work Order",
			"insert_after": "customer",
			"read_only": 1,
			"no_copy": 1,
			"search_index": 1,
		},
	],
	# the knowledge base the service team keeps (KB-1): when an article is due for review, and how
	# many orders it helped close on the phone (aftersales/api/help_search.py)
	"Help Article": [
		{
			"fieldname": "aftersales_review_date",
			"fieldtype": "Date",
			"label": "Review By",
			"insert_after": "published",
			"description": "The service team checks the article again by this date.",
		},
		{
			"fieldname": "aftersales_solved_by_phone",
			"fieldtype": "Int",
			"label": "Solved by Phone",
			"insert_after": "aftersales_review_date",
			"read_only": 1,
			"no_copy": 1,
			"description": "Service work orders closed on the phone with this article.",
		},
	],
}


def make_custom_fields() -> None:
	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True)


def delete_custom_fields(app_doctypes: list[str]) -> None:
	"""The app's fields on ERPNext DocTypes, and every customisation of the app's own DocTypes
	(ERPNext's Service Level Agreement adds its fields to Service Work Order as Custom Fields)."""
	for doctype_field, table in (("dt", "Custom Field"), ("doc_type", "Property Setter")):
		for name in frappe.get_all(table, {doctype_field: ["in", app_doctypes or [""]]}, pluck="name"):
			frappe.delete_doc(table, name, ignore_permissions=True, force=True)
	for doctype, fields in CUSTOM_FIELDS.items():
		for df in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=doctype)
