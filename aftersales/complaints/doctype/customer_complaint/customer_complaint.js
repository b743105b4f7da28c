// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Customer Complaint", {
	setup(frm) {
		frm.set_query("contact_person", (doc) => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: doc.customer },
		}));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		if (frappe.model.can_create("Corrective Action")) {
			frm.add_custom_button(
				__("Corrective Action"),
				() => aftersales_make_corrective_action("Customer Complaint", frm.doc.name),
				__("Create")
			);
		}
		if (
			frm.doc.deadline &&
			frm.doc.status !== "Closed" &&
			frappe.datetime.now_datetime() > frm.doc.deadline
		) {
			frm.dashboard.set_headline_alert(__("Past its answer deadline"), "red");
		}
	},
});

window.aftersales_make_corrective_action = (source_doctype, source_name) =>
	frappe.model.open_mapped_doc({
		method: "aftersales.complaints.doctype.corrective_action.corrective_action.make_corrective_action",
		source_name,
		args: { source_doctype },
	});
