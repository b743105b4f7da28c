// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Stocktake", {
	setup(frm) {
		frm.set_query("warehouse", (doc) => ({ filters: { is_group: 0, company: doc.company } }));
	},
	onload(frm) {
		// the posting job reports its progress (frappe.publish_progress); reload when it ends
		frappe.realtime.on("progress", (data) => {
			if (frm.doc.status === "Posting" && data && data.percent >= 100) {
				frappe.hide_progress();
				frm.reload_doc();
			}
		});
	},
	refresh(frm) {
		if (frm.doc.status === "Posting") {
			frm.dashboard.set_headline_alert(
				__(
					"Posting in the background: the Stock Reconciliation is being made. This form reloads when it is done."
				),
				"orange"
			);
			if (frappe.user.has_role(["Stock Manager", "After-Sales Manager"])) {
				frm.add_custom_button(__("Queue Posting Again"), () =>
					frm.call("queue_posting_again").then(() => frm.reload_doc())
				);
			}
		} else if (frm.doc.posting_error && frm.doc.docstatus === 0) {
			frm.dashboard.set_headline_alert(
				__("The last posting failed and nothing was posted: {0}", [
					frappe.utils.escape_html(frm.doc.posting_error),
				]),
				"red"
			);
		}
		// importing saves the counts: for those who may change the stocktake (the server checks the same)
		if (frm.doc.status === "Counting" && !frm.is_dirty() && frm.perm[0] && frm.perm[0].write) {
			frm.add_custom_button(__("Import Counts"), () => {
				frappe.prompt(
					{
						fieldname: "content",
						fieldtype: "Code",
						label: __("CSV: item_code, warehouse, counted_qty, reason"),
						reqd: 1,
					},
					({ content }) =>
						frm.call("import_counts", { content }).then(() => frm.reload_doc()),
					__("Import Counts"),
					__("Import")
				);
			});
		}
	},
});

frappe.ui.form.on("Stocktake Item", {
	counted_qty(frm, cdt, cdn) {
		frappe.model.set_value(cdt, cdn, "counted", 1);
	},
});
