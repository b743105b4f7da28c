"""The customer portal in a real browser (headless Chromium), on a phone-sized screen: a customer
logs in, requests service with a photo and sees it listed; the staff move the order on through the
HTTP API; the customer follows the progress, agrees to a scope change, and after delivery answers
the survey. A second customer cannot open the first one's order or photo by URL (403). The order
lookup without login, the Help Center (Chinese search, "Did this solve it? No" -> Request Service
filled in), and the pages in Chinese. The tests run in order and share the order they make."""

import base64
import random
import re
import urllib.request
from datetime import datetime, timedelta

import pytest

from .conftest import BASE_URL, LI_NA, ZHANG, Staff, log_in, new_page, shot

# a 24x16 red PNG: the photo of the fault
PHOTO = base64.b64decode(
	"iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAAHElEQVR4nGM8ISfHQA3ARBVTRg0aNWjUoBFsEADurgEkli4RWAAAAABJRU5ErkJggg=="
)
state: dict = {}


@pytest.fixture(scope="module")
def zhang(browser):
	page = new_page(browser)
	log_in(page, ZHANG)
	yield page
	page.context.close()


@pytest.fixture(scope="module")
def staff(browser):
	return {
		# the After-Sales Manager stands in for the desk (the install tests change the desk user's password)
		"desk": Staff("manager@aftersales.demo"),
		"dispatcher": Staff("dispatcher@aftersales.demo"),
		"technician": Staff("tech.east@aftersales.demo"),
		"inspector": Staff("inspector@aftersales.demo"),
	}


def order_page(page, name: str):
	response = page.goto(f"{BASE_URL}/service-orders/{name}")
	assert response.status == 200, response.status
	return page


def test_customer_requests_service_with_a_photo_and_sees_it_listed(zhang):
	zhang.goto(BASE_URL + "/request-service")
	tv = zhang.locator("#rs-product option", has_text="TV55U8-10001").first.get_attribute("value")
	zhang.select_option("#rs-product", tv)
	zhang.wait_for_selector("#rs-warranty:has-text('In Warranty')")
	zhang.fill("#rs-symptoms", "The screen flickers green, then goes dark (browser test)")
	zhang.set_input_files(
		"#rs-photos", files=[{"name": "screen.png", "mimeType": "image/png", "buffer": PHOTO}]
	)
	if zhang.is_visible("#rs-address-text"):
		zhang.fill("#rs-address-text", "88 Renmin Road, Shanghai")
	zhang.fill("#rs-time", "Saturday morning")
	shot(zhang, "portal-request-service")
	zhang.click("#request-service-form [type=submit]")
	zhang.wait_for_selector("#rs-done:not([hidden])")
	name = zhang.inner_text("#rs-done-name").strip()
	assert re.match(r"^SWO-\d{4}-\d+$", name), name
	assert "In Warranty" in zhang.inner_text("#rs-done-warranty")
	state["order"] = name
	zhang.goto(BASE_URL + "/service-orders")
	assert zhang.locator(f".as-order[data-order='{name}']").count() == 1
	shot(zhang, "portal-orders", full_page=False)
	order_page(zhang, name)
	state["photo"] = zhang.locator(".as-photos img").first.get_attribute("src")
	assert state["photo"].startswith("/private/files/")


def test_staff_move_it_on_and_the_customer_agrees_to_a_scope_change(zhang, staff):
	name = state["order"]
	point = "Service Point East"
	members = staff["dispatcher"].call("GET", f"/api/resource/Service Point/{point}")["members"]
	technician = next(m["employee"] for m in members if m["post"] == "Technician")
	staff["dispatcher"].move(name, "Accepted", service_point=point)
	staff["dispatcher"].move(name, "Assigned", technician=technician)
	staff["technician"].order_method(name, "accept_assignment")  # WO-6: before booking
	start = datetime.now().replace(microsecond=0) + timedelta(days=1)
	staff["technician"].move(
		name,
		"Appointment Booked",
		appointment_start=str(start),
		appointment_end=str(start + timedelta(hours=2)),
	)
	order_page(zhang, name)
	assert "Appointment Booked" in zhang.inner_text("#order-status")
	assert "Zhao Qiang" in zhang.inner_text("#order-technician")
	assert zhang.inner_text("#order-appointment")
	staff["technician"].move(name, "In Progress")
	staff["technician"].call(
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
	staff["technician"].move(name, "Awaiting Customer Consent", estimated_hours=3)
	order_page(zhang, name)
	shot(zhang, "portal-order-consent")
	zhang.click("#order-todo a")
	zhang.wait_for_url(f"**/scope-change/{name}")
	zhang.wait_for_load_state("load")
	assert "3" in zhang.inner_text("#revised-estimate")
	shot(zhang, "portal-scope-change")
	zhang.click("#consent-agree")
	zhang.wait_for_url(f"**/service-orders/{name}")
	assert "In Repair" in zhang.inner_text("#order-status")
	assert staff["desk"].order(name)["consent_method"] == "Web Portal"


def test_after_delivery_the_customer_answers_the_survey_once(zhang, staff):
	name = state["order"]
	order = staff["technician"].order(name)
	checks = [{**row, "done": 1} for row in order["self_checks"]]
	staff["technician"].move(
		name, "Quality Check", work_summary="Replaced the backlight strip", labour_hours=2, self_checks=checks
	)
	staff["inspector"].move(name, "Ready for Delivery", qc_result="Pass", qc_type="Spot Check")
	order_page(zhang, name)
	assert "Ready for Delivery" in zhang.inner_text("#order-status")
	staff["desk"].move(
		name,
		"Delivered",
		delivery_explanation="Backlight strip replaced; the picture is steady",
		customer_signature="data:image/png;base64," + base64.b64encode(PHOTO).decode(),
		signed_by="Zhang Wei",
	)
	order_page(zhang, name)
	assert "Delivered" in zhang.inner_text("#order-status")
	shot(zhang, "portal-order-delivered")
	zhang.click("#order-todo a")
	zhang.wait_for_url(f"**/survey/{name}")
	zhang.wait_for_load_state("load")
	zhang.click("label[for='attitude-4']")
	zhang.check("#answer-satisfied")
	zhang.fill("#survey-remarks", "Quick and tidy")
	shot(zhang, "portal-survey")
	zhang.click("#survey-form [type=submit]")
	zhang.wait_for_selector("#survey-done:not([hidden])")
	order_page(zhang, name)
	assert "Completed" in zhang.inner_text("#order-status")
	zhang.goto(f"{BASE_URL}/survey/{name}")
	assert zhang.is_visible("#survey-closed")


def test_another_customer_cannot_open_the_order_or_its_photo(browser, zhang):
	li_na = new_page(browser)
	log_in(li_na, LI_NA)
	response = li_na.goto(f"{BASE_URL}/service-orders/{state['order']}")
	assert response.status == 403
	assert "screen flickers" not in li_na.content()
	assert li_na.goto(BASE_URL + state["photo"]).status == 403
	printed = li_na.goto(f"{BASE_URL}/printview?doctype=Service%20Work%20Order&name={state['order']}")
	# (once, in CI, this was a 500: the server's log now holds the traceback, scripts/serve.py)
	assert printed.status == 403, li_na.inner_text("body")[:2000]
	assert state["order"] not in li_na.goto(BASE_URL + "/service-orders").text()
	# the owner does get the photo
	assert zhang.goto(BASE_URL + state["photo"]).status == 200
	li_na.context.close()


def test_order_lookup_without_login(browser):
	guest = new_page(browser)
	# the lookup is rate-limited per client address: each run looks like a new client (the limit per
	# order number still holds, and the attack tests check both limits)
	guest.context.set_extra_http_headers(
		{"X-Forwarded-For": f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.7"}
	)
	guest.goto(BASE_URL + "/track-order")
	guest.fill("#lookup-order", state["order"])
	guest.fill("#lookup-digits", "0000")
	guest.click("#lookup-form [type=submit]")
	guest.wait_for_selector("#lookup-none:not([hidden])")
	wrong = guest.inner_text("#lookup-none")
	guest.fill("#lookup-order", state["order"] + "99")
	guest.fill("#lookup-digits", "8001")
	guest.click("#lookup-form [type=submit]")
	guest.wait_for_function("document.querySelector('#lookup-none').textContent.length > 0")
	assert guest.inner_text("#lookup-none") == wrong
	guest.fill("#lookup-order", state["order"])
	guest.click("#lookup-form [type=submit]")
	guest.wait_for_selector("#lookup-result:not([hidden])")
	assert "Completed" in guest.inner_text("#lookup-status")
	assert "screen flickers" not in guest.content()
	shot(guest, "portal-track-order")
	guest.context.close()


def test_help_center_search_in_chinese_and_request_service_prefilled(browser, zhang):
	guest = new_page(browser)
	guest.goto(BASE_URL + "/help-center?q=" + urllib.request.quote("不制冷"))
	articles = guest.locator(".as-article")
	assert articles.count() == 1
	assert "Refrigerator" in articles.first.inner_text()
	guest.context.close()
	zhang.goto(BASE_URL + "/help-center")
	zhang.click(".as-article:has-text('Refrigerator')")
	zhang.wait_for_url("**/help-center/*")
	zhang.wait_for_load_state("load")
	shot(zhang, "portal-help-article")
	zhang.click("#help-no")
	zhang.wait_for_url("**/request-service?fault_code=FR-NOCOOL")
	assert "compressor runs" in zhang.input_value("#rs-symptoms")


def test_the_pages_in_chinese(browser):
	page = new_page(browser)
	log_in(page, LI_NA)
	page.wait_for_load_state("load")
	page.click(".as-lang a[data-lang='zh']")
	page.wait_for_selector(".as-lang a.active[data-lang='zh']")
	assert "我的服务工单" in page.content()
	shot(page, "portal-orders-zh", full_page=False)
	first = page.locator(".as-order").first.get_attribute("data-order")
	order_page(page, first)
	assert "进度" in page.inner_text("#order-timeline")
	shot(page, "portal-order-zh")
	page.goto(BASE_URL + "/help-center?q=" + urllib.request.quote("洗衣机"))
	assert page.locator(".as-article").count() >= 1
	shot(page, "portal-help-center-zh")
	page.goto(BASE_URL + "/request-service")
	assert "申请服务" in page.content()
	shot(page, "portal-request-service-zh")
	page.goto(BASE_URL + "/complaints")
	page.click(".as-card >> nth=0")
	page.wait_for_url("**/complaints/*")
	page.wait_for_load_state("load")
	shot(page, "portal-complaint-zh")
	# back to English for the next run
	page.click(".as-lang a[data-lang='en']")
	page.wait_for_selector(".as-lang a.active[data-lang='en']")
	page.context.close()
