// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

{% include "aftersales/kpi/report/kpi_filters.js" %}

frappe.query_reports["Follow-up Outcomes"] = {
	filters: aftersales.kpi.filters({ group_by: "service_point" }),
	formatter: aftersales.kpi.formatter,
};
