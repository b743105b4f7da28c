// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.query_reports["Dead Stock"] = {
	filters: [
		{
			fieldname: "warehouse",
			label: __("Warehouse"),
			fieldtype: "Link",
			options: "Warehouse",
		},
		{ fieldname: "days", label: __("Days Without Movement"), fieldtype: "Int" },
		{
			fieldname: "limit",
			label: __("Show at Most"),
			fieldtype: "Int",
			default: 1000,
			description: __("Lines listed, the most stock value first (0: all)"),
		},
	],
};
