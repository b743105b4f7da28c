"""The customer portal attacked through HTTP (issue 14): one portal customer (Li Na) goes after
another's (Zhang Wei's) orders, returns, complaints and photos by page, URL, list, REST and file URL;
a customer tries to set the fields they may not; a guest probes the order lookup. Each attack is
refused (or comes back without the other's data) and changes nothing; a control shows that the
rightful customer gets the page.

The rules: aftersales/portal/access.py (own_record, has_website_permission), the record rules of
hooks.permission_query_conditions, aftersales/privacy.py (files), and each endpoint's own checks."""

import frappe
from frappe.tests.test_api import make_request

from aftersales.domain import work_order_flow as flow
from aftersales.integrity import FieldOwnerError, ServerOwnedFieldError
from aftersales.portal import lookup
from aftersales.portal.access import PortalInputError, PortalRecordNotFoundError
from aftersales.portal.consent import ConsentNotPendingError
from aftersales.tests import portal as pt
from aftersales.tests import work_orders as wo
from aftersales.tests.api import (
	CLIENT,
	APITestCase,
	api_token,
	call,
	commit,
	get_resource,
	post_resource,
	request,
	stored,
)
from aftersales.tests.utils import demo

ORDER = "Service Work Order"
COMPLAINT = "Customer Complaint"
RETURN = "Return Request"
PAGES = {
	ORDER: ("/service-orders/{}", "/scope-change/{}", "/survey/{}"),
	RETURN: ("/returns/{}",),
	COMPLAINT: ("/complaints/{}",),
}
LISTS = {ORDER: "/service-orders", RETURN: "/returns", COMPLAINT: "/complaints"}
# what Zhang Wei typed: never on a page another customer gets
SECRETS = ("No picture after a power cut", "The door arrived scratched", "Bearing noise", "1 Test Road")


def file_status(user: str | None, url: str) -> int:
	"""HTTP status of a file download (its body is binary: no text response)."""
	headers = {"Authorization": f"token {api_token(user)}"} if user else {}
	raw = make_request(target=CLIENT.get, args=(url,), kwargs={"headers": headers}, site=frappe.local.site)
	return raw.status_code


def reset_lookup_limits() -> None:
	frappe.cache.delete_keys("rl:aftersales.portal.lookup.lookup_order")
	frappe.cache.delete_keys("aftersales:lookup:")


class PortalAPITestCase(APITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()
		cls.zhang_customer, cls.li_na_customer = cls.demo["customers"][:2]
		cls.zhang, cls.li_na = pt.portal_users()

	def zhang_records(self) -> dict:
		"""An order (from the portal, with a photo), a return and a complaint of Zhang Wei, committed."""
		note = pt.sell(self.zhang_customer, days=0)
		order = pt.request_service(self.zhang, note, photos=[pt.photo()])["name"]
		from aftersales.portal import complaints, returns

		with wo.as_user(self.zhang):
			complaint = complaints.file_complaint(
				"Scratched door", "The door arrived scratched", "Other", order
			)["name"]
			return_request = returns.create_return_request(
				f"Delivery Note|{note.name}",
				"Exchange",
				"Quality Defect",
				"Bearing noise",
				[{"row": note.rows[-1], "qty": 1}],
			)["name"]
		commit()
		photo = frappe.db.get_value(ORDER, order, "photo")
		return {ORDER: order, COMPLAINT: complaint, RETURN: return_request, "photo": photo, "note": note}


class TestAnotherCustomersRecords(PortalAPITestCase):
	def test_pages_urls_lists_rest_and_files_are_refused(self):
		records = self.zhang_records()
		for doctype, routes in PAGES.items():
			name = records[doctype]
			for route in routes:
				page = request(self.li_na, "GET", route.format(name))
				self.assertEqual(page.status, 403, (route, page))
				for secret in SECRETS:
					self.assertNotIn(secret, page.text)
				# the same answer for a name that does not exist
				self.assertEqual(request(self.li_na, "GET", route.format(name + "-X")).status, 403)
			own = request(self.zhang, "GET", routes[0].format(name))
			self.assertEqual(own.status, 200, own)
			self.assertIn(name, own.text)
			# list pages, REST document and REST list
			self.assertNotIn(name, request(self.li_na, "GET", LISTS[doctype]).text)
			self.assertIn(name, request(self.zhang, "GET", LISTS[doctype]).text)
			self.assertRefused(get_resource(self.li_na, doctype, name), status=403)
			listed = request(self.li_na, "GET", f"/api/resource/{doctype}", filters=[["name", "=", name]])
			self.assertEqual(listed.status, 200, listed)
			self.assertEqual(listed.data, [])
		# the photo by its file URL: the other customer and a guest get nothing, the owner gets it
		self.assertTrue(records["photo"].startswith("/private/files/"))
		self.assertEqual(file_status(self.li_na, records["photo"]), 403)
		self.assertNotEqual(file_status(None, records["photo"]), 200)
		self.assertEqual(file_status(self.zhang, records["photo"]), 200)
		file = frappe.db.get_value("File", {"file_url": records["photo"]})
		self.assertRefused(get_resource(self.li_na, "File", file), status=403)
		# print view and PDF (Frappe's portal check: has_website_permission)
		for path in ("/printview", "/api/method/frappe.utils.print_format.download_pdf"):
			printed = request(self.li_na, "GET", path, doctype=ORDER, name=records[ORDER])
			self.assertIn(printed.status, (403, 417), (path, printed))
			self.assertNotIn("The door arrived", printed.text)
		self.assertEqual(
			request(self.zhang, "GET", "/printview", doctype=ORDER, name=records[ORDER]).status, 200
		)
		# a technician of another service point gains nothing from the portal rule
		self.assertEqual(
			request(wo.TECH_WEST, "GET", "/printview", doctype=ORDER, name=records[ORDER]).status, 403
		)

	def test_endpoints_refuse_another_customers_records_and_change_nothing(self):
		records = self.zhang_records()
		order = records[ORDER]
		pt.order_awaiting_consent(order)
		commit()
		before = {doctype: stored(doctype, records[doctype]) for doctype in (ORDER, COMPLAINT, RETURN)}
		attacks = (
			("aftersales.portal.consent.respond", {"order": order, "agree": 1}),
			("aftersales.portal.consent.respond", {"order": order, "agree": 0, "note": "no"}),
			(
				"aftersales.portal.survey.submit_survey",
				{"order": order, "repair_quality": 5, "attitude": 5, "duration": 5, "answer": "satisfied"},
			),
			("aftersales.portal.complaints.answer_proposal", {"complaint": records[COMPLAINT], "agree": 1}),
			(
				"aftersales.portal.complaints.file_complaint",
				{"subject": "x", "description": "y", "service_work_order": order},
			),
		)
		for method, args in attacks:
			self.assertRefused(call(self.li_na, method, **args), PortalRecordNotFoundError, status=403)
		# another customer's purchase as the product, or as the sale to return
		note = records["note"]
		self.assertRefused(
			call(
				self.li_na,
				"aftersales.portal.request_service.create_service_request",
				order_type="Repair",
				symptoms="x",
				address_text="y",
				product=pt.product_key(note),
			),
			PortalInputError,
			status=417,
		)
		self.assertRefused(
			call(self.li_na, "aftersales.portal.request_service.warranty_for", product=pt.product_key(note)),
			PortalInputError,
			status=417,
		)
		self.assertRefused(
			call(
				self.li_na,
				"aftersales.portal.returns.create_return_request",
				sales_document=f"Delivery Note|{note.name}",
				kind="Exchange",
				ground="Quality Defect",
				description="mine",
				items=[{"row": note.rows[-1], "qty": 1}],
			),
			PortalInputError,
			status=417,
		)
		for doctype in (ORDER, COMPLAINT, RETURN):
			self.assertUnchanged(doctype, records[doctype], before[doctype])
		# a guest is refused by every endpoint that needs a customer
		for method, args in attacks[:1]:
			self.assertRefused(call(None, method, **args), status=403)


class TestFieldsACustomerMayNotSet(PortalAPITestCase):
	def test_technician_charges_and_status_are_refused_over_rest_and_ignored_by_the_portal(self):
		records = self.zhang_records()
		order = records[ORDER]
		technician = frappe.db.get_value("Employee", {"user_id": wo.TECH_EAST})
		for values in (
			{"technician": technician},
			{"chargeable_amount": 1},
			{"status": flow.CLOSED},
			{"consented_amount": 99999, "consent_by": "me"},
		):
			self.assertPutRefused(self.zhang, ORDER, order, values, status=403)
		# the portal's own endpoint takes only its named arguments: the extras never reach the order
		made = call(
			self.zhang,
			"aftersales.portal.request_service.create_service_request",
			order_type="Repair",
			symptoms="Rattling",
			address_text="1 Test Road",
			technician=technician,
			status=flow.CLOSED,
			chargeable_amount=5,
			warranty_status="In Warranty",
			channel="Phone",
		)
		self.assertEqual(made.status, 200, made)
		commit()
		created = frappe.db.get_value(
			ORDER,
			made.data["name"],
			["technician", "status", "chargeable_amount", "warranty_status", "channel"],
			as_dict=True,
		)
		self.assertEqual(
			(
				created.technician or None,
				created.status,
				created.chargeable_amount,
				created.warranty_status or None,
			),
			(None, flow.NEW, 0, None),
		)
		self.assertEqual(created.channel, "Web Portal")

	def test_consent_amount_is_the_servers_and_consent_only_when_asked(self):
		order = pt.request_service(self.zhang, pt.sell(self.zhang_customer, days=0))["name"]
		commit()
		before = stored(ORDER, order)
		self.assertRefused(
			call(self.zhang, "aftersales.portal.consent.respond", order=order, agree=1),
			ConsentNotPendingError,
			status=417,
		)
		self.assertUnchanged(ORDER, order, before)
		pt.order_awaiting_consent(order)
		commit()
		answered = call(
			self.zhang,
			"aftersales.portal.consent.respond",
			order=order,
			agree=1,
			consented_amount=1,
			status=flow.CLOSED,
		)
		self.assertEqual(answered.status, 200, answered)
		commit()
		self.assertEqual(
			frappe.db.get_value(ORDER, order, ["status", "consented_amount", "consent_method"]),
			(
				flow.IN_PROGRESS,
				0.0,
				"Web Portal",
			),  # in warranty: the customer agrees to the work, at no charge
		)

	def test_reviewers_fields_of_a_return_are_refused(self):
		note = pt.sell(self.zhang_customer, serial=False, days=0)
		commit()
		count = frappe.db.count(RETURN)
		base = {
			"company": self.demo["company"],
			"customer": self.zhang_customer,
			"kind": "Exchange",
			"ground": "Quality Defect",
			"sales_document_type": "Delivery Note",
			"sales_document": note.name,
			"description": "Bearing noise",
			"items": [{"item_code": pt.PART, "qty": 1, "source_row": note.rows[-1]}],
		}
		for preset, exc in (
			({"rejection_reason": "none"}, FieldOwnerError),
			({"business_review_note": "fine"}, FieldOwnerError),
			({"defect_confirmed": "Yes"}, FieldOwnerError),
			({"approved_by": wo.MANAGER}, ServerOwnedFieldError),
			({"late_override": 1, "override_reason": "me"}, FieldOwnerError),
		):
			self.assertRefused(post_resource(self.zhang, RETURN, {**base, **preset}), exc)
		commit()
		self.assertEqual(frappe.db.count(RETURN), count)

	def test_survey_answers_are_checked(self):
		order = wo.deliver(wo.pass_quality_check(wo.finish_work(wo.start_work(wo.new_work_order()))))
		commit()
		before = stored(ORDER, order.name)
		for args in (
			{"repair_quality": 9, "attitude": 5, "duration": 5, "answer": "satisfied"},
			{"repair_quality": 5, "attitude": 5, "duration": 5, "answer": "Satisfied"},
			{"repair_quality": 0, "attitude": 5, "duration": 5, "answer": "satisfied"},
		):
			self.assertRefused(
				call(self.zhang, "aftersales.portal.survey.submit_survey", order=order.name, **args),
				PortalInputError,
				status=417,
			)
		# not a number at all: Frappe's own type check of the endpoint's arguments
		self.assertRefused(
			call(
				self.zhang,
				"aftersales.portal.survey.submit_survey",
				order=order.name,
				repair_quality="5 or 1=1",
				attitude=5,
				duration=5,
				answer="satisfied",
			),
			status=417,
		)
		self.assertUnchanged(ORDER, order.name, before)
		self.assertPutRefused(
			self.zhang, "Service Follow-up", order.follow_up, {"outcome": "Satisfied"}, status=403
		)


class TestOrderLookup(PortalAPITestCase):
	def setUp(self):
		reset_lookup_limits()

	def tearDown(self):
		reset_lookup_limits()
		super().tearDown()

	def lookup(self, order, digits, forwarded_for=None):
		headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
		from aftersales.tests.api import Response

		return Response(
			make_request(
				target=CLIENT.post,
				args=("/api/method/aftersales.portal.lookup.lookup_order",),
				kwargs={"json": {"order": order, "phone_digits": digits}, "headers": headers},
				site=frappe.local.site,
			)
		)

	def test_status_only_and_one_answer_for_wrong_digits_and_no_such_order(self):
		order = wo.new_work_order(phone="139-0013 9002")
		commit()
		found = self.lookup(order.name, "9002")
		self.assertEqual(found.status, 200, found)
		self.assertEqual(set(found.data), {"found", "order", "status", "steps"})
		self.assertNotIn("Zhang", found.text)
		wrong = self.lookup(order.name, "9003")
		missing = self.lookup(order.name + "9", "9002")
		self.assertEqual((wrong.status, wrong.data), (missing.status, missing.data))
		self.assertFalse(wrong.data["found"])

	def test_rate_limited_per_address_and_per_order(self):
		order = wo.new_work_order(phone="139-0013 9002")
		commit()
		answers = [self.lookup(order.name, f"{n:04d}").status for n in range(lookup.LIMIT_PER_ADDRESS + 1)]
		self.assertEqual(answers[:-1], [200] * lookup.LIMIT_PER_ADDRESS)
		self.assertEqual(answers[-1], 429)
		# spreading the tries over addresses (a forged X-Forwarded-For) or letter case does not help
		reset_lookup_limits()
		statuses = [
			self.lookup(
				order.name.lower() if n % 2 else order.name, f"{n:04d}", forwarded_for=f"10.0.0.{n}"
			).status
			for n in range(lookup.LIMIT_PER_ORDER + 1)
		]
		self.assertEqual(statuses[-1], 429, statuses)
		limited = self.lookup(order.name, "9002", forwarded_for="10.0.1.1")
		self.assertEqual(limited.exc_type, "LookupLimitError", limited)


class TestGuestPages(PortalAPITestCase):
	def test_guests_are_sent_to_login_and_see_only_the_public_pages(self):
		for route in (
			"/service-orders",
			"/request-service",
			"/returns",
			"/complaints",
			"/survey",
			"/scope-change",
		):
			page = request(None, "GET", route)
			self.assertEqual(page.status, 302, (route, page))
		for route in ("/help-center", "/track-order"):
			self.assertEqual(request(None, "GET", route).status, 200, route)
		# a logged-in user who is no portal customer is sent to prove it, and sees nothing else
		page = request(wo.STOCK, "GET", "/service-orders")
		self.assertEqual(page.status, 302)


class TestInvoiceOfAChargeableJob(PortalAPITestCase):
	def test_the_customer_prints_their_invoice_and_nobody_else_does(self):
		from aftersales.service.doctype.service_work_order.service_work_order import make_sales_invoice

		order = wo.pass_quality_check(wo.finish_work(wo.start_work(wo.new_work_order(in_warranty=False))))
		with wo.as_user(wo.DESK):
			invoice = make_sales_invoice(order.name)
			invoice.insert()
			invoice.submit()
		commit()
		page = request(self.zhang, "GET", f"/service-orders/{order.name}")
		self.assertEqual(page.status, 200, page)
		self.assertIn(f"name={invoice.name}", page.text)
		self.assertIn("download_pdf", page.text)
		query = {"doctype": "Sales Invoice", "name": invoice.name}
		self.assertEqual(request(self.zhang, "GET", "/printview", **query).status, 200)
		for path in ("/printview", "/api/method/frappe.utils.print_format.download_pdf"):
			refused = request(self.li_na, "GET", path, **query)
			self.assertIn(refused.status, (403, 417), (path, refused))
		self.assertNotIn(invoice.name, request(self.li_na, "GET", "/service-orders").text)
