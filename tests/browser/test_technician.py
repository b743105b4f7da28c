"""The assigned technician's steps on a phone-sized desk (WO-6): on a phone Frappe moves a form's
buttons into the "..." menu, so the technician's next step (Accept Order, then Check In) is also a
full-width button at the top of the form; the dispatcher is offered neither. The other staff's
steps go through the HTTP API."""

from datetime import date, datetime, timedelta

import pytest

from .conftest import Staff, desk_log_in, new_page, open_form, shot

DISPATCHER = "dispatcher@aftersales.demo"
TECHNICIAN = "tech.east@aftersales.demo"
MANAGER = "manager@aftersales.demo"
POINT = "Service Point East"
ORDER = "Service Work Order"


@pytest.fixture(scope="module")
def assigned_order(browser):
	manager, dispatcher = Staff(MANAGER), Staff(DISPATCHER)
	point = dispatcher.call("GET", f"/api/resource/Service Point/{POINT}")
	order = manager.call(
		"POST",
		f"/api/resource/{ORDER}",
		{
			"company": point["company"],
			"order_type": "Repair",
			"channel": "Phone",
			"customer": "Zhang Wei",
			"item_code": "TV-55-U8",
			"purchase_date": str(date.today() - timedelta(days=100)),
			"symptoms": "No sound (technician browser test)",
		},
	)
	tech = next(m["employee"] for m in point["members"] if m["post"] == "Technician")
	dispatcher.move(order["name"], "Accepted", service_point=POINT)
	dispatcher.move(order["name"], "Assigned", technician=tech)
	return order["name"]


def next_step(page) -> str | None:
	button = page.query_selector(".technician-next-step")
	return button.inner_text().strip() if button else None


def test_the_technician_accepts_and_checks_in_from_a_phone(browser, assigned_order):
	dispatcher_page = new_page(browser, phone=True)
	desk_log_in(dispatcher_page, DISPATCHER)
	open_form(dispatcher_page, ORDER, assigned_order)
	assert next_step(dispatcher_page) is None
	dispatcher_page.context.close()

	page = new_page(browser, phone=True)
	desk_log_in(page, TECHNICIAN)
	open_form(page, ORDER, assigned_order)
	assert next_step(page) == "Accept Order"
	shot(page, "technician-accept-phone", full_page=False)
	page.click(".technician-next-step")
	page.wait_for_function("() => cur_frm.doc.technician_accepted_on")

	technician = Staff(TECHNICIAN)
	start = datetime.now().replace(microsecond=0) + timedelta(hours=1)
	technician.move(
		assigned_order,
		"Appointment Booked",
		appointment_start=str(start),
		appointment_end=str(start + timedelta(hours=2)),
	)
	open_form(page, ORDER, assigned_order)
	page.evaluate("cur_frm.reload_doc()")
	page.wait_for_function("() => cur_frm.doc.status === 'Appointment Booked'")
	page.wait_for_selector(".technician-next-step")
	assert next_step(page) == "Check In"
	page.click(".technician-next-step")
	page.wait_for_function("() => cur_frm.doc.visit_count === 1 && cur_frm.doc.arrived_on")
	stored = technician.order(assigned_order)
	assert stored["visit_count"] == 1 and stored["arrived_on"]
	assert stored["status_log"][-1]["event"] == "Checked In"
	page.context.close()
