// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Customer Complaint"] = {
	add_fields: ["status", "severity", "deadline", "tier"],
	get_indicator(doc) {
		if (
			doc.status !== "Closed" &&
			doc.deadline &&
			frappe.datetime.now_datetime() > doc.deadline
		) {
			return [__("Overdue"), "red", "status,!=,Closed"];
		}
		if (doc.severity === "Safety-critical" && doc.status !== "Closed") {
			return [__("Safety-critical"), "red", "severity,=,Safety-critical"];
		}
		const colours = {
			Open: "orange",
			Investigating: "orange",
			"Solution Proposed": "blue",
			"Solution Agreed": "blue",
			Resolved: "green",
			Closed: "gray",
		};
		return [__(doc.status), colours[doc.status], "status,=," + doc.status];
	},
};
