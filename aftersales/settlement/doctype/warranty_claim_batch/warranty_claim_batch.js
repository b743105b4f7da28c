// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Warranty Claim Batch", {
	onload(frm) {
		// Amend copies everything; the lines, figures and the invoice are the server's and made afresh
		if (frm.is_new() && frm.doc.amended_from) {
			frm.doc.items = [];
			frm.doc.sales_invoice = null;
		}
	},
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.set_intro(__("The orders are collected again each time the draft is saved."));
		}
		const claimed = (frm.doc.items || []).filter((row) => row.status === "Claimed");
		if (
			frm.doc.docstatus === 1 &&
			claimed.length &&
			aftersales.desk.may("Warranty Claim Batch", "reject_line")
		) {
			frm.add_custom_button(__("Record a Rejection"), () => {
				frappe.prompt(
					[
						{
							fieldname: "row_name",
							fieldtype: "Select",
							label: __("Service Work Order"),
							reqd: 1,
							options: claimed.map((row) => ({
								value: row.name,
								label: row.service_work_order,
							})),
						},
						{
							fieldname: "reason",
							fieldtype: "Small Text",
							label: __("Rejection Reason"),
							reqd: 1,
						},
					],
					(values) => frm.call("reject_line", values).then(() => frm.reload_doc()),
					__("Record a Rejection"),
					__("Reject and Make Credit Note")
				);
			});
		}
	},
});
