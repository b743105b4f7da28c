// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Work Order", {
	setup(frm) {
		// the server accepts only members of the order's service point (transitions.validate_technician)
		frm.set_query("technician", (doc) => ({
			filters: {
				status: "Active",
				company: doc.company,
				name: ["in", frm.__point_members || []],
			},
		}));
		frm.set_query("service_point", () => ({ filters: { disabled: 0 } }));
		frm.set_query("serial_no", (doc) =>
			doc.item_code ? { filters: { item_code: doc.item_code } } : {}
		);
		frm.set_query("contact_person", (doc) => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: doc.customer },
		}));
		frm.set_query("customer_address", (doc) => ({
			query: "frappe.contacts.doctype.address.address.address_query",
			filters: { link_doctype: "Customer", link_name: doc.customer },
		}));
		frm.set_query("fault_code", () => ({ filters: { disabled: 0 } }));
	},

	refresh(frm) {
		load_point_members(frm);
		mirror_field_rules(frm);
		if (frm.is_new()) return;
		add_parts_buttons(frm);
		if (frm.doc.chargeable_amount && !frm.doc.sales_invoice) {
			frm.add_custom_button(__("Sales Invoice"), () =>
				frappe.model.open_mapped_doc({
					method: "aftersales.service.doctype.service_work_order.service_work_order.make_sales_invoice",
					frm,
				}), __("Create"));
		}
		if (frm.doc.help_article) {
			frm.add_custom_button(__("Troubleshooting"), () => show_troubleshooting(frm));
		}
		frm.add_custom_button(__("Orders of this Caller"), () => show_caller_history(frm));
		if (frm.doc.rework_count) {
			frm.add_custom_button(__("Corrective Action"), () =>
				frappe.model.open_mapped_doc({
					method: "aftersales.complaints.doctype.corrective_action.corrective_action.make_corrective_action",
					source_name: frm.doc.name,
					args: { source_doctype: "Service Work Order" },
				}), __("Create"));
		}
	},

	service_point(frm) {
		load_point_members(frm);
	},

	phone(frm) {
		if (frm.is_new() && (frm.doc.phone || "").length >= 7) show_caller_history(frm, true);
	},

	fault_code(frm) {
		if (frm.doc.fault_code) show_troubleshooting(frm);
	},
});

// The form mirrors the server's rules (aftersales/service/work_order/parts.py, integrity.py); the
// server decides whatever the form shows.
const STOCK_ROLES = ["Stock User", "Stock Manager", "After-Sales Manager"];
const WORKING = ["Appointment Booked", "In Progress", "Awaiting Customer Consent"];
const RETURNING = [...WORKING, "Quality Check", "Ready for Delivery"];
const CANCELLING = ["New", "Accepted", "Assigned", "Appointment Booked", "In Progress", "Awaiting Customer Consent"];

function load_point_members(frm) {
	if (!frm.doc.service_point) {
		frm.__point_members = [];
		return;
	}
	frappe.db.get_doc("Service Point", frm.doc.service_point).then((point) => {
		frm.__point_members = (point.members || []).map((m) => m.employee);
	});
}

function mirror_field_rules(frm) {
	const inspecting = frm.doc.status === "Quality Check" && frappe.user.has_role("Quality Inspector");
	for (const field of ["qc_result", "qc_remarks", "qc_type"]) {
		frm.set_df_property(field, "read_only", inspecting ? 0 : 1);
	}
}

function add_parts_buttons(frm) {
	const parts = frm.doc.parts || [];
	const status = frm.doc.status;
	const call = (method, args) =>
		frm.call({ doc: frm.doc, method, args, freeze: true }).then(() => frm.reload_doc());
	const may = (roles, states) => frappe.user.has_role(roles) && states.includes(status);
	if (parts.some((p) => p.status === "Requested") && may(["Dispatcher", "After-Sales Manager"], WORKING)) {
		frm.add_custom_button(__("Approve Parts"), () => call("approve_parts"), __("Parts"));
	}
	if (parts.some((p) => p.status === "Approved") && may(STOCK_ROLES, WORKING)) {
		frm.add_custom_button(__("Issue Parts"), () => call("issue_parts"), __("Parts"));
	}
	const issued = parts.filter((p) => p.status === "Issued" && !p.return_stock_entry);
	if (issued.length && may(STOCK_ROLES, RETURNING)) {
		frm.add_custom_button(__("Return Unused Parts"), () => {
			const d = new frappe.ui.Dialog({
				title: __("Return Unused Parts"),
				fields: [
					{
						fieldname: "row_name", fieldtype: "Select", label: __("Part"), reqd: 1,
						options: issued.map((p) => ({ value: p.name, label: `${p.idx}: ${p.item_code} (${p.issued_qty})` })),
					},
					{ fieldname: "qty", fieldtype: "Float", label: __("Qty"), reqd: 1 },
				],
				primary_action_label: __("Return"),
				primary_action: (values) => { d.hide(); call("return_unused_part", values); },
			});
			d.show();
		}, __("Parts"));
	}
	const cancellable = parts.filter((p) => p.status !== "Cancelled");
	if (cancellable.length && may([...STOCK_ROLES, "Dispatcher"], CANCELLING)) {
		frm.add_custom_button(__("Cancel a Parts Line"), () => {
			frappe.prompt(
				{
					fieldname: "row_name", fieldtype: "Select", label: __("Part"), reqd: 1,
					options: cancellable.map((p) => ({ value: p.name, label: `${p.idx}: ${p.item_code}` })),
				},
				(values) => call("cancel_part", values),
				__("Cancel a Parts Line"),
				__("Cancel Line")
			);
		}, __("Parts"));
	}
	if ((frm.doc.old_parts || []).some((p) => !p.stock_entry) && frappe.user.has_role(STOCK_ROLES)) {
		frm.add_custom_button(__("Register Old Parts"), () => call("register_old_parts"), __("Parts"));
	}
}

function show_troubleshooting(frm) {
	frappe.call({
		method: "aftersales.service.doctype.fault_code.fault_code.get_troubleshooting",
		args: { fault_code: frm.doc.fault_code },
	}).then(({ message: r }) => {
		if (!r) return;
		const article = r.help_article
			? `<h5>${frappe.utils.escape_html(r.help_article.title)}</h5>${r.help_article.content || ""}`
			: "";
		frappe.msgprint({
			title: __("Troubleshooting: {0}", [r.fault_name]),
			message: `<p><b>${__("Symptom")}:</b> ${frappe.utils.escape_html(r.symptom || "")}</p>
				<p><b>${__("Typical Cause")}:</b> ${frappe.utils.escape_html(r.typical_cause || "")}</p>
				${r.solvable_by_phone ? `<p class="text-success">${__("Often solved by phone: try this with the caller first.")}</p>` : ""}
				${article}`,
			wide: true,
		});
	});
}

function show_caller_history(frm, quiet) {
	frappe.call({
		method: "aftersales.service.doctype.service_work_order.service_work_order.get_orders_by_phone",
		args: { phone: frm.doc.phone },
	}).then(({ message: rows }) => {
		rows = (rows || []).filter((r) => r.name !== frm.doc.name);
		if (!rows.length) {
			if (!quiet) frappe.show_alert(__("No earlier orders for this phone number."));
			return;
		}
		const lines = rows.map((r) => `<tr><td><a href="/app/service-work-order/${r.name}">${r.name}</a></td>
			<td>${frappe.utils.escape_html(r.customer_name || "")}</td><td>${frappe.utils.escape_html(r.item_name || "")}</td>
			<td>${__(r.status)}</td><td>${frappe.datetime.str_to_user(r.received_on)}</td></tr>`).join("");
		frappe.msgprint({
			title: __("Orders of this Caller"),
			message: `<table class="table table-bordered"><tr><th>${__("Order")}</th><th>${__("Customer")}</th>
				<th>${__("Product")}</th><th>${__("Status")}</th><th>${__("Received On")}</th></tr>${lines}</table>`,
			wide: true,
		});
	});
}
