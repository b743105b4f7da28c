"""The server is the authority (issue 10, A-C), organised by threat. Each attack is made through
HTTP with the API key of the role that would try it, as a browser console or a script would, and
each test asserts the refusal AND that nothing changed: the stock ledger and bins, the documents.

A. whitelisted document methods called with a forged copy of the document (`run_doc_method`);
B. fields the desk shows read-only, or that belong to another role or stage, written over REST;
C. business rules that must hold whoever saves (scope change, cancelled lines after closing, the
   quality check with parts pending, one follow-up per delivery).

The rules live in aftersales/integrity.py (stored record, field rules, per-state editors) and the
controllers (aftersales/service/work_order/*, stocktake, return request)."""

import frappe
from frappe.utils import getdate, nowdate

from aftersales.domain import work_order_flow as flow
from aftersales.integrity import FieldOwnerError, ServerOwnedFieldError, StateEditError
from aftersales.returns.doctype.return_request.test_return_request import ReturnTestCase
from aftersales.service.doctype.service_work_order.service_work_order import make_sales_invoice
from aftersales.service.work_order import parts
from aftersales.service.work_order.errors import (
	ConsentRequiredError,
	InvoicedChangeError,
	MissingInformationError,
	PartsChangeError,
	TechnicianNotMemberError,
	WorkOrderTransitionError,
)
from aftersales.tests import work_orders as wo
from aftersales.tests.api import (
	APITestCase,
	call,
	commit,
	give_back_stock,
	ledger_state,
	post_resource,
	put_resource,
	request,
	run_doc_method,
	stored,
)
from aftersales.tests.complaints import ComplaintTestCase
from aftersales.tests.utils import demo, portal_user_for

ORDER = "Service Work Order"
MAINBOARD = "SP-TV-MAINBOARD"
BACKLIGHT = "SP-TV-BACKLIGHT"


def forged(order, **changes) -> dict:
	"""The order as the client would send it in `docs`, with `changes` applied (and `parts` rows
	changed by index: `parts={0: {"qty": 3}}`)."""
	doc = frappe.get_doc(ORDER, order.name).as_dict(convert_dates_to_str=True)
	for index, values in changes.pop("parts", {}).items():
		doc["parts"][index].update(values)
	doc.update(changes)
	return doc


def quality_check_submission(order, **values) -> dict:
	"""What the technician sends to submit the job for the quality check: work done, every
	self-check ticked, and `values`."""
	checks = frappe.get_doc(ORDER, order.name).self_checks
	return {
		"status": flow.QUALITY_CHECK,
		"work_summary": "Replaced the board",
		"self_checks": [{**row.as_dict(), "done": 1} for row in checks],
		**values,
	}


class WorkOrderAttack(APITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()
		cls.warehouse = frappe.db.get_value("Service Point", cls.demo["service_points"][0], "warehouse")

	def order_in_progress(self, in_warranty=True):
		return wo.start_work(wo.new_work_order(in_warranty=in_warranty))

	def with_part(self, status: str, qty: float = 1, item_code: str = BACKLIGHT):
		"""An order in progress with one agreed parts line taken to `status` the proper way."""
		order = self.order_in_progress()
		wo.request_part(order, item_code, qty=qty)
		if status in ("Approved", "Issued"):
			wo.call(order, "approve_parts", wo.DISPATCHER)
		if status == "Issued":
			wo.call(order, "issue_parts", wo.STOCK)
		commit()
		return frappe.get_doc(ORDER, order.name)

	def assertNothingMoved(self, ledger_before: dict):
		self.assertEqual(ledger_state(), ledger_before)


class TestForgedCopiesInDocumentMethods(WorkOrderAttack):
	"""`run_doc_method` hands the method the client's copy: every method reloads the stored order."""

	def test_issue_of_a_line_forged_as_approved_with_a_larger_quantity(self):
		order = self.with_part("Requested", qty=1)
		before, ledger = stored(ORDER, order.name), ledger_state()
		doc = forged(order, parts={0: {"qty": 3, "status": "Approved"}})
		response = run_doc_method(wo.STOCK, doc, "issue_parts")
		self.assertRefused(response, MissingInformationError)  # no approved line in the database
		self.assertNothingMoved(ledger)
		self.assertUnchanged(ORDER, order.name, before)

	def test_return_of_more_unused_parts_than_were_issued(self):
		order = self.with_part("Issued", qty=2)
		before, ledger = stored(ORDER, order.name), ledger_state()
		row = order.parts[0]
		doc = forged(order, parts={0: {"issued_qty": 50}})
		response = run_doc_method(wo.STOCK, doc, "return_unused_part", row_name=row.name, qty=50)
		self.assertRefused(response, PartsChangeError)
		self.assertNothingMoved(ledger)
		self.assertUnchanged(ORDER, order.name, before)

	def test_fields_forged_alongside_a_rightful_issue_are_not_saved(self):
		order = self.with_part("Approved", qty=1)
		doc = forged(
			order,
			symptoms="forged by the warehouse",
			warranty_status="Out of Warranty",
			customer_confirmed=0,
			parts={0: {"qty": 9, "rate": 0.01, "issued_on": "2020-01-01"}},
		)
		response = run_doc_method(wo.STOCK, doc, "issue_parts")
		self.assertEqual(response.status, 200, response)
		commit()  # read what the request committed, not this transaction's older snapshot
		after = frappe.get_doc(ORDER, order.name)
		self.assertEqual(after.symptoms, order.symptoms)
		self.assertEqual(after.warranty_status, order.warranty_status)
		self.assertEqual(after.customer_confirmed, 1)
		self.assertEqual((after.parts[0].status, after.parts[0].issued_qty), ("Issued", 1))
		self.assertEqual(after.parts[0].rate, order.parts[0].rate)
		entry = frappe.get_doc("Stock Entry", after.parts[0].stock_entry)
		self.assertEqual(entry.items[0].qty, 1, "the entry moves what the database holds")
		self.assertEqual(str(after.parts[0].issued_on), str(entry.posting_date), "dated by its issue")

	def test_the_issue_date_of_a_part_is_not_the_clients(self):
		order = self.with_part("Issued", qty=1)
		before = stored(ORDER, order.name)
		self.assertTrue(order.parts[0].issued_on)
		doc = forged(order, parts={0: {"issued_on": "2020-01-01"}})
		response = put_resource(wo.MANAGER, ORDER, order.name, {"parts": doc["parts"]})
		self.assertRefused(response, ServerOwnedFieldError)
		self.assertUnchanged(ORDER, order.name, before)

	def test_cancel_part_does_not_cancel_an_unrelated_stock_entry(self):
		receipt = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Receipt",
				"purpose": "Material Receipt",
				"company": self.demo["company"],
				"items": [
					{"item_code": BACKLIGHT, "qty": 1, "basic_rate": 75, "t_warehouse": self.warehouse}
				],
			}
		).insert()
		receipt.submit()
		order = self.with_part("Requested")
		ledger = ledger_state()
		doc = forged(order, parts={0: {"stock_entry": receipt.name}})
		response = run_doc_method(wo.DISPATCHER, doc, "cancel_part", row_name=order.parts[0].name)
		# the stored line has no entry: it is cancelled, and the receipt is left alone
		self.assertEqual(response.status, 200, response)
		commit()
		self.assertEqual(frappe.db.get_value("Stock Entry", receipt.name, "docstatus"), 1)
		self.assertNothingMoved(ledger)
		self.assertEqual(
			frappe.db.get_value("Service Work Order Part", order.parts[0].name, "status"), "Cancelled"
		)

	def test_the_entry_link_cannot_be_written_over_rest_either(self):
		other = self.with_part("Issued")
		order = self.with_part("Requested")
		before, ledger = stored(ORDER, order.name), ledger_state()
		rows = [{**row, "stock_entry": other.parts[0].stock_entry} for row in before["parts"]]
		response = put_resource(wo.TECH_EAST, ORDER, order.name, {"parts": rows})
		self.assertRefused(response, ServerOwnedFieldError)
		self.assertUnchanged(ORDER, order.name, before)
		self.assertNothingMoved(ledger)

	def test_a_parts_line_cannot_be_edited_or_deleted_on_its_own(self):
		"""Child rows reached directly, without their order: frappe.client on the child DocType."""
		order = self.with_part("Issued")
		row = order.parts[0].name
		before, ledger = stored(ORDER, order.name), ledger_state()
		attempts = (
			(
				"frappe.client.set_value",
				{"doctype": "Service Work Order Part", "name": row, "fieldname": "issued_qty", "value": 50},
			),
			(
				"frappe.client.set_value",
				{
					"doctype": "Service Work Order Part",
					"name": row,
					"fieldname": {"stock_entry": None, "status": "Requested"},
				},
			),
			("frappe.client.delete", {"doctype": "Service Work Order Part", "name": row}),
		)
		for method, args in attempts:
			for user in (wo.TECH_EAST, wo.STOCK):
				self.assertRefused(call(user, method, **args))
				self.assertUnchanged(ORDER, order.name, before)
		self.assertRefused(request(wo.TECH_EAST, "DELETE", f"/api/resource/Service Work Order Part/{row}"))
		self.assertUnchanged(ORDER, order.name, before)
		self.assertNothingMoved(ledger)

	def test_an_entry_of_another_order_is_never_cancelled(self):
		"""The last line of defence, should a forged link ever reach the database."""
		other = self.with_part("Issued")
		order = self.with_part("Requested")
		self.assertRaises(PartsChangeError, parts.cancel_entry, other.parts[0].stock_entry, order)
		self.assertEqual(frappe.db.get_value("Stock Entry", other.parts[0].stock_entry, "docstatus"), 1)


class TestReadOnlyFieldsOverREST(WorkOrderAttack):
	def test_warranty_status_is_the_servers(self):
		order = wo.new_work_order(in_warranty=False)
		commit()
		self.assertPutRefused(
			wo.DESK, ORDER, order.name, {"warranty_status": "In Warranty"}, ServerOwnedFieldError
		)

	def test_the_status_log_is_the_servers_row_by_row(self):
		order = self.order_in_progress()
		commit()
		loaded = stored(ORDER, order.name)
		rewritten = [
			{**row, "user": wo.MANAGER, "note": "approved by the manager"} for row in loaded["status_log"]
		]
		self.assertPutRefused(
			wo.TECH_EAST, ORDER, order.name, {"status_log": rewritten}, ServerOwnedFieldError
		)
		self.assertPutRefused(
			wo.TECH_EAST, ORDER, order.name, {"status_log": loaded["status_log"][1:]}, ServerOwnedFieldError
		)
		# the form sends back what it loaded: that saves
		response = put_resource(
			wo.TECH_EAST, ORDER, order.name, {"status_log": loaded["status_log"], "diagnosis": "Board"}
		)
		self.assertEqual(response.status, 200, response)

	def test_a_satisfied_outcome_cannot_be_typed_to_close_without_a_follow_up(self):
		order = wo.deliver(wo.pass_quality_check(wo.finish_work(self.order_in_progress())))
		commit()
		for values in (
			{"follow_up_outcome": "Satisfied", "status": flow.CLOSED},
			{"follow_up_outcome": "Satisfied"},
		):
			self.assertPutRefused(wo.DESK, ORDER, order.name, values)

	def test_the_quality_result_is_the_inspectors_in_the_quality_check(self):
		order = self.order_in_progress()
		commit()
		values = {"qc_result": "Pass", "qc_remarks": "fine"}
		self.assertPutRefused(wo.TECH_EAST, ORDER, order.name, values, FieldOwnerError)

	def test_a_technician_of_another_service_point_cannot_be_assigned(self):
		order = wo.move(
			wo.new_work_order(), flow.ACCEPTED, wo.DISPATCHER, service_point=self.demo["service_points"][0]
		)
		commit()
		west = frappe.db.get_value("Employee", {"user_id": wo.TECH_WEST})
		for values in ({"technician": west}, {"technician": west, "status": flow.ASSIGNED}):
			self.assertPutRefused(wo.DISPATCHER, ORDER, order.name, values, TechnicianNotMemberError)

	def test_parts_lines_start_requested_with_a_positive_quantity(self):
		order = self.order_in_progress()
		commit()
		before = stored(ORDER, order.name)
		forged_line = {"item_code": MAINBOARD, "qty": 1, "status": "Issued", "issued_qty": 1, "in_plan": 1}
		response = put_resource(wo.TECH_EAST, ORDER, order.name, {"parts": [forged_line]})
		self.assertRefused(response)
		self.assertUnchanged(ORDER, order.name, before)
		response = put_resource(
			wo.TECH_EAST, ORDER, order.name, {"parts": [{"item_code": MAINBOARD, "qty": 0}]}
		)
		self.assertRefused(response, PartsChangeError)
		self.assertUnchanged(ORDER, order.name, before)

	def test_a_technician_cannot_edit_an_order_that_is_new_or_in_the_quality_check(self):
		order = wo.new_work_order()
		commit()
		# the technician of the service point reads it once it is assigned; a New order is the desk's
		self.assertPutRefused(wo.TECH_EAST, ORDER, order.name, {"symptoms": "changed"})

		order = wo.finish_work(self.order_in_progress())
		commit()
		values = {"work_summary": "rewritten after the fact"}
		self.assertPutRefused(wo.TECH_EAST, ORDER, order.name, values, StateEditError)


class TestInvoiceRules(WorkOrderAttack):
	"""Out of warranty: 1.5 h labour at 80 = 120, invoiced from the order."""

	def setUp(self):
		settings = frappe.get_single("After-Sales Settings")
		settings.update({"labour_rate": 80, "labour_cost_rate": 50})
		settings.save()

	def tearDown(self):
		super().tearDown()
		frappe.clear_document_cache("After-Sales Settings", "After-Sales Settings")

	def invoiced_order(self):
		order = wo.pass_quality_check(wo.finish_work(self.order_in_progress(in_warranty=False)))
		invoice = make_sales_invoice(order.name)
		invoice.insert()
		invoice.submit()
		commit()
		return frappe.get_doc(ORDER, order.name), invoice

	def test_another_orders_invoice_does_not_bill_this_order(self):
		_other, invoice = self.invoiced_order()
		order = wo.pass_quality_check(wo.finish_work(self.order_in_progress(in_warranty=False)))
		commit()
		before = stored(ORDER, order.name)
		response = put_resource(wo.DESK, ORDER, order.name, {"sales_invoice": invoice.name})
		self.assertRefused(response, ServerOwnedFieldError)
		self.assertUnchanged(ORDER, order.name, before)
		# nor can it be delivered unbilled with it
		response = put_resource(
			wo.DESK,
			ORDER,
			order.name,
			{
				"sales_invoice": invoice.name,
				"status": flow.DELIVERED,
				"delivery_explanation": "Done",
				"customer_signature": wo.SIGNATURE,
				"signed_by": "Zhang Wei",
			},
		)
		self.assertRefused(response)
		self.assertUnchanged(ORDER, order.name, before)

	def test_an_invoice_for_less_than_the_charges_does_not_bill_the_order(self):
		order = wo.pass_quality_check(wo.finish_work(self.order_in_progress(in_warranty=False)))
		invoice = make_sales_invoice(order.name)
		invoice.items[0].rate = 0.01
		invoice.insert()
		self.assertRaises(InvoicedChangeError, invoice.submit)
		self.assertFalse(frappe.db.get_value(ORDER, order.name, "sales_invoice"))

	def test_labour_and_chargeable_parts_are_fixed_once_invoiced(self):
		order, _invoice = self.invoiced_order()
		self.assertPutRefused(wo.TECH_EAST, ORDER, order.name, {"labour_hours": 5}, InvoicedChangeError)


class TestStocktakeBookQuantities(APITestCase):
	def test_book_quantity_and_value_are_fixed_at_the_freeze(self):
		data = demo()
		warehouse = frappe.db.get_value("Service Point", data["service_points"][0], "warehouse")
		stocktake = frappe.get_doc(
			{
				"doctype": "Stocktake",
				"kind": "Ad-hoc",
				"company": data["company"],
				"warehouse": warehouse,
				"items": [{"item_code": MAINBOARD, "warehouse": warehouse}],
			}
		).insert()
		self.addCleanup(commit)  # cleanups run last first: delete, then commit
		self.addCleanup(frappe.delete_doc, "Stocktake", stocktake.name, ignore_permissions=True, force=True)
		with wo.as_user(wo.STOCK):
			stocktake = frappe.get_doc("Stocktake", stocktake.name)
			stocktake.status = "Counting"
			stocktake.save()
		commit()
		before = stored("Stocktake", stocktake.name)
		row = dict(before["items"][0])
		for change in ({"book_qty": row["book_qty"] - 3}, {"valuation_rate": 0.01}):
			response = put_resource(
				wo.STOCK, "Stocktake", stocktake.name, {"items": [{**row, **change, "counted_qty": 1}]}
			)
			self.assertRefused(response, ServerOwnedFieldError)
			self.assertUnchanged("Stocktake", stocktake.name, before)


class TestReviewerFieldsOfReturns(ReturnTestCase, APITestCase):
	def test_a_customer_cannot_preset_the_reviewers_decision(self):
		note = self.deliver(qty=3, invoice=False)
		self.addCleanup(give_back_stock, note.name)
		customer = portal_user_for(self.customer)
		commit()
		count = frappe.db.count("Return Request")
		values = {
			"company": self.company,
			"customer": self.customer,
			"sales_document_type": "Delivery Note",
			"sales_document": note.name,
			"kind": "Return for Refund",
			"ground": "Quality Defect",
			"description": "Noisy",
			"items": [{"item_code": note.items[0].item_code, "qty": 1}],
		}
		for preset, exc in (
			({"defect_confirmed": "Yes"}, FieldOwnerError),
			({"inspection_note": "Confirmed by me"}, FieldOwnerError),
			({"business_review_note": "All fine"}, FieldOwnerError),
			({"approved_by": wo.MANAGER}, ServerOwnedFieldError),
			({"received_date": nowdate()}, FieldOwnerError),  # would move the return window
		):
			response = post_resource(customer, "Return Request", {**values, **preset})
			self.assertRefused(response, exc)
			commit()
			self.assertEqual(frappe.db.count("Return Request"), count, preset)
		# the same request without the reviewers' fields is the customer's to make
		response = post_resource(customer, "Return Request", values)
		self.assertEqual(response.status, 200, response)
		frappe.delete_doc("Return Request", response.data["name"], ignore_permissions=True)
		commit()


class TestClosedComplaintIsTheManagers(ComplaintTestCase, APITestCase):
	def test_the_desk_cannot_rewrite_a_closed_complaints_report(self):
		complaint = self.register(description="Late and rude")
		frappe.db.set_value(
			"Customer Complaint",
			complaint.name,
			{"status": "Closed", "handling_report": "Apologised; refunded the call-out fee"},
		)
		commit()
		before = stored("Customer Complaint", complaint.name)
		response = put_resource(
			wo.DESK, "Customer Complaint", complaint.name, {"handling_report": "Nothing happened"}
		)
		self.assertRefused(response, StateEditError)
		self.assertUnchanged("Customer Complaint", complaint.name, before)


class TestScopeChangeNeedsConsent(WorkOrderAttack):
	"""WO-8, in warranty too: what the customer did not agree to is neither issued nor done."""

	def test_a_part_found_after_the_estimate_waits_for_consent(self):
		order = self.order_in_progress(in_warranty=True)
		wo.confirm_estimate(order, 0)
		wo.request_part(order, BACKLIGHT, agreed=False)
		commit()
		before, ledger = stored(ORDER, order.name), ledger_state()
		response = run_doc_method(wo.DISPATCHER, forged(order), "approve_parts")
		self.assertRefused(response, ConsentRequiredError)
		self.assertUnchanged(ORDER, order.name, before)
		self.assertNothingMoved(ledger)
		# the customer agrees: the line is in the plan and can be approved
		wo.record_consent(order, amount=0)
		wo.call(order, "approve_parts", wo.DISPATCHER)
		self.assertEqual(
			frappe.db.get_value("Service Work Order Part", {"parent": order.name}, "status"), "Approved"
		)

	def test_labour_beyond_the_agreed_hours_waits_for_consent(self):
		order = self.order_in_progress(in_warranty=True)
		wo.confirm_estimate(order, 0, hours=1)
		commit()
		values = quality_check_submission(order, labour_hours=4)
		self.assertPutRefused(wo.TECH_EAST, ORDER, order.name, values, ConsentRequiredError)

	def test_the_confirmation_cannot_be_withdrawn_to_reopen_the_plan(self):
		order = self.order_in_progress(in_warranty=True)
		wo.confirm_estimate(order, 0)
		commit()
		self.assertPutRefused(
			wo.TECH_EAST, ORDER, order.name, {"customer_confirmed": 0}, ConsentRequiredError
		)


class TestStockAfterTheJob(WorkOrderAttack):
	def closed_order_with_an_issued_part(self):
		order = self.with_part("Issued")
		order = wo.deliver(wo.pass_quality_check(wo.finish_work(order)))
		wo.record_follow_up(order, "Satisfied")
		commit()
		order = frappe.get_doc(ORDER, order.name)
		self.assertEqual(order.status, flow.CLOSED)
		return order

	def test_a_line_of_a_closed_order_is_not_cancelled(self):
		order = self.closed_order_with_an_issued_part()
		before, ledger = stored(ORDER, order.name), ledger_state()
		response = run_doc_method(wo.STOCK, forged(order), "cancel_part", row_name=order.parts[0].name)
		self.assertRefused(response, WorkOrderTransitionError)
		self.assertNothingMoved(ledger)
		self.assertUnchanged(ORDER, order.name, before)

	def test_the_quality_check_waits_for_every_part(self):
		order = self.with_part("Approved")
		wo.agree(order)
		commit()
		values = quality_check_submission(order, labour_hours=1)
		self.assertPutRefused(wo.TECH_EAST, ORDER, order.name, values, MissingInformationError)


class TestEveryDeliveryGetsAFollowUp(WorkOrderAttack):
	def test_a_reworked_job_is_followed_up_again(self):
		order = wo.deliver(wo.pass_quality_check(wo.finish_work(self.order_in_progress())))
		first = order.follow_up
		wo.record_follow_up(order, "Not Fixed at First Visit")
		order = wo.deliver(wo.pass_quality_check(wo.finish_work(frappe.get_doc(ORDER, order.name))))
		self.assertEqual(order.status, flow.DELIVERED)
		self.assertTrue(order.follow_up and order.follow_up != first)
		self.assertEqual(frappe.db.get_value("Service Follow-up", order.follow_up, "docstatus"), 0)
		self.assertFalse(order.follow_up_outcome, "the old outcome does not close the new delivery")
		self.assertEqual(
			frappe.db.count("Service Follow-up", {"service_work_order": order.name, "docstatus": ["<", 2]}), 2
		)
		# scheduled after this delivery
		self.assertGreaterEqual(
			frappe.db.get_value("Service Follow-up", order.follow_up, "scheduled_date"),
			getdate(nowdate()),
		)
