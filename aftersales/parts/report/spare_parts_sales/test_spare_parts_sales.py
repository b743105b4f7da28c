from unittest.mock import patch

import frappe
from erpnext.controllers.sales_and_purchase_return import make_return_doc
from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice as invoice_from_delivery
from frappe.utils import add_months, flt, get_first_day, getdate, nowdate

from aftersales.parts.doctype.spare_part.spare_part import make_spare_part
from aftersales.parts.report.spare_parts_sales.spare_parts_sales import (
	SalesReportFilterError,
	execute,
	period_field,
	period_key,
)
from aftersales.service.doctype.service_work_order.service_work_order import (
	make_sales_invoice as invoice_from_order,
)
from aftersales.tests import work_orders as wo
from aftersales.tests.parts import PartsTestCase

MAINBOARD = "SP-TV-MAINBOARD"


def make_customer(name: str) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}),
			}
		).insert()
	return name


class TestSparePartsSales(PartsTestCase):
	def setUp(self):
		super().setUp()
		self.customer = make_customer("_AS Parts Buyer")

	def selling(self, doctype, code, qty, rate, **values):
		doc = frappe.get_doc(
			{
				"doctype": doctype,
				"company": self.company,
				"customer": self.customer,
				"currency": frappe.get_cached_value("Company", self.company, "default_currency"),
				"conversion_rate": 1,
				"selling_price_list": frappe.get_single("After-Sales Settings").price_list,
				"posting_date": nowdate(),
				"due_date": nowdate(),
				"items": [{"item_code": code, "qty": qty, "rate": rate, "warehouse": self.warehouse}],
				**values,
			}
		)
		doc.insert()
		doc.submit()
		return doc

	def report(self, **filters):
		values = {
			"company": self.company,
			"from_date": add_months(get_first_day(nowdate()), -2),
			"to_date": nowdate(),
			"customer": self.customer,
			**filters,
		}
		columns, rows, _message, chart = execute(values)
		return columns, {r.group_key: r for r in rows}, chart

	def order_with_a_charged_part(self):
		"""An order in progress whose customer agreed to a mainboard (600), issued to it."""
		make_spare_part(MAINBOARD)
		order = wo.start_work(wo.new_work_order(in_warranty=False, customer=self.customer))
		wo.request_part(order, MAINBOARD, agreed=False)
		wo.confirm_estimate(order, 600)
		wo.call(order, "approve_parts", wo.DISPATCHER)
		wo.call(order, "issue_parts", wo.STOCK)
		return order

	def test_invoices_unbilled_delivery_notes_and_returns_each_counted_once(self):
		code = self.make_part("_AS-SALE-1", qty=50, rate=10)
		invoice = self.selling("Sales Invoice", code, 3, 100, update_stock=1)  # 300, cost 30
		self.selling("Delivery Note", code, 2, 50)  # not billed: 100, cost 20
		billed = self.selling("Delivery Note", code, 4, 70)  # billed below at 65: only the invoice
		from_dn = invoice_from_delivery(billed.name)
		from_dn.items[0].rate = 65
		from_dn.due_date = nowdate()
		from_dn.insert()
		from_dn.submit()  # 260, cost 40
		credit = make_return_doc("Sales Invoice", invoice.name)
		credit.items[0].qty = -1  # credit note of one: -100, cost -10
		credit.insert()
		credit.submit()

		_columns, rows, chart = self.report(item_code=code)
		row = rows[code]
		self.assertEqual(flt(row.qty), 3 + 2 + 4 - 1)
		self.assertAlmostEqual(flt(row.revenue), 300 + 100 + 260 - 100)
		self.assertAlmostEqual(flt(row.cost), 10 * 8)
		self.assertAlmostEqual(flt(row.margin), 560 - 80)
		self.assertAlmostEqual(flt(row.margin_percent), 100 * 480 / 560)
		this_month = "p_" + frappe.scrub(period_key(frappe.utils.getdate(), "Monthly").replace("-", "_"))
		self.assertAlmostEqual(flt(row[this_month]), 560)
		self.assertEqual(chart["data"]["labels"][-1], period_key(frappe.utils.getdate(), "Monthly"))
		self.assertAlmostEqual(chart["data"]["datasets"][0]["values"][-1], 560)

		# by customer and by the service point of the warehouse (the spare-parts store has none)
		_columns, by_customer, _chart = self.report(item_code=code, group_by="Customer")
		self.assertAlmostEqual(flt(by_customer[self.customer].revenue), 560)
		self.assertEqual(by_customer[self.customer].group_name, self.customer)

		# a cancelled invoice no longer counts, and its delivery note is unbilled again
		from_dn.reload()
		from_dn.cancel()
		_columns, rows, _chart = self.report(item_code=code)
		self.assertAlmostEqual(flt(rows[code].revenue), 300 + 100 + 280 - 100)

	def test_parts_charged_on_a_work_order_count_once_before_and_after_its_invoice(self):
		order = self.order_with_a_charged_part()
		point = frappe.db.get_value("Service Work Order", order.name, "service_point")

		# issued and charged, not yet invoiced: the order's line, at its rate and issue valuation
		_columns, rows, _chart = self.report(group_by="Service Point")
		self.assertEqual(list(rows), [point])
		self.assertEqual(flt(rows[point].qty), 1)
		self.assertAlmostEqual(flt(rows[point].revenue), 588)
		self.assertAlmostEqual(flt(rows[point].cost), 420)

		wo.pass_quality_check(wo.finish_work(order))
		with wo.as_user(wo.DESK):
			invoice = invoice_from_order(order.name)
		invoice.insert()
		invoice.submit()
		# now the invoice's line carries it (the labour is no spare part); the order's point stays
		_columns, rows, _chart = self.report(group_by="Service Point")
		self.assertEqual(list(rows), [point])
		self.assertEqual(flt(rows[point].qty), 1)
		self.assertAlmostEqual(flt(rows[point].revenue), 588)
		self.assertAlmostEqual(flt(rows[point].cost), 420)  # the invoice line's incoming rate
		_columns, rows, _chart = self.report(group_by="Spare Part")
		self.assertEqual(list(rows), [MAINBOARD])

	def test_a_part_issued_on_an_order_counts_in_the_period_of_its_issue(self):
		order = self.order_with_a_charged_part()
		(line,) = frappe.get_all(
			"Service Work Order Part", {"parent": order.name}, ["name", "issued_on", "stock_entry"]
		)
		posted = frappe.db.get_value("Stock Entry", line.stock_entry, "posting_date")
		self.assertEqual(getdate(line.issued_on), getdate(posted))

		def revenue_by_month():
			_columns, rows, _chart = self.report(group_by="Spare Part")
			row = rows.get(MAINBOARD) or {}
			return {key: flt(row.get(period_field(key))) for key in (this_month, last_month)}

		this_month = period_key(getdate(), "Monthly")
		last_month = period_key(add_months(getdate(), -1), "Monthly")
		self.assertEqual(revenue_by_month(), {this_month: 588, last_month: 0})
		# the line's own issue date places it, whatever else the order or the entry say
		frappe.db.set_value("Service Work Order Part", line.name, "issued_on", add_months(getdate(), -1))
		self.assertEqual(revenue_by_month(), {this_month: 0, last_month: 588})
		_columns, rows, _chart = self.report(from_date=nowdate())
		self.assertNotIn(MAINBOARD, rows)

		# the patch dates a line issued before lines kept the date by its Stock Entry, once
		from aftersales.patches.v1_0 import work_order_part_issued_on

		frappe.db.set_value("Service Work Order Part", line.name, "issued_on", None)
		work_order_part_issued_on.execute()
		self.assertEqual(
			getdate(frappe.db.get_value("Service Work Order Part", line.name, "issued_on")), getdate(posted)
		)
		frappe.db.set_value("Service Work Order Part", line.name, "issued_on", add_months(getdate(), -1))
		work_order_part_issued_on.execute()  # a dated line is left alone
		self.assertEqual(
			getdate(frappe.db.get_value("Service Work Order Part", line.name, "issued_on")),
			getdate(add_months(getdate(), -1)),
		)

	def test_the_number_of_queries_does_not_grow_with_the_rows(self):
		def count_queries(**filters):
			self.report(**filters)  # metadata and caches warm
			with patch.object(frappe.db, "sql", wraps=frappe.db.sql) as sql:
				self.report(**filters)
			return sql.call_count

		code = self.make_part("_AS-SALE-2", qty=50, rate=10)
		self.selling("Sales Invoice", code, 1, 20, update_stock=1)
		one = count_queries(group_by="Spare Part")
		for index in range(4):
			other = self.make_part(f"_AS-SALE-3{index}", qty=5, rate=10)
			self.selling("Sales Invoice", other, 1, 20, update_stock=1)
			self.selling("Delivery Note", other, 1, 20)
		self.assertEqual(count_queries(group_by="Spare Part"), one)

	def test_filters_are_checked(self):
		self.assertRaises(SalesReportFilterError, self.report, group_by="Warehouse")
		self.assertRaises(SalesReportFilterError, self.report, periodicity="Daily")
