"""Composite indexes for the Service Work Order list (desk and REST), issue 15.

The list is filtered by status, service point, technician or customer and sorted by the intake
time (`received_on`, newest first). With a single-column index on the filter MariaDB reads every
matching order and sorts them (a filesort of 50,000 rows for one service point at 1M orders); with
(filter, received_on) it walks the index backwards and stops after the page's 20 rows. A date range
on received_on alone is served by the KPI index `kpi_received`, which starts with it. docs/
performance.md has the EXPLAIN before and after for each.

Each index makes the single-column one on its first field redundant (a prefix of it), so that one is
dropped. Frappe leaves a composite index alone on migrate: it only adds `<field>_index` for a
`search_index` field that starts no index, and only drops single-column indexes.

`ensure_list_indexes` is idempotent; it runs after install and after every migrate (hooks.py)."""

import frappe

DOCTYPE = "Service Work Order"
INDEXES = {
	"list_status": ("status", "received_on"),
	"list_service_point": ("service_point", "received_on"),
	"list_technician": ("technician", "received_on"),
	"list_customer": ("customer", "received_on"),
}


def ensure_list_indexes() -> list[str]:
	"""Create the missing list indexes and drop the single-column ones they make redundant; returns
	what changed."""
	changed = []
	table = f"tab{DOCTYPE}"
	if not frappe.db.table_exists(DOCTYPE):
		return changed
	for name, columns in INDEXES.items():
		if not frappe.db.has_index(table, name):
			frappe.db.add_index(DOCTYPE, list(columns), name)
			changed.append(name)
		# Frappe names a search_index `<field>` when it creates the table, `<field>_index` when it
		# alters it: get_column_index finds the single-column one whatever its name
		redundant = frappe.db.get_column_index(table, columns[0], unique=False)
		if redundant:
			frappe.db.sql_ddl(f"ALTER TABLE `{table}` DROP INDEX `{redundant.Key_name}`")
			changed.append(f"-{redundant.Key_name}")
	return changed
