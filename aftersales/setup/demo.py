"""Demo data for a service centre (idempotent: run it as often as you like).

	bench --site SITE execute aftersales.setup.demo.load

Makes a company with warehouses, serial-numbered products with warranty periods, spare parts in
stock, customers with contacts and phones, technicians and other staff (Employees linked to Users
holding the app's roles), two service points and fault codes with Help Articles. Integration
tests build on the same helpers, so what the demo shows is what the tests exercise.
"""

import frappe
from frappe.utils import add_days, add_years, getdate, nowdate

from aftersales.kpi import summary as kpi_summary
from aftersales.roles import (
	AFTER_SALES_MANAGER,
	DISPATCHER,
	QUALITY_INSPECTOR,
	SERVICE_DESK_AGENT,
	SERVICE_TECHNICIAN,
)

COMPANY = "Demo Service Centre"
ABBR = "DSC"
DEMO_PASSWORD = "aftersales-demo"

WAREHOUSES = {
	"spare_parts_warehouse": "Spare Parts",
	"used_parts_warehouse": "Used Parts",
	"returns_quarantine_warehouse": "Returns Quarantine",
	"scrap_warehouse": "Scrap",
}
SERVICE_POINT_WAREHOUSES = ("Service Point East", "Service Point West")

PRODUCTS = (
	# item_code, item_name, warranty days, serial series
	("TV-55-U8", "55-inch 4K Television U8", 365, "TV55U8-.#####"),
	("FRIDGE-BCD-450", "Refrigerator BCD-450", 1095, "BCD450-.#####"),
	("WASHER-XQG-100", "Front-load Washer XQG-100", 730, "XQG100-.#####"),
)
SPARE_PARTS = (
	# item_code, item_name, valuation rate, opening qty per warehouse
	("SP-TV-MAINBOARD", "TV Mainboard (U8 series)", 420.0, 20),
	("SP-TV-BACKLIGHT", "TV LED Backlight Strip Set", 85.0, 40),
	("SP-FRIDGE-COMPRESSOR", "Refrigerator Compressor", 380.0, 10),
	("SP-FRIDGE-DOOR-SEAL", "Refrigerator Door Seal", 35.0, 60),
	("SP-WASHER-DRAIN-PUMP", "Washer Drain Pump", 60.0, 30),
	("SP-WASHER-BEARING", "Washer Drum Bearing Kit", 48.0, 25),
)
CUSTOMERS = (
	# customer name, contact first name, phone, email
	("Zhang Wei", "Wei", "13800138001", "zhang.wei@example.com"),
	("Li Na", "Na", "13900139002", "li.na@example.com"),
	("Wang Fang Trading Co.", "Fang", "13700137003", "wang.fang@example.com"),
)
STAFF = (
	# user email, first name, last name, roles, service point index (None = no point), post
	("manager@aftersales.demo", "Chen", "Jing", [AFTER_SALES_MANAGER], None, None),
	# the service counter also takes payment: ERPNext's Accounts User makes the Sales Invoice
	("desk@aftersales.demo", "Liu", "Yang", [SERVICE_DESK_AGENT, "Accounts User"], None, None),
	("dispatcher@aftersales.demo", "Huang", "Lei", [DISPATCHER], 0, "Dispatcher"),
	("tech.east@aftersales.demo", "Zhao", "Qiang", [SERVICE_TECHNICIAN], 0, "Technician"),
	("tech.west@aftersales.demo", "Zhou", "Min", [SERVICE_TECHNICIAN], 1, "Technician"),
	("inspector@aftersales.demo", "Wu", "Hua", [QUALITY_INSPECTOR], None, None),
	("stock@aftersales.demo", "Xu", "Tao", ["Stock User", "Stock Manager"], None, None),
)
FAULT_CODES = (
	# code, name, item group, symptom, cause, solvable by phone, article title, article body
	(
		"TV-NOPIC",
		"No picture, sound works",
		"Appliances",
		"The television plays sound but the screen stays dark.",
		"Backlight strip failure or a loose backlight connector.",
		0,
		"TV: sound but no picture",
		"<p>Shine a torch at the screen: if a faint picture shows, the backlight has failed and a "
		"technician visit is needed. Otherwise check the source/input selection.</p>",
	),
	(
		"TV-NOSIGNAL",
		"No signal message",
		"Appliances",
		"The screen shows 'No signal'.",
		"Wrong input source selected or a loose HDMI cable.",
		1,
		"TV: 'No signal'",
		"<p>Press SOURCE and choose the input the set-top box uses; re-seat the HDMI cable.</p>",
	),
	(
		"FR-NOCOOL",
		"Refrigerator not cooling",
		"Appliances",
		"The compressor runs but the compartment stays warm.",
		"Refrigerant leak, failed compressor or a blocked condenser.",
		0,
		"Refrigerator: not cooling",
		"<p>Check that the thermostat is not at 0 and the vents are not blocked; otherwise book a visit.</p>",
	),
	(
		"WM-E21",
		"Washer error E21 (drain)",
		"Appliances",
		"The washer stops with error E21 and water stays in the drum.",
		"Blocked drain filter or failed drain pump.",
		1,
		"Washer: error E21",
		"<p>Open the filter cover at the front bottom, drain the water and clean the filter.</p>",
	),
)


def load() -> dict:
	"""Create or complete the demo data; returns the names of what it made."""
	company = ensure_company()
	warehouses = ensure_warehouses(company)
	item_groups = ensure_item_groups()
	price_list = ensure_price_list(company)
	configure_settings(warehouses, ensure_labour_item(), price_list)
	products = [ensure_product(*p, item_group=item_groups["products"]) for p in PRODUCTS]
	parts = [
		ensure_spare_part(code, name, rate, item_group=item_groups["parts"], price_list=price_list)
		for code, name, rate, _ in SPARE_PARTS
	]
	stock_spare_parts(company, [warehouses["spare_parts_warehouse"], *warehouses["service_points"]])
	serial_nos = [
		ensure_serial_no(product, series.replace(".#####", "00001"), company)
		for product, series in zip(products, [p[3] for p in PRODUCTS], strict=True)
	]
	customers = [ensure_customer(*c) for c in CUSTOMERS]
	employees = [ensure_staff(company, *s[:4]) for s in STAFF]
	points = ensure_service_points(company, warehouses["service_points"], employees)
	faults = [ensure_fault_code(*f) for f in FAULT_CODES]
	# two months of work orders, follow-ups and complaints for the KPI cards, charts and reports
	history = None if frappe.flags.in_test else load_kpi_history(company, customers)
	frappe.db.commit()
	# the portal's customers and their records (the integration tests make their own)
	portal = None if frappe.flags.in_test else load_portal_demo(company)
	# a warranty claim on the appliances' maker and a posted settlement of two closed jobs
	settlement = None if frappe.flags.in_test else load_settlement_demo(company)
	# appraisal templates, a training that certified the technicians, last month's appraisals (after
	# the history above, so that their KPI rows have records behind them)
	staff = None if frappe.flags.in_test else load_staff_demo(company, employees, item_groups["products"])
	# customer classes, preferences and a birthday; follow-up plans and a care message (FV-2, FV-5)
	customer_file = (
		None if frappe.flags.in_test else load_customer_file_demo(customers, item_groups["products"])
	)
	# a declined and re-assigned job, a checked-in one, a mailed-in one and a walk-in (WO-1, WO-6)
	work_orders = None if frappe.flags.in_test else load_work_order_demo(company, customers, points)
	# spare parts with warning lines (two below), suppliers with receipts and scorecards, a dead-stock
	# return, counter sales, stocktakes, help article review dates, orders waiting in the remaining states
	supply = None if frappe.flags.in_test else load_supply_demo(company)
	# the daily KPI summary of that history (its hourly job keeps it on a running site)
	kpi_days = None if frappe.flags.in_test else kpi_summary.build(companies=[company])
	return {
		"company": company,
		"products": products,
		"spare_parts": parts,
		"serial_nos": serial_nos,
		"customers": customers,
		"employees": employees,
		"service_points": points,
		"fault_codes": faults,
		"staff": staff,
		"kpi_history": history,
		"login": {"users": [s[0] for s in STAFF], "password": DEMO_PASSWORD},
		"portal": portal,
		"settlement": settlement,
		"customer_file": customer_file,
		"work_orders": work_orders,
		"supply": supply,
		"kpi_summary_days": kpi_days,
	}


def load_supply_demo(company: str) -> dict:
	"""Spare parts, suppliers, stocktakes and the knowledge base (aftersales/setup/demo_supply.py)."""
	from aftersales.setup import demo_supply

	return demo_supply.load(company)


def load_work_order_demo(company: str, customers: list[str], points: list[str]) -> dict:
	from aftersales.service.work_order import demo as work_order_demo

	result = work_order_demo.load(company, customers, points)
	frappe.db.commit()
	return result


def load_customer_file_demo(customers: list[str], product_group: str) -> dict:
	from aftersales.service import customer_demo

	return customer_demo.load(customers, product_group)


def load_settlement_demo(company: str = COMPANY) -> dict:
	"""A maker's claim and a settlement with its statements (aftersales/settlement/demo.py)."""
	from aftersales.settlement import demo as settlement_demo

	return settlement_demo.load(company)


def load_kpi_history(company: str, customers: list[str]) -> int:
	"""Two months of service history, made once (aftersales/kpi/demo.py)."""
	from aftersales.kpi import demo as kpi_demo

	return kpi_demo.load(company, customers)


def load_portal_demo(company: str = COMPANY) -> dict:
	"""Two portal customers with orders, a return and a complaint (aftersales/setup/demo_portal.py)."""
	from aftersales.setup import demo_portal

	return demo_portal.load({"company": company})


def load_staff_demo(company: str, employees: list[str], item_group: str) -> dict:
	"""Appraisal templates, a training, certifications and appraisals (aftersales/staff/demo.py)."""
	from aftersales.staff import demo as staff_demo

	technicians = [e for e, s in zip(employees, STAFF, strict=True) if s[5] == "Technician"]
	return staff_demo.load(company, employees, technicians, item_group)


def ensure_company(name: str = COMPANY, abbr: str = ABBR) -> str:
	if not frappe.is_setup_complete():
		from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

		year = getdate(nowdate()).year
		setup_complete(
			{
				"currency": "CNY",
				"full_name": "Administrator",
				"company_name": name,
				"timezone": "Asia/Shanghai",
				"company_abbr": abbr,
				"country": "China",
				"fy_start_date": f"{year}-01-01",
				"fy_end_date": f"{year}-12-31",
				"language": "English",
				"company_tagline": "After-sales demo",
				"email": "admin@aftersales.demo",
				"password": "admin",
				"chart_of_accounts": "Standard",
			}
		)
	if not frappe.db.exists("Company", name):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": name,
				"abbr": abbr,
				"default_currency": "CNY",
				"country": "China",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
	return name


def ensure_warehouse(company: str, warehouse_name: str) -> str:
	abbr = frappe.get_cached_value("Company", company, "abbr")
	name = f"{warehouse_name} - {abbr}"
	if not frappe.db.exists("Warehouse", name):
		parent = frappe.db.get_value("Warehouse", {"company": company, "is_group": 1, "parent_warehouse": ""})
		frappe.get_doc(
			{
				"doctype": "Warehouse",
				"warehouse_name": warehouse_name,
				"company": company,
				"parent_warehouse": parent,
			}
		).insert(ignore_permissions=True)
	return name


def ensure_warehouses(company: str) -> dict:
	warehouses = {field: ensure_warehouse(company, name) for field, name in WAREHOUSES.items()}
	warehouses["service_points"] = [ensure_warehouse(company, name) for name in SERVICE_POINT_WAREHOUSES]
	return warehouses


def configure_settings(warehouses: dict, labour_item: str, price_list: str) -> None:
	settings = frappe.get_single("After-Sales Settings")
	changed = not (settings.labour_item and settings.price_list)
	settings.labour_item = settings.labour_item or labour_item
	settings.price_list = settings.price_list or price_list
	for fieldname in WAREHOUSES:
		if not settings.get(fieldname):
			settings.set(fieldname, warehouses[fieldname])
			changed = True
	if changed:
		settings.save(ignore_permissions=True)


def ensure_labour_item(item_code: str = "SVC-LABOUR") -> str:
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": "Service Labour (hour)",
				"item_group": ensure_item_group("Services"),
				"stock_uom": "Hour" if frappe.db.exists("UOM", "Hour") else "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return item_code


def ensure_item_group(name: str) -> str:
	if not frappe.db.exists("Item Group", name):
		frappe.get_doc(
			{"doctype": "Item Group", "item_group_name": name, "parent_item_group": "All Item Groups"}
		).insert(ignore_permissions=True)
	return name


def ensure_item_groups() -> dict:
	return {"products": ensure_item_group("Appliances"), "parts": ensure_item_group("Spare Parts")}


def ensure_product(item_code: str, item_name: str, warranty_days: int, series: str, item_group: str) -> str:
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_name,
				"item_group": item_group,
				"stock_uom": "Nos",
				"is_stock_item": 1,
				"has_serial_no": 1,
				"serial_no_series": series,
				"warranty_period": str(warranty_days),
				"standard_rate": 0,
			}
		).insert(ignore_permissions=True)
	return item_code


def ensure_price_list(company: str, name: str = "After-Sales Parts") -> str:
	if not frappe.db.exists("Price List", name):
		frappe.get_doc(
			{
				"doctype": "Price List",
				"price_list_name": name,
				"currency": frappe.get_cached_value("Company", company, "default_currency"),
				"selling": 1,
				"enabled": 1,
			}
		).insert(ignore_permissions=True)
	return name


def ensure_spare_part(
	item_code: str, item_name: str, valuation_rate: float, item_group: str, price_list: str
) -> str:
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_name,
				"item_group": item_group,
				"stock_uom": "Nos",
				"is_stock_item": 1,
				"valuation_rate": valuation_rate,
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Item Price", {"item_code": item_code, "price_list": price_list}):
		frappe.get_doc(
			{
				"doctype": "Item Price",
				"item_code": item_code,
				"price_list": price_list,
				"price_list_rate": round(valuation_rate * 1.4, 2),
			}
		).insert(ignore_permissions=True)
	return item_code


def stock_spare_parts(company: str, warehouses: list[str]) -> str | None:
	"""One Material Receipt with the opening stock of every part in every warehouse that has none."""
	rows = []
	for item_code, _name, rate, qty in SPARE_PARTS:
		for warehouse in warehouses:
			if not frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "actual_qty"):
				rows.append(
					{"item_code": item_code, "t_warehouse": warehouse, "qty": qty, "basic_rate": rate}
				)
	if not rows:
		return None
	entry = frappe.get_doc(
		{"doctype": "Stock Entry", "stock_entry_type": "Material Receipt", "company": company, "items": rows}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()
	return entry.name


def ensure_serial_no(item_code: str, serial_no: str, company: str, purchase_date: str | None = None) -> str:
	if not frappe.db.exists("Serial No", serial_no):
		purchase_date = purchase_date or add_days(nowdate(), -100)
		warranty_days = int(frappe.db.get_value("Item", item_code, "warranty_period") or 0)
		frappe.get_doc(
			{
				"doctype": "Serial No",
				"serial_no": serial_no,
				"item_code": item_code,
				"company": company,
				"warranty_period": warranty_days,
				"warranty_expiry_date": add_days(purchase_date, warranty_days),
			}
		).insert(ignore_permissions=True)
	return serial_no


def ensure_customer(customer_name: str, first_name: str, phone: str, email: str) -> str:
	name = frappe.db.get_value("Customer", {"customer_name": customer_name})
	if not name:
		customer = frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": customer_name,
				"customer_type": "Company" if "Co." in customer_name else "Individual",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0})
				or "All Customer Groups",
				"territory": frappe.db.get_value("Territory", {"is_group": 0}) or "All Territories",
				# ERPNext makes the primary Contact from these two: with the email on it the customer's
				# work orders take it, and their notifications reach the customer (WO-7)
				"mobile_no": phone,
				"email_id": email,
			}
		).insert(ignore_permissions=True)
		name = customer.name
	ensure_primary_contact_email(name, email)
	if not frappe.db.exists("Contact Phone", {"phone": phone}):
		contact = frappe.get_doc(
			{"doctype": "Contact", "first_name": first_name, "last_name": customer_name.split()[0]}
		)
		contact.add_phone(phone, is_primary_mobile_no=1, is_primary_phone=1)
		contact.add_email(email, is_primary=1)
		contact.append("links", {"link_doctype": "Customer", "link_name": name})
		contact.insert(ignore_permissions=True)
	return name


def ensure_primary_contact_email(customer: str, email: str) -> None:
	"""Sites made before the demo passed the email on: ERPNext's primary Contact had the mobile only."""
	contact = frappe.db.get_value("Customer", customer, "customer_primary_contact")
	if not contact or frappe.db.exists("Contact Email", {"parent": contact, "email_id": email}):
		return
	doc = frappe.get_doc("Contact", contact)
	doc.add_email(email, is_primary=not doc.email_id)
	doc.save(ignore_permissions=True)


def ensure_user(email: str, first_name: str, last_name: str, roles: list[str]) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"last_name": last_name,
				"send_welcome_email": 0,
				"new_password": DEMO_PASSWORD,
			}
		)
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	missing = [role for role in roles if role not in {r.role for r in user.roles}]
	if missing:
		user.add_roles(*missing)
	return email


def ensure_employee(company: str, first_name: str, last_name: str, user: str | None = None) -> str:
	filters = (
		{"user_id": user} if user else {"first_name": first_name, "last_name": last_name, "company": company}
	)
	name = frappe.db.get_value("Employee", filters)
	if not name:
		name = (
			frappe.get_doc(
				{
					"doctype": "Employee",
					"first_name": first_name,
					"last_name": last_name,
					"company": company,
					"gender": "Male" if frappe.db.exists("Gender", "Male") else None,
					"date_of_birth": add_years(nowdate(), -30),
					"date_of_joining": add_years(nowdate(), -2),
					"status": "Active",
					"user_id": user,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	return name


def ensure_staff(company: str, email: str, first_name: str, last_name: str, roles: list[str]) -> str:
	user = ensure_user(email, first_name, last_name, roles)
	return ensure_employee(company, first_name, last_name, user)


def ensure_service_point(
	company: str, name: str, warehouse: str, manager: str | None, members: list[tuple[str, str]]
) -> str:
	if not frappe.db.exists("Service Point", name):
		point = frappe.get_doc(
			{
				"doctype": "Service Point",
				"service_point_name": name,
				"company": company,
				"warehouse": warehouse,
				"manager": manager,
				"territory": frappe.db.get_value("Territory", {"is_group": 0}),
			}
		)
		for employee, post in members:
			point.append("members", {"employee": employee, "post": post})
		point.insert(ignore_permissions=True)
	return name


def ensure_service_points(company: str, warehouses: list[str], employees: list[str]) -> list[str]:
	manager = employees[0]
	points = []
	for index, warehouse in enumerate(warehouses):
		members = [
			(employee, staff[5])
			for employee, staff in zip(employees, STAFF, strict=True)
			if staff[4] == index
		]
		points.append(
			ensure_service_point(company, SERVICE_POINT_WAREHOUSES[index], warehouse, manager, members)
		)
	return points


def ensure_help_article(title: str, content: str) -> str:
	name = frappe.db.get_value("Help Article", {"title": title})
	if name:
		return name
	category = frappe.db.get_value("Help Category", {"category_name": "Troubleshooting"})
	if not category:
		category = (
			frappe.get_doc({"doctype": "Help Category", "category_name": "Troubleshooting"})
			.insert(ignore_permissions=True)
			.name
		)
	return (
		frappe.get_doc(
			{
				"doctype": "Help Article",
				"title": title,
				"category": category,
				"content": content,
				"published": 1,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def ensure_fault_code(
	code: str,
	fault_name: str,
	item_group: str,
	symptom: str,
	cause: str,
	solvable_by_phone: int,
	article_title: str,
	article_content: str,
) -> str:
	if not frappe.db.exists("Fault Code", code):
		frappe.get_doc(
			{
				"doctype": "Fault Code",
				"fault_code": code,
				"fault_name": fault_name,
				"item_group": item_group,
				"symptom": symptom,
				"typical_cause": cause,
				"solvable_by_phone": solvable_by_phone,
				"help_article": ensure_help_article(article_title, article_content),
			}
		).insert(ignore_permissions=True)
	return code
