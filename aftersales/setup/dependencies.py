"""The Frappe and ERPNext DocTypes and roles this app links to. The unit metadata checks refuse a
Link to anything not listed here or defined by the app; an integration test checks that every
one of them exists on a real site, so an ERPNext upgrade that renames one is caught."""

EXTERNAL_DOCTYPES = frozenset(
	{
		# Frappe
		"DocType",
		"User",
		"Role",
		"Help Article",
		"Help Category",
		"Contact",
		"Address",
		"Communication",
		"File",
		"SMS Settings",
		"Email Account",
		# ERPNext
		"Company",
		"Branch",
		"Department",
		"Employee",
		"Territory",
		"Customer",
		"Customer Group",
		"Supplier",
		"Item",
		"Item Group",
		"Serial No",
		"Batch",
		"Warehouse",
		"Holiday List",
		"UOM",
		"Stock Entry",
		"Stock Reconciliation",
		"Material Request",
		"Sales Invoice",
		"Journal Entry",
		"Delivery Note",
		"Purchase Receipt",
		"Quality Inspection",
		"Service Level Agreement",
		"Issue Priority",
		"Project",
		"Cost Center",
		"Account",
		"ToDo",
		"Currency",
		"Support Settings",
		"Selling Settings",
		"Item Price",
		"Price List",
	}
)

EXTERNAL_ROLES = frozenset(
	{
		"System Manager",
		"Stock User",
		"Stock Manager",
		"Customer",
		"Accounts User",
		"Accounts Manager",
		"Sales User",
		"Purchase User",
		"Quality Manager",
	}
)
