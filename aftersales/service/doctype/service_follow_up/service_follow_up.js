// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Follow-up", {
	setup(frm) {
		frm.set_query("service_work_order", () => ({
			filters: { status: ["in", ["Delivered", "Follow-up"]] },
		}));
	},
});
