"""The KPI indexes exist with their columns, and no single-column index is left on the first column
of one (it would be maintained on every insert for nothing: the composite serves its queries)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales.kpi.definitions import SOURCES
from aftersales.kpi.indexes import INDEXES, ensure_indexes, index_columns


class TestKPIIndexes(FrappeTestCase):
	def test_every_source_is_read_by_its_date(self):
		"""A KPI over a period reads the rows of the period by the date that places them in it (the
		first column of an index), so its cost follows the period, not the table's history."""
		ensure_indexes()
		for source in SOURCES.values():
			doctype = source.header if source.header_date else source.doctype
			leading = frappe.db.sql(
				f"SHOW INDEX FROM `tab{doctype}` WHERE Seq_in_index = 1 AND Column_name = %s",
				source.date_field,
			)
			self.assertTrue(leading, f"{source.key}: {doctype}.{source.date_field}")

	def test_each_index_has_its_columns(self):
		ensure_indexes()
		for doctype, indexes in INDEXES.items():
			for name, columns in indexes.items():
				self.assertEqual(index_columns(f"tab{doctype}", name), list(columns), name)

	def test_no_single_column_index_on_a_leading_column(self):
		ensure_indexes()
		for doctype, indexes in INDEXES.items():
			for name, columns in indexes.items():
				self.assertIsNone(
					frappe.db.get_column_index(f"tab{doctype}", columns[0], unique=False),
					f"{doctype}.{columns[0]} ({name})",
				)

	def test_a_single_column_index_made_by_either_name_is_dropped(self):
		# as Frappe makes it when it creates the table (`<field>`) and when it alters it
		table = "tabService Work Order"
		ensure_indexes()  # a site made before this fix still has `completed_on`
		try:
			for name in ("completed_on", "completed_on_index"):
				frappe.db.sql_ddl(f"ALTER TABLE `{table}` ADD INDEX `{name}` (`completed_on`)")
				self.assertIn(f"Service Work Order: -{name}", ensure_indexes())
				self.assertFalse(frappe.db.has_index(table, name))
		finally:
			for name in ("completed_on", "completed_on_index"):
				if frappe.db.has_index(table, name):
					frappe.db.sql_ddl(f"ALTER TABLE `{table}` DROP INDEX `{name}`")
