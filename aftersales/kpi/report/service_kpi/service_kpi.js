// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

{% include "aftersales/kpi/report/kpi_filters.js" %}

frappe.query_reports["Service KPI"] = {
	filters: aftersales.kpi.filters().concat([
		{
			fieldname: "chart_indicator",
			label: __("Chart"),
			fieldtype: "Select",
			options: [
				{ value: "appointment_rate", label: __("2-Hour Appointment Rate") },
				{ value: "on_site_completion_rate", label: __("On-site Completion Rate") },
				{ value: "first_time_fix_rate", label: __("First-time Fix Rate") },
				{ value: "rework_rate", label: __("Rework Rate") },
				{ value: "resolution_rate", label: __("Resolution Rate") },
				{ value: "satisfied_rate", label: __("Satisfaction Rate") },
				{ value: "complaint_rate", label: __("Complaints per 100 Orders") },
				{ value: "return_rate", label: __("Return Rate") },
				{ value: "received", label: __("Orders Received") },
				{ value: "response_time", label: __("Average Response Time (Working Hours)") },
				{ value: "repair_hours", label: __("Average Repair Duration (Hours)") },
			],
			default: "appointment_rate",
		},
	]),
	formatter: aftersales.kpi.formatter,
};
