// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

// Follow-up Plan: "Make Due Follow-ups Now" makes what the daily job would make today, for those who
// may change the plan (the server checks it again); the call list shows the result.
frappe.ui.form.on("Follow-up Plan", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.enabled || frm.doc.trigger === "After Delivery") return;
		if (!frm.perm[0] || !frm.perm[0].write) return;
		frm.add_custom_button(__("Make Due Follow-ups Now"), () =>
			frm.call("make_due_follow_ups").then((r) => {
				const made = (r && r.message) || [];
				frappe.show_alert({
					message: __("{0} follow-ups made", [made.length]),
					indicator: made.length ? "green" : "blue",
				});
				if (made.length) {
					frappe.set_route("query-report", "Follow-up Call List", {
						follow_up_plan: frm.doc.name,
					});
				}
			})
		);
		frm.add_custom_button(__("Follow-up Call List"), () =>
			frappe.set_route("query-report", "Follow-up Call List", {
				follow_up_plan: frm.doc.name,
			})
		);
	},
});
