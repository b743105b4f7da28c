// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Service Work Order"] = {
	add_fields: ["status", "response_breached", "is_delayed", "agreement_status"],
	has_indicator_for_draft: 1,
	get_indicator(doc) {
		if (doc.response_breached && ["New", "Accepted", "Assigned"].includes(doc.status)) {
			return [__("Appointment Overdue"), "red", "response_breached,=,1"];
		}
		if (
			doc.is_delayed &&
			!["Delivered", "Follow-up", "Closed", "Cancelled", "Unrepairable"].includes(doc.status)
		) {
			return [__("Delayed"), "red", "is_delayed,=,1"];
		}
		const colours = {
			New: "blue",
			Accepted: "blue",
			Assigned: "cyan",
			"Appointment Booked": "cyan",
			"In Progress": "orange",
			"Awaiting Customer Consent": "yellow",
			"Quality Check": "purple",
			"Ready for Delivery": "green",
			Delivered: "green",
			"Follow-up": "green",
			Closed: "gray",
			Cancelled: "red",
			Unrepairable: "red",
		};
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
