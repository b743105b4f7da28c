// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("After-Sales Settings", {
	setup(frm) {
		const non_group = () => ({ filters: { is_group: 0 } });
		[
			"spare_parts_warehouse",
			"used_parts_warehouse",
			"returns_quarantine_warehouse",
			"scrap_warehouse",
		].forEach((fieldname) => frm.set_query(fieldname, non_group));
	},
});
