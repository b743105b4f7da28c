app_name = "aftersales"
app_title = "After-Sales"
app_publisher = "aftersales developers"
app_description = (
	"After-sales department for ERPNext: service work orders, returns, complaints, "
	"spare parts, stocktakes and staff appraisal"
)
app_email = "aftersales@example.com"
app_license = "mit"

# "org/repo" as HRMS writes it: a bare "erpnext" makes Frappe look the org up on GitHub at install.
required_apps = ["frappe/erpnext"]

# Keep the "# begin: auto-generated types" block of each controller current.
export_python_type_annotations = True

add_to_apps_screen = [
	{
		"name": "aftersales",
		"logo": "/assets/aftersales/images/logo.svg",
		"title": "After-Sales",
		"route": "/app/after-sales",
		# desk users with an app role only: a portal customer goes to the portal, not to a 403
		"has_permission": "aftersales.desk.has_app_permission",
	}
]

# Installation
# ------------
after_install = "aftersales.install.after_install"
before_uninstall = "aftersales.install.before_uninstall"
# Workflow States and Actions a new version's workflows name and the site lacks (created only
# where missing; aftersales/setup/workflows.py)
after_migrate = ["aftersales.setup.workflows.ensure_workflow_masters"]

# Testing
# -------
# Completes ERPNext's setup wizard on a fresh test site, as ERPNext's own tests expect, and
# re-applies the app's idempotent install steps.
before_tests = "aftersales.tests.utils.before_tests"

# Fixtures
# --------
# fixtures/ holds the shipped workflows (work order, stocktake, complaint, return request): records
# that must be identical on every site. They are generated from aftersales/domain/*_flow.py by
# scripts/build_fixtures.py (not by `bench export-fixtures`); a unit test keeps them equal. Their
# Workflow States and Actions are shared with the site's other workflows, so they are no fixtures:
# install and migrate create the missing ones (aftersales/setup/workflows.py).

# Permissions
# -----------
# Record-level rules (desk, lists, reports and REST alike): technicians see their own and their
# service point's orders; staff their own complaints; customers only their own records.
permission_query_conditions = {
	"Service Work Order": "aftersales.service.work_order.permissions.query_conditions",
	"Customer Complaint": "aftersales.complaints.permissions.query_conditions",
	"Return Request": "aftersales.returns.permissions.query_conditions",
}
has_permission = {
	"Service Work Order": "aftersales.service.work_order.permissions.has_permission",
	"Customer Complaint": "aftersales.complaints.permissions.has_permission",
	"Return Request": "aftersales.returns.permissions.has_permission",
}

# Document events
# ---------------
doc_events = {
	# What clients send to the app's own DocTypes and their child tables (the guard returns at
	# once for every other DocType): text that fits its column, real dates and numbers, 0 or 1 in
	# a Check, Links to records that exist; refused with HTTP 417 and the field's name.
	"*": {
		"before_validate": "aftersales.input_guard.check_input",
		"before_update_after_submit": "aftersales.input_guard.check_input",
	},
	"Sales Invoice": {
		"on_submit": "aftersales.service.work_order.billing.on_sales_invoice_submit",
		"on_cancel": "aftersales.service.work_order.billing.on_sales_invoice_cancel",
	},
}

# Scheduled tasks
# ---------------
scheduler_events = {
	"cron": {
		"*/10 * * * *": [
			"aftersales.service.work_order.sla.flag_overdue_orders",
			"aftersales.complaints.escalation.escalate_overdue",
		],
	},
	"daily": [
		"aftersales.service.work_order.sla.move_due_follow_ups",
		"aftersales.parts.analytics.daily",
	],
	"weekly": ["aftersales.parts.analytics.recompute_abc_classes"],
}

# Desk
# ----
doctype_js = {"Item": "public/js/item.js"}
