"""Demo data of the customer portal (issue 14), loaded by aftersales.setup.demo.load outside tests
(the integration tests build their own records): two portal customers who can log in, what they
bought, their service orders in several states, a return and a complaint. Idempotent: each record
is found again by its customer and a fixed text before anything is made.

	Zhang Wei  zhang.wei@example.com / aftersales-demo
		TV bought 60 days ago; a repair waiting for his consent to a scope change; a maintenance
		delivered and waiting for his survey; door seals bought two days ago, one being returned.
	Li Na      li.na@example.com / aftersales-demo
		Fridge and washer bought 200 days ago; a fridge repair with an appointment booked; an old
		washer's paid repair closed (with its invoice); a new request from the portal; a complaint
		with a proposal waiting for her answer.

The staff steps are made as the demo staff, each through the order's own rules.
"""

from contextlib import contextmanager

import frappe
from frappe.utils import add_days, add_to_date, now_datetime, nowdate

from aftersales.portal.accounts import link_user

PASSWORD = "aftersales-demo"
PORTAL_CUSTOMERS = (
	# customer, login, first name, last name
	("Zhang Wei", "zhang.wei@example.com", "Wei", "Zhang"),
	("Li Na", "li.na@example.com", "Na", "Li"),
)
STORES = "Stores"
DESK = "desk@aftersales.demo"
DISPATCHER = "dispatcher@aftersales.demo"
TECH_EAST = "tech.east@aftersales.demo"
INSPECTOR = "inspector@aftersales.demo"
MANAGER = "manager@aftersales.demo"
SIGNATURE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
# Chinese for the demo's Help Articles (KB-1: customers search in Chinese)
ARTICLES_ZH = {
	"TV: sound but no picture": (
		"电视：有声音无图像",
		"用手电筒照射屏幕：如果能隐约看到画面，说明背光灯条损坏，需要技师上门维修；否则请检查信号源/输入选择。",
	),
	"TV: 'No signal'": (
		"电视：显示“无信号”",
		"按遥控器上的 SOURCE（信号源）键，选择机顶盒所用的输入口；重新插紧 HDMI 线。",
	),
	"Refrigerator: not cooling": (
		"冰箱：不制冷",
		"检查温控器是否调到 0 档、出风口是否被堵住；如仍不制冷，请预约上门维修。",
	),
	"Washer: error E21": (
		"洗衣机：E21 故障（排水）",
		"打开机器正面下方的过滤器盖，放掉积水并清洗排水过滤器。",
	),
}


@contextmanager
def as_user(user: str):
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


def load(data: dict) -> dict:
	company = data["company"]
	users = [ensure_portal_user(*c) for c in PORTAL_CUSTOMERS]
	add_chinese_to_articles()
	zhang, li_na = (c[0] for c in PORTAL_CUSTOMERS)
	tv_note = ensure_sale(company, zhang, "PORTAL-DEMO-TV", -60, [("TV-55-U8", "TV55U8-10001", 3999)])
	seal_note = ensure_sale(
		company, zhang, "PORTAL-DEMO-SEALS", -2, [("SP-FRIDGE-DOOR-SEAL", None, 49)], qty=2
	)
	home_note = ensure_sale(
		company,
		li_na,
		"PORTAL-DEMO-HOME",
		-200,
		[("FRIDGE-BCD-450", "BCD450-10001", 2999), ("WASHER-XQG-100", "XQG100-10001", 2599)],
	)
	orders = {
		"awaiting_consent": ensure_order(
			company,
			zhang,
			tv_note,
			"TV-55-U8",
			"TV55U8-10001",
			"The picture goes dark after ten minutes",
			walk_to_consent,
		),
		"delivered": ensure_order(
			company,
			zhang,
			tv_note,
			"TV-55-U8",
			"TV55U8-10001",
			"Yearly check of the TV and its wall mount",
			walk_to_delivery,
			order_type="Maintenance",
		),
		"appointment": ensure_order(
			company,
			li_na,
			home_note,
			"FRIDGE-BCD-450",
			"BCD450-10001",
			"The fridge is not cooling",
			walk_to_appointment,
		),
		"closed": ensure_old_washer_order(company, li_na),
		"new": ensure_order(
			company,
			li_na,
			home_note,
			"WASHER-XQG-100",
			"XQG100-10001",
			"The washer stops with error E21",
			None,
		),
	}
	return_request = ensure_return(company, zhang, seal_note)
	complaint = ensure_complaint(li_na, orders["closed"])
	frappe.db.commit()
	return {
		"portal_users": users,
		"password": PASSWORD,
		"orders": orders,
		"return_request": return_request,
		"complaint": complaint,
	}


# ------------------------------------------------------------------------------------ accounts


def ensure_portal_user(customer: str, email: str, first_name: str, last_name: str) -> str:
	contact = frappe.db.get_value("Customer", customer, "customer_primary_contact")
	if contact and not frappe.db.get_value("Contact", contact, "email_id"):
		doc = frappe.get_doc("Contact", contact)
		doc.add_email(email, is_primary=1)
		doc.save(ignore_permissions=True)
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"last_name": last_name,
				"user_type": "Website User",
				"send_welcome_email": 0,
				"new_password": PASSWORD,
			}
		).insert(ignore_permissions=True)
	link_user(email, customer, contact)
	return email


def add_chinese_to_articles() -> None:
	for title, (zh_title, zh_body) in ARTICLES_ZH.items():
		name = frappe.db.get_value("Help Article", {"title": title})
		if not name:
			continue
		content = frappe.db.get_value("Help Article", name, "content") or ""
		if 'lang="zh"' in content:
			continue
		block = f'<div lang="zh"><h4>{zh_title}</h4><p>{zh_body}</p></div>'
		frappe.db.set_value("Help Article", name, "content", block + content, update_modified=False)


# ------------------------------------------------------------------------------------ sales


def ensure_stores(company: str) -> str:
	from aftersales.setup.demo import ensure_warehouse

	return ensure_warehouse(company, STORES)


def ensure_sale(company: str, customer: str, marker: str, days: int, lines: list, qty: float = 1) -> str:
	"""A submitted Delivery Note (and its Sales Invoice) of `lines` (item, serial no, rate) to
	`customer`, `days` from today, shipped from the Stores warehouse, where the goods are received
	a few days before (the demo's opening stock is dated today)."""
	existing = frappe.db.get_value("Delivery Note", {"po_no": marker, "docstatus": 1, "customer": customer})
	if existing:
		return existing
	from aftersales.setup.demo import ensure_serial_no

	stores = ensure_stores(company)
	posting_date = add_days(nowdate(), days)
	for item, serial, _rate in lines:
		if serial:
			ensure_serial_no(item, serial, company, posting_date)
	to_receive = [
		(item, serial, rate)
		for item, serial, rate in lines
		if not (serial and frappe.db.get_value("Serial No", serial, "warehouse"))
	]
	if to_receive:
		receipt = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Receipt",
				"company": company,
				"set_posting_time": 1,
				"posting_date": add_days(posting_date, -5),
				"items": [
					{
						"item_code": item,
						"qty": 1 if serial else qty,
						"t_warehouse": stores,
						"basic_rate": round(rate * 0.7, 2),
						"serial_no": serial,
						"use_serial_batch_fields": 1 if serial else 0,
					}
					for item, serial, rate in to_receive
				],
			}
		)
		receipt.insert(ignore_permissions=True)
		receipt.submit()
	note = frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"customer": customer,
			"company": company,
			"po_no": marker,
			"set_posting_time": 1,
			"posting_date": posting_date,
			"currency": frappe.get_cached_value("Company", company, "default_currency"),
			"selling_price_list": frappe.db.get_single_value("After-Sales Settings", "price_list"),
			"items": [
				{
					"item_code": item,
					"qty": 1 if serial else qty,
					"rate": rate,
					"warehouse": stores,
					"serial_no": serial,
					"use_serial_batch_fields": 1 if serial else 0,
				}
				for item, serial, rate in lines
			],
		}
	)
	note.insert(ignore_permissions=True)
	note.submit()
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	invoice = make_sales_invoice(note.name)
	invoice.set_posting_time, invoice.posting_date = 1, note.posting_date
	invoice.insert(ignore_permissions=True)
	invoice.submit()
	return note.name


# ------------------------------------------------------------------------------------ orders


def ensure_order(company, customer, note, item_code, serial_no, symptoms, walk, order_type="Repair") -> str:
	name = frappe.db.get_value("Service Work Order", {"customer": customer, "symptoms": symptoms})
	if name:
		return name
	posting_date = frappe.db.get_value("Delivery Note", note, "posting_date")
	with as_user(DESK):
		order = frappe.get_doc(
			{
				"doctype": "Service Work Order",
				"company": company,
				"order_type": order_type,
				"channel": "Web Portal",
				"received_on": add_to_date(now_datetime(), days=-3),
				"customer": customer,
				"item_code": item_code,
				"serial_no": serial_no,
				"sales_document_type": "Delivery Note",
				"sales_document": note,
				"purchase_date": posting_date,
				"symptoms": symptoms,
				"address_display": "88 Renmin Road, Shanghai",
				"preferred_time": "Weekday evenings after 6 pm",
			}
		).insert()
	if walk:
		walk(order)
	return order.name


def move(name: str, status: str, user: str, **fields):
	with as_user(user):
		doc = frappe.get_doc("Service Work Order", name)
		doc.update(fields)
		doc.status = status
		doc.save()
	return doc


def walk_to_appointment(order) -> None:
	points = frappe.get_all("Service Point", pluck="name", order_by="creation", limit=1)
	technician = frappe.db.get_value("Employee", {"user_id": TECH_EAST})
	move(order.name, "Accepted", DISPATCHER, service_point=points[0])
	move(order.name, "Assigned", DISPATCHER, technician=technician)
	with as_user(TECH_EAST):  # the technician accepts before booking (WO-6)
		frappe.get_doc("Service Work Order", order.name).accept_assignment()
	start = add_to_date(now_datetime(), days=1, hours=2)
	move(
		order.name,
		"Appointment Booked",
		TECH_EAST,
		appointment_start=start,
		appointment_end=add_to_date(start, hours=2),
	)


def start_work(order, hours: float = 1) -> None:
	walk_to_appointment(order)
	move(order.name, "In Progress", TECH_EAST)
	with as_user(TECH_EAST):
		doc = frappe.get_doc("Service Work Order", order.name)
		doc.update(
			{
				"diagnosis": "Backlight strip worn; the mount needs new screws",
				"estimated_cost": 0,
				"estimated_hours": hours,
				"customer_confirmed": 1,
				"confirmed_by": doc.customer_name,
				"confirmed_on": now_datetime(),
				"confirmation_method": "Phone",
			}
		)
		doc.save()


def walk_to_consent(order) -> None:
	start_work(order)
	with as_user(TECH_EAST):
		doc = frappe.get_doc("Service Work Order", order.name)
		doc.append("parts", {"item_code": "SP-TV-BACKLIGHT", "qty": 1})
		doc.save()
	move(order.name, "Awaiting Customer Consent", TECH_EAST, estimated_hours=2)


def finish(name: str, labour_hours: float = 1) -> None:
	with as_user(TECH_EAST):
		doc = frappe.get_doc("Service Work Order", name)
		doc.work_summary = "Checked the set and tightened the wall mount"
		doc.labour_hours = labour_hours
		for row in doc.self_checks:
			row.done = 1
		doc.status = "Quality Check"
		doc.save()
	move(name, "Ready for Delivery", INSPECTOR, qc_result="Pass", qc_type="Spot Check")


def deliver(name: str) -> None:
	move(
		name,
		"Delivered",
		DESK,
		delivery_explanation="Everything works; the mount is safe.",
		customer_signature=SIGNATURE,
		signed_by=frappe.db.get_value("Service Work Order", name, "customer_name"),
	)


def walk_to_delivery(order) -> None:
	start_work(order)
	finish(order.name)
	deliver(order.name)


def ensure_old_washer_order(company: str, customer: str) -> str:
	"""Out of warranty (bought three years ago, no serial number): labour is charged, invoiced and
	paid, and the satisfied follow-up closes the order."""
	symptoms = "The old washer is loud when it spins"
	name = frappe.db.get_value("Service Work Order", {"customer": customer, "symptoms": symptoms})
	if name:
		return name
	with as_user(DESK):
		order = frappe.get_doc(
			{
				"doctype": "Service Work Order",
				"company": company,
				"order_type": "Repair",
				"channel": "Phone",
				"received_on": add_to_date(now_datetime(), days=-12),
				"customer": customer,
				"item_code": "WASHER-XQG-100",
				"purchase_date": add_days(nowdate(), -1100),
				"symptoms": symptoms,
				"address_display": "8 Huaihai Road, Shanghai",
			}
		).insert()
	walk_to_appointment(order)
	move(order.name, "In Progress", TECH_EAST)
	with as_user(TECH_EAST):
		doc = frappe.get_doc("Service Work Order", order.name)
		doc.update(
			{
				"diagnosis": "Drum bearing needs grease; no part needed",
				"estimated_cost": 160,
				"estimated_hours": 2,
				"customer_confirmed": 1,
				"confirmed_by": doc.customer_name,
				"confirmed_on": now_datetime(),
				"confirmation_method": "Phone",
			}
		)
		doc.save()
	finish(order.name, labour_hours=1.5)
	with as_user(DESK):
		from aftersales.service.doctype.service_work_order.service_work_order import make_sales_invoice

		invoice = make_sales_invoice(order.name)
		invoice.insert()
		invoice.submit()
	deliver(order.name)
	with as_user(DESK):
		follow_up = frappe.get_doc(
			"Service Follow-up", frappe.db.get_value("Service Work Order", order.name, "follow_up")
		)
		follow_up.update({"outcome": "Satisfied", "repair_quality": 1, "attitude": 0.8, "duration": 0.8})
		follow_up.submit()
	return order.name


# ------------------------------------------------------------------------------------ return, complaint


def ensure_return(company: str, customer: str, note: str) -> str:
	description = "The door seals are for another fridge model: they do not fit the BCD-450."
	name = frappe.db.get_value("Return Request", {"customer": customer, "description": description})
	if name:
		return name
	row = frappe.db.get_value("Delivery Note Item", {"parent": note}, "name")
	values = {
		"doctype": "Return Request",
		"company": company,
		"customer": customer,
		"kind": "Exchange",
		"ground": "Wrong Specification",
		"sales_document_type": "Delivery Note",
		"sales_document": note,
		"description": description,
		"items": [{"item_code": "SP-FRIDGE-DOOR-SEAL", "qty": 1, "source_row": row}],
	}
	user = DESK
	from aftersales.returns.doctype.return_request.return_request import ReturnWindowError

	try:
		with as_user(user):
			request = frappe.get_doc(values).insert()
	except ReturnWindowError:
		# an older demo site: the sale is past the window by now; the manager accepts it late
		frappe.clear_last_message()
		user = MANAGER
		with as_user(user):
			request = frappe.get_doc(
				{**values, "late_override": 1, "override_reason": "Demo data: accepted late"}
			).insert()
	with as_user(user):
		request.status = "Submitted"
		request.save()
	return request.name


def ensure_complaint(customer: str, order: str) -> str:
	subject = "The technician came an hour late"
	name = frappe.db.get_value("Customer Complaint", {"customer": customer, "subject": subject})
	if name:
		return name
	department = frappe.db.get_value("Department", {"is_group": 0}) or (
		frappe.get_doc({"doctype": "Department", "department_name": "After-Sales Service"})
		.insert(ignore_permissions=True)
		.name
	)
	with as_user(DESK):
		complaint = frappe.get_doc(
			{
				"doctype": "Customer Complaint",
				"subject": subject,
				"channel": "Online",
				"category": "Service Attitude",
				"severity": "Normal",
				"customer": customer,
				"complainant": "Li Na",
				"service_work_order": order,
				"description": "Nobody told me the technician would be late; I waited at home for an hour.",
			}
		).insert()
		complaint.update({"owner_user": DESK, "department": department, "status": "Investigating"})
		complaint.save()
		complaint.update(
			{
				"root_cause": "The dispatcher did not update the appointment after a traffic delay.",
				"proposal": "We apologise: your next maintenance visit is free, and the technician will call you if he is late.",
				"status": "Solution Proposed",
			}
		)
		complaint.append(
			"measures",
			{
				"measure": "Free maintenance visit for Li Na",
				"owner_user": DESK,
				"due_date": add_days(nowdate(), 30),
			},
		)
		complaint.save()
	return complaint.name
