// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Spare Part", {
	setup(frm) {
		frm.set_query("item_code", () => ({ filters: { is_stock_item: 1, has_variants: 0 } }));
		frm.set_query("warehouse", "warning_lines", () => ({ filters: { is_group: 0 } }));
		frm.set_query("default_warehouse", () => ({ filters: { is_group: 0 } }));
	},
	refresh(frm) {
		if (
			frm.doc.is_dead_stock &&
			!frm.is_new() &&
			frappe.model.can_create("Dead Stock Disposition")
		) {
			frm.add_custom_button(
				__("Dead Stock Disposition"),
				() => frappe.new_doc("Dead Stock Disposition", { spare_part: frm.doc.name }),
				__("Create")
			);
		}
	},
});
