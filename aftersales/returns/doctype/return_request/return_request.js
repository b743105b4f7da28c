// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Return Request", {
	setup(frm) {
		frm.set_query("sales_document", (doc) => ({
			filters: { docstatus: 1, is_return: 0, customer: doc.customer, company: doc.company },
		}));
	},
	refresh(frm) {
		if (
			frm.doc.return_deadline &&
			frm.doc.request_date > frm.doc.return_deadline &&
			!frm.doc.late_override
		) {
			frm.dashboard.set_headline_alert(
				__("Requested after the return deadline {0}", [
					frappe.datetime.str_to_user(frm.doc.return_deadline),
				]),
				"red"
			);
		}
	},
	sales_document(frm) {
		if (!frm.doc.sales_document || (frm.doc.items || []).length) return;
		frappe.db.get_doc(frm.doc.sales_document_type, frm.doc.sales_document).then((doc) => {
			frm.set_value("received_date", doc.posting_date);
			(doc.items || []).forEach((row) => {
				frm.add_child("items", {
					item_code: row.item_code,
					qty: row.qty,
					source_row: row.name,
				});
			});
			frm.refresh_field("items");
		});
	},
});
