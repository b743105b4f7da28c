// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Corrective Action", {
	refresh(frm) {
		if (frm.is_new() || !frm.perm[0] || !frm.perm[0].write) return;
		const move = (status) => frm.set_value("status", status).then(() => frm.save());
		if (frm.doc.status === "Open")
			frm.add_custom_button(__("Mark Implemented"), () => move("Implemented"));
		// the verification is a Quality Inspector's or the manager's (aftersales/domain/desk_actions.py)
		if (aftersales.desk.may("Corrective Action", "verify", frm.doc.status)) {
			frm.add_custom_button(__("Verified: Close"), () => move("Closed"));
			frm.add_custom_button(__("Not Effective: Reopen"), () => move("Open"));
		}
	},
});
