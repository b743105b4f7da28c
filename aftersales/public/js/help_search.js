// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

// KB-1: the desk searches the Help Articles from a Service Work Order, by the order's fault code,
// its product's item group and words (Chinese too), best first, with each article's "solved by
// phone" count. Loaded by the work order form (service_work_order.js); the server ranks and applies
// permissions (aftersales.api.help_search.search_help_articles).

frappe.provide("aftersales.help_search");

aftersales.help_search.add_button = function (frm) {
	if (frm.is_new() || !frappe.model.can_read("Help Article")) return;
	frm.add_custom_button(__("Search Help Articles"), () => aftersales.help_search.open(frm));
};

aftersales.help_search.open = async function (frm) {
	const item_group = frm.doc.item_code
		? (await frappe.db.get_value("Item", frm.doc.item_code, "item_group")).message?.item_group
		: null;
	const dialog = new frappe.ui.Dialog({
		title: __("Search Help Articles"),
		size: "large",
		fields: [
			{
				fieldname: "text",
				fieldtype: "Data",
				label: __("Words"),
				description: __("Words from the caller's description, in English or Chinese."),
			},
			{ fieldtype: "Column Break" },
			{
				fieldname: "fault_code",
				fieldtype: "Link",
				options: "Fault Code",
				label: __("Fault Code"),
				default: frm.doc.fault_code,
			},
			{ fieldtype: "Column Break" },
			{
				fieldname: "item_group",
				fieldtype: "Link",
				options: "Item Group",
				label: __("Item Group"),
				default: item_group,
			},
			{ fieldtype: "Section Break" },
			{ fieldname: "results", fieldtype: "HTML" },
		],
		primary_action_label: __("Search"),
		primary_action: () => search(),
	});
	const search = frappe.utils.debounce(async () => {
		const values = dialog.get_values(true);
		if (!values.text && !values.fault_code && !values.item_group) {
			render([]);
			return;
		}
		const r = await frappe.call({
			method: "aftersales.api.help_search.search_help_articles",
			args: values,
		});
		render(r.message || []);
	}, 300);
	const render = (articles) => {
		const $results = dialog.fields_dict.results.$wrapper;
		if (!articles.length) {
			$results.html(`<p class="text-muted">${__("No published article matches.")}</p>`);
			return;
		}
		$results.html(
			articles
				.map((a) => {
					const phone = a.solved_by_phone
						? `<span class="indicator-pill green">${__("Solved by phone: {0}", [
								a.solved_by_phone,
						  ])}</span>`
						: "";
					const review = a.review_due
						? `<span class="indicator-pill orange">${__("Review due")}</span>`
						: "";
					return `<div class="help-search-result" style="margin-bottom: var(--margin-md)">
						<a href="/app/help-article/${encodeURIComponent(a.name)}" target="_blank" class="bold">
							${frappe.utils.escape_html(a.title)}</a> ${phone} ${review}
						<div class="text-muted small">${frappe.utils.escape_html(a.snippet || "")}</div>
					</div>`;
				})
				.join("")
		);
	};
	["text", "fault_code", "item_group"].forEach((fieldname) => {
		dialog.fields_dict[fieldname].df.onchange = () => search();
	});
	dialog.fields_dict.text.$input.on("input", () => search());
	dialog.show();
	search();
};
