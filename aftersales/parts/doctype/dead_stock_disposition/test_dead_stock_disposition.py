import frappe
from frappe.utils import add_days, flt, nowdate

from aftersales.parts.analytics import update_stock_status
from aftersales.parts.doctype.dead_stock_disposition.dead_stock_disposition import DispositionError
from aftersales.parts.report.dead_stock.dead_stock import execute as dead_stock_report
from aftersales.tests.parts import PartsTestCase
from aftersales.tests.work_orders import bin_qty


class TestDeadStock(PartsTestCase):
	def test_dead_stock_is_listed_and_scrapped_through_a_stock_entry(self):
		code = "_AS-DEAD-1"
		self.make_part(code, qty=7, rate=12, posting_date=add_days(nowdate(), -200))
		fresh = "_AS-FRESH-1"
		self.make_part(fresh, qty=3, rate=12)
		_columns, rows = dead_stock_report({"warehouse": self.warehouse})
		dead = {r.item_code: r for r in rows}
		self.assertIn(code, dead)
		self.assertNotIn(fresh, dead)
		self.assertGreaterEqual(dead[code].age_days, 200)
		self.assertAlmostEqual(flt(dead[code].stock_value), 84)

		update_stock_status()
		self.assertTrue(frappe.db.get_value("Spare Part", code, "is_dead_stock"))
		self.assertFalse(frappe.db.get_value("Spare Part", fresh, "is_dead_stock"))

		disposition = frappe.get_doc(
			{
				"doctype": "Dead Stock Disposition",
				"spare_part": code,
				"company": self.company,
				"warehouse": self.warehouse,
				"qty": 8,
				"disposition": "Scrap",
				"reason": "Model discontinued",
			}
		)
		self.assertRaises(DispositionError, disposition.insert)  # more than in stock
		disposition.qty = 7
		disposition.insert()
		disposition.submit()
		self.assertEqual(bin_qty(code, self.warehouse), 0)
		self.assertEqual(bin_qty(code, self.scrap), 7)
		self.assertEqual(
			frappe.db.get_value("Stock Entry", disposition.stock_entry, "purpose"), "Material Transfer"
		)
		disposition.cancel()
		self.assertEqual(bin_qty(code, self.warehouse), 7)
