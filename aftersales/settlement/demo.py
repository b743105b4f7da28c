"""Demo data of the settlement (issue 13), loaded by aftersales.setup.demo.load outside tests (the
integration tests build their own company): the demo company's settlement accounts, the maker who
pays the warranty work of the demo's appliances with its agreed prices, two jobs closed at Service
Point East by the technician Zhao Qiang, a submitted warranty claim on the maker (one invoice) and
a posted settlement (one Journal Entry, a statement per person). Idempotent: nothing is made when
the demo's claim batch exists.

	TV-55-U8 in warranty      backlight strip, 1.5 h   claim: parts at the maker's price + 1.5 h x 60
	WASHER-XQG-100 out of it  drain pump, 1 h          invoiced to Wang Fang Trading Co.
"""

import frappe
from frappe.utils import add_days, add_to_date, get_first_day, now_datetime, nowdate

from aftersales.domain import settlement_flow
from aftersales.domain import work_order_flow as flow
from aftersales.kpi.sample import accept_as_technician

MAKER = "Demo Appliance Maker Co."
PRICE_LIST = "Demo Maker Prices"
CLAIM_ITEM = "SVC-WARRANTY-CLAIM"
CUSTOMER = "Wang Fang Trading Co."
POINT = "Service Point East"
TECHNICIAN_USER = "tech.east@aftersales.demo"
SIGNATURE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
JOBS = (
	# product, serial (in warranty) or None, part, hours
	("TV-55-U8", "TV55U8-00001", "SP-TV-BACKLIGHT", 1.5),
	("WASHER-XQG-100", None, "SP-WASHER-DRAIN-PUMP", 1.0),
)


def load(company: str) -> dict:
	batch = frappe.db.get_value("Warranty Claim Batch", {"company": company, "maker": MAKER, "docstatus": 1})
	if batch:
		return {"claim_batch": batch}
	abbr = frappe.get_cached_value("Company", company, "abbr")
	expense = ensure_account(company, abbr, "Service Fees", "Direct Expenses", "Expense")
	payable = ensure_account(
		company, abbr, "Engineer Fees Payable", "Accounts Payable", "Liability", "Payable"
	)
	ensure_settlement_accounts(company, expense, payable)
	ensure_maker()
	technician = frappe.db.get_value("Employee", {"user_id": TECHNICIAN_USER})
	orders = [closed_order(company, technician, *job) for job in JOBS]
	batch = frappe.get_doc(
		{
			"doctype": "Warranty Claim Batch",
			"maker": MAKER,
			"company": company,
			"from_date": get_first_day(nowdate()),
			"to_date": nowdate(),
		}
	).insert(ignore_permissions=True)
	batch.submit()
	settlement = frappe.get_doc(
		{
			"doctype": "Service Settlement",
			"company": company,
			"service_point": POINT,
			"from_date": get_first_day(nowdate()),
			"to_date": nowdate(),
		}
	).insert(ignore_permissions=True)
	for state in (settlement_flow.CHECKED, settlement_flow.APPROVED):
		settlement.status = state
		settlement.save(ignore_permissions=True)
	settlement.submit()
	frappe.db.commit()
	return {"orders": orders, "claim_batch": batch.name, "settlement": settlement.name}


def ensure_account(company, abbr, name, parent, root_type, account_type="") -> str:
	full = f"{name} - {abbr}"
	if not frappe.db.exists("Account", full):
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": name,
				"company": company,
				"parent_account": f"{parent} - {abbr}",
				"root_type": root_type,
				"account_type": account_type,
			}
		).insert(ignore_permissions=True)
	return full


def ensure_settlement_accounts(company, expense, payable) -> None:
	settings = frappe.get_single("After-Sales Settings")
	if not any(row.company == company for row in settings.settlement_accounts):
		settings.append(
			"settlement_accounts",
			{"company": company, "expense_account": expense, "payable_account": payable},
		)
		settings.save(ignore_permissions=True)


def ensure_maker() -> None:
	"""The maker pays the warranty work of every appliance (the item group names it), at prices
	agreed for the spare parts (the valuation plus 20%) and 60 an hour."""
	if not frappe.db.exists("Item", CLAIM_ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": CLAIM_ITEM,
				"item_name": "Warranty service claim",
				"item_group": "Services",
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Price List", PRICE_LIST):
		frappe.get_doc(
			{"doctype": "Price List", "price_list_name": PRICE_LIST, "currency": "CNY", "selling": 1}
		).insert(ignore_permissions=True)
	for item_code, rate in frappe.get_all(
		"Item", {"item_group": "Spare Parts"}, ["name", "valuation_rate"], as_list=True
	):
		if not frappe.db.exists("Item Price", {"item_code": item_code, "price_list": PRICE_LIST}):
			frappe.get_doc(
				{
					"doctype": "Item Price",
					"item_code": item_code,
					"price_list": PRICE_LIST,
					"price_list_rate": round((rate or 0) * 1.2, 2),
				}
			).insert(ignore_permissions=True)
	if not frappe.db.exists("Customer", MAKER):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": MAKER,
				"customer_type": "Company",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}),
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Warranty Maker", MAKER):
		frappe.get_doc(
			{
				"doctype": "Warranty Maker",
				"customer": MAKER,
				"labour_rate": 60,
				"price_list": PRICE_LIST,
				"claim_item": CLAIM_ITEM,
				"terms": "Claims monthly; parts at the agreed price list, labour at 60 an hour.",
			}
		).insert(ignore_permissions=True)
	frappe.db.set_value("Item Group", "Appliances", "warranty_maker", MAKER)


def closed_order(company, technician, product, serial, part, hours) -> str:
	"""A job from intake to Closed through the order's own rules (as Administrator)."""
	order = frappe.get_doc(
		{
			"doctype": "Service Work Order",
			"company": company,
			"order_type": "Repair",
			"channel": "Phone",
			"customer": CUSTOMER,
			"phone": "13700137003",
			"item_code": product,
			"serial_no": serial,
			"purchase_date": add_days(nowdate(), -100 if serial else -900),
			"fault_code": "TV-NOPIC" if product.startswith("TV") else "WM-E21",
			"symptoms": "Demo job for the settlement",
		}
	).insert(ignore_permissions=True)
	name = order.name
	start = add_to_date(now_datetime(), hours=-6)
	steps = (
		(flow.ACCEPTED, {"service_point": POINT}),
		(flow.ASSIGNED, {"technician": technician}),
		(
			flow.APPOINTMENT_BOOKED,
			{"appointment_start": start, "appointment_end": add_to_date(start, hours=2)},
		),
		(
			flow.IN_PROGRESS,
			{
				"diagnosis": "Replace the failed part",
				"estimated_cost": 1000,
				"estimated_hours": hours,
				"customer_confirmed": 1,
				"confirmed_by": CUSTOMER,
				"confirmed_on": now_datetime(),
				"confirmation_method": "Phone",
			},
		),
	)
	for status, values in steps:
		doc = frappe.get_doc("Service Work Order", name)
		doc.update(values)
		if status == flow.IN_PROGRESS:
			doc.append("parts", {"item_code": part, "qty": 1})
		doc.status = status
		doc.save(ignore_permissions=True)
		if status == flow.ASSIGNED:
			accept_as_technician(name)  # the technician accepts before booking (WO-6)
	frappe.get_doc("Service Work Order", name).approve_parts()
	frappe.get_doc("Service Work Order", name).issue_parts()
	doc = frappe.get_doc("Service Work Order", name)
	doc.update({"work_summary": "Part replaced, tested", "labour_hours": hours, "status": flow.QUALITY_CHECK})
	for row in doc.self_checks:
		row.done = 1
	doc.save(ignore_permissions=True)
	advance(name, flow.READY_FOR_DELIVERY, qc_result="Pass", qc_type="Spot Check")
	if not serial:
		from aftersales.service.doctype.service_work_order.service_work_order import make_sales_invoice

		invoice = make_sales_invoice(name)
		invoice.insert(ignore_permissions=True)
		invoice.submit()
	advance(
		name,
		flow.DELIVERED,
		delivery_explanation="Part replaced and tested with the customer",
		customer_signature=SIGNATURE,
		signed_by="Wang Fang",
	)
	advance(name, flow.CLOSED, close_reason="Demo: closed for the settlement demo")
	return name


def advance(name, status, **values):
	doc = frappe.get_doc("Service Work Order", name)
	doc.update(values)
	doc.status = status
	doc.save(ignore_permissions=True)
