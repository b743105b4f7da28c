import frappe

from aftersales.complaints.doctype.corrective_action.corrective_action import (
	CorrectiveActionError,
	make_corrective_action,
)
from aftersales.tests import work_orders as wo
from aftersales.tests.complaints import ComplaintTestCase


class TestCorrectiveAction(ComplaintTestCase):
	def test_closes_only_when_verified(self):
		complaint = self.register(category="Parts Quality")
		with wo.as_user(wo.DESK):
			action = make_corrective_action(complaint.name, "Customer Complaint")
			action.deadline = frappe.utils.add_days(frappe.utils.nowdate(), 14)
			action.insert()
		self.assertEqual((action.problem_class, action.source_name), ("Parts Quality", complaint.name))
		with wo.as_user(wo.DESK):
			action.status = "Implemented"
			self.assertRaises(CorrectiveActionError, action.save)  # no root cause or action yet
			action.reload()
			action.update(
				{"status": "Implemented", "root_cause": "Bad batch of seals", "action": "Supplier 8D report"}
			)
			action.save()
			action.status = "Closed"
			self.assertRaises(CorrectiveActionError, action.save)  # the desk cannot verify
		with wo.as_user(wo.INSPECTOR):
			action = frappe.get_doc("Corrective Action", action.name)
			action.status = "Closed"
			self.assertRaises(CorrectiveActionError, action.save)  # not verified as effective
			action.reload()
			action.update({"verification_result": "Not Effective", "status": "Open"})
			action.save()
			self.assertEqual(action.status, "Open")
			action.update({"status": "Implemented"})
			action.save()
			action.update({"verification_result": "Effective", "status": "Closed"})
			action.save()
		self.assertEqual((action.status, action.verified_by), ("Closed", wo.INSPECTOR))

	def test_raised_from_a_failed_quality_check(self):
		order = wo.finish_work(wo.start_work(wo.new_work_order()))
		wo.move(order, "In Progress", wo.INSPECTOR, qc_result="Fail", qc_remarks="Screen flickers")
		with wo.as_user(wo.INSPECTOR):
			action = make_corrective_action(order.name, "Service Work Order")
		self.assertIn("Screen flickers", action.problem)
