// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Point", {
	setup(frm) {
		frm.set_query("warehouse", (doc) => ({
			filters: { is_group: 0, company: doc.company },
		}));
		frm.set_query("manager", (doc) => ({
			filters: { status: "Active", company: doc.company },
		}));
		frm.set_query("employee", "members", (doc) => ({
			filters: { status: "Active", company: doc.company },
		}));
	},
});
