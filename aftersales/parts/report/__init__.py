from frappe import _


def part_columns() -> list[dict]:
	"""The columns every spare-part report starts with: which part, in which warehouse."""
	return [
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 160},
		{"label": _("Item Name"), "fieldname": "item_name", "fieldtype": "Data", "width": 200},
		{"label": _("ABC Class"), "fieldname": "abc_class", "fieldtype": "Data", "width": 80},
		{
			"label": _("Warehouse"),
			"fieldname": "warehouse",
			"fieldtype": "Link",
			"options": "Warehouse",
			"width": 160,
		},
	]
