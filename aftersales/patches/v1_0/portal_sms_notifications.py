"""The portal's new SMS notifications (request received, consent needed) ship disabled, as all the
app's SMS notifications do; on a site that sends SMS they follow the setting like the others."""

import frappe


def execute():
	settings = frappe.get_single("After-Sales Settings")
	if settings.get("send_sms_notifications"):
		settings.toggle_sms_notifications()
