// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Stocktake", {
	setup(frm) {
		frm.set_query("warehouse", (doc) => ({ filters: { is_group: 0, company: doc.company } }));
	},
	refresh(frm) {
		if (frm.doc.status === "Counting" && !frm.is_dirty()) {
			frm.add_custom_button(__("Import Counts"), () => {
				frappe.prompt(
					{
						fieldname: "content", fieldtype: "Code", label: __("CSV: item_code, warehouse, counted_qty, reason"),
						reqd: 1,
					},
					({ content }) => frm.call("import_counts", { content }).then(() => frm.reload_doc()),
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
