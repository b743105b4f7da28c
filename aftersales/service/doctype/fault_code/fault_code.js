// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Fault Code", {
	refresh(frm) {
		if (frm.doc.help_article && !frm.is_new()) {
			frm.add_custom_button(__("Open Help Article"), () =>
				frappe.set_route("Form", "Help Article", frm.doc.help_article)
			);
		}
	},
});
