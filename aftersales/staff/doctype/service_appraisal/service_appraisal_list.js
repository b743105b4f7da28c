// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Service Appraisal"] = {
	onload(listview) {
		if (!frappe.user.has_role("After-Sales Manager")) return;
		listview.page.add_inner_button(__("Create Appraisals"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Create Appraisals"),
				fields: [
					{
						fieldname: "period_type",
						label: __("Period"),
						fieldtype: "Select",
						options: "Month\nYear",
						default: "Month",
						reqd: 1,
					},
					{
						fieldname: "period_start",
						label: __("Period Start"),
						fieldtype: "Date",
						reqd: 1,
						default: frappe.datetime.add_months(frappe.datetime.month_start(), -1),
					},
					{
						fieldname: "service_point",
						label: __("Service Point"),
						fieldtype: "Link",
						options: "Service Point",
						description: __("Blank: all staff."),
					},
				],
				primary_action_label: __("Create"),
				primary_action(values) {
					frappe.call("aftersales.staff.batch.create_appraisals", values).then((r) => {
						dialog.hide();
						frappe.show_alert({
							message: __("Creating the appraisals of {0} in the background.", [
								r.message.period,
							]),
							indicator: "blue",
						});
					});
				},
			});
			dialog.show();
		});
	},
};
