// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

// The desk's call list of due follow-ups (FV-2): each row's "Record Outcome" opens a dialog with the
// repair's scores (for a work order), the plan's questions and the outcome, and submits them.
frappe.query_reports["Follow-up Call List"] = {
	filters: [
		{
			fieldname: "date",
			label: __("Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "include_overdue",
			label: __("Include Overdue"),
			fieldtype: "Check",
			default: 1,
		},
		{
			fieldname: "channel",
			label: __("Channel"),
			fieldtype: "Select",
			options: "\nPhone\nSMS\nEmail\nOnline",
		},
		{
			fieldname: "follow_up_plan",
			label: __("Follow-up Plan"),
			fieldtype: "Link",
			options: "Follow-up Plan",
		},
		{
			fieldname: "service_point",
			label: __("Service Point"),
			fieldtype: "Link",
			options: "Service Point",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		if (column.fieldname === "action" && data && data.action) {
			const name = frappe.utils.escape_html(data.action);
			return `<button class="btn btn-xs btn-primary" data-follow-up="${name}"
				onclick="frappe.query_reports['Follow-up Call List'].record_outcome(this.dataset.followUp)">
				${__("Record Outcome")}</button>`;
		}
		if (column.fieldname === "days_overdue" && data && data.days_overdue > 0) {
			return `<span class="text-danger">${default_formatter(
				value,
				row,
				column,
				data
			)}</span>`;
		}
		return default_formatter(value, row, column, data);
	},
	record_outcome(name) {
		frappe.model.with_doc("Service Follow-up", name).then((doc) => {
			const fields = [
				{
					fieldtype: "HTML",
					options: `<p>${frappe.utils.escape_html(
						doc.customer_name || doc.customer || ""
					)}
					${doc.phone ? " · " + frappe.utils.escape_html(doc.phone) : ""}</p>`,
				},
			];
			if (doc.service_work_order) {
				fields.push(
					{
						fieldname: "repair_quality",
						label: __("Repair Quality"),
						fieldtype: "Rating",
						reqd: 1,
					},
					{
						fieldname: "attitude",
						label: __("Service Attitude"),
						fieldtype: "Rating",
						reqd: 1,
					},
					{
						fieldname: "duration",
						label: __("Repair Duration"),
						fieldtype: "Rating",
						reqd: 1,
					}
				);
			}
			(doc.answers || []).forEach((row) => {
				fields.push(
					{ fieldtype: "Section Break", label: row.question },
					{
						fieldname: `score_${row.name}`,
						label: __("Score"),
						fieldtype: "Rating",
						reqd: 1,
					},
					{
						fieldname: `answer_${row.name}`,
						label: __("Answer"),
						fieldtype: "Small Text",
					}
				);
			});
			const outcomes = [
				"Satisfied",
				"Unsatisfied at Follow-up",
				"Complaint Call",
				"Attitude Complaint",
			];
			if (doc.service_work_order)
				outcomes.splice(
					2,
					0,
					"Not Fixed at First Visit",
					"Not Fixed after Several Visits"
				);
			fields.push(
				{ fieldtype: "Section Break" },
				{
					fieldname: "outcome",
					label: __("Outcome"),
					fieldtype: "Select",
					reqd: 1,
					options: outcomes.map((o) => ({ value: o, label: __(o) })),
				},
				{ fieldname: "remarks", label: __("Customer's Words"), fieldtype: "Small Text" }
			);
			const stars = (v) => Math.round((v || 0) * 5);
			const dialog = new frappe.ui.Dialog({
				title: __("Record Outcome") + ": " + name,
				fields,
				primary_action_label: __("Submit"),
				primary_action(values) {
					const scores = { answers: {} };
					["repair_quality", "attitude", "duration"].forEach((f) => {
						if (values[f]) scores[f] = stars(values[f]);
					});
					(doc.answers || []).forEach((row) => {
						scores.answers[row.name] = {
							score: stars(values[`score_${row.name}`]),
							answer: values[`answer_${row.name}`] || "",
						};
					});
					frappe
						.call({
							method: "aftersales.service.follow_ups.record_outcome",
							args: {
								follow_up: name,
								outcome: values.outcome,
								remarks: values.remarks,
								scores,
							},
							freeze: true,
						})
						.then(() => {
							dialog.hide();
							frappe.show_alert({
								message: __("Follow-up {0} recorded", [name]),
								indicator: "green",
							});
							frappe.query_report.refresh();
						});
				},
			});
			dialog.show();
		});
	},
};
