// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Appraisal", {
	refresh(frm) {
		const user = frappe.session.user;
		const manager = frappe.user.has_role("After-Sales Manager");
		const appraiser = manager || frm.doc.appraiser_user === user;
		if (!frm.is_new() && frm.doc.docstatus === 0 && appraiser) {
			frm.add_custom_button(__("Refresh KPIs"), () =>
				frm.call("refresh_kpis").then(() => frm.reload_doc())
			);
			if (["Self Review", "Manager Review"].includes(frm.doc.status)) {
				frm.add_custom_button(__("Add Rater"), () => add_rater(frm));
			}
		}
		if (!frm.is_new()) {
			frm.add_custom_button(__("My Feedback"), () =>
				frappe.set_route("List", "Service Appraisal Feedback", { appraisal: frm.doc.name })
			);
			show_records(frm);
		}
	},
});

function add_rater(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Add Rater"),
		fields: [
			{
				fieldname: "rater",
				label: __("Employee"),
				fieldtype: "Link",
				options: "Employee",
				reqd: 1,
			},
			{
				fieldname: "rater_type",
				label: __("Rater"),
				fieldtype: "Select",
				options: "Peer\nSuperior",
				default: "Peer",
			},
		],
		primary_action_label: __("Request Feedback"),
		primary_action(values) {
			frm.call("add_rater", values).then(() => {
				dialog.hide();
				frappe.show_alert({ message: __("Feedback requested"), indicator: "green" });
			});
		},
	});
	dialog.show();
}

function show_records(frm) {
	const links = (frm.doc.kpis || [])
		.filter((row) => row.records)
		.map(
			(row) =>
				`<a href="${encodeURI(
					row.records
				)}" target="_blank" rel="noopener">${frappe.utils.escape_html(
					__(row.indicator)
				)}</a>`
		);
	if (links.length) {
		frm.dashboard.add_section(
			`<div>${links.join(" · ")}</div>`,
			__("Records behind the KPIs")
		);
	}
}
