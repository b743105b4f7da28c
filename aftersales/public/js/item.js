// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Item", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.is_stock_item || !frappe.model.can_create("Spare Part"))
			return;
		frm.add_custom_button(
			__("Spare Part"),
			() => {
				frappe
					.call({
						method: "aftersales.parts.doctype.spare_part.spare_part.make_spare_part",
						args: { item_code: frm.doc.name },
					})
					.then(({ message }) => frappe.set_route("Form", "Spare Part", message));
			},
			__("Create")
		);
	},
});
