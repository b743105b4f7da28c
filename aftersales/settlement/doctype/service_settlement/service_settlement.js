// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Settlement", {
	setup(frm) {
		frm.set_query("service_point", (doc) => ({ filters: { company: doc.company } }));
		frm.set_query("technician", (doc) => ({
			filters: { company: doc.company, status: "Active" },
		}));
	},
	onload(frm) {
		// Amend copies everything; the lines, figures and links are the server's and made afresh
		if (frm.is_new() && frm.doc.amended_from) {
			frm.doc.orders = [];
			frm.doc.payees = [];
			["journal_entry", "checked_by", "checked_on", "approved_by", "approved_on"].forEach(
				(f) => (frm.doc[f] = null)
			);
		}
	},
	refresh(frm) {
		if (frm.doc.docstatus === 1) {
			frm.add_custom_button(__("Statements"), () =>
				frappe.set_route("List", "Settlement Statement", { settlement: frm.doc.name })
			);
		}
		if (frm.doc.docstatus === 0 && !frm.is_new() && frm.doc.status === "Draft") {
			frm.set_intro(__("The orders are collected again each time the draft is saved."));
		}
	},
});
