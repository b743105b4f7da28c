"""The desk in a real browser (headless Chromium): each after-sales role lands on the After-Sales
workspace, a work order's buttons differ by role (the dispatcher approves parts, the technician
is not offered it), and the warranty decision appears while the desk types the product and the
purchase date, before saving. The staff's own steps go through the HTTP API."""

from datetime import date, datetime, timedelta

import pytest

from .conftest import Staff, desk_log_in, new_page, open_form, shot

DISPATCHER = "dispatcher@aftersales.demo"
TECHNICIAN = "tech.east@aftersales.demo"
MANAGER = "manager@aftersales.demo"
INSPECTOR = "inspector@aftersales.demo"
STOCK = "stock@aftersales.demo"
POINT = "Service Point East"
PART = "SP-TV-BACKLIGHT"


@pytest.fixture(scope="module")
def order_with_a_requested_part(browser):
	"""An order in progress whose technician requested a part the customer agreed to."""
	manager, dispatcher, technician = Staff(MANAGER), Staff(DISPATCHER), Staff(TECHNICIAN)
	point = dispatcher.call("GET", f"/api/resource/Service Point/{POINT}")
	order = manager.call(
		"POST",
		"/api/resource/Service Work Order",
		{
			"company": point["company"],
			"order_type": "Repair",
			"channel": "Phone",
			"customer": "Zhang Wei",
			"item_code": "TV-55-U8",
			"purchase_date": str(date.today() - timedelta(days=100)),
			"symptoms": "No picture (desk browser test)",
		},
	)
	name = order["name"]
	tech = next(m["employee"] for m in point["members"] if m["post"] == "Technician")
	dispatcher.move(name, "Accepted", service_point=POINT)
	dispatcher.move(name, "Assigned", technician=tech)
	# WO-6: the technician first declines (a note in the status log), is assigned again and accepts
	technician.order_method(name, "decline_assignment", reason="Too far today")
	dispatcher.move(name, "Assigned", technician=tech)
	technician.order_method(name, "accept_assignment")
	start = datetime.now().replace(microsecond=0) + timedelta(hours=2)
	technician.move(
		name,
		"Appointment Booked",
		appointment_start=str(start),
		appointment_end=str(start + timedelta(hours=2)),
	)
	technician.move(name, "In Progress")
	technician.call(
		"PUT", f"/api/resource/Service Work Order/{name}", {"parts": [{"item_code": PART, "qty": 1}]}
	)
	technician.call(
		"PUT",
		f"/api/resource/Service Work Order/{name}",
		{
			"diagnosis": "Backlight strip failing",
			"estimated_hours": 1,
			"customer_confirmed": 1,
			"confirmed_by": "Zhang Wei",
			"confirmed_on": str(datetime.now().replace(microsecond=0)),
			"confirmation_method": "Phone",
		},
	)
	assert [p["status"] for p in manager.order(name)["parts"]] == ["Requested"]
	return name


def buttons(page) -> set[str]:
	"""The labels of the form's own buttons (groups' items included), as drawn."""
	return set(
		page.evaluate(
			"""() => [...document.querySelectorAll('.page-actions .custom-actions [data-label]')]
				.map((el) => decodeURIComponent(el.getAttribute('data-label')))"""
		)
	)


def test_each_role_lands_on_after_sales_and_sees_only_its_buttons(browser, order_with_a_requested_part):
	name = order_with_a_requested_part
	seen = {}
	for user in (DISPATCHER, TECHNICIAN):
		page = new_page(browser, phone=False)
		assert desk_log_in(page, user) == "/app/after-sales", user
		open_form(page, "Service Work Order", name)
		seen[user] = buttons(page)
		# the quality check's fields are the inspector's (read-only for both here)
		assert page.evaluate("() => cur_frm.get_field('qc_result').df.read_only") == 1
		if user == DISPATCHER:
			shot(page, "work-order-dispatcher-buttons", full_page=False)
		page.context.close()
	assert "Approve Parts" in seen[DISPATCHER], seen
	assert "Approve Parts" not in seen[TECHNICIAN], seen
	assert "Parts" not in seen[TECHNICIAN], seen  # no parts action is the technician's
	assert seen[DISPATCHER] != seen[TECHNICIAN]


def test_the_warranty_decision_shows_while_typing(browser):
	page = new_page(browser, phone=False)
	desk_log_in(page, MANAGER)
	page.goto(page.url.split("/app/")[0] + "/app/service-work-order/new")
	page.wait_for_function(
		"() => window.cur_frm && cur_frm.doctype === 'Service Work Order' && cur_frm.is_new()"
	)
	page.evaluate(
		"""(purchase) => cur_frm.set_value({ item_code: 'TV-55-U8', purchase_date: purchase })""",
		str(date.today() - timedelta(days=3)),
	)
	page.wait_for_function("() => cur_frm.doc.warranty_status === 'In Warranty'")
	assert page.evaluate("() => cur_frm.doc.allowed_remedies") == "Refund, Replace, Repair"
	assert page.evaluate("() => cur_frm.is_new()")  # nothing was saved
	shown = page.inner_text('.frappe-control[data-fieldname="warranty_status"]')
	assert "In Warranty" in shown, shown
	# an old purchase turns it around at once
	page.evaluate(
		"""(purchase) => cur_frm.set_value('purchase_date', purchase)""",
		str(date.today() - timedelta(days=800)),
	)
	page.wait_for_function("() => cur_frm.doc.warranty_status === 'Out of Warranty'")
	assert not page.evaluate("() => cur_frm.doc.allowed_remedies")
	page.context.close()


def test_the_chinese_desk_shows_stored_english_values_in_chinese(browser, order_with_a_requested_part):
	"""Allowed Remedies and the status log's states are stored in English and shown in Chinese."""
	name = order_with_a_requested_part
	stock = Staff(STOCK)  # any staff user who reads the order; their own language is set and reset
	stock.call("PUT", f"/api/resource/User/{STOCK}", {"language": "zh"})
	try:
		page = new_page(browser, phone=False, lang="zh")
		desk_log_in(page, STOCK)
		open_form(page, "Service Work Order", name)
		remedies = page.evaluate(
			"""() => document.querySelector('[data-fieldname="allowed_remedies"] .control-value').textContent"""
		)
		assert remedies.strip() == "维修", remedies  # stored "Repair"
		log = page.evaluate("""() => document.querySelector('[data-fieldname="status_log"]').textContent""")
		assert "进行中" in log and "已预约" in log, log
		assert "In Progress" not in log and "Appointment Booked" not in log, log
		# the app's note, stored as "Declined by {0}: {1}" with its values
		assert "Zhao Qiang 拒单：Too far today" in log, log
		assert "Declined by" not in log, log
		# the default self-check items (After-Sales Settings, copied in English)
		checks = page.evaluate(
			"""() => document.querySelector('[data-fieldname="self_checks"]').textContent"""
		)
		assert "故障现象已消除" in checks and "Work area cleaned" not in checks, checks
		shot(page, "work-order-form-zh-status-log", full_page=False)
		page.context.close()
	finally:
		stock.call("PUT", f"/api/resource/User/{STOCK}", {"language": "en"})
