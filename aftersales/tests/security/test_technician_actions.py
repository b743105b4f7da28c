"""WO-6 attacks: only the order's assigned technician accepts, declines or checks in, and what those
actions stamp is the server's. Each attack goes through HTTP with the API key of the user who would
try it (aftersales/tests/api.py), and each test asserts the refusal AND that the order is unchanged.

The actions are the controller's whitelisted methods (aftersales/service/work_order/field_work.py):
`acts_on_stored` runs them on the order as stored, so a forged copy sent with `run_doc_method`
cannot make its sender the assigned technician."""

import frappe

from aftersales.domain import work_order_flow as flow
from aftersales.integrity import ServerOwnedFieldError
from aftersales.service.work_order.errors import NotAssignedTechnicianError, TechnicianNotAcceptedError
from aftersales.tests import work_orders as wo
from aftersales.tests.api import APITestCase, commit, post_resource, put_resource, run_doc_method, stored
from aftersales.tests.utils import demo

ORDER = "Service Work Order"


def forged(order, **changes) -> dict:
	doc = frappe.get_doc(ORDER, order.name).as_dict(convert_dates_to_str=True)
	doc.update(changes)
	return doc


class TestOnlyTheAssignedTechnicianAnswers(APITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = demo()
		cls.west = frappe.db.get_value("Employee", {"user_id": wo.TECH_WEST})

	def assigned(self):
		order = wo.dispatch(wo.new_work_order())
		commit()
		return order

	def assertMethodRefused(self, user, order, method, doc=None, exc=None, **args):
		before = stored(ORDER, order.name)
		response = run_doc_method(user, doc or forged(order), method, **args)
		self.assertRefused(response, exc)
		self.assertUnchanged(ORDER, order.name, before)

	def test_another_technician_cannot_accept_decline_or_check_in_even_with_a_forged_copy(self):
		order = self.assigned()
		# the copy names the attacker as the technician of their own service point
		copy = forged(
			order,
			technician=self.west,
			technician_user=wo.TECH_WEST,
			service_point=self.demo["service_points"][1],
		)
		for method, args in (("accept_assignment", {}), ("decline_assignment", {"reason": "not mine"})):
			self.assertMethodRefused(wo.TECH_WEST, order, method, doc=copy, **args)
		booked = wo.book_appointment(wo.accept(wo.dispatch(wo.new_work_order())))
		commit()
		copy = forged(booked, technician=self.west, technician_user=wo.TECH_WEST)
		self.assertMethodRefused(wo.TECH_WEST, booked, "check_in", doc=copy)

	def test_the_desk_and_the_dispatcher_cannot_answer_for_the_technician(self):
		order = self.assigned()
		for user in (wo.DESK, wo.DISPATCHER):
			self.assertMethodRefused(user, order, "accept_assignment", exc=NotAssignedTechnicianError)
			self.assertMethodRefused(
				user, order, "decline_assignment", exc=NotAssignedTechnicianError, reason="busy"
			)

	def test_a_technician_cannot_take_an_order_not_yet_assigned_to_them(self):
		order = wo.move(
			wo.new_work_order(), flow.ACCEPTED, wo.DISPATCHER, service_point=self.demo["service_points"][0]
		)
		commit()
		copy = forged(
			order, status=flow.ASSIGNED, technician=self.demo["employees"][3], technician_user=wo.TECH_EAST
		)
		self.assertMethodRefused(
			wo.TECH_EAST, order, "accept_assignment", doc=copy, exc=NotAssignedTechnicianError
		)

	def test_the_acceptance_and_arrival_cannot_be_written_over_rest(self):
		order = self.assigned()
		now = frappe.utils.now_datetime()
		for values in (
			{"technician_accepted_on": now},
			{"arrived_on": now, "visit_count": 1},
		):
			self.assertPutRefused(wo.TECH_EAST, ORDER, order.name, values, ServerOwnedFieldError)
		loaded = stored(ORDER, order.name)
		arrival = {
			**loaded["status_log"][-1],
			"name": None,
			"idx": len(loaded["status_log"]) + 1,
			"event": flow.CHECKED_IN,
		}
		self.assertPutRefused(
			wo.TECH_EAST,
			ORDER,
			order.name,
			{"status_log": [*loaded["status_log"], arrival]},
			ServerOwnedFieldError,
		)

	def test_the_dispatcher_cannot_book_over_rest_before_the_technician_accepts(self):
		order = self.assigned()
		start = frappe.utils.add_to_date(frappe.utils.now_datetime(), hours=2)
		values = {
			"status": flow.APPOINTMENT_BOOKED,
			"appointment_start": start,
			"appointment_end": frappe.utils.add_to_date(start, hours=2),
		}
		self.assertPutRefused(wo.DISPATCHER, ORDER, order.name, values, TechnicianNotAcceptedError)
		self.assertPutRefused(wo.TECH_EAST, ORDER, order.name, values, TechnicianNotAcceptedError)
		wo.accept(order)
		commit()
		response = put_resource(wo.TECH_EAST, ORDER, order.name, values)
		self.assertEqual(response.status, 200, response)


class TestContactOverREST(APITestCase):
	def test_an_order_made_over_rest_takes_the_customers_primary_contact(self):
		data = demo()
		response = post_resource(
			wo.DESK,
			ORDER,
			{
				"company": data["company"],
				"customer": data["customers"][0],
				"item_code": "TV-55-U8",
				"purchase_date": frappe.utils.add_days(frappe.utils.nowdate(), -30),
				"symptoms": "No picture",
			},
		)
		self.assertEqual(response.status, 200, response)
		name = response.data["name"]
		try:
			order = stored(ORDER, name)
			self.assertEqual(
				(order["contact_email"], order["phone"]), ("zhang.wei@example.com", "13800138001")
			)
			self.assertEqual(order["channel"], "Phone")
		finally:
			frappe.delete_doc(ORDER, name, force=True, ignore_permissions=True)
			commit()
