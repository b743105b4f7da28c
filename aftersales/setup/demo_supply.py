"""Demo data for spare parts, suppliers, stocktakes and the knowledge base (aftersales/setup/demo.py
calls it outside tests). Idempotent: the Spare Parts and their warning lines, the orders waiting in
the states the service history leaves out and a corrective action are made or completed on every
run; the documents (purchases, sales, a dead-stock return, stocktakes) once per site.

- every demo part is a Spare Part with a specification, the products it fits and warning lines in
  the spare-parts store; two of them sit below their line;
- two suppliers: Purchase Orders and Purchase Receipts (one late, one with rejected quantity, one
  inspected and rejected), their Supplier Scorecards, and an old remote control bought 200 days ago
  and never used: flagged dead stock and returned to its supplier (a draft Purchase Receipt return);
- counter sales of parts in the last three months (invoices, a delivery note not billed yet) for
  the Spare Parts Sales report;
- a posted monthly cycle count with a loss and its reason, and an annual count still being counted;
- Help Articles with review dates (one due);
- work orders waiting in Accepted, Quality Check and Ready for Delivery, and a corrective action
  raised from a complaint (what the other demos leave out).
"""

import frappe
from frappe.utils import add_days, add_months, add_to_date, get_first_day, now_datetime, nowdate

from aftersales.domain import stocktake_flow
from aftersales.domain import work_order_flow as flow

DONE_KEY = "aftersales_supply_demo"
SPARE_PARTS_WAREHOUSE = "Spare Parts"
# item_code: (specification, model, products it fits, warning level, reorder qty)
PARTS = {
	"SP-TV-MAINBOARD": ("Mainboard, 4K, HDMI 2.1 x3", "U8-MB-01", ("TV-55-U8",), 5, 10),
	"SP-TV-BACKLIGHT": ("LED strip set, 6 x 48 cm", "U8-BL-06", ("TV-55-U8",), 12, 30),
	# below its line: 10 in stock, warning at 15
	"SP-FRIDGE-COMPRESSOR": ("R600a compressor, 220 V", "QD-65H", ("FRIDGE-BCD-450",), 15, 20),
	"SP-FRIDGE-DOOR-SEAL": ("Magnetic door seal 1640 mm", "BCD450-DS", ("FRIDGE-BCD-450",), 20, 40),
	"SP-WASHER-DRAIN-PUMP": ("Drain pump 30 W", "XQG-DP30", ("WASHER-XQG-100",), 8, 20),
	# below its line after the counter sales: 25 + 30 received, 18 sold, warning at 40
	"SP-WASHER-BEARING": ("Drum bearing kit 6205/6206", "XQG-BK", ("WASHER-XQG-100",), 40, 30),
}
SUPPLIERS = ("Shenzhen Huaqiang Parts Co.", "Ningbo Appliance Components Ltd.")
DEAD_PART = ("SP-TV-REMOTE-OLD", "TV Remote Control (2019 model)", 18.0)
BUYER = "Wang Fang Trading Co."


def load(company: str) -> dict:
	parts = [ensure_spare_part(code, *values) for code, values in PARTS.items()]
	# idempotent by themselves: orders waiting in the states the history leaves out, a corrective action
	result = {
		"spare_parts": parts,
		"orders": load_missing_states(company),
		"corrective_action": load_corrective_action(),
	}
	if frappe.db.get_default(DONE_KEY):
		frappe.db.commit()
		return result
	warehouse = store(company)
	result.update(
		{
			"purchases": load_purchases(company, warehouse),
			"dead_stock": load_dead_stock_return(company, warehouse),
			"sales": load_counter_sales(company, warehouse),
			"stocktakes": load_stocktakes(company, warehouse),
			"help_articles": load_review_dates(),
		}
	)
	from aftersales.parts.analytics import update_stock_status
	from aftersales.parts.supplier_scoring import ensure_spare_part_supplier_scorecards

	update_stock_status()
	result["scorecards"] = ensure_spare_part_supplier_scorecards()
	frappe.db.set_default(DONE_KEY, nowdate())
	frappe.db.commit()
	return result


def store(company: str) -> str:
	return f"{SPARE_PARTS_WAREHOUSE} - {frappe.get_cached_value('Company', company, 'abbr')}"


def currency(company: str) -> str:
	return frappe.get_cached_value("Company", company, "default_currency")


# ---------------------------------------------------------------- spare parts


def ensure_spare_part(code, specification, model, fits, warning_level, reorder_qty) -> str:
	from aftersales.parts.doctype.spare_part.spare_part import make_spare_part

	name = make_spare_part(code)
	part = frappe.get_doc("Spare Part", name)
	warehouse = frappe.db.get_single_value("After-Sales Settings", "spare_parts_warehouse")
	changed = False
	if not part.specification:
		part.update({"specification": specification, "model": model})
		changed = True
	for product in fits:
		if product not in {row.item_code for row in part.compatible_with}:
			part.append("compatible_with", {"item_code": product})
			changed = True
	if warning_level and warehouse and warehouse not in {row.warehouse for row in part.warning_lines}:
		part.append(
			"warning_lines",
			{"warehouse": warehouse, "warning_level": warning_level, "reorder_qty": reorder_qty},
		)
		changed = True
	if changed:
		part.save(ignore_permissions=True)
	return name


# ---------------------------------------------------------------- purchases and suppliers


def ensure_supplier(name: str) -> str:
	if not frappe.db.exists("Supplier", name):
		frappe.get_doc(
			{
				"doctype": "Supplier",
				"supplier_name": name,
				"supplier_group": frappe.db.get_value("Supplier Group", {"is_group": 0})
				or "All Supplier Groups",
				"country": "China",
				"default_currency": None,
			}
		).insert(ignore_permissions=True)
	return name


def buying_price_list(company: str) -> str:
	name = "After-Sales Buying"
	if not frappe.db.exists("Price List", name):
		frappe.get_doc(
			{
				"doctype": "Price List",
				"price_list_name": name,
				"currency": currency(company),
				"buying": 1,
				"enabled": 1,
			}
		).insert(ignore_permissions=True)
	return name


def purchase_values(company: str, supplier: str, day: str) -> dict:
	return {
		"company": company,
		"supplier": supplier,
		"currency": currency(company),
		"conversion_rate": 1,
		"buying_price_list": buying_price_list(company),
		"set_posting_time": 1,
		"posting_date": day,
	}


def receipt(company, supplier, day, lines, submit=True):
	doc = frappe.get_doc(
		{"doctype": "Purchase Receipt", **purchase_values(company, supplier, day), "items": lines}
	)
	doc.insert(ignore_permissions=True)
	if submit:
		doc.submit()
	return doc


def ordered_receipt(company, supplier, ordered_on, required_by, received_on, item_code, qty, rate, warehouse):
	"""A Purchase Order and the receipt made from it on `received_on` (late when after `required_by`)."""
	from erpnext.buying.doctype.purchase_order.purchase_order import make_purchase_receipt

	order = frappe.get_doc(
		{
			"doctype": "Purchase Order",
			**purchase_values(company, supplier, ordered_on),
			"transaction_date": ordered_on,
			"schedule_date": required_by,
			"items": [
				{
					"item_code": item_code,
					"qty": qty,
					"rate": rate,
					"schedule_date": required_by,
					"warehouse": warehouse,
				}
			],
		}
	)
	order.insert(ignore_permissions=True)
	order.submit()
	doc = make_purchase_receipt(order.name)
	doc.update({"set_posting_time": 1, "posting_date": received_on})
	doc.insert(ignore_permissions=True)
	doc.submit()
	return doc.name


def load_purchases(company: str, warehouse: str) -> list[str]:
	huaqiang, ningbo = (ensure_supplier(s) for s in SUPPLIERS)
	scrap = frappe.db.get_single_value("After-Sales Settings", "scrap_warehouse")
	today = nowdate()
	made = [
		# Huaqiang: mainboards on time, backlights late, a few rejected at the receipt
		ordered_receipt(
			company,
			huaqiang,
			add_days(today, -50),
			add_days(today, -40),
			add_days(today, -41),
			"SP-TV-MAINBOARD",
			5,
			410,
			warehouse,
		),
		ordered_receipt(
			company,
			huaqiang,
			add_days(today, -30),
			add_days(today, -25),
			add_days(today, -18),
			"SP-TV-BACKLIGHT",
			20,
			88,
			warehouse,
		),
		receipt(
			company,
			huaqiang,
			add_days(today, -12),
			[
				{
					"item_code": "SP-FRIDGE-DOOR-SEAL",
					"qty": 18,
					"received_qty": 20,
					"rejected_qty": 2,
					"rate": 33,
					"warehouse": warehouse,
					"rejected_warehouse": scrap,
				}
			],
		).name,
		# Ningbo: the same backlights cheaper and on time; drain pumps inspected and rejected
		ordered_receipt(
			company,
			ningbo,
			add_days(today, -35),
			add_days(today, -20),
			add_days(today, -21),
			"SP-TV-BACKLIGHT",
			10,
			80,
			warehouse,
		),
		# the bearings the counter has sold since September
		ordered_receipt(
			company,
			ningbo,
			add_days(today, -110),
			add_days(today, -100),
			add_days(today, -100),
			"SP-WASHER-BEARING",
			30,
			45,
			warehouse,
		),
	]
	pumps = receipt(
		company,
		ningbo,
		add_days(today, -8),
		[{"item_code": "SP-WASHER-DRAIN-PUMP", "qty": 10, "rate": 62, "warehouse": warehouse}],
	)
	made.append(pumps.name)
	# ERPNext makes Quality Inspections only of items marked for inspection on purchase
	frappe.db.set_value("Item", "SP-WASHER-DRAIN-PUMP", "inspection_required_before_purchase", 1)
	for status in ("Rejected", "Accepted"):
		frappe.get_doc(
			{
				"doctype": "Quality Inspection",
				"inspection_type": "Incoming",
				"reference_type": "Purchase Receipt",
				"reference_name": pumps.name,
				"item_code": "SP-WASHER-DRAIN-PUMP",
				"sample_size": 2,
				"inspected_by": "Administrator",
				"status": status,
				"manual_inspection": 1,
				"remarks": "Impeller noise" if status == "Rejected" else None,
			}
		).submit()
	frappe.db.set_value("Item", "SP-WASHER-DRAIN-PUMP", "inspection_required_before_purchase", 0)
	return made


# ---------------------------------------------------------------- dead stock returned to its supplier


def load_dead_stock_return(company: str, warehouse: str) -> dict:
	from aftersales.setup.demo import ensure_item_group

	code, item_name, rate = DEAD_PART
	if not frappe.db.exists("Item", code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_name": item_name,
				"item_group": ensure_item_group("Spare Parts"),
				"stock_uom": "Nos",
				"is_stock_item": 1,
				"valuation_rate": rate,
			}
		).insert(ignore_permissions=True)
	ensure_spare_part(code, "IR remote, 2019 models", "RC-2019", ("TV-55-U8",), None, None)
	bought = receipt(
		company,
		SUPPLIERS[0],
		add_days(nowdate(), -200),
		[{"item_code": code, "qty": 24, "rate": rate, "warehouse": warehouse}],
	)
	disposition = frappe.get_doc(
		{
			"doctype": "Dead Stock Disposition",
			"spare_part": code,
			"company": company,
			"warehouse": warehouse,
			"qty": 20,
			"disposition": "Return to Supplier",
			"supplier": SUPPLIERS[0],
			"reason": "No longer fits the current TV models; the supplier takes back unused stock.",
		}
	)
	disposition.insert(ignore_permissions=True)
	disposition.submit()
	return {"receipt": bought.name, "disposition": disposition.name, "return": disposition.purchase_return}


# ---------------------------------------------------------------- parts sold at the counter


def selling(doctype: str, company: str, day: str, lines: list[tuple[str, float, float]], **values):
	doc = frappe.get_doc(
		{
			"doctype": doctype,
			"company": company,
			"customer": frappe.db.get_value("Customer", {"customer_name": BUYER}),
			"currency": currency(company),
			"conversion_rate": 1,
			"selling_price_list": frappe.db.get_single_value("After-Sales Settings", "price_list"),
			"set_posting_time": 1,
			"posting_date": day,
			"due_date": day,
			"items": [
				{"item_code": code, "qty": qty, "rate": rate, "warehouse": store(company)}
				for code, qty, rate in lines
			],
			**values,
		}
	)
	doc.insert(ignore_permissions=True)
	doc.submit()
	return doc.name


def load_counter_sales(company: str, warehouse: str) -> list[str]:
	"""Sales from the stock received above (earlier months draw on the bearings bought 100 days ago;
	the opening stock of the demo is dated the day it was loaded)."""
	first = get_first_day(nowdate())
	made = [
		selling("Sales Invoice", company, add_days(add_months(first, -months_ago), 5), lines, update_stock=1)
		for months_ago, lines in (
			(2, [("SP-WASHER-BEARING", 6, 68)]),
			(1, [("SP-WASHER-BEARING", 8, 68)]),
		)
	]
	made.append(
		selling(
			"Sales Invoice",
			company,
			nowdate(),
			[("SP-WASHER-BEARING", 4, 66), ("SP-WASHER-DRAIN-PUMP", 3, 84), ("SP-TV-BACKLIGHT", 6, 119)],
			update_stock=1,
		)
	)
	# delivered, not billed yet
	made.append(selling("Delivery Note", company, nowdate(), [("SP-FRIDGE-DOOR-SEAL", 4, 49)]))
	return made


# ---------------------------------------------------------------- stocktakes


def load_stocktakes(company: str, warehouse: str) -> list[str]:
	from frappe.model.workflow import apply_workflow

	from aftersales.kpi.sample import as_user
	from aftersales.parts.doctype.stocktake.stocktake import post_stocktake

	stock_user = "stock@aftersales.demo"
	with as_user(stock_user):
		cycle = frappe.get_doc(
			{"doctype": "Stocktake", "kind": "Ad-hoc", "company": company, "warehouse": warehouse}
		)
		cycle.append("items", {"item_code": "SP-FRIDGE-DOOR-SEAL", "warehouse": warehouse})
		cycle.append("items", {"item_code": "SP-TV-MAINBOARD", "warehouse": warehouse})
		cycle.insert()
		cycle.status = stocktake_flow.COUNTING
		cycle.save()
		for row in cycle.items:
			row.counted, row.counted_qty = 1, row.book_qty
			if row.item_code == "SP-FRIDGE-DOOR-SEAL":
				row.counted_qty, row.reason = row.book_qty - 2, "Damaged"
				row.proposal = "Store the seals flat, away from the compressor shelf."
		cycle.findings = "Two door seals were torn in their boxes."
		cycle.save()
		apply_workflow(cycle, "Submit Count")
		cycle.reload()
		apply_workflow(cycle, "Approve and Post")
	post_stocktake(cycle.name)  # what the queued job does (the demo site may run no worker)
	with as_user(stock_user):
		annual = frappe.get_doc(
			{"doctype": "Stocktake", "kind": "Annual Full Count", "company": company, "warehouse": warehouse}
		)
		annual.insert()
		annual.status = stocktake_flow.COUNTING
		annual.save()
	return [cycle.name, annual.name]


# ---------------------------------------------------------------- knowledge base


def load_review_dates() -> list[str]:
	"""The troubleshooting articles get review dates; the first is due."""
	articles = frappe.get_all("Help Article", {"published": 1}, pluck="name", order_by="creation")
	for index, name in enumerate(articles):
		day = add_days(nowdate(), -3) if index == 0 else add_months(nowdate(), 3 + index)
		frappe.db.set_value("Help Article", name, "aftersales_review_date", day, update_modified=False)
	from aftersales.api.help_search import recount

	recount()
	return articles


# ---------------------------------------------------------------- orders in the states left out


def load_missing_states(company: str) -> dict[str, str]:
	"""One order waiting in each of Accepted, Quality Check and Ready for Delivery (the service history
	moves its orders past them)."""
	from aftersales.kpi.sample import accept_as_technician

	made = {}
	for target in (flow.ACCEPTED, flow.QUALITY_CHECK, flow.READY_FOR_DELIVERY):
		if frappe.db.exists("Service Work Order", {"status": target, "company": company}):
			continue
		made[target] = walk_order(company, target, accept_as_technician)
	return made


def walk_order(company: str, target: str, accept) -> str:
	customer = frappe.db.get_value("Customer", {"customer_name": "Li Na"})
	order = frappe.get_doc(
		{
			"doctype": "Service Work Order",
			"company": company,
			"order_type": "Repair",
			"channel": "Phone",
			"customer": customer,
			"phone": "13900139002",
			"item_code": "WASHER-XQG-100",
			"purchase_date": add_days(nowdate(), -200),
			"fault_code": "WM-E21",
			"symptoms": "Stops with E21; water stays in the drum.",
		}
	).insert(ignore_permissions=True)
	point = "Service Point East"
	start = add_to_date(now_datetime(), hours=-3)
	steps = [
		(flow.ACCEPTED, {"service_point": point}),
		(
			flow.ASSIGNED,
			{"technician": frappe.db.get_value("Employee", {"user_id": "tech.east@aftersales.demo"})},
		),
		(
			flow.APPOINTMENT_BOOKED,
			{"appointment_start": start, "appointment_end": add_to_date(start, hours=2)},
		),
		(flow.IN_PROGRESS, {}),
		(
			flow.QUALITY_CHECK,
			{
				"diagnosis": "Drain filter blocked by a coin",
				"work_summary": "Cleaned the drain filter, test wash without errors",
				"labour_hours": 0.5,
				"estimated_hours": 0.5,
				"customer_confirmed": 1,
				"confirmed_by": "Li Na",
				"confirmed_on": now_datetime(),
				"confirmation_method": "Phone",
			},
		),
		(flow.READY_FOR_DELIVERY, {"qc_result": "Pass", "qc_type": "Spot Check"}),
	]
	for status, values in steps:
		doc = frappe.get_doc("Service Work Order", order.name)
		doc.update(values)
		if status == flow.QUALITY_CHECK:
			for row in doc.self_checks:
				row.done = 1
		doc.status = status
		doc.save(ignore_permissions=True)
		if status == flow.ASSIGNED:
			accept(order.name)
		if status == target:
			break
	return order.name


def load_corrective_action() -> str | None:
	"""An open corrective action raised from the demo's first complaint."""
	from aftersales.complaints.doctype.corrective_action.corrective_action import make_corrective_action

	complaint = frappe.db.get_value("Customer Complaint", {}, "name", order_by="creation")
	if not complaint or frappe.db.exists("Corrective Action", {"source_name": complaint}):
		return None
	action = make_corrective_action(complaint, "Customer Complaint")
	action.update(
		{
			"problem": action.problem or "Repeated complaint about the repair",
			"problem_class": action.problem_class or "Other",
			"owner_user": "manager@aftersales.demo",
			"deadline": add_days(nowdate(), 14),
			"root_cause": action.root_cause or "The cause was not checked against the fault code's article.",
			"action": "Brief the technicians on the fault code's troubleshooting article; check it on every job.",
		}
	)
	action.insert(ignore_permissions=True)
	return action.name
