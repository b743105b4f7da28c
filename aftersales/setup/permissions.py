"""What the app's roles need on ERPNext's masters to do their part in the desk: the service desk
registers customers and their contacts and addresses; everyone picks items, serial numbers,
warehouses and technicians in link fields; the After-Sales Manager posts stock documents. Added as Custom DocPerm rules on install (as the Role
Permission Manager would) and removed on uninstall; a DocType whose remaining custom rules are
just a copy of its standard ones goes back to the standard rules."""

import frappe
from frappe.permissions import add_permission, update_permission_property

from aftersales.roles import (
	AFTER_SALES_MANAGER,
	DISPATCHER,
	ROLES,
	SERVICE_DESK_AGENT,
)

READ = ("select", "read")
WRITE = ("select", "read", "write")
EDIT = ("select", "read", "write", "create")
POST = ("select", "read", "write", "create", "submit", "cancel")
EVERYONE = ROLES

# doctype -> {role: rights}
MASTER_PERMISSIONS = {
	"Customer": {SERVICE_DESK_AGENT: EDIT, **{r: READ for r in EVERYONE if r != SERVICE_DESK_AGENT}},
	"Contact": {SERVICE_DESK_AGENT: EDIT, **{r: READ for r in EVERYONE if r != SERVICE_DESK_AGENT}},
	"Address": {SERVICE_DESK_AGENT: EDIT, **{r: READ for r in EVERYONE if r != SERVICE_DESK_AGENT}},
	"Item": {r: READ for r in EVERYONE},
	"Serial No": {r: READ for r in EVERYONE},
	"Warehouse": {r: READ for r in EVERYONE},
	"Issue Priority": {r: READ for r in EVERYONE},
	"Employee": {r: ("select",) for r in EVERYONE},
	"Territory": {SERVICE_DESK_AGENT: READ, DISPATCHER: READ, AFTER_SALES_MANAGER: READ},
	"Customer Group": {SERVICE_DESK_AGENT: READ, AFTER_SALES_MANAGER: READ},
	"Item Group": {r: READ for r in EVERYONE},
	# the service team keeps the knowledge base (KB-1): the desk and the manager write articles
	"Help Article": {
		SERVICE_DESK_AGENT: EDIT,
		AFTER_SALES_MANAGER: EDIT,
		**{r: READ for r in EVERYONE if r not in (SERVICE_DESK_AGENT, AFTER_SALES_MANAGER)},
	},
	# ... and saving an article saves its Help Category (Frappe's HelpArticle.update_category keeps
	# the category's article count): whoever writes articles must be able to write their category
	"Help Category": {
		SERVICE_DESK_AGENT: WRITE,
		AFTER_SALES_MANAGER: WRITE,
		**{r: READ for r in EVERYONE if r not in (SERVICE_DESK_AGENT, AFTER_SALES_MANAGER)},
	},
	"Service Level Agreement": {AFTER_SALES_MANAGER: READ, DISPATCHER: READ},
	# the manager approves stocktakes above the threshold and may issue parts: ERPNext asks the
	# poster for rights on the stock documents themselves
	"Stock Reconciliation": {AFTER_SALES_MANAGER: POST},
	"Stock Entry": {AFTER_SALES_MANAGER: POST},
	# completing a return makes return notes, replacements and credit notes
	"Delivery Note": {AFTER_SALES_MANAGER: POST},
	"Sales Invoice": {AFTER_SALES_MANAGER: POST},
}


def add_master_permissions() -> None:
	for doctype, rules in MASTER_PERMISSIONS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		for role, rights in rules.items():
			if not frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0}):
				add_permission(doctype, role, 0)
			for right in rights:
				update_permission_property(doctype, role, 0, right, 1, validate=False)
		frappe.clear_cache(doctype=doctype)


def remove_master_permissions() -> None:
	"""Our roles' rules go with the roles (setup/roles.py); here each DocType whose remaining custom
	rules merely copy its standard ones is reset to the standard rules."""
	for doctype in MASTER_PERMISSIONS:
		frappe.db.delete("Custom DocPerm", {"parent": doctype, "role": ["in", ROLES]})
		if custom_rules_equal_standard(doctype):
			frappe.db.delete("Custom DocPerm", {"parent": doctype})
		frappe.clear_cache(doctype=doctype)


RIGHTS = (
	"read",
	"write",
	"create",
	"delete",
	"submit",
	"cancel",
	"amend",
	"report",
	"export",
	"print",
	"email",
	"share",
	"select",
	"import",
)


def custom_rules_equal_standard(doctype: str) -> bool:
	def rules(table):
		return sorted(
			tuple(row.get(k) or 0 for k in ("role", "permlevel", "if_owner", *RIGHTS))
			for row in frappe.get_all(table, {"parent": doctype}, ["role", "permlevel", "if_owner", *RIGHTS])
		)

	return rules("Custom DocPerm") == rules("DocPerm")
