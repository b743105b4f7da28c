"""Shared base of the complaint and corrective-action tests."""

import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales.tests import work_orders as wo
from aftersales.tests.utils import demo

TECH_LEAD = wo.DISPATCHER  # the demo's second tier
MANAGEMENT = wo.MANAGER


class ComplaintTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()
		cls.department = (
			frappe.db.get_value("Department", {"is_group": 0})
			or frappe.get_doc(
				{
					"doctype": "Department",
					"department_name": "After-Sales Service",
					"company": cls.demo["company"],
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	def setUp(self):
		settings = frappe.get_single("After-Sales Settings")
		settings.update(
			{
				"complaint_hours_normal": 48,
				"complaint_hours_serious": 24,
				"complaint_hours_safety": 4,
				"complaint_technical_lead": TECH_LEAD,
				"complaint_management": MANAGEMENT,
			}
		)
		settings.save()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.clear_document_cache("After-Sales Settings", "After-Sales Settings")

	def register(self, **kw):
		values = {
			"doctype": "Customer Complaint",
			"subject": "Technician was two hours late and rude",
			"channel": "Hotline",
			"category": "Service Attitude",
			"severity": "Normal",
			"customer": self.demo["customers"][0],
			"complainant": "Zhang Wei",
			"phone": "13800138001",
			"email": "zhang.wei@example.com",
			"description": "The technician arrived two hours late and argued with me.",
		}
		values.update(kw)
		with wo.as_user(wo.DESK):
			return frappe.get_doc(values).insert()

	def move(self, complaint, status, user=wo.DESK, **fields):
		with wo.as_user(user):
			doc = frappe.get_doc("Customer Complaint", complaint.name)
			doc.update(fields)
			doc.status = status
			doc.save()
		return frappe.get_doc("Customer Complaint", complaint.name)
