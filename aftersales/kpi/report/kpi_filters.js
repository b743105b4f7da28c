// Filters shared by the KPI reports, included by each report's script (Frappe's include directive).
frappe.provide("aftersales.kpi");

aftersales.kpi.group_options = function (keys) {
	const labels = {
		company: __("Company"),
		territory: __("Territory"),
		branch: __("Branch"),
		service_point: __("Service Point"),
		technician: __("Technician"),
		item_group: __("Item Group"),
		item_code: __("Product"),
		customer_group: __("Customer Group"),
		channel: __("Channel"),
	};
	return [{ value: "", label: "" }].concat(
		keys.map((key) => ({ value: key, label: labels[key] }))
	);
};

aftersales.kpi.period_options = function () {
	return [
		{ value: "", label: "" },
		{ value: "Day", label: __("Day") },
		{ value: "Week", label: __("Week") },
		{ value: "Month", label: __("Month") },
		{ value: "Quarter", label: __("Quarter") },
		{ value: "Year", label: __("Year") },
	];
};

aftersales.kpi.filters = function (opts) {
	opts = opts || {};
	const groups = opts.groups || [
		"company",
		"territory",
		"branch",
		"service_point",
		"technician",
		"item_group",
		"item_code",
		"customer_group",
		"channel",
	];
	const filters = [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			reqd: 1,
			default: opts.from_date || frappe.datetime.month_start(),
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			reqd: 1,
			default: frappe.datetime.get_today(),
		},
	];
	if (groups.length) {
		filters.push({
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: aftersales.kpi.group_options(groups),
			default: opts.group_by || "",
		});
	}
	if (opts.period !== false) {
		filters.push({
			fieldname: "period",
			label: __("Period"),
			fieldtype: "Select",
			options: aftersales.kpi.period_options(),
			default: opts.period || "",
		});
	}
	return filters.concat([
		{
			fieldname: "service_point",
			label: __("Service Point"),
			fieldtype: "Link",
			options: "Service Point",
		},
		{
			fieldname: "technician",
			label: __("Technician"),
			fieldtype: "Link",
			options: "Employee",
		},
		{
			fieldname: "territory",
			label: __("Territory"),
			fieldtype: "Link",
			options: "Territory",
		},
		{ fieldname: "branch", label: __("Branch"), fieldtype: "Link", options: "Branch" },
		{
			fieldname: "item_group",
			label: __("Item Group"),
			fieldtype: "Link",
			options: "Item Group",
		},
		{ fieldname: "item_code", label: __("Product"), fieldtype: "Link", options: "Item" },
		{
			fieldname: "customer_group",
			label: __("Customer Group"),
			fieldtype: "Link",
			options: "Customer Group",
		},
	]);
};

// Rates in green at or above 80%, red below 50%; a "Total" row in bold (set by the server).
aftersales.kpi.formatter = function (value, row, column, data, default_formatter) {
	value = default_formatter(value, row, column, data);
	if (column.fieldtype === "Percent" && data && data[column.fieldname] != null) {
		const rate = data[column.fieldname];
		if (rate >= 80) value = `<span style="color: var(--green-600)">${value}</span>`;
		else if (rate < 50) value = `<span style="color: var(--red-600)">${value}</span>`;
	}
	return value;
};
