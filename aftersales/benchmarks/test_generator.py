"""The benchmark data generator (issue 15) on a small data set: what it makes is consistent (the
checks of `verify`), the process it ran in inserts as a user again, and `cleanup` removes every
record it made. The generator writes and commits outside the test's transaction (bulk loads on
their own connections), so the test removes its data itself."""

import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales.benchmarks import cleanup, generate, verify
from aftersales.benchmarks.generator import benchmark_orders_exist
from aftersales.benchmarks.plan import PREFIX
from aftersales.domain import work_order_flow as flow
from aftersales.tests.utils import demo

ORDERS = 300


def benchmark_rows() -> dict:
	return {
		doctype: frappe.db.count(doctype, {"name": ("like", f"{PREFIX}-%")})
		for doctype in (
			"Service Work Order",
			"Service Work Order Part",
			"Stock Entry",
			"Stock Ledger Entry",
			"Customer",
			"Item",
			"Spare Part",
			"Employee",
		)
	}


class TestGenerator(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()

	def test_a_small_data_set_is_consistent_and_cleanup_removes_it(self):
		if benchmark_orders_exist():
			self.skipTest("this site holds benchmark data already: a benchmark site, not a test site")
		try:
			summary = generate(orders=ORDERS, parts=40)
			self.assertEqual(summary["rows"]["Service Work Order"], ORDERS)
			made = benchmark_rows()
			self.assertEqual(made["Service Work Order"], ORDERS)
			self.assertGreater(made["Service Work Order Part"], 0)
			self.assertEqual(made["Spare Part"], 40)

			checks = verify(sample=50)
			self.assertEqual(checks["orders_sampled"], 50)
			problems = {
				key: value
				for key, value in checks.items()
				if isinstance(value, int) and key != "orders_sampled" and value
			}
			self.assertEqual(problems, {}, checks)

			# the generator ran as a data import does; what runs next in the process does not
			self.assertFalse(frappe.flags.in_import)
			order = frappe.get_doc(
				{
					"doctype": "Service Work Order",
					"company": self.demo["company"],
					"order_type": "Repair",
					"channel": "Phone",
					"customer": self.demo["customers"][0],
					"phone": "13800000001",
					"item_code": frappe.db.get_value(
						"Service Work Order", {"name": ("like", f"{PREFIX}-%")}, "item_code"
					),
					"symptoms": "不制冷",
				}
			).insert(ignore_permissions=True)
			self.assertEqual(order.status, flow.NEW)
		finally:
			frappe.db.rollback()
			cleanup()
		self.assertEqual(set(benchmark_rows().values()), {0})
		self.assertFalse(frappe.db.exists("Service Point", {"name": ("like", f"{PREFIX}-SP-%")}))
		self.assertFalse(frappe.db.exists("Warehouse", {"name": ("like", "BM %")}))
		self.assertFalse(frappe.db.exists("Item Group", {"name": ("like", "BM %")}))
