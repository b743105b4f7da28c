import frappe
from frappe.utils import add_to_date, get_datetime, now_datetime

from aftersales.complaints.doctype.customer_complaint.customer_complaint import (
	ComplaintClosureError,
	ComplaintInformationError,
	ComplaintTransitionError,
)
from aftersales.complaints.escalation import escalate_overdue
from aftersales.domain import complaint_flow as flow
from aftersales.tests import work_orders as wo
from aftersales.tests.complaints import MANAGEMENT, TECH_LEAD, ComplaintTestCase


class TestComplaintFlow(ComplaintTestCase):
	def test_full_flow_with_a_not_agreed_loop(self):
		complaint = self.register()
		self.assertEqual((complaint.status, complaint.tier), (flow.OPEN, flow.DESK))
		self.assertAlmostEqual(
			(get_datetime(complaint.deadline) - get_datetime(complaint.received_at)).total_seconds(),
			48 * 3600,
		)
		self.assertRaises(ComplaintInformationError, self.move, complaint, flow.INVESTIGATING)
		complaint = self.move(complaint, flow.INVESTIGATING, owner_user=wo.DESK, department=self.department)
		self.assertTrue(
			frappe.db.exists(
				"ToDo", {"reference_name": complaint.name, "allocated_to": wo.DESK, "status": "Open"}
			)
		)
		self.assertRaises(ComplaintInformationError, self.move, complaint, flow.SOLUTION_PROPOSED)
		measure = {
			"measure": "Apologise and retrain the technician",
			"owner_user": wo.MANAGER,
			"due_date": frappe.utils.add_days(frappe.utils.nowdate(), 7),
		}
		complaint = self.move(
			complaint,
			flow.SOLUTION_PROPOSED,
			root_cause="Technician double-booked by dispatch",
			responsible_party="Company",
			proposal="Free maintenance visit",
			measures=[measure],
		)
		self.assertEqual(complaint.proposal_count, 1)
		# the customer does not agree: back to investigation, then a new proposal
		self.assertRaises(ComplaintInformationError, self.move, complaint, flow.INVESTIGATING)
		complaint = self.move(
			complaint,
			flow.INVESTIGATING,
			customer_response="Not Agreed",
			customer_response_note="Wants a refund of the call-out fee",
		)
		complaint = self.move(
			complaint, flow.SOLUTION_PROPOSED, proposal="Refund of the call-out fee and free maintenance"
		)
		self.assertEqual(complaint.proposal_count, 2)
		self.assertFalse(complaint.customer_response)
		self.assertRaises(ComplaintInformationError, self.move, complaint, flow.SOLUTION_AGREED)
		complaint = self.move(complaint, flow.SOLUTION_AGREED, customer_response="Agreed")
		self.assertRaises(ComplaintInformationError, self.move, complaint, flow.RESOLVED)
		with wo.as_user(wo.DESK):
			doc = frappe.get_doc("Customer Complaint", complaint.name)
			doc.measures[0].status = "Done"
			doc.save()
		complaint = self.move(complaint, flow.RESOLVED)
		self.assertTrue(complaint.measures[0].done_on)

		# closing: only the After-Sales Manager, and only with the report and the review
		self.assertRaises(ComplaintClosureError, self.move, complaint, flow.CLOSED, wo.DESK)
		self.assertRaises(ComplaintClosureError, self.move, complaint, flow.CLOSED, wo.MANAGER)
		self.assertEqual(frappe.db.get_value("Customer Complaint", complaint.name, "status"), flow.RESOLVED)
		complaint = self.move(
			complaint,
			flow.CLOSED,
			wo.MANAGER,
			handling_report="<p>Refunded and visited.</p>",
			analysis="Dispatch allowed overlapping appointments",
			preventive_actions="Dispatch board blocks overlaps",
			review_note="Handled well",
		)
		self.assertEqual((complaint.status, complaint.reviewed_by), (flow.CLOSED, wo.MANAGER))

	def test_invalid_status_change_is_refused(self):
		complaint = self.register()
		self.assertRaises(ComplaintTransitionError, self.move, complaint, flow.RESOLVED)
		self.assertRaises(ComplaintTransitionError, self.register, status=flow.CLOSED)

	def test_handling_report_prints(self):
		complaint = self.register()
		html = frappe.get_print(
			"Customer Complaint", complaint.name, print_format="Complaint Handling Report"
		)
		self.assertIn("投诉处理报告 / Complaint Handling Report", html)
		self.assertIn(complaint.name, html)


class TestComplaintByEmail(ComplaintTestCase):
	def test_incoming_mail_creates_a_complaint(self):
		from frappe.email.receive import InboundMail

		account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "Complaints Inbox",
				"email_id": "complaints@aftersales.demo",
				"enable_incoming": 0,
				"append_to": "Customer Complaint",
				"use_imap": 0,
			}
		).insert(ignore_permissions=True)
		raw = (
			"From: Li Na <li.na@example.com>\r\nTo: complaints@aftersales.demo\r\n"
			"Subject: Fridge still not cooling after repair\r\nMessage-ID: <as-test-1@example.com>\r\n"
			"Content-Type: text/plain; charset=utf-8\r\n\r\nThe fridge was repaired last week and is warm again.\r\n"
		)
		communication = InboundMail(raw, account).process()
		self.assertEqual(communication.reference_doctype, "Customer Complaint")
		complaint = frappe.get_doc("Customer Complaint", communication.reference_name)
		self.assertEqual(
			(complaint.channel, complaint.email, complaint.complainant, complaint.subject),
			("Email", "li.na@example.com", "Li Na", "Fridge still not cooling after repair"),
		)
		self.assertEqual(complaint.status, flow.OPEN)

	def tearDown(self):
		# Frappe's mail receiver commits: remove what it made
		for name in frappe.get_all("Customer Complaint", {"email": "li.na@example.com"}, pluck="name"):
			frappe.db.delete("Communication", {"reference_name": name})
			frappe.delete_doc("Customer Complaint", name, force=True, ignore_permissions=True)
		frappe.db.delete("Email Account", {"name": "Complaints Inbox"})
		frappe.db.commit()
		super().tearDown()


class TestComplaintNotifications(ComplaintTestCase):
	def test_customer_is_told_at_registration_proposal_and_closure(self):
		from frappe.email.doctype.notification.notification import get_context

		from aftersales.tests.utils import outgoing_email_account

		outgoing_email_account()
		complaint = self.register()
		self.assertTrue(frappe.db.exists("Email Queue", {"reference_name": complaint.name}))
		for name in (
			"Customer Complaint Registered",
			"Customer Complaint Solution Proposed",
			"Customer Complaint Closed",
		):
			notification = frappe.get_doc("Notification", name)
			notification.load_standard_properties({"doc": complaint})
			body = frappe.render_template(notification.message, get_context(complaint))
			self.assertIn(complaint.name, body, name)

	def test_typed_text_is_mailed_as_text(self):
		"""A complainant's name, subject or proposal with markup reaches the mail escaped."""
		from frappe.email.doctype.notification.notification import get_context

		script = "<script>alert(1)</script>"
		complaint = self.register(complainant=script, subject=script)
		complaint.proposal = script
		for name in ("Customer Complaint Registered", "Customer Complaint Solution Proposed"):
			notification = frappe.get_doc("Notification", name)
			notification.load_standard_properties({"doc": complaint})
			body = frappe.render_template(notification.message, get_context(complaint))
			self.assertNotIn(script, body, name)
			self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", body, name)
			self.assertNotIn("&amp;lt;", body, name)


class TestEscalation(ComplaintTestCase):
	def test_deadline_passing_escalates_one_tier_at_a_time(self):
		complaint = self.register(severity="Serious")
		deadline = get_datetime(complaint.deadline)
		self.assertNotIn(complaint.name, escalate_overdue(now=add_to_date(deadline, minutes=-1)))
		self.assertIn(complaint.name, escalate_overdue(now=add_to_date(deadline, minutes=1)))
		complaint.reload()
		self.assertEqual((complaint.tier, complaint.owner_user), (flow.TECHNICAL_LEAD, TECH_LEAD))
		self.assertEqual(
			[(e.from_tier, e.to_tier) for e in complaint.escalations], [(flow.DESK, flow.TECHNICAL_LEAD)]
		)
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_name": complaint.name, "allocated_to": TECH_LEAD})
		)
		later = add_to_date(get_datetime(complaint.deadline), minutes=1)
		escalate_overdue(now=later)
		complaint.reload()
		self.assertEqual(complaint.tier, flow.MANAGEMENT)
		self.assertEqual(len(complaint.escalations), 2)
		# management is the top: nothing more happens
		self.assertNotIn(complaint.name, escalate_overdue(now=add_to_date(later, days=30)))
		complaint.reload()
		self.assertEqual(len(complaint.escalations), 2)

	def test_closed_complaints_are_not_escalated(self):
		complaint = self.register()
		frappe.db.set_value("Customer Complaint", complaint.name, "status", flow.CLOSED)
		self.assertNotIn(complaint.name, escalate_overdue(now=add_to_date(now_datetime(), days=30)))

	def test_safety_critical_goes_straight_to_management(self):
		complaint = self.register(
			severity="Safety-critical", category="Parts Quality", subject="Washer smoked during spin"
		)
		self.assertEqual((complaint.tier, complaint.owner_user), (flow.MANAGEMENT, MANAGEMENT))
		self.assertEqual(
			[(e.from_tier, e.to_tier) for e in complaint.escalations], [(flow.DESK, flow.MANAGEMENT)]
		)
		self.assertAlmostEqual(
			(get_datetime(complaint.deadline) - get_datetime(complaint.received_at)).total_seconds(), 4 * 3600
		)


class TestFollowUpComplaint(ComplaintTestCase):
	def test_attitude_complaint_at_follow_up_opens_a_complaint(self):
		order = wo.deliver(wo.pass_quality_check(wo.finish_work(wo.start_work(wo.new_work_order()))))
		with wo.as_user(wo.DESK):
			follow_up = frappe.get_doc("Service Follow-up", order.follow_up)
			follow_up.update(
				{
					"outcome": "Attitude Complaint",
					"repair_quality": 1,
					"attitude": 0.2,
					"duration": 0.8,
					"remarks": "Rude",
				}
			)
			follow_up.submit()
		follow_up.reload()
		complaint = frappe.get_doc("Customer Complaint", follow_up.complaint)
		self.assertEqual((complaint.category, complaint.service_work_order), ("Service Attitude", order.name))
		self.assertEqual(frappe.db.get_value("Service Work Order", order.name, "status"), "Follow-up")


class TestComplaintPermissions(ComplaintTestCase):
	def test_staff_see_their_own_and_customers_theirs(self):
		mine = self.register(owner_user=wo.TECH_EAST)
		other = self.register(owner_user=wo.TECH_WEST, customer=self.demo["customers"][1])
		with wo.as_user(wo.TECH_EAST):
			names = frappe.get_list("Customer Complaint", pluck="name")
			self.assertIn(mine.name, names)
			self.assertNotIn(other.name, names)
		from aftersales.tests.utils import portal_user_for

		user = portal_user_for(self.demo["customers"][0])
		with wo.as_user(user):
			names = frappe.get_list("Customer Complaint", pluck="name")
			self.assertEqual((mine.name in names, other.name in names), (True, False))
			self.assertRaises(
				frappe.PermissionError,
				frappe.get_doc("Customer Complaint", mine.name).check_permission,
				"write",
			)
