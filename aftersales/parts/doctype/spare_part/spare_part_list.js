// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Spare Part"] = {
	add_fields: ["abc_class", "is_dead_stock"],
	get_indicator(doc) {
		if (doc.is_dead_stock) return [__("Dead Stock"), "red", "is_dead_stock,=,1"];
		const colours = { A: "green", B: "blue", C: "gray" };
		return doc.abc_class
			? [
					__("Class {0}", [doc.abc_class]),
					colours[doc.abc_class],
					"abc_class,=," + doc.abc_class,
			  ]
			: null;
	},
	onload(listview) {
		if (!aftersales.desk.may("Spare Part", "refresh_now")) return;
		listview.page.add_inner_button(__("Recompute Classes and Forecasts"), () =>
			frappe
				.call({
					method: "aftersales.parts.analytics.refresh_now",
					freeze: true,
				})
				.then(() => listview.refresh())
		);
	},
};
