// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.query_reports["Service Point Ranking"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{
			fieldname: "month",
			label: __("Month"),
			fieldtype: "Date",
			reqd: 1,
			default: frappe.datetime.get_today(),
			description: __("Any day of the month to rank"),
		},
		{
			fieldname: "service_point",
			label: __("Service Point"),
			fieldtype: "Link",
			options: "Service Point",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "rank_change" && data && data.rank_change) {
			const up = data.rank_change > 0;
			value = `<span style="color: var(--${up ? "green" : "red"}-600)">${
				up ? "▲" : "▼"
			} ${Math.abs(data.rank_change)}</span>`;
		}
		return value;
	},
};
