import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales.service.doctype.service_point.service_point import (
	DuplicateMemberError,
	ServicePointWarehouseError,
	get_service_points_of_user,
)
from aftersales.tests.utils import demo


class TestServicePoint(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()

	def tearDown(self):
		frappe.db.rollback()

	def new_point(self, **kw):
		point = frappe.get_doc(
			{
				"doctype": "Service Point",
				"service_point_name": "_Test Point " + frappe.generate_hash(length=6),
				"company": self.demo["company"],
				"warehouse": frappe.db.get_value(
					"Service Point", self.demo["service_points"][0], "warehouse"
				),
			}
		)
		point.update(kw)
		return point

	def test_demo_points_have_members_with_users(self):
		point = frappe.get_doc("Service Point", self.demo["service_points"][0])
		self.assertTrue(point.members)
		self.assertTrue(all(row.user_id for row in point.members))
		self.assertIn("tech.east@aftersales.demo", point.member_users())

	def test_points_of_a_technician(self):
		self.assertEqual(
			get_service_points_of_user("tech.east@aftersales.demo"), [self.demo["service_points"][0]]
		)
		self.assertEqual(
			get_service_points_of_user("tech.west@aftersales.demo"), [self.demo["service_points"][1]]
		)
		self.assertEqual(get_service_points_of_user("Guest"), [])

	def test_group_warehouse_is_refused(self):
		group = frappe.db.get_value("Warehouse", {"company": self.demo["company"], "is_group": 1})
		point = self.new_point(warehouse=group)
		self.assertRaises(ServicePointWarehouseError, point.insert)
		self.assertFalse(frappe.db.exists("Service Point", point.service_point_name))

	def test_warehouse_of_another_company_is_refused(self):
		other = frappe.db.get_value("Warehouse", {"company": ["!=", self.demo["company"]], "is_group": 0})
		if not other:
			self.skipTest("the site has only one company")
		point = self.new_point(warehouse=other)
		self.assertRaises(ServicePointWarehouseError, point.insert)

	def test_member_listed_twice_is_refused(self):
		employee = self.demo["employees"][3]
		point = self.new_point()
		point.append("members", {"employee": employee, "post": "Technician"})
		point.append("members", {"employee": employee, "post": "Dispatcher"})
		self.assertRaises(DuplicateMemberError, point.insert)
		self.assertFalse(frappe.db.exists("Service Point", point.service_point_name))
