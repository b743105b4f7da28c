// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.query_reports["Spare Parts Sales"] = {
	onload(report) {
		// a user without a default company gets the site's (the demo has one)
		if (!report.get_filter_value("company")) {
			frappe.db.get_value("Company", {}, "name").then(({ message }) => {
				if (message && message.name) report.set_filter_value("company", message.name);
			});
		}
	},
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			reqd: 1,
			default:
				frappe.defaults.get_user_default("Company") ||
				frappe.defaults.get_default("company"),
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			reqd: 1,
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -11),
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			reqd: 1,
			default: frappe.datetime.get_today(),
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			default: "Spare Part",
			options: [
				{ value: "Spare Part", label: __("Spare Part") },
				{ value: "Customer", label: __("Customer") },
				{ value: "Service Point", label: __("Service Point") },
			],
		},
		{
			fieldname: "periodicity",
			label: __("Period"),
			fieldtype: "Select",
			default: "Monthly",
			options: [
				{ value: "Monthly", label: __("Monthly") },
				{ value: "Quarterly", label: __("Quarterly") },
				{ value: "Yearly", label: __("Yearly") },
			],
		},
		{
			fieldname: "item_code",
			label: __("Spare Part"),
			fieldtype: "Link",
			options: "Spare Part",
		},
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{
			fieldname: "service_point",
			label: __("Service Point"),
			fieldtype: "Link",
			options: "Service Point",
		},
	],
};
