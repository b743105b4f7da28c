// Customer form: *Invite to Portal* (aftersales.portal.accounts.invite_to_portal) for the service
// desk and the After-Sales Manager. The server checks the role again.
frappe.ui.form.on("Customer", {
	refresh(frm) {
		if (frm.is_new()) return;
		// who may invite: aftersales/domain/desk_actions.py (the server checks the same)
		if (!aftersales.desk.may("Customer", "invite_to_portal")) return;
		frm.add_custom_button(__("Invite to Portal"), () => {
			frappe.prompt(
				[
					{
						fieldname: "email",
						fieldtype: "Data",
						options: "Email",
						label: __("Email"),
						description: __(
							"Leave empty to use the email of the customer's primary contact."
						),
					},
				],
				(values) =>
					frappe.call({
						method: "aftersales.portal.accounts.invite_to_portal",
						args: { customer: frm.doc.name, email: values.email || null },
						freeze: true,
						callback: (r) => {
							if (!r.message) return;
							frappe.show_alert({
								message: __("Invitation sent to {0}.", [r.message.user]),
								indicator: "green",
							});
							frm.reload_doc();
						},
					}),
				__("Invite to Portal"),
				__("Send Invitation")
			);
		});
	},
});
