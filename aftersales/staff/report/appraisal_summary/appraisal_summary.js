// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.query_reports["Appraisal Summary"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{
			fieldname: "period_type",
			label: __("Period"),
			fieldtype: "Select",
			options: "\nMonth\nYear",
			default: "Month",
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -12),
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.month_end(),
		},
		{
			fieldname: "service_point",
			label: __("Service Point"),
			fieldtype: "Link",
			options: "Service Point",
		},
		{
			fieldname: "post",
			label: __("Post", null, "Service Point Member"),
			fieldtype: "Select",
			options:
				"\nTechnician\nDispatcher\nService Desk Agent\nQuality Inspector\nWarehouse Keeper\nService Point Manager",
		},
		{
			fieldname: "view",
			label: __("View"),
			fieldtype: "Select",
			options: "Appraisals\nBy Service Point",
			default: "Appraisals",
		},
		{ fieldname: "include_open", label: __("Include Open Appraisals"), fieldtype: "Check" },
	],
};
