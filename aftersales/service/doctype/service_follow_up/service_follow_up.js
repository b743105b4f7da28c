// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Follow-up", {
	refresh(frm) {
		if (
			frm.doc.docstatus === 1 &&
			frm.doc.outcome !== "Satisfied" &&
			frappe.model.can_create("Corrective Action")
		) {
			frm.add_custom_button(
				__("Corrective Action"),
				() =>
					frappe.model.open_mapped_doc({
						method: "aftersales.complaints.doctype.corrective_action.corrective_action.make_corrective_action",
						source_name: frm.doc.name,
						args: { source_doctype: "Service Follow-up" },
					}),
				__("Create")
			);
		}
	},
	setup(frm) {
		frm.set_query("service_work_order", () => ({
			filters: { status: ["in", ["Delivered", "Follow-up"]] },
		}));
	},
});
