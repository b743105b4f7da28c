"""The portal's flows, in the site's process as each user (the attacks through HTTP are in
aftersales/tests/security/test_portal.py, the browser walk-through in tests/browser/)."""

import email
import re

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from aftersales.domain import work_order_flow as flow
from aftersales.portal import access, accounts, consent, help_center, lookup, purchases, survey
from aftersales.portal import complaints as portal_complaints
from aftersales.portal import returns as portal_returns
from aftersales.portal.access import PortalInputError, PortalRecordNotFoundError
from aftersales.returns.doctype.return_request.return_request import OverReturnError
from aftersales.tests import portal as pt
from aftersales.tests import work_orders as wo
from aftersales.tests.utils import demo, outgoing_email_account

ORDER = "Service Work Order"


def queued_texts(filters: dict) -> list[str]:
	"""The decoded text of the mails queued with `filters` (Email Queue keeps the MIME message)."""
	texts = []
	for raw in frappe.get_all("Email Queue", filters, pluck="message", order_by="creation desc"):
		message = email.message_from_string(raw or "")
		parts = message.walk() if message.is_multipart() else [message]
		for part in parts:
			if part.get_content_maintype() == "text":
				texts.append(
					part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8", "replace")
				)
	return texts


class PortalTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()
		cls.zhang_customer, cls.li_na_customer = cls.demo["customers"][:2]
		cls.zhang, cls.li_na = pt.portal_users()
		outgoing_email_account()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.clear_document_cache("After-Sales Settings", "After-Sales Settings")


class TestWhoIsAPortalCustomer(PortalTestCase):
	def test_customers_of_the_session_user(self):
		self.assertEqual(access.portal_customers(self.zhang), [self.zhang_customer])
		self.assertEqual(access.portal_customers(wo.DESK), [])
		self.assertEqual(access.portal_customers("Guest"), [])

	def test_after_login_a_customer_lands_on_the_portal(self):
		self.assertEqual(access.home_page(self.zhang), access.HOME)
		self.assertIsNone(access.home_page(wo.DESK))
		# a supplier's portal user keeps ERPNext's home, self sign-up or not
		supplier = f"supplier.{frappe.generate_hash(length=6)}@example.com"
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": supplier,
				"first_name": "S",
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
		user.add_roles("Supplier")
		frappe.db.set_single_value("After-Sales Settings", "portal_self_signup", 1)
		self.assertIsNone(access.home_page(supplier))

	def test_website_permission_only_for_own_records(self):
		order = wo.new_work_order()
		self.assertTrue(access.has_website_permission(order, "read", self.zhang))
		self.assertFalse(access.has_website_permission(order, "read", self.li_na))
		self.assertFalse(access.has_website_permission(order, "write", self.zhang))
		# a technician of another service point gets nothing from the portal rule either
		self.assertFalse(access.has_website_permission(order, "read", wo.TECH_WEST))

	def test_own_record_gives_one_answer_for_missing_and_foreign(self):
		order = wo.new_work_order()
		with wo.as_user(self.li_na):
			for name in (order.name, "SWO-NO-SUCH", None, ["x"]):
				self.assertRaises(PortalRecordNotFoundError, access.own_record, ORDER, name)
		with wo.as_user(self.zhang):
			self.assertEqual(access.own_record(ORDER, order.name).name, order.name)


class TestRequestService(PortalTestCase):
	def test_request_from_a_purchase_creates_a_portal_order_with_the_warranty_decision(self):
		note = pt.sell(self.zhang_customer)
		with wo.as_user(self.zhang):
			keys = [p.key for p in purchases.products([self.zhang_customer])]
		self.assertIn(pt.product_key(note), keys)
		result = pt.request_service(
			self.zhang, note, photos=[pt.photo(), pt.photo(fmt="JPEG", name="back.jpg")]
		)
		order = frappe.get_doc(ORDER, result["name"])
		self.assertEqual(
			(order.channel, order.status, order.customer, order.serial_no, order.sales_document),
			("Web Portal", flow.NEW, self.zhang_customer, note.serial_no, note.name),
		)
		self.assertEqual(order.warranty_status, "In Warranty")
		self.assertEqual(result["warranty"]["status"], "In Warranty")
		self.assertEqual(order.preferred_time, "Saturday morning")
		# contact from the Customer's primary contact
		primary = frappe.db.get_value("Customer", self.zhang_customer, "customer_primary_contact")
		self.assertEqual(order.contact_person, primary)
		files = frappe.get_all(
			"File",
			{"attached_to_doctype": ORDER, "attached_to_name": order.name},
			["is_private", "owner", "file_url"],
		)
		self.assertEqual(len(files), 2)
		self.assertTrue(all(f.is_private and f.owner == self.zhang for f in files))
		self.assertEqual(order.photo, sorted(f.file_url for f in files if f.file_url.endswith(".png"))[0])

	def test_products_of_another_customer_are_refused(self):
		note = pt.sell(self.zhang_customer, serial=False)
		self.assertRaises(
			PortalInputError, pt.request_service, self.li_na, note, product=pt.product_key(note, False)
		)

	def test_typed_product_and_the_fault_code_from_the_help_center(self):
		result = pt.request_service(self.li_na, typed_product="Old microwave M-20", fault_code="WM-E21")
		order = frappe.get_doc(ORDER, result["name"])
		self.assertIn("Old microwave M-20", order.symptoms)
		self.assertEqual(order.fault_code, "WM-E21")
		self.assertFalse(order.item_code)

	def test_only_real_images_of_a_sensible_size(self):
		bad = {"name": "x.png", "data": "data:image/png;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="}
		self.assertRaises(PortalInputError, pt.request_service, self.zhang, photos=[bad])
		self.assertRaises(PortalInputError, pt.request_service, self.zhang, photos=[pt.photo()] * 4)
		self.assertRaises(PortalInputError, pt.request_service, self.zhang, order_type="Commissioning")
		self.assertRaises(PortalInputError, pt.request_service, self.zhang, symptoms="  ")

	def test_the_customer_is_told_with_a_portal_link(self):
		result = pt.request_service(self.zhang)
		messages = queued_texts({"reference_name": result["name"]})
		self.assertTrue(any(f"/service-orders/{result['name']}" in m for m in messages), messages)


class TestScopeChange(PortalTestCase):
	def test_agreeing_records_the_consent_with_the_amount_shown(self):
		order = pt.order_awaiting_consent(pt.request_service(self.zhang)["name"])
		with wo.as_user(self.zhang):
			shown = consent.revised_estimate(frappe.get_doc(ORDER, order.name))
			consent.respond(order.name, 1)
		order.reload()
		self.assertEqual(order.status, flow.IN_PROGRESS)
		self.assertEqual((order.consent_method, order.consented_amount), ("Web Portal", shown["total"]))
		self.assertTrue(order.consent_by and order.consent_on)
		self.assertEqual(order.planned_hours, 3)
		self.assertTrue(all(row.in_plan for row in order.parts))
		with wo.as_user(self.zhang):
			self.assertRaises(consent.ConsentNotPendingError, consent.respond, order.name, 1)

	def test_declining_waits_for_the_desk_and_tells_the_technician(self):
		order = pt.order_awaiting_consent(pt.request_service(self.zhang)["name"])
		with wo.as_user(self.zhang):
			self.assertRaises(PortalInputError, consent.respond, order.name, 0)
			consent.respond(order.name, 0, "Too expensive for an old set")
		order.reload()
		self.assertEqual(order.status, flow.AWAITING_CONSENT)
		self.assertTrue(order.consent_declined_on)
		self.assertIn("Too expensive", order.consent_note)
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_name": order.name, "allocated_to": wo.TECH_EAST})
		)
		with wo.as_user(self.zhang):
			self.assertRaises(consent.ConsentNotPendingError, consent.respond, order.name, 1)

	def test_another_customer_cannot_answer(self):
		order = pt.order_awaiting_consent(pt.request_service(self.zhang)["name"])
		with wo.as_user(self.li_na):
			self.assertRaises(PortalRecordNotFoundError, consent.respond, order.name, 1)
		self.assertEqual(frappe.db.get_value(ORDER, order.name, "status"), flow.AWAITING_CONSENT)


class TestSurvey(PortalTestCase):
	def delivered(self, user=None):
		order = wo.new_work_order(customer=self.zhang_customer)
		return wo.deliver(wo.pass_quality_check(wo.finish_work(wo.start_work(order))))

	def test_a_satisfied_survey_closes_the_order_once(self):
		order = self.delivered()
		with wo.as_user(self.zhang):
			self.assertEqual(
				[o.name for o in survey.surveys_due([self.zhang_customer]) if o.name == order.name],
				[order.name],
			)
			survey.submit_survey(order.name, 5, 4, 5, "satisfied", "Quick and clean")
			self.assertRaises(
				survey.SurveyClosedError, survey.submit_survey, order.name, 5, 5, 5, "satisfied"
			)
		order.reload()
		follow_up = frappe.get_doc("Service Follow-up", order.follow_up)
		self.assertEqual(
			(order.status, follow_up.channel, follow_up.outcome), (flow.CLOSED, "Online", "Satisfied")
		)
		self.assertEqual((follow_up.attitude, follow_up.followed_up_by), (0.8, self.zhang))

	def test_an_attitude_complaint_opens_a_complaint(self):
		order = self.delivered()
		with wo.as_user(self.zhang):
			survey.submit_survey(order.name, 3, 1, 3, "attitude", "He shouted at me")
		follow_up = frappe.get_doc("Service Follow-up", frappe.db.get_value(ORDER, order.name, "follow_up"))
		self.assertEqual(follow_up.outcome, "Attitude Complaint")
		self.assertTrue(follow_up.complaint)

	def test_answers_are_checked(self):
		order = self.delivered()
		with wo.as_user(self.zhang):
			self.assertRaises(PortalInputError, survey.submit_survey, order.name, 6, 5, 5, "satisfied")
			self.assertRaises(PortalInputError, survey.submit_survey, order.name, 5, 5, 5, "Satisfied")
		with wo.as_user(self.li_na):
			self.assertRaises(
				PortalRecordNotFoundError, survey.submit_survey, order.name, 5, 5, 5, "satisfied"
			)
		self.assertEqual(frappe.db.get_value(ORDER, order.name, "status"), flow.DELIVERED)


class TestComplaints(PortalTestCase):
	def test_file_and_answer_the_proposal(self):
		order = wo.new_work_order()
		with wo.as_user(self.zhang):
			result = portal_complaints.file_complaint(
				"Late again", "Nobody came\nat all", "Service Attitude", order.name, safety_issue=0
			)
		complaint = frappe.get_doc("Customer Complaint", result["name"])
		self.assertEqual(
			(complaint.channel, complaint.customer, complaint.service_work_order),
			("Online", self.zhang_customer, order.name),
		)
		department = frappe.db.get_value("Department", {"is_group": 0})
		with wo.as_user(wo.DESK):
			complaint.update({"owner_user": wo.DESK, "department": department, "status": "Investigating"})
			complaint.save()
			complaint.update(
				{"root_cause": "Dispatch error", "proposal": "A free visit", "status": "Solution Proposed"}
			)
			complaint.append(
				"measures",
				{"measure": "Free visit", "owner_user": wo.DESK, "due_date": frappe.utils.nowdate()},
			)
			complaint.save()
		with wo.as_user(self.li_na):
			self.assertRaises(PortalRecordNotFoundError, portal_complaints.answer_proposal, complaint.name, 1)
		with wo.as_user(self.zhang):
			self.assertRaises(PortalInputError, portal_complaints.answer_proposal, complaint.name, 0)
			portal_complaints.answer_proposal(complaint.name, 0, "A visit is not enough")
		complaint.reload()
		self.assertEqual((complaint.status, complaint.customer_response), ("Investigating", "Not Agreed"))

	def test_complaint_about_another_customers_order_is_refused(self):
		order = wo.new_work_order()
		with wo.as_user(self.li_na):
			self.assertRaises(
				PortalRecordNotFoundError, portal_complaints.file_complaint, "x", "y", "Other", order.name
			)
			result = portal_complaints.file_complaint(
				"Smoke from the fridge", "It smells burnt", "Parts Quality", safety_issue=1
			)
		self.assertEqual(
			frappe.db.get_value("Customer Complaint", result["name"], "severity"), "Safety-critical"
		)


class TestReturns(PortalTestCase):
	def test_return_request_is_made_and_submitted_with_the_customers_rights(self):
		note = pt.sell(self.zhang_customer, serial=False, days=0)
		with wo.as_user(self.zhang):
			lines = purchases.returnable_lines([self.zhang_customer])
			self.assertIn(note.rows[0], [line.row for line in lines])
			result = portal_returns.create_return_request(
				f"Delivery Note|{note.name}",
				"Exchange",
				"Wrong Specification",
				"Wrong model",
				[{"row": note.rows[0], "qty": 1}],
				photos=[pt.photo()],
			)
		request = frappe.get_doc("Return Request", result["name"])
		self.assertEqual((request.status, request.owner), ("Submitted", self.zhang))
		self.assertEqual(
			str(request.received_date), str(frappe.db.get_value("Delivery Note", note.name, "posting_date"))
		)
		self.assertTrue(request.photo.startswith("/private/files/"))
		with wo.as_user(self.zhang):
			self.assertRaises(
				OverReturnError,
				portal_returns.create_return_request,
				f"Delivery Note|{note.name}",
				"Exchange",
				"Wrong Specification",
				"Again",
				[{"row": note.rows[0], "qty": 5}],
			)

	def test_another_customers_sale_is_refused(self):
		note = pt.sell(self.zhang_customer, serial=False, days=0)
		with wo.as_user(self.li_na):
			self.assertRaises(
				PortalInputError,
				portal_returns.create_return_request,
				f"Delivery Note|{note.name}",
				"Exchange",
				"Wrong Specification",
				"Mine",
				[{"row": note.rows[0], "qty": 1}],
			)


class TestHelpCenter(PortalTestCase):
	def test_search_in_chinese_and_by_product_group(self):
		from aftersales.setup.demo_portal import add_chinese_to_articles

		add_chinese_to_articles()
		found = help_center.find_articles("不制冷")
		self.assertEqual([a.title for a in found], ["Refrigerator: not cooling"])
		self.assertEqual(found[0].faults[0].name, "FR-NOCOOL")
		self.assertTrue(help_center.find_articles("E21"))
		self.assertFalse(help_center.find_articles("E21", group="No Such Group"))
		self.assertFalse(help_center.find_articles("%"))


class TestLookup(PortalTestCase):
	def test_status_only_and_one_answer_for_wrong_digits_and_no_order(self):
		order = wo.new_work_order(phone="138-0013 8001")
		found = lookup.lookup_order(order.name.lower(), "8001")
		self.assertEqual(set(found), {"found", "order", "status", "steps"})
		self.assertEqual(found["order"], order.name)
		self.assertEqual(lookup.lookup_order(order.name, "1234"), lookup.lookup_order("SWO-NO-SUCH", "8001"))


class TestAccounts(PortalTestCase):
	def test_invite_to_portal_creates_a_website_user_linked_to_the_customer(self):
		customer = self.demo["customers"][2]
		email = f"buyer.{frappe.generate_hash(length=6)}@example.com"
		with wo.as_user(wo.STOCK):
			self.assertRaises(frappe.PermissionError, accounts.invite_to_portal, customer, email)
		with wo.as_user(wo.DESK):
			result = accounts.invite_to_portal(customer, email)
			self.assertRaises(accounts.InviteError, accounts.invite_to_portal, customer, wo.MANAGER)
		self.assertTrue(result["created"])
		user = frappe.get_doc("User", email)
		self.assertEqual(user.user_type, "Website User")
		self.assertIn("Customer", [r.role for r in user.roles])
		self.assertEqual(access.portal_customers(email), [customer])
		self.assertTrue(any("/update-password?key=" in m for m in queued_texts({"reference_name": customer})))

	def test_self_signup_proves_a_contact_by_a_code(self):
		started = now_datetime()
		settings = frappe.get_single("After-Sales Settings")
		email = f"new.{frappe.generate_hash(length=6)}@example.com"
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "New",
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
		with wo.as_user(email):
			self.assertRaises(accounts.SignupDisabledError, accounts.send_verification_code, "13900139002")
		settings.portal_self_signup = 1
		settings.save()
		self.assertEqual(frappe.db.get_single_value("Website Settings", "disable_signup"), 0)
		contact = frappe.db.get_value("Customer", self.li_na_customer, "customer_primary_contact")
		contact_email = frappe.db.get_value("Contact", contact, "email_id") or "li.na@example.com"
		if not frappe.db.get_value("Contact", contact, "email_id"):
			doc = frappe.get_doc("Contact", contact)
			doc.add_email(contact_email, is_primary=1)
			doc.save(ignore_permissions=True)
		with wo.as_user(email):
			nobody = accounts.send_verification_code("nobody@example.com")
			answer = accounts.send_verification_code(contact_email)
			self.assertEqual(nobody, answer)
			self.assertRaises(accounts.VerificationCodeError, accounts.confirm_verification_code, "000000x")
		message = next(m for m in queued_texts({"creation": [">=", started]}) if "verification code" in m)
		code = re.search(r"code is (\d{6})", message).group(1)
		with wo.as_user(email):
			accounts.confirm_verification_code(code)
		self.assertEqual(access.portal_customers(email), [self.li_na_customer])
		self.assertEqual(access.home_page(email), access.HOME)
		# new codes cannot be asked for without end (each would bring new tries)
		with wo.as_user(email):
			for _n in range(accounts.CODES_PER_HOUR - 2):
				accounts.send_verification_code("nobody@example.com")
			self.assertRaises(
				accounts.VerificationCodeError, accounts.send_verification_code, "x@example.com"
			)
		settings.reload()
		settings.portal_self_signup = 0
		settings.save()
		self.assertEqual(frappe.db.get_single_value("Website Settings", "disable_signup"), 1)


class TestListsAndPages(PortalTestCase):
	def test_order_view_shows_no_internal_fields(self):
		order = wo.new_work_order()
		frappe.db.set_value(ORDER, order.name, {"margin": 1234, "qc_remarks": "internal note"})
		from aftersales.portal.orders import order_view

		view = order_view(frappe.get_doc(ORDER, order.name))
		self.assertFalse({"margin", "qc_remarks", "total_cost", "parts_cost", "technician_user"} & set(view))
		self.assertEqual(view.steps[0]["state"], "current")

	def test_timeline_follows_the_customer_steps(self):
		order = wo.start_work(wo.new_work_order())
		from aftersales.portal.orders import timeline

		labels = [line["label"] for line in timeline(frappe.get_doc(ORDER, order.name))]
		self.assertEqual(labels, ["Received", "Accepted", "Appointment Booked", "In Repair"])
		self.assertTrue(now_datetime())
