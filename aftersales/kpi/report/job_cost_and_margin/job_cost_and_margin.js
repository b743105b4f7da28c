// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

{% include "aftersales/kpi/report/kpi_filters.js" %}

frappe.query_reports["Job Cost and Margin"] = {
	filters: aftersales.kpi.filters({ groups: [], period: false }).concat([
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "", label: __("Order", null, "Service Work Order") },
				{ value: "service_point", label: __("Service Point") },
				{ value: "technician", label: __("Technician") },
			],
			default: "",
		},
		{
			fieldname: "limit",
			label: __("Show at Most"),
			fieldtype: "Int",
			default: 1000,
			description: __("Jobs listed one by one when not grouped (0: all); the total row is of all"),
		},
	]),
};
