"""Service Follow-up: a cancel acts on the stored follow-up. Frappe's cancel saves the copy sent with
`run_doc_method "cancel"` without validate; a forged copy naming another order would have on_cancel
clear that order's follow-up outcome (integrity.check_cancel)."""

import frappe
from frappe.handler import run_doc_method
from frappe.tests.utils import FrappeTestCase

from aftersales.integrity import ServerOwnedFieldError
from aftersales.tests import work_orders as wo
from aftersales.tests.utils import demo


def followed_up(outcome: str):
	"""A delivered order whose follow-up was recorded with `outcome`."""
	order = wo.start_work(wo.new_work_order())
	wo.finish_work(order)
	wo.pass_quality_check(order)
	order = wo.deliver(order)
	return order, wo.record_follow_up(order, outcome, repair_quality=0.6, attitude=0.2, duration=0.6)


class TestCancel(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		demo()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_a_forged_copy_clears_no_other_orders_outcome(self):
		frappe.local.request = frappe._dict(method="POST")  # what the endpoint checks of the request
		self.addCleanup(delattr, frappe.local, "request")
		other, _ = followed_up("Complaint Call")  # the order waits in Follow-up with its outcome
		own, follow_up = followed_up("Complaint Call")
		self.assertEqual(
			frappe.db.get_value("Service Work Order", other.name, "follow_up_outcome"), "Complaint Call"
		)
		forged = frappe.get_doc("Service Follow-up", follow_up.name).as_dict(convert_dates_to_str=True)
		forged["service_work_order"] = other.name
		frappe.set_user(wo.MANAGER)
		with self.assertRaises(ServerOwnedFieldError):
			run_doc_method("cancel", docs=frappe.as_json(forged))
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Service Work Order", other.name, "follow_up_outcome"), "Complaint Call"
		)
		self.assertEqual(
			frappe.db.get_value("Service Follow-up", follow_up.name, ["docstatus", "service_work_order"]),
			(1, own.name),
		)
		# the stored copy (the desk's Cancel) still cancels, and clears its own order's outcome
		frappe.set_user(wo.MANAGER)
		stored = frappe.get_doc("Service Follow-up", follow_up.name).as_dict(convert_dates_to_str=True)
		run_doc_method("cancel", docs=frappe.as_json(stored))
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Service Follow-up", follow_up.name, "docstatus"), 2)
		self.assertIsNone(frappe.db.get_value("Service Work Order", own.name, "follow_up_outcome"))
		self.assertEqual(
			frappe.db.get_value("Service Work Order", other.name, "follow_up_outcome"), "Complaint Call"
		)
