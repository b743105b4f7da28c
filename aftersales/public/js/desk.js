// Copyright (c) 2026, aftersales developers and contributors
// For license information, please see license.txt

// Shared by the app's desk forms (hooks.py app_include_js).
frappe.provide("aftersales.desk");

// Whether the user may take `action` on a `doctype` in `state` (omit it: in any state). The rules
// come from the server at boot (aftersales/domain/desk_actions.py: the app's own actions and every
// flow's transitions), the same rules the server checks, so no form names a role itself.
aftersales.desk.may = function (doctype, action, state) {
	const rules = ((frappe.boot.aftersales_actions || {})[doctype] || {})[action] || [];
	return rules.some(
		(rule) =>
			(!state || !rule.states.length || rule.states.includes(state)) &&
			rule.roles.some((role) => frappe.user.has_role(role))
	);
};

// Fields only some roles may change, in some states (the server's FieldRules.role_owned, sent at
// boot): read-only in the form for everyone else.
aftersales.desk.mirror_field_owners = function (frm) {
	const rules = (frappe.boot.aftersales_field_owners || {})[frm.doctype] || [];
	for (const rule of rules) {
		const may =
			(!rule.states.length || rule.states.includes(frm.doc.status)) &&
			rule.roles.some((role) => frappe.user.has_role(role));
		for (const field of rule.fields) frm.set_df_property(field, "read_only", may ? 0 : 1);
	}
};

// Values stored as English codes (options, default texts), shown in the user's language.
aftersales.desk.translate_list = function (value, separator = ",") {
	if (!value) return "";
	return String(value)
		.split(separator)
		.map((part) => __(part.trim()))
		.filter(Boolean)
		.join(", ");
};
