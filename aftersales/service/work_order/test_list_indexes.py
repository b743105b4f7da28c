"""The work order list's composite indexes exist after install/migrate, with their columns in order,
and the single-column indexes they make redundant are gone (list_indexes.py)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales.service.work_order.list_indexes import DOCTYPE, INDEXES, ensure_list_indexes


def index_columns(table: str) -> dict[str, list[str]]:
	columns: dict[str, list[str]] = {}
	for row in frappe.db.sql(f"SHOW INDEX FROM `{table}`", as_dict=True):
		columns.setdefault(row.Key_name, []).append((row.Seq_in_index, row.Column_name))
	return {name: [column for _seq, column in sorted(cols)] for name, cols in columns.items()}


class TestListIndexes(FrappeTestCase):
	def test_indexes_exist_with_their_columns(self):
		# made by after_install / after_migrate; running it again changes nothing
		self.assertEqual(ensure_list_indexes(), [])
		indexes = index_columns(f"tab{DOCTYPE}")
		for name, columns in INDEXES.items():
			self.assertEqual(indexes.get(name), list(columns), name)
			# the single-column index on the first field is gone, whatever its name
			self.assertNotIn([columns[0]], [cols for key, cols in indexes.items() if key != "PRIMARY"])

	def test_list_sorted_by_intake_can_use_the_composite_index(self):
		# which index MariaDB picks depends on the rows (docs/performance.md has the plans at 1M)
		point = frappe.db.get_value("Service Point", {}, "name") or "none"
		plan = frappe.db.sql(
			f"""EXPLAIN SELECT name FROM `tab{DOCTYPE}` WHERE service_point = %s
			ORDER BY received_on DESC LIMIT 20""",
			point,
			as_dict=True,
		)[0]
		self.assertIn("list_service_point", plan.possible_keys or "")
