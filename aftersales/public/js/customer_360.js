// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

// Customer 360 (FV-5) on the Service Work Order form: the customer's class and contact preferences,
// products with their warranty, earlier orders, complaints, returns and follow-up scores, from
// aftersales.service.customer_file.get_customer_360 (which reads each list with the user's own
// permissions and leaves out what they may not read), shown in the order's HTML field
// customer_360_html (a collapsible section). Added to the form by hooks.py doctype_js.
frappe.provide("aftersales.customer_360");

aftersales.customer_360.render = function (data) {
	const esc = (v) => frappe.utils.escape_html(v == null ? "" : String(v));
	const date = (v) => (v ? esc(frappe.datetime.str_to_user(v)) : "");
	const link = (doctype, name) =>
		`<a href="/app/${frappe.router.slug(doctype)}/${encodeURIComponent(name)}">${esc(
			name
		)}</a>`;
	const stars = (v) => (v ? `${Math.round(v * 5)}/5` : "");
	const table = (title, rows, columns) => {
		if (rows == null) return ""; // the user may not read this kind of record
		const head = columns.map((c) => `<th>${esc(c.label)}</th>`).join("");
		const body = rows.length
			? rows
					.map(
						(r) => `<tr>${columns.map((c) => `<td>${c.value(r)}</td>`).join("")}</tr>`
					)
					.join("")
			: `<tr><td colspan="${columns.length}" class="text-muted">${esc(
					__("None")
			  )}</td></tr>`;
		return `<div class="customer-360-block" style="margin-bottom: var(--margin-md)">
			<h6 class="text-muted">${esc(title)} (${rows.length})</h6>
			<table class="table table-condensed table-bordered" style="margin-bottom: 0">
				<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
	};
	const c = data.customer || {};
	const facts = [
		[__("Customer Class"), esc(c.customer_class || "")],
		[__("Customer Group"), esc(c.customer_group || "")],
		[__("Preferred Contact Channel"), esc(c.contact_channel ? __(c.contact_channel) : "")],
		[__("Preferred Contact Time"), esc(c.preferred_time ? __(c.preferred_time) : "")],
		[__("Phone"), esc(c.mobile_no || "")],
	]
		.filter(([, v]) => v)
		.map(
			([k, v]) =>
				`<span style="margin-right: var(--margin-lg)"><span class="text-muted">${esc(
					k
				)}:</span> ${v}</span>`
		)
		.join("");
	const opt_out = c.do_not_contact
		? `<span class="indicator-pill red" style="margin-right: var(--margin-lg)">${esc(
				__("Do Not Contact")
		  )}</span>`
		: "";
	return `<div class="customer-360">
		<p>${opt_out}${facts}</p>
		${table(__("Products"), data.products, [
			{ label: __("Item"), value: (r) => esc(r.item_name || r.item_code) },
			{ label: __("Serial No"), value: (r) => esc(r.serial_no || "") },
			{ label: __("Purchase Date"), value: (r) => date(r.purchase_date) },
			{
				label: __("Warranty"),
				value: (r) => esc(r.warranty_status ? __(r.warranty_status) : ""),
			},
			{ label: __("Warranty End"), value: (r) => date(r.warranty_end) },
		])}
		${table(__("Earlier Orders"), data.orders, [
			{ label: __("Service Work Order"), value: (r) => link("Service Work Order", r.name) },
			{ label: __("Received On"), value: (r) => date(r.received_on) },
			{ label: __("Item"), value: (r) => esc(r.item_name || r.item_code || "") },
			{ label: __("Status"), value: (r) => esc(__(r.status)) },
			{
				label: __("Follow-up Outcome"),
				value: (r) => esc(r.follow_up_outcome ? __(r.follow_up_outcome) : ""),
			},
		])}
		${table(__("Complaints"), data.complaints, [
			{ label: __("Customer Complaint"), value: (r) => link("Customer Complaint", r.name) },
			{ label: __("Subject"), value: (r) => esc(r.subject) },
			{ label: __("Severity"), value: (r) => esc(__(r.severity)) },
			{ label: __("Status"), value: (r) => esc(__(r.status)) },
		])}
		${table(__("Returns"), data.returns, [
			{ label: __("Return Request"), value: (r) => link("Return Request", r.name) },
			{ label: __("Request Date"), value: (r) => date(r.request_date) },
			{ label: __("Kind"), value: (r) => esc(__(r.kind)) },
			{ label: __("Ground"), value: (r) => esc(__(r.ground)) },
			{ label: __("Status"), value: (r) => esc(__(r.status)) },
		])}
		${table(__("Follow-up Scores"), data.follow_ups, [
			{ label: __("Service Follow-up"), value: (r) => link("Service Follow-up", r.name) },
			{ label: __("Followed Up On"), value: (r) => date(r.followed_up_on) },
			{ label: __("Outcome"), value: (r) => esc(r.outcome ? __(r.outcome) : "") },
			{ label: __("Repair Quality"), value: (r) => stars(r.repair_quality) },
			{ label: __("Service Attitude"), value: (r) => stars(r.attitude) },
			{ label: __("Score (%)"), value: (r) => (r.total_score ? esc(r.total_score) : "") },
		])}
	</div>`;
};

frappe.ui.form.on("Service Work Order", {
	refresh(frm) {
		aftersales.customer_360.show(frm);
	},
	customer(frm) {
		aftersales.customer_360.show(frm);
	},
});

aftersales.customer_360.show = function (frm) {
	const field = frm.fields_dict.customer_360_html;
	if (!field) return;
	field.$wrapper.empty();
	// the server refuses a user who may not read the customer: no call, no message for them
	if (frm.is_new() || !frm.doc.customer || !frappe.model.can_read("Customer")) return;
	const customer = frm.doc.customer;
	frappe
		.call({
			method: "aftersales.service.customer_file.get_customer_360",
			args: { customer },
		})
		.then((r) => {
			if (!r || !r.message || frm.doc.customer !== customer) return;
			const data = r.message;
			// "earlier" orders: not the one on the screen
			if (data.orders) data.orders = data.orders.filter((row) => row.name !== frm.doc.name);
			field.$wrapper.html(aftersales.customer_360.render(data));
		});
};
