"""Composite indexes for the KPI queries (docs/kpi.md has the EXPLAIN output that justifies each).

Each starts with the date that puts a record in a period, followed by the columns the trend chart,
the monthly ranking and the "this month" cards read, so those queries are answered from the index
alone ("Using index") instead of reading whole work orders. The leading date field keeps
`search_index` in its DocType JSON: Frappe then treats the column as indexed and leaves these
indexes alone on migrate (it drops an index whose first column has no `search_index`), and the
single-column index `search_index` made first becomes redundant and is dropped here.

`ensure_indexes` is idempotent; it runs after install and after every migrate (hooks.py)."""

import frappe

INDEXES = {
	"Service Work Order": {
		# the SLA columns too: the breach counters of the Service KPI report read them (issue 15)
		"kpi_received": (
			"received_on",
			"company",
			"service_point",
			"status",
			"booked_on",
			"response_hours",
			"solved_by_phone",
			"first_responded_on",
			"response_by",
			"sla_resolution_date",
			"sla_resolution_by",
		),
		"kpi_completed": (
			"completed_on",
			"company",
			"service_point",
			"completed_first_visit",
			"rework_count",
			"reopen_count",
			"repair_hours",
		),
		"kpi_ended": (
			"ended_on",
			"company",
			"service_point",
			"status",
			"solved_by_phone",
			"rework_count",
			"reopen_count",
		),
		# job cost and margin (permlevel 1) of the jobs delivered in a period
		"kpi_delivered": (
			"delivered_on",
			"company",
			"service_point",
			"parts_cost",
			"labour_cost",
			"total_cost",
			"revenue",
			"margin",
		),
		# not a KPI index, kept with them: Certification Coverage reads the distinct (service point,
		# product) pairs of the orders from this index alone, one step per pair (a loose index scan)
		# instead of every order of every point (28 s at 1M orders, issue 15)
		"coverage_point_item": ("service_point", "item_code"),
	},
	"Service Follow-up": {
		# the order's company and service point stored on the follow-up (issue 15): the report by
		# service point is answered from this index alone, without reading the orders
		"kpi_follow_up": (
			"followed_up_on",
			"docstatus",
			"company",
			"service_point",
			"outcome",
			"service_work_order",
			"repair_quality",
			"attitude",
			"duration",
		),
	},
}


def ensure_indexes() -> list[str]:
	"""Create the missing KPI indexes and drop the single-column ones they make redundant; returns
	what changed."""
	changed = []
	for doctype, indexes in INDEXES.items():
		table = f"tab{doctype}"
		if not frappe.db.table_exists(doctype):
			continue
		for name, columns in indexes.items():
			existing = index_columns(table, name)
			if existing and existing != list(columns):
				# an earlier version of the index (fewer columns): made again as defined now
				frappe.db.sql_ddl(f"ALTER TABLE `{table}` DROP INDEX `{name}`")
				changed.append(f"{doctype}: -{name}")
				existing = None
			if not existing:
				frappe.db.add_index(doctype, list(columns), name)
				changed.append(f"{doctype}: {name}")
			# Frappe names a search_index `<field>` when it creates the table and `<field>_index`
			# when it alters it; get_column_index finds the single-column one by either name
			redundant = frappe.db.get_column_index(table, columns[0], unique=False)
			if redundant:
				frappe.db.sql_ddl(f"ALTER TABLE `{table}` DROP INDEX `{redundant.Key_name}`")
				changed.append(f"{doctype}: -{redundant.Key_name}")
	return changed


def index_columns(table: str, name: str) -> list[str]:
	"""The columns of index `name` in their order ([] when the table has no such index)."""
	rows = frappe.db.sql(f"SHOW INDEX FROM `{table}` WHERE Key_name = %s", name, as_dict=True)
	return [row.Column_name for row in sorted(rows, key=lambda r: r.Seq_in_index)]
