// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Work Order", {
	setup(frm) {
		set_formatters();
		// the active technicians of the order's service point, by name, with their open orders; the
		// server accepts only members of the point (transitions.validate_technician)
		frm.set_query("technician", (doc) => ({
			query: "aftersales.api.desk.technician_query",
			filters: { service_point: doc.service_point || "", company: doc.company || "" },
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
		mirror_field_rules(frm);
		set_log_formatter(frm);
		if (frm.is_new()) return;
		add_parts_buttons(frm);
		add_technician_buttons(frm);
		if (
			frm.doc.chargeable_amount &&
			!frm.doc.sales_invoice &&
			frappe.model.can_create("Sales Invoice")
		) {
			frm.add_custom_button(
				__("Sales Invoice"),
				() =>
					frappe.model.open_mapped_doc({
						method: "aftersales.service.doctype.service_work_order.service_work_order.make_sales_invoice",
						frm,
					}),
				__("Create")
			);
		}
		if (frm.doc.help_article) {
			frm.add_custom_button(__("Troubleshooting"), () => show_troubleshooting(frm));
		}
		frm.add_custom_button(__("Orders of this Caller"), () => show_caller_history(frm));
		// KB-1: the Help Articles by fault code, item group and words (public/js/help_search.js)
		frappe.require("/assets/aftersales/js/help_search.js", () =>
			aftersales.help_search.add_button(frm)
		);
		if (frm.doc.rework_count && frappe.model.can_create("Corrective Action")) {
			frm.add_custom_button(
				__("Corrective Action"),
				() =>
					frappe.model.open_mapped_doc({
						method: "aftersales.complaints.doctype.corrective_action.corrective_action.make_corrective_action",
						source_name: frm.doc.name,
						args: { source_doctype: "Service Work Order" },
					}),
				__("Create")
			);
		}
	},

	service_point(frm) {
		if (frm.doc.technician) frm.set_value("technician", null);
	},

	// the warranty decision is shown as soon as product, serial and dates are known; the server
	// decides again on every save (set_warranty)
	item_code(frm) {
		refresh_warranty(frm);
		// the vehicle reception section shows for products of a vehicle item group (vehicle.py)
		if (!frm.doc.item_code) {
			frm.set_value("is_vehicle", 0);
			return;
		}
		frappe
			.call({
				method: "aftersales.api.desk.intake_flags",
				args: { item_code: frm.doc.item_code },
			})
			.then(({ message }) => frm.set_value("is_vehicle", message ? message.is_vehicle : 0));
	},
	serial_no(frm) {
		if (frm.doc.serial_no && !frm.doc.item_code) {
			frappe.db
				.get_value("Serial No", frm.doc.serial_no, "item_code")
				.then(({ message }) => {
					if (message && message.item_code)
						frm.set_value("item_code", message.item_code);
				});
		}
		refresh_warranty(frm);
	},
	purchase_date(frm) {
		refresh_warranty(frm);
	},
	fault_date(frm) {
		refresh_warranty(frm);
	},
	received_on(frm) {
		if (!frm.doc.fault_date) refresh_warranty(frm);
	},
	sales_document(frm) {
		const { sales_document_type: doctype, sales_document: name } = frm.doc;
		if (!doctype || !name || frm.doc.purchase_date) return;
		frappe.db.get_value(doctype, name, "posting_date").then(({ message }) => {
			if (message && message.posting_date)
				frm.set_value("purchase_date", message.posting_date);
		});
	},

	phone(frm) {
		if (frm.is_new() && (frm.doc.phone || "").length >= 7) show_caller_history(frm, true);
	},

	fault_code(frm) {
		if (frm.doc.fault_code) show_troubleshooting(frm);
	},
});

// The form mirrors the server's rules (aftersales/service/work_order/parts.py, integrity.py); the
// server decides whatever the form shows. Who may take each action, in which states:
// aftersales.desk.may (public/js/desk.js, from aftersales/domain/desk_actions.py).
const may = (frm, action) => aftersales.desk.may("Service Work Order", action, frm.doc.status);

function refresh_warranty(frm) {
	const doc = frm.doc;
	const seq = (frm.__warranty_seq = (frm.__warranty_seq || 0) + 1);
	const show = (decision) => {
		if (seq !== frm.__warranty_seq) return; // an answer to inputs changed since
		frm.set_value({
			warranty_status: decision ? decision.status : null,
			warranty_end: decision ? decision.warranty_end : null,
			warranty_basis: decision ? decision.basis : null,
			// stored as the server stores it (service_work_order.py set_warranty), shown translated
			allowed_remedies:
				decision && decision.remedies.length ? decision.remedies.join(", ") : null,
		});
	};
	if (!(doc.item_code || doc.serial_no) || !(doc.purchase_date || doc.serial_no)) {
		show(null);
		return;
	}
	frappe
		.call({
			method: "aftersales.api.warranty.check_warranty",
			args: {
				item_code: doc.item_code || null,
				serial_no: doc.serial_no || null,
				purchase_date: doc.purchase_date || null,
				fault_date: doc.fault_date || (doc.received_on || "").slice(0, 10) || null,
			},
			error: () => show(null),
		})
		.then(({ message }) => show(message));
}

function set_formatters() {
	// stored as English codes and default texts, shown in the user's language (Frappe applies a
	// Data field's formatter in the form, its grids and the list)
	const fields = frappe.meta.docfield_map;
	fields["Service Work Order"].allowed_remedies.formatter = (value) =>
		aftersales.desk.translate_list(value);
	fields["Service Work Order Check"].check_item.formatter = (value) =>
		value ? __(value) : value;
	// the app's status notes: their English message and values (aftersales/service/work_order/status_notes.py)
	fields["Service Work Order Log"].note.formatter = format_log_note;
}

function format_log_note(value, df, options, row) {
	if (!row || !row.note_code) return frappe.form.formatters.SmallText(value);
	let values = [];
	try {
		values = JSON.parse(row.note_args || "[]");
	} catch (e) {
		return frappe.form.formatters.SmallText(value);
	}
	const text = __(
		row.note_code,
		values.map((v) => __(v))
	);
	return frappe.form.formatters.SmallText(frappe.utils.escape_html(text));
}

function set_log_formatter(frm) {
	// a grid keeps its own copies of the columns (made before the form's setup ran): give them the
	// note's formatter too (a Small Text column has no per-DocType formatter hook)
	const grid = frm.fields_dict.status_log && frm.fields_dict.status_log.grid;
	if (!grid || !grid.grid_rows || !grid.grid_rows.length) return;
	const column = grid.docfields.find((df) => df.fieldname === "note");
	if (column && column.formatter !== format_log_note) {
		grid.update_docfield_property("note", "formatter", format_log_note);
	}
}

function mirror_field_rules(frm) {
	// the quality check's fields: the Quality Inspector's, in Quality Check (service_work_order.py
	// FIELD_RULES.role_owned, sent at boot)
	aftersales.desk.mirror_field_owners(frm);
}

function add_parts_buttons(frm) {
	const parts = frm.doc.parts || [];
	const call = (method, args) =>
		frm.call({ doc: frm.doc, method, args, freeze: true }).then(() => frm.reload_doc());
	if (parts.some((p) => p.status === "Requested") && may(frm, "approve_parts")) {
		frm.add_custom_button(__("Approve Parts"), () => call("approve_parts"), __("Parts"));
	}
	if (parts.some((p) => p.status === "Approved") && may(frm, "issue_parts")) {
		frm.add_custom_button(__("Issue Parts"), () => call("issue_parts"), __("Parts"));
	}
	const issued = parts.filter((p) => p.status === "Issued" && !p.return_stock_entry);
	if (issued.length && may(frm, "return_unused_part")) {
		frm.add_custom_button(
			__("Return Unused Parts"),
			() => {
				const d = new frappe.ui.Dialog({
					title: __("Return Unused Parts"),
					fields: [
						{
							fieldname: "row_name",
							fieldtype: "Select",
							label: __("Part"),
							reqd: 1,
							options: issued.map((p) => ({
								value: p.name,
								label: `${p.idx}: ${p.item_code} (${p.issued_qty})`,
							})),
						},
						{ fieldname: "qty", fieldtype: "Float", label: __("Qty"), reqd: 1 },
					],
					primary_action_label: __("Return"),
					primary_action: (values) => {
						d.hide();
						call("return_unused_part", values);
					},
				});
				d.show();
			},
			__("Parts")
		);
	}
	const cancellable = parts.filter((p) => p.status !== "Cancelled");
	if (cancellable.length && may(frm, "cancel_part")) {
		frm.add_custom_button(
			__("Cancel a Parts Line"),
			() => {
				frappe.prompt(
					{
						fieldname: "row_name",
						fieldtype: "Select",
						label: __("Part"),
						reqd: 1,
						options: cancellable.map((p) => ({
							value: p.name,
							label: `${p.idx}: ${p.item_code}`,
						})),
					},
					(values) => call("cancel_part", values),
					__("Cancel a Parts Line"),
					__("Cancel Line")
				);
			},
			__("Parts")
		);
	}
	if ((frm.doc.old_parts || []).some((p) => !p.stock_entry) && may(frm, "register_old_parts")) {
		frm.add_custom_button(
			__("Register Old Parts"),
			() => call("register_old_parts"),
			__("Parts")
		);
	}
}

function show_troubleshooting(frm) {
	frappe
		.call({
			method: "aftersales.service.doctype.fault_code.fault_code.get_troubleshooting",
			args: { fault_code: frm.doc.fault_code },
		})
		.then(({ message: r }) => {
			if (!r) return;
			const article = r.help_article
				? `<h5>${frappe.utils.escape_html(r.help_article.title)}</h5>${
						r.help_article.content || ""
				  }`
				: "";
			frappe.msgprint({
				title: __("Troubleshooting: {0}", [r.fault_name]),
				message: `<p><b>${__("Symptom")}:</b> ${frappe.utils.escape_html(
					r.symptom || ""
				)}</p>
				<p><b>${__("Typical Cause")}:</b> ${frappe.utils.escape_html(r.typical_cause || "")}</p>
				${
					r.solvable_by_phone
						? `<p class="text-success">${__(
								"Often solved by phone: try this with the caller first."
						  )}</p>`
						: ""
				}
				${article}`,
				wide: true,
			});
		});
}

function show_caller_history(frm, quiet) {
	frappe
		.call({
			method: "aftersales.service.doctype.service_work_order.service_work_order.get_orders_by_phone",
			args: { phone: frm.doc.phone },
		})
		.then(({ message: rows }) => {
			rows = (rows || []).filter((r) => r.name !== frm.doc.name);
			if (!rows.length) {
				if (!quiet) frappe.show_alert(__("No earlier orders for this phone number."));
				return;
			}
			const lines = rows
				.map(
					(r) => `<tr><td><a href="/app/service-work-order/${r.name}">${r.name}</a></td>
			<td>${frappe.utils.escape_html(r.customer_name || "")}</td><td>${frappe.utils.escape_html(
						r.item_name || ""
					)}</td>
			<td>${__(r.status)}</td><td>${frappe.datetime.str_to_user(r.received_on)}</td></tr>`
				)
				.join("");
			frappe.msgprint({
				title: __("Orders of this Caller"),
				message: `<table class="table table-bordered"><tr><th>${__(
					"Order",
					null,
					"Service Work Order"
				)}</th><th>${__("Customer")}</th>
				<th>${__("Product")}</th><th>${__("Status")}</th><th>${__(
					"Received On"
				)}</th></tr>${lines}</table>`,
				wide: true,
			});
		});
}

// WO-6: the assigned technician's own actions (aftersales/service/work_order/field_work.py). Only
// the order's technician sees them; the server checks the same on the stored order.
function add_technician_buttons(frm) {
	if (!frm.doc.technician_user || frm.doc.technician_user !== frappe.session.user) return;
	let next_step = null;
	if (frm.doc.status === "Assigned" && !frm.doc.technician_accepted_on) {
		frm.add_custom_button(__("Accept Order"), () => accept_order(frm)).addClass("btn-primary");
		frm.add_custom_button(__("Decline Order"), () => decline_order(frm));
		next_step = [__("Accept Order"), () => accept_order(frm)];
	}
	if (["Appointment Booked", "In Progress"].includes(frm.doc.status)) {
		frm.add_custom_button(__("Check In"), () => check_in(frm)).addClass("btn-primary");
		next_step = [__("Check In"), () => check_in(frm)];
	}
	// on a phone Frappe moves the toolbar's buttons into the "..." menu: the next step is also a
	// full-width button at the top of the form
	if (next_step && frappe.is_mobile()) {
		frm.set_intro(
			`<button class="btn btn-primary btn-block technician-next-step">${next_step[0]}</button>`
		);
		frm.layout.message.find(".technician-next-step").on("click", next_step[1]);
	}
}

function technician_call(frm, method, args) {
	return frm.call({ doc: frm.doc, method, args, freeze: true }).then(() => frm.reload_doc());
}

function accept_order(frm) {
	technician_call(frm, "accept_assignment");
}

function decline_order(frm) {
	frappe.prompt(
		{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
		(values) => technician_call(frm, "decline_assignment", values),
		__("Decline Order"),
		__("Decline")
	);
}

function check_in(frm) {
	// the server stamps the arrival time, whatever the phone's clock says
	technician_call(frm, "check_in").then(() =>
		frappe.show_alert({ message: __("Checked in"), indicator: "green" })
	);
}
