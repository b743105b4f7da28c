"""Settings fields added after a site installed the app start empty in a Single; give them their
defaults. Idempotent: only empty values are filled."""

import frappe


def execute():
	meta = frappe.get_meta("After-Sales Settings")
	values = frappe.db.get_singles_dict("After-Sales Settings")
	for df in meta.fields:
		if df.default is not None and values.get(df.fieldname) in (None, ""):
			frappe.db.set_single_value("After-Sales Settings", df.fieldname, df.default)
