frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Work Orders by Status"] = {
	method: "aftersales.kpi.charts.work_orders_by_status",
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
	],
};
