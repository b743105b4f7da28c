import frappe
from frappe.utils import add_days, flt, nowdate

from aftersales.integrity import ServerOwnedFieldError
from aftersales.parts.analytics import update_stock_status
from aftersales.parts.doctype.dead_stock_disposition.dead_stock_disposition import (
	DispositionError,
	NoReceiptToReturnError,
)
from aftersales.parts.report.dead_stock.dead_stock import execute as dead_stock_report
from aftersales.tests.parts import PartsTestCase
from aftersales.tests.work_orders import bin_qty


class TestDeadStock(PartsTestCase):
	def test_dead_stock_is_listed_and_scrapped_through_a_stock_entry(self):
		code = "_AS-DEAD-1"
		self.make_part(code, qty=7, rate=12, posting_date=add_days(nowdate(), -200))
		fresh = "_AS-FRESH-1"
		self.make_part(fresh, qty=3, rate=12)
		rows = dead_stock_report({"warehouse": self.warehouse})[1]
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


def make_supplier(name: str) -> str:
	if not frappe.db.exists("Supplier", name):
		frappe.get_doc(
			{"doctype": "Supplier", "supplier_name": name, "supplier_group": "All Supplier Groups"}
		).insert()
	return name


def buying_price_list(company) -> str:
	"""A buying price list in the company's currency (ERPNext's test records make Standard Buying in USD)."""
	currency = frappe.get_cached_value("Company", company, "default_currency")
	name = f"_AS Buying {currency}"
	if not frappe.db.exists("Price List", name):
		frappe.get_doc(
			{
				"doctype": "Price List",
				"price_list_name": name,
				"currency": currency,
				"buying": 1,
				"enabled": 1,
			}
		).insert()
	return name


def make_purchase_receipt(company, supplier, item_code, warehouse, qty, rate, posting_date=None, **row):
	receipt = frappe.get_doc(
		{
			"doctype": "Purchase Receipt",
			"company": company,
			"supplier": supplier,
			"currency": frappe.get_cached_value("Company", company, "default_currency"),
			"conversion_rate": 1,
			"buying_price_list": buying_price_list(company),
			"set_posting_time": 1 if posting_date else 0,
			"posting_date": posting_date or nowdate(),
			"items": [
				{
					"item_code": item_code,
					"qty": qty,
					"received_qty": qty + flt(row.get("rejected_qty")),
					"rate": rate,
					"warehouse": warehouse,
					**row,
				}
			],
		}
	)
	receipt.insert()
	receipt.submit()
	return receipt


class TestReturnToSupplier(PartsTestCase):
	def dispose(self, code, qty, supplier):
		return frappe.get_doc(
			{
				"doctype": "Dead Stock Disposition",
				"spare_part": code,
				"company": self.company,
				"warehouse": self.warehouse,
				"qty": qty,
				"disposition": "Return to Supplier",
				"supplier": supplier,
				"reason": "Supplier takes back unused stock",
			}
		).insert()

	def test_return_to_supplier_makes_a_draft_purchase_receipt_return_against_the_last_receipt(self):
		code = self.make_part("_AS-RTS-1")
		supplier = make_supplier("_AS RTS Supplier")
		older = make_purchase_receipt(
			self.company, supplier, code, self.warehouse, 4, 20, posting_date=add_days(nowdate(), -40)
		)
		last = make_purchase_receipt(
			self.company, supplier, code, self.warehouse, 6, 22, posting_date=add_days(nowdate(), -20)
		)
		self.assertEqual(bin_qty(code, self.warehouse), 10)

		disposition = self.dispose(code, 5, supplier)
		disposition.submit()
		self.assertEqual(disposition.return_against, last.name)
		ret = frappe.get_doc("Purchase Receipt", disposition.purchase_return)
		self.assertEqual((ret.docstatus, ret.is_return, ret.return_against), (0, 1, last.name))
		self.assertEqual(ret.supplier, supplier)
		self.assertEqual([(r.item_code, r.qty, r.warehouse) for r in ret.items], [(code, -5, self.warehouse)])
		self.assertAlmostEqual(flt(ret.items[0].rate), 22)
		self.assertNotEqual(ret.return_against, older.name)

		# the Stock Manager submits it: the parts leave the warehouse through ERPNext's return
		ret.submit()
		self.assertEqual(bin_qty(code, self.warehouse), 5)
		# cancelling the disposition cancels its return: the stock is back
		disposition.reload()
		disposition.cancel()
		self.assertEqual(frappe.db.get_value("Purchase Receipt", ret.name, "docstatus"), 2)
		self.assertEqual(bin_qty(code, self.warehouse), 10)

	def test_a_draft_return_goes_when_the_disposition_is_cancelled(self):
		code = self.make_part("_AS-RTS-2")
		supplier = make_supplier("_AS RTS Supplier")
		make_purchase_receipt(self.company, supplier, code, self.warehouse, 3, 15)
		disposition = self.dispose(code, 3, supplier)
		disposition.submit()
		draft = disposition.purchase_return
		self.assertTrue(draft)
		disposition.cancel()
		self.assertFalse(frappe.db.exists("Purchase Receipt", draft))

	def test_without_a_receipt_from_the_supplier_the_return_is_refused_with_the_reason(self):
		code = self.make_part("_AS-RTS-3", qty=4, rate=9)  # received by a Stock Entry, not bought
		supplier = make_supplier("_AS RTS Other Supplier")
		disposition = self.dispose(code, 2, supplier)
		with self.assertRaises(NoReceiptToReturnError) as caught:
			disposition.submit()
		self.assertIn("Purchase Receipt", str(caught.exception))
		disposition.reload()
		self.assertEqual(disposition.docstatus, 0)
		self.assertFalse(disposition.purchase_return)

	def test_the_return_link_cannot_be_forged(self):
		code = self.make_part("_AS-RTS-4", qty=2, rate=9)
		disposition = self.dispose(code, 1, make_supplier("_AS RTS Supplier"))
		other = make_purchase_receipt(
			self.company, make_supplier("_AS RTS Supplier"), code, self.warehouse, 1, 5
		)
		frappe.set_user("stock@aftersales.demo")  # the Administrator's saves are trusted
		disposition.purchase_return = other.name
		self.assertRaises(ServerOwnedFieldError, disposition.save)

	def test_a_forged_copy_cancelled_over_the_api_cancels_no_other_receipt(self):
		"""`run_doc_method` "cancel" with a forged `docs` copy: Frappe saves the copy on cancel without
		`validate`, so its purchase_return would be the receipt on_cancel cancels as the system (the
		After-Sales Manager has no rights on Purchase Receipts)."""
		from frappe.handler import run_doc_method

		frappe.local.request = frappe._dict(method="POST")  # what the endpoint checks of the request
		self.addCleanup(delattr, frappe.local, "request")
		code = self.make_part("_AS-RTS-5")
		supplier = make_supplier("_AS RTS Supplier")
		make_purchase_receipt(self.company, supplier, code, self.warehouse, 3, 15)
		innocent = make_purchase_receipt(
			self.company, make_supplier("_AS RTS Other Supplier"), code, self.warehouse, 2, 15
		)
		disposition = self.dispose(code, 1, supplier)
		disposition.submit()
		disposition.reload()
		own = disposition.purchase_return
		forged = disposition.as_dict(convert_dates_to_str=True)
		forged["purchase_return"] = innocent.name
		frappe.set_user("manager@aftersales.demo")
		with self.assertRaises(ServerOwnedFieldError):
			run_doc_method("cancel", docs=frappe.as_json(forged))
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Purchase Receipt", innocent.name, "docstatus"), 1)
		self.assertEqual(
			frappe.db.get_value("Dead Stock Disposition", disposition.name, ["docstatus", "purchase_return"]),
			(1, own),
		)
		# the stored copy (the desk's Cancel) still cancels, its own draft return with it
		frappe.set_user("manager@aftersales.demo")
		stored_copy = frappe.get_doc("Dead Stock Disposition", disposition.name).as_dict(
			convert_dates_to_str=True
		)
		run_doc_method("cancel", docs=frappe.as_json(stored_copy))
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Dead Stock Disposition", disposition.name, "docstatus"), 2)
		self.assertFalse(frappe.db.exists("Purchase Receipt", own))
		self.assertEqual(frappe.db.get_value("Purchase Receipt", innocent.name, "docstatus"), 1)
