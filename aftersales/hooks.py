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
	}
]

# Installation
# ------------
after_install = "aftersales.install.after_install"
before_uninstall = "aftersales.install.before_uninstall"

# Testing
# -------
# Completes ERPNext's setup wizard on a fresh test site, as ERPNext's own tests expect.
before_tests = "aftersales.tests.utils.before_tests"
