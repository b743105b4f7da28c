"""The KPI module (aftersales/kpi: reports, number cards, charts, the After-Sales dashboard) came after
sites installed the app: make its Module Def, as `bench install-app` does for every module in
modules.txt. Idempotent."""

import frappe


def execute():
	if not frappe.db.exists("Module Def", "KPI"):
		frappe.get_doc({"doctype": "Module Def", "module_name": "KPI", "app_name": "aftersales"}).insert(
			ignore_permissions=True
		)
