// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.query_reports["Spare Parts Below Warning Line"] = {
	filters: [
		{
			fieldname: "warehouse",
			label: __("Warehouse"),
			fieldtype: "Link",
			options: "Warehouse",
		},
		{
			fieldname: "abc_class",
			label: __("ABC Class"),
			fieldtype: "Select",
			options: "\nA\nB\nC",
		},
	],
};
