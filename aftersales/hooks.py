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
# the KPI queries' and the work order list's composite indexes too (aftersales/kpi/indexes.py,
# aftersales/service/work_order/list_indexes.py; also after every migrate)
after_install = [
	"aftersales.install.after_install",
	"aftersales.kpi.indexes.ensure_indexes",
	"aftersales.service.work_order.list_indexes.ensure_list_indexes",
	"aftersales.service.work_order.scheduled.ensure_indexes",
]
before_uninstall = "aftersales.install.before_uninstall"
# Workflow States and Actions a new version's workflows name and the site lacks (created only
# where missing; aftersales/setup/workflows.py)
after_migrate = [
	"aftersales.setup.workflows.ensure_workflow_masters",
	"aftersales.kpi.indexes.ensure_indexes",
	# the scheduled jobs' indexes (aftersales/service/work_order/scheduled.py)
	"aftersales.service.work_order.scheduled.ensure_indexes",
	"aftersales.service.work_order.list_indexes.ensure_list_indexes",
]

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
	# corrective actions follow their source (complaint, order, follow-up)
	"Corrective Action": "aftersales.complaints.permissions.corrective_action_query_conditions",
	# appraisals: their employee, appraiser and service point manager; 360 feedback: its rater
	"Service Appraisal": "aftersales.staff.permissions.appraisal_query_conditions",
	"Service Appraisal Feedback": "aftersales.staff.permissions.feedback_query_conditions",
	# settlement statements: an engineer reads only their own
	"Settlement Statement": "aftersales.settlement.permissions.statement_query_conditions",
	# files attached to those records: only their readers (and uploader) list them
	"File": "aftersales.privacy.file_query_conditions",
	# the portal's satisfaction survey: customers reach only their own orders' follow-ups
	"Service Follow-up": "aftersales.portal.permissions.follow_up_query_conditions",
	# child tables: only the rows of parents the user may read (frappe.client.get_list and
	# frappe.desk.reportview.get on a child DocType check the parent's role only)
	**{
		child: "aftersales.privacy.child_query_conditions"
		for child in (
			"Service Work Order Part",
			"Service Work Order Log",
			"Service Work Order Check",
			"Service Work Order Old Part",
			"Service Point Member",
			"Customer Complaint Measure",
			"Customer Complaint Escalation",
			"Return Request Item",
			"Stocktake Item",
			"Spare Part Class Change",
			"Spare Part Compatibility",
			"Spare Part Warning Line",
			"Service Appraisal KPI",
			"Service Appraisal Criterion",
			"Service Appraisal Rater Score",
			"Service Appraisal Action",
			"Service Appraisal Feedback Rating",
			"Service Appraisal Template KPI",
			"Service Appraisal Template Criterion",
			"Service Appraisal Grade",
			"Service Training Attendee",
			"Service Training Item Group",
			"Warranty Claim Batch Item",
			"Service Settlement Order",
			"Service Settlement Payee",
			"Settlement Statement Line",
			"Follow-up Plan Customer Group",
			"Follow-up Plan Item Group",
			"Follow-up Plan Question",
			"Service Follow-up Answer",
			"After-Sales Settlement Account",
		)
	},
}
has_permission = {
	"Service Work Order": "aftersales.service.work_order.permissions.has_permission",
	"Customer Complaint": "aftersales.complaints.permissions.has_permission",
	"Return Request": "aftersales.returns.permissions.has_permission",
	"Corrective Action": "aftersales.complaints.permissions.corrective_action_has_permission",
	"Service Appraisal": "aftersales.staff.permissions.appraisal_has_permission",
	"Service Appraisal Feedback": "aftersales.staff.permissions.feedback_has_permission",
	"Settlement Statement": "aftersales.settlement.permissions.statement_has_permission",
	"File": "aftersales.privacy.file_has_permission",
	"Service Follow-up": "aftersales.portal.permissions.follow_up_has_permission",
}

# Frappe's list endpoints take GROUP BY / ORDER BY clauses that Frappe 15.79.0 does not check
# (SQL injection), count without permissions, filter on internal fields and search past record
# rules: each is checked first, then Frappe's own function runs (aftersales/query_guard.py).
override_whitelisted_methods = {
	"frappe.desk.reportview.get": "aftersales.query_guard.reportview_get",
	"frappe.desk.reportview.get_list": "aftersales.query_guard.reportview_get_list",
	"frappe.desk.reportview.get_count": "aftersales.query_guard.reportview_get_count",
	"frappe.desk.reportview.export_query": "aftersales.query_guard.reportview_export_query",
	"frappe.desk.reportview.save_report": "aftersales.query_guard.reportview_save_report",
	"frappe.client.get_list": "aftersales.query_guard.client_get_list",
	"frappe.client.get_count": "aftersales.query_guard.client_get_count",
	"frappe.client.get_value": "aftersales.query_guard.client_get_value",
	"frappe.desk.search.search_link": "aftersales.query_guard.search_link",
	"frappe.desk.search.search_widget": "aftersales.query_guard.search_widget",
	"frappe.desk.listview.get_group_by_count": "aftersales.query_guard.get_group_by_count",
	"upload_file": "aftersales.query_guard.upload_file",
	"frappe.handler.upload_file": "aftersales.query_guard.upload_file",
}
# /api/resource/<doctype> and /api/v2/document/<doctype> list without those overrides; checked once
# the request's user is known (Frappe runs auth_hooks after session and API-key authentication)
auth_hooks = ["aftersales.query_guard.check_rest_list"]

# Document events
# ---------------
doc_events = {
	# What clients send to the app's own DocTypes and their child tables (the guard returns at
	# once for every other DocType): text that fits its column, real dates and numbers, 0 or 1 in
	# a Check, Links to records that exist; refused with HTTP 417 and the field's name.
	"*": {
		"before_validate": "aftersales.input_guard.check_input",
		"before_update_after_submit": "aftersales.input_guard.check_input",
		# a share of an app document gives no right the sharer lacks (aftersales/sharing.py)
		"validate_share": "aftersales.sharing.validate_share",
	},
	# whether an Item Group is a vehicle group is cached (aftersales/service/work_order/vehicle.py)
	"Item Group": {
		event: "aftersales.service.work_order.vehicle.forget_vehicle_groups"
		for event in ("on_update", "on_trash", "after_rename")
	},
	# an upload to a record-ruled document by a path other than upload_file becomes private
	"File": {"after_insert": "aftersales.privacy.make_attachment_private"},
	# whether a DocType has open Workflow Actions is asked again (aftersales/workflow_actions.py)
	"Workflow Action": {
		"after_insert": "aftersales.workflow_actions.forget_open_actions",
		"on_trash": "aftersales.workflow_actions.forget_open_actions",
	},
	# what users typed prints as text in every print format, Frappe's Standard included
	**{
		doctype: {"before_print": "aftersales.print_safety.escape_for_print"}
		for doctype in (
			# (Service Work Order, Service Follow-up and Service Point: their keys below hold their
			# before_print with their other events)
			"Fault Code",
			"Customer Complaint",
			"Corrective Action",
			"Return Request",
			"Spare Part",
			"Stocktake",
			"Dead Stock Disposition",
			"Service Appraisal",
			"Service Appraisal Feedback",
			"Service Training",
			"Technician Certification",
			"Warranty Maker",
			"Warranty Claim Batch",
			"Service Settlement",
			"Settlement Statement",
			"Follow-up Plan",
			"Customer Care Message",
		)
	},
	# settlement accounts and the payroll option are checked; a change of the fee-split shares
	# is kept in their dated history (aftersales/settlement/fee_split.py)
	# the portal's self sign-up switch opens or closes Frappe's sign-up form
	"After-Sales Settings": {
		"validate": "aftersales.settlement.accounts.validate_settings",
		"on_update": [
			"aftersales.settlement.fee_split.record_version",
			"aftersales.portal.accounts.sync_website_signup",
		],
	},
	# a desk user given an after-sales role lands on the After-Sales workspace (setup/roles.py)
	"User": {"validate": "aftersales.setup.roles.default_workspace_for_role"},
	# the app's Supplier Scorecard Variables are functions in aftersales/parts/supplier_scoring.py,
	# which ERPNext finds only once that module is imported (SP-7)
	"Supplier Scorecard Period": {"before_validate": "aftersales.parts.supplier_scoring.load_variables"},
	# a Help Article's "solved by phone" count follows the orders closed on the phone with it (KB-1)
	# (one key per DocType: a second "Service Work Order" key had replaced its before_print;
	# tests/unit/test_hooks_keys.py)
	# every change to an order or a follow-up marks the days it counts on as changed in the daily KPI
	# summary (saves, submits, cancels and db_set reach on_change; aftersales/kpi/summary.py)
	"Service Work Order": {
		"before_print": "aftersales.print_safety.escape_for_print",
		"on_update": "aftersales.api.help_search.count_phone_solutions",
		"on_change": "aftersales.kpi.summary.on_change",
		"on_trash": "aftersales.kpi.summary.on_change",
	},
	"Service Follow-up": {
		"before_print": "aftersales.print_safety.escape_for_print",
		"on_change": "aftersales.kpi.summary.on_change",
		"on_trash": "aftersales.kpi.summary.on_change",
	},
	# the summary holds company and service point names: a rename or merge drops it to be built again
	"Company": {"after_rename": "aftersales.kpi.summary.on_rename_company"},
	"Service Point": {
		"before_print": "aftersales.print_safety.escape_for_print",
		"after_rename": "aftersales.kpi.summary.on_rename_service_point",
	},
	# ... and the count is the server's: a client cannot write it (aftersales/api/help_article_rules.py)
	"Help Article": {
		"before_validate": "aftersales.api.help_article_rules.before_validate",
		"validate": "aftersales.api.help_article_rules.validate",
	},
	"Supplier Scorecard Variable": {"before_validate": "aftersales.parts.supplier_scoring.load_variables"},
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
		# a Supplier Scorecard for each new supplier of spare parts (ERPNext scores them daily)
		"aftersales.parts.supplier_scoring.ensure_spare_part_supplier_scorecards",
		# certification statuses; expiring ones announced to the technician and their manager
		"aftersales.staff.certification.daily",
		# follow-up plans: the follow-ups due today (aftersales/service/follow_ups.py); care messages on
		# birthdays and holidays (aftersales/service/customer_file.py)
		"aftersales.service.follow_ups.create_due_follow_ups",
		"aftersales.service.customer_file.send_care_messages",
	],
	# the spare-parts jobs run on the `long` queue: at a chain's 20k parts the daily job's first run
	# (thousands of Material Request lines) outlasts the default queue's 300 s (docs/performance.md)
	"daily_long": ["aftersales.parts.analytics.daily"],
	"weekly_long": ["aftersales.parts.analytics.recompute_abc_classes"],
	# the daily KPI summary: the days not built yet or changed since (aftersales/kpi/summary.py)
	"hourly_long": ["aftersales.kpi.summary.build"],
	# after each month's end: last month's appraisals of all staff (After-Sales Settings)
	"monthly": ["aftersales.staff.batch.create_last_month_appraisals"],
}

# Jinja
# -----
# `typed_text`: what a user typed, escaped once, for the notification mails (aftersales/print_safety.py)
jinja = {"filters": ["aftersales.print_safety.typed_text"]}

# Desk
# ----
doctype_js = {
	"Item": "public/js/item.js",
	"Customer": "public/js/customer.js",
	# the Customer 360 panel on the order (aftersales.service.customer_file.get_customer_360)
	"Service Work Order": "public/js/customer_360.js",
}
# `aftersales.desk.may(doctype, action, state)`: a form shows a button only to the roles that may
# take its action; the rules come at boot from aftersales/domain/desk_actions.py (aftersales/desk.py)
app_include_js = ["/assets/aftersales/js/desk.js"]
extend_bootinfo = ["aftersales.desk.extend_bootinfo"]

# Customer portal (aftersales/portal/, pages in aftersales/www/; docs/security.md "The portal")
# ---------------
# Frappe's own portal checks (print view, PDF) for the app's records: portal customers, their own only
has_website_permission = {
	doctype: "aftersales.portal.access.has_website_permission"
	for doctype in ("Service Work Order", "Customer Complaint", "Return Request", "Service Follow-up")
}
# after login a portal customer lands on their orders (a user still to be verified on the verification)
get_website_user_home_page = "aftersales.portal.access.home_page"
standard_portal_menu_items = [
	{
		"title": "My Service Orders",
		"route": "/service-orders",
		"reference_doctype": "Service Work Order",
		"role": "Customer",
	},
	{
		"title": "Request Service",
		"route": "/request-service",
		"reference_doctype": "Service Work Order",
		"role": "Customer",
	},
	{
		"title": "Scope Changes",
		"route": "/scope-change",
		"reference_doctype": "Service Work Order",
		"role": "Customer",
	},
	{"title": "Returns", "route": "/returns", "reference_doctype": "Return Request", "role": "Customer"},
	{
		"title": "Complaints",
		"route": "/complaints",
		"reference_doctype": "Customer Complaint",
		"role": "Customer",
	},
	{
		"title": "Satisfaction Survey",
		"route": "/survey",
		"reference_doctype": "Service Follow-up",
		"role": "Customer",
	},
	{"title": "Help Center", "route": "/help-center", "reference_doctype": "Help Article"},
	{"title": "Track an Order", "route": "/track-order", "reference_doctype": "Service Work Order"},
]
website_route_rules = [
	{"from_route": "/service-orders/<name>", "to_route": "service-orders/order"},
	{"from_route": "/scope-change/<name>", "to_route": "scope-change/order"},
	{"from_route": "/returns/<name>", "to_route": "returns/request"},
	{"from_route": "/complaints/<name>", "to_route": "complaints/complaint"},
	# a follow-up plan's online survey (a purchase or a monthly call: no order behind it)
	{"from_route": "/survey/plan/<name>", "to_route": "survey/plan"},
	{"from_route": "/survey/<name>", "to_route": "survey/order"},
	{"from_route": "/help-center/<name>", "to_route": "help-center/article"},
]
