"""Factories for the settlement tests: a company of their own (the CI site is shared and keeps
committed data), with its accounts, service points with engineers and a manager, makers with their
agreed prices, parts in stock at exact valuation rates, and closed Service Work Orders walked
through their whole lifecycle as Administrator (who holds every role).

The fixed records are made once per site and committed (idempotent). Each test works in a scope
of its own (`new_scope`): a service point, a product and the maker who pays its warranty work, all
new, so orders that other tests left behind (committed tests leave theirs) never reach its
figures."""

import threading

import frappe
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, add_to_date, flt, now_datetime, nowdate

from aftersales.domain import work_order_flow as flow
from aftersales.kpi.sample import accept_as_technician
from aftersales.roles import AFTER_SALES_MANAGER, SERVICE_TECHNICIAN
from aftersales.setup import demo as setup
from aftersales.tests.work_orders import SIGNATURE

COMPANY = "Settlement Test Company"
ABBR = "STC"
PRODUCT_GROUP = "Settlement Test Products"
PART_A, PART_B = "STC-PART-A", "STC-PART-B"
CLAIM_ITEM = "STC-WARRANTY-CLAIM"
END_CUSTOMER = "Settlement Test Customer"
PRICE_LIST = "Settlement Test Maker Prices"
FAULT = "STC-NOPIC"
EXPENSE = f"Service Fees - {ABBR}"
PAYABLE = f"Engineer Fees Payable - {ABBR}"

# item_code -> (valuation rate, customer's price out of warranty, maker's agreed price)
PARTS = {PART_A: (40.0, 65.0, 52.35), PART_B: (25.5, 39.9, 30.0)}
MAKER_LABOUR_RATE = 60.0
LABOUR_RATE, LABOUR_COST_RATE = 80.0, 50.0  # the settings' rates the figures are computed with
ENGINEER_1 = ("eng.one@settle.test", "Yi", "Gong")
ENGINEER_2 = ("eng.two@settle.test", "Er", "Gong")
ENGINEER_3 = ("eng.three@settle.test", "San", "Gong")
MANAGER = ("mgr@settle.test", "Jing", "Li")
# desk users without an Employee (so no company restriction): the accountant and the approver
ACCOUNTANT = "accounts@settle.test"
APPROVER = "asm@settle.test"


def ensure_account(name: str, parent: str, root_type: str, account_type: str = "") -> str:
	full = f"{name} - {ABBR}"
	if not frappe.db.exists("Account", full):
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": name,
				"company": COMPANY,
				"parent_account": f"{parent} - {ABBR}",
				"root_type": root_type,
				"account_type": account_type,
				"is_group": 0,
			}
		).insert(ignore_permissions=True)
	return full


def ensure_item(item_code: str, item_group: str, **values) -> str:
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_code,
				"item_group": item_group,
				"stock_uom": "Nos",
				**values,
			}
		).insert(ignore_permissions=True)
	return item_code


def ensure_customer(name: str) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}),
			}
		).insert(ignore_permissions=True)
	return name


def ensure_prices() -> None:
	"""The maker's agreed prices (ERPNext's before_tests deletes every Item Price on each run)."""
	for item_code, (_valuation, _price, agreed) in PARTS.items():
		if not frappe.db.exists("Item Price", {"item_code": item_code, "price_list": PRICE_LIST}):
			frappe.get_doc(
				{
					"doctype": "Item Price",
					"item_code": item_code,
					"price_list": PRICE_LIST,
					"price_list_rate": agreed,
				}
			).insert(ignore_permissions=True)


def ensure_stock(warehouse: str, qty: float = 30) -> None:
	rows = [
		{"item_code": item_code, "t_warehouse": warehouse, "qty": qty, "basic_rate": valuation}
		for item_code, (valuation, _p, _a) in PARTS.items()
		if flt(frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "actual_qty"))
		< qty / 2
	]
	if rows:
		entry = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Receipt",
				"company": COMPANY,
				"items": rows,
			}
		)
		entry.insert(ignore_permissions=True)
		entry.submit()


def ensure_settlement_accounts() -> None:
	settings = frappe.get_single("After-Sales Settings")
	changed = False
	if settings.labour_rate != LABOUR_RATE or settings.labour_cost_rate != LABOUR_COST_RATE:
		settings.labour_rate, settings.labour_cost_rate = LABOUR_RATE, LABOUR_COST_RATE
		changed = True
	if not any(row.company == COMPANY for row in settings.settlement_accounts):
		settings.append(
			"settlement_accounts",
			{"company": COMPANY, "expense_account": EXPENSE, "payable_account": PAYABLE},
		)
		changed = True
	if changed:
		settings.save(ignore_permissions=True)


def load() -> frappe._dict:
	"""The settlement test world (idempotent, committed)."""
	setup.ensure_company(COMPANY, ABBR)
	warehouse = setup.ensure_warehouse(COMPANY, "Settlement Point")
	ensure_account("Service Fees", "Direct Expenses", "Expense")
	ensure_account("Engineer Fees Payable", "Accounts Payable", "Liability", "Payable")
	ensure_settlement_accounts()
	parts_group = setup.ensure_item_group("Spare Parts")
	services = setup.ensure_item_group("Services")
	for item_code, (valuation, price, _agreed) in PARTS.items():
		ensure_item(item_code, parts_group, is_stock_item=1, valuation_rate=valuation, standard_rate=price)
	ensure_item(CLAIM_ITEM, services, is_stock_item=0, item_name="Warranty service claim")
	if not frappe.db.exists("Price List", PRICE_LIST):
		frappe.get_doc(
			{
				"doctype": "Price List",
				"price_list_name": PRICE_LIST,
				"currency": "CNY",
				"selling": 1,
				"enabled": 1,
			}
		).insert(ignore_permissions=True)
	ensure_prices()
	setup.ensure_item_group(PRODUCT_GROUP)
	customer = ensure_customer(END_CUSTOMER)
	engineers = [
		setup.ensure_staff(COMPANY, *person, [SERVICE_TECHNICIAN])
		for person in (ENGINEER_1, ENGINEER_2, ENGINEER_3)
	]
	manager = setup.ensure_staff(COMPANY, *MANAGER, [SERVICE_TECHNICIAN])
	setup.ensure_user(ACCOUNTANT, "Hui", "Ji", ["Accounts User"])
	setup.ensure_user(APPROVER, "Jing", "Shen", [AFTER_SALES_MANAGER])
	setup.ensure_fault_code(
		FAULT,
		"No picture (settlement tests)",
		PRODUCT_GROUP,
		"The screen stays dark.",
		"Backlight failure.",
		0,
		"STC: no picture",
		"<p>Book a visit.</p>",
	)
	ensure_stock(warehouse)
	frappe.db.commit()
	return frappe._dict(
		company=COMPANY,
		warehouse=warehouse,
		engineers=engineers,
		manager=manager,
		customer=customer,
		users=frappe._dict(eng1=ENGINEER_1[0], eng2=ENGINEER_2[0], eng3=ENGINEER_3[0], manager=MANAGER[0]),
	)


def new_scope(world, engineers: list[str] | None = None) -> frappe._dict:
	"""A service point (the world's manager; `engineers` as members), a product in an item group of
	its own and the maker that group names, all new: what a test settles is only what it made."""
	tag = frappe.generate_hash(length=6).upper()
	engineers = engineers or world.engineers
	point = setup.ensure_service_point(
		COMPANY, f"STC Point {tag}", world.warehouse, world.manager, [(e, "Technician") for e in engineers]
	)
	group = frappe.get_doc(
		{
			"doctype": "Item Group",
			"item_group_name": f"STC Products {tag}",
			"parent_item_group": PRODUCT_GROUP,
		}
	).insert(ignore_permissions=True)
	product = ensure_item(
		f"STC-TV-{tag}",
		group.name,
		is_stock_item=1,
		has_serial_no=1,
		serial_no_series=f"STC{tag}-.#####",
		warranty_period="365",
	)
	maker = ensure_customer(f"STC Maker {tag}")
	frappe.get_doc(
		{
			"doctype": "Warranty Maker",
			"customer": maker,
			"labour_rate": MAKER_LABOUR_RATE,
			"price_list": PRICE_LIST,
			"claim_item": CLAIM_ITEM,
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Item Group", group.name, "warranty_maker", maker)
	return frappe._dict(world, point=point, product=product, maker=maker, group=group.name)


# ------------------------------------------------------------------------------ orders


def move(name: str, status: str | None = None, **fields):
	doc = frappe.get_doc("Service Work Order", name)
	doc.update(fields)
	if status:
		doc.status = status
	doc.save()
	return doc


def closed_order(
	world,
	technician: str,
	in_warranty: bool,
	parts: dict[str, float] | None = None,
	hours: float = 1,
) -> str:
	"""A Service Work Order of the test company walked from intake to Closed: parts issued from the
	point's warehouse, `hours` of labour, out of warranty invoiced (parts at the customer's price,
	labour at the settings' rate), closed by the manager."""
	point, product = world.point, world.product
	serial = None
	if in_warranty:
		serial = setup.ensure_serial_no(
			product, f"STCSN-{frappe.generate_hash(length=10).upper()}", COMPANY, add_days(nowdate(), -30)
		)
	order = frappe.get_doc(
		{
			"doctype": "Service Work Order",
			"company": COMPANY,
			"order_type": "Repair",
			"channel": "Phone",
			"customer": world.customer,
			"phone": "13811112222",
			"item_code": product,
			"serial_no": serial,
			"purchase_date": add_days(nowdate(), -30 if in_warranty else -900),
			"fault_code": FAULT,
			"symptoms": "No picture",
		}
	).insert()
	assert order.warranty_status == ("In Warranty" if in_warranty else "Out of Warranty"), (
		order.warranty_status
	)
	name = order.name
	move(name, flow.ACCEPTED, service_point=point)
	move(name, flow.ASSIGNED, technician=technician)
	accept_as_technician(name)  # the technician accepts before the appointment is booked (WO-6)
	start = add_to_date(now_datetime(), hours=1)
	move(name, flow.APPOINTMENT_BOOKED, appointment_start=start, appointment_end=add_to_date(start, hours=2))
	doc = frappe.get_doc("Service Work Order", name)
	doc.status = flow.IN_PROGRESS
	for item_code, qty in (parts or {}).items():
		doc.append("parts", {"item_code": item_code, "qty": qty})
	doc.update(
		{
			"diagnosis": "Backlight failed",
			"estimated_cost": 10000,
			"estimated_hours": hours,
			"customer_confirmed": 1,
			"confirmed_by": "Customer",
			"confirmed_on": now_datetime(),
			"confirmation_method": "Phone",
		}
	)
	doc.save()
	if parts:
		frappe.get_doc("Service Work Order", name).approve_parts()
		frappe.get_doc("Service Work Order", name).issue_parts()
	doc = frappe.get_doc("Service Work Order", name)
	doc.update({"work_summary": "Repaired", "labour_hours": hours, "status": flow.QUALITY_CHECK})
	for row in doc.self_checks:
		row.done = 1
	doc.save()
	move(name, flow.READY_FOR_DELIVERY, qc_result="Pass", qc_type="Spot Check")
	if not in_warranty:
		from aftersales.service.doctype.service_work_order.service_work_order import make_sales_invoice

		invoice = make_sales_invoice(name)
		invoice.insert()
		invoice.submit()
	move(
		name,
		flow.DELIVERED,
		delivery_explanation="Repaired",
		customer_signature=SIGNATURE,
		signed_by="Customer",
	)
	move(name, flow.CLOSED, close_reason="Closed for settlement tests")
	return name


# ------------------------------------------------------------------------------ documents


def claim_batch(world, **values):
	return frappe.get_doc(
		{
			"doctype": "Warranty Claim Batch",
			"maker": world.maker,
			"company": COMPANY,
			"from_date": nowdate(),
			"to_date": nowdate(),
			**values,
		}
	).insert()


def settlement(world, **values):
	return frappe.get_doc(
		{
			"doctype": "Service Settlement",
			"company": COMPANY,
			"service_point": world.point,
			"from_date": nowdate(),
			"to_date": nowdate(),
			**values,
		}
	).insert()


def advance(doc, *states: str):
	"""Move a settlement through its states as the workflow buttons would (the last may be Posted)."""
	for state in states:
		doc = frappe.get_doc(doc.doctype, doc.name)
		if state == "Posted":
			doc.submit()
		else:
			doc.status = state
			doc.save()
	return frappe.get_doc(doc.doctype, doc.name)


def set_shares(in_warranty: tuple[float, float, float], out_of_warranty: tuple[float, float, float]) -> None:
	settings = frappe.get_single("After-Sales Settings")
	for prefix, shares in (("in_warranty", in_warranty), ("out_of_warranty", out_of_warranty)):
		for role, share in zip(("company", "technician", "manager"), shares, strict=True):
			settings.set(f"{prefix}_{role}_share", share)
	settings.save(ignore_permissions=True)


# ------------------------------------------------------------------------------ ledger


def gl_rows(voucher_no: str) -> list[tuple]:
	"""(account, party, debit, credit) of a voucher's live GL entries, sorted."""
	rows = frappe.get_all(
		"GL Entry",
		{"voucher_no": voucher_no, "is_cancelled": 0},
		["account", "party", "debit", "credit"],
	)
	return sorted((r.account, r.party or "", flt(r.debit, 2), flt(r.credit, 2)) for r in rows)


def gl_state(company: str = COMPANY) -> dict:
	"""How many GL rows the company has and their totals: an attack must leave them as they were."""
	gl = frappe.qb.DocType("GL Entry")
	count, debit, credit = (
		frappe.qb.from_(gl)
		.select(Count(gl.name), Sum(gl.debit), Sum(gl.credit))
		.where(gl.company == company)
		.where(gl.is_cancelled == 0)
	).run()[0]
	return {"rows": count, "debit": flt(debit, 2), "credit": flt(credit, 2)}


# ------------------------------------------------------------------------------ a second connection


def in_new_connection(target, *args) -> threading.Thread:
	"""Run `target(*args)` as Administrator in a thread with its own site connection, committing
	what it did (or rolling it back); the thread's `result` is the return value or the exception."""
	site, sites_path = frappe.local.site, frappe.local.sites_path

	def run():
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.set_user("Administrator")
		try:
			thread.result = target(*args)
			frappe.db.commit()
		except Exception as e:
			frappe.db.rollback()
			thread.result = e
		finally:
			frappe.destroy()

	thread = threading.Thread(target=run)
	thread.result = None
	thread.start()
	return thread
