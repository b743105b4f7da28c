"""The KPI tests' fixed data set (aftersales/kpi/test_kpi.py): two service points, three technicians,
sixteen work orders over January and February 2025 walked through their real lifecycle, with known
intake, appointment and completion times, reworks, reopens, follow-up outcomes, complaints, and
returns against deliveries. Every KPI of it was counted by hand (the tests hold the numbers).

Isolation: everything belongs to the company "KPI Test Company" (and its own customers, items,
territories and customer groups) and to dates far from other tests', so leftovers of other tests on a
shared site change none of these numbers. The masters, deliveries and return requests are made once
per site (idempotent, committed); the work orders, follow-ups and complaints are rebuilt by `build`
and removed by `clear` (they are committed: the HTTP tests read them from other connections).

Timestamps: orders are walked through the lifecycle as the staff would (aftersales/kpi/sample.py)
and then their status log, follow-up and complaint times are set to the times below with
frappe.db.set_value; the KPI facts are then recomputed from the log (aftersales.kpi.facts.refresh).
The SLA fields ERPNext computes (response_by, sla_resolution_by, ...) are set the same way.
"""

import frappe

from aftersales.domain import work_order_flow as flow
from aftersales.kpi import facts, sample
from aftersales.roles import AFTER_SALES_MANAGER, QUALITY_INSPECTOR, SERVICE_DESK_AGENT
from aftersales.roles import DISPATCHER as ROLE_DISPATCHER
from aftersales.setup import demo as demo_setup
from aftersales.tests import work_orders as wo

COMPANY = "KPI Test Company"
ABBR = "KPIT"
NORTH, SOUTH = "KPI North Point", "KPI South Point"
TERRITORIES = {NORTH: "KPI North", SOUTH: "KPI South"}
TECHS = {
	"T1": ("kpi.tech1@aftersales.test", "Kai", "North", NORTH),
	"T2": ("kpi.tech2@aftersales.test", "Lin", "North", NORTH),
	"T3": ("kpi.tech3@aftersales.test", "Mo", "South", SOUTH),
}
CUSTOMER_GROUPS = {"CB": "KPI Business", "CR": "KPI Retail"}
CUSTOMERS = {"CB": "KPI Business Customer", "CR": "KPI Retail Customer"}
ITEM_GROUPS = {"TV": "KPI Televisions", "WA": "KPI Washers"}
ITEMS = {"TV": "KPI-TV", "WA": "KPI-WASHER"}
STORE = "KPI Store"
COMPLAINT_MARK = "KPI test"
# the data set's own staff: demo staff have an Employee, which ERPNext turns into a User Permission
# on the demo company, so they could not work on this company's orders
DESK = "kpi.desk@aftersales.test"
DISPATCHER = "kpi.dispatcher@aftersales.test"
INSPECTOR = "kpi.inspector@aftersales.test"
MANAGER = "kpi.manager@aftersales.test"
STAFF = {
	DESK: ("Desk", [SERVICE_DESK_AGENT]),
	DISPATCHER: ("Dispatch", [ROLE_DISPATCHER]),
	INSPECTOR: ("Inspection", [QUALITY_INSPECTOR]),
	MANAGER: ("Management", [AFTER_SALES_MANAGER]),
}

# ---------------------------------------------------------------- the orders
# (key, point, technician, customer, item, received_on, steps). A step is (status, time) for a
# status change the staff make, or ("follow-up", time, outcome, (repair quality, attitude,
# duration)) for a follow-up the desk submits (which closes, reopens or keeps the order).
D = "2025-"
# fmt: off
ORDERS = (
	("O1", NORTH, "T1", "CB", "TV", D + "01-06 09:00", [
		(flow.ACCEPTED, D + "01-06 09:10"),
		(flow.ASSIGNED, D + "01-06 09:20"),
		(flow.APPOINTMENT_BOOKED, D + "01-06 10:00"),
		(flow.IN_PROGRESS, D + "01-06 10:30"),
		(flow.QUALITY_CHECK, D + "01-06 12:00"),
		(flow.READY_FOR_DELIVERY, D + "01-06 13:00"),
		(flow.DELIVERED, D + "01-06 15:00"),
		("follow-up", D + "01-08 10:00", "Satisfied", (1, 1, 1)),
	]),
	("O2", NORTH, "T1", "CR", "WA", D + "01-07 19:00", [
		(flow.ACCEPTED, D + "01-07 19:10"),
		(flow.ASSIGNED, D + "01-07 19:20"),
		(flow.APPOINTMENT_BOOKED, D + "01-08 09:00"),
		(flow.IN_PROGRESS, D + "01-08 09:30"),
		(flow.QUALITY_CHECK, D + "01-08 12:00"),
		(flow.IN_PROGRESS, D + "01-08 12:30"),  # failed the quality check
		(flow.QUALITY_CHECK, D + "01-09 11:00"),
		(flow.READY_FOR_DELIVERY, D + "01-09 12:00"),
		(flow.DELIVERED, D + "01-09 14:00"),
		("follow-up", D + "01-12 10:00", "Satisfied", (0.8, 1, 0.6)),
	]),
	("O3", NORTH, "T2", "CB", "TV", D + "01-13 10:00", [
		(flow.ACCEPTED, D + "01-13 10:10"),
		(flow.ASSIGNED, D + "01-13 10:20"),
		(flow.APPOINTMENT_BOOKED, D + "01-13 14:00"),
		(flow.IN_PROGRESS, D + "01-13 15:00"),
		(flow.QUALITY_CHECK, D + "01-14 09:00"),
		(flow.READY_FOR_DELIVERY, D + "01-14 10:00"),
		(flow.DELIVERED, D + "01-14 11:00"),
		("follow-up", D + "01-16 10:00", "Not Fixed at First Visit", (0.2, 1, 0.6)),
		(flow.QUALITY_CHECK, D + "01-19 10:00"),
		(flow.READY_FOR_DELIVERY, D + "01-19 11:00"),
		(flow.DELIVERED, D + "01-20 10:00"),
		("follow-up", D + "01-22 10:00", "Satisfied", (1, 1, 0.8)),
	]),
	("O4", SOUTH, "T3", "CR", "WA", D + "01-15 08:30", [
		(flow.ACCEPTED, D + "01-15 08:40"),
		(flow.ASSIGNED, D + "01-15 08:50"),
		(flow.APPOINTMENT_BOOKED, D + "01-15 09:30"),
		(flow.IN_PROGRESS, D + "01-15 10:00"),
		(flow.QUALITY_CHECK, D + "01-15 17:00"),
		(flow.READY_FOR_DELIVERY, D + "01-15 17:30"),
		(flow.DELIVERED, D + "01-16 09:00"),
		("follow-up", D + "01-18 10:00", "Complaint Call", (0.4, 0.6, 0.4)),
	]),
	("O5", SOUTH, "T3", "CB", "TV", D + "01-20 11:00", [
		(flow.ACCEPTED, D + "01-20 11:05"),
		(flow.ASSIGNED, D + "01-20 11:10"),
		(flow.CLOSED, D + "01-20 11:30"),  # solved by phone
	]),
	("O6", NORTH, "T1", "CB", "WA", D + "01-21 12:00", [
		(flow.ACCEPTED, D + "01-21 12:10"),
		(flow.ASSIGNED, D + "01-21 12:20"),
		(flow.CANCELLED, D + "01-21 13:00"),
	]),
	("O7", SOUTH, "T3", "CR", "TV", D + "01-27 09:00", [
		(flow.ACCEPTED, D + "01-27 09:10"),
		(flow.ASSIGNED, D + "01-27 09:20"),
		(flow.APPOINTMENT_BOOKED, D + "01-27 10:30"),
		(flow.IN_PROGRESS, D + "01-27 11:00"),
		(flow.UNREPAIRABLE, D + "01-28 10:00"),
	]),
	("O8", NORTH, "T2", "CR", "TV", D + "01-29 15:00", [
		(flow.ACCEPTED, D + "01-29 15:10"),
		(flow.ASSIGNED, D + "01-29 15:20"),
		(flow.APPOINTMENT_BOOKED, D + "01-29 16:00"),
		(flow.IN_PROGRESS, D + "01-30 09:00"),
		(flow.QUALITY_CHECK, D + "01-30 14:00"),
		(flow.READY_FOR_DELIVERY, D + "01-30 15:00"),
		(flow.DELIVERED, D + "01-31 10:00"),
		("follow-up", D + "02-03 09:30", "Attitude Complaint", (1, 0.2, 0.8)),
	]),
	("O9", NORTH, "T1", "CB", "TV", D + "02-03 09:00", [
		(flow.ACCEPTED, D + "02-03 09:10"),
		(flow.ASSIGNED, D + "02-03 09:20"),
		(flow.APPOINTMENT_BOOKED, D + "02-03 10:00"),
		(flow.IN_PROGRESS, D + "02-03 11:00"),
		(flow.QUALITY_CHECK, D + "02-03 15:00"),
		(flow.READY_FOR_DELIVERY, D + "02-03 16:00"),
		(flow.DELIVERED, D + "02-04 09:00"),
		("follow-up", D + "02-06 12:00", "Satisfied", (1, 0.8, 1)),
	]),
	("O10", NORTH, "T2", "CB", "WA", D + "02-04 18:00", [
		(flow.ACCEPTED, D + "02-04 18:10"),
		(flow.ASSIGNED, D + "02-04 18:20"),
		(flow.APPOINTMENT_BOOKED, D + "02-05 10:00"),
		(flow.IN_PROGRESS, D + "02-05 11:00"),
		(flow.QUALITY_CHECK, D + "02-06 10:00"),
		(flow.IN_PROGRESS, D + "02-06 11:00"),  # failed the quality check
		(flow.QUALITY_CHECK, D + "02-06 17:00"),
		(flow.READY_FOR_DELIVERY, D + "02-06 18:00"),
		(flow.DELIVERED, D + "02-07 10:00"),
		("follow-up", D + "02-10 10:00", "Unsatisfied at Follow-up", (0.6, 0.6, 0.4)),
		(flow.QUALITY_CHECK, D + "02-11 09:00"),
		(flow.READY_FOR_DELIVERY, D + "02-11 10:00"),
		(flow.DELIVERED, D + "02-12 10:00"),
		("follow-up", D + "02-14 10:00", "Not Fixed after Several Visits", (0.2, 0.4, 0.2)),
		(flow.UNREPAIRABLE, D + "02-17 10:00"),
	]),
	("O11", SOUTH, "T3", "CB", "WA", D + "02-10 10:00", [
		(flow.ACCEPTED, D + "02-10 10:10"),
		(flow.ASSIGNED, D + "02-10 10:20"),
		(flow.APPOINTMENT_BOOKED, D + "02-10 11:00"),
		(flow.IN_PROGRESS, D + "02-10 11:30"),
		(flow.QUALITY_CHECK, D + "02-10 14:00"),
		(flow.READY_FOR_DELIVERY, D + "02-10 15:00"),
		(flow.DELIVERED, D + "02-11 10:00"),
	]),
	("O12", SOUTH, "T3", "CR", "TV", D + "02-12 09:00", [
		(flow.ACCEPTED, D + "02-12 09:10"),
		(flow.ASSIGNED, D + "02-12 09:20"),
	]),
	("O13", NORTH, "T1", "CR", "WA", D + "02-17 14:00", [
		(flow.ACCEPTED, D + "02-17 14:10"),
		(flow.ASSIGNED, D + "02-17 14:20"),
		(flow.APPOINTMENT_BOOKED, D + "02-17 15:30"),
		(flow.IN_PROGRESS, D + "02-17 16:00"),
	]),
	("O14", NORTH, None, "CR", "TV", D + "02-18 09:00", [
		(flow.ACCEPTED, D + "02-18 09:10"),
	]),
	("O15", SOUTH, "T3", "CB", "TV", D + "02-24 10:00", [
		(flow.ACCEPTED, D + "02-24 10:05"),
		(flow.ASSIGNED, D + "02-24 10:10"),
		(flow.CLOSED, D + "02-24 10:20"),  # solved by phone
	]),
	("O16", None, None, "CR", "WA", D + "02-25 12:00", [
	]),
)
# fmt: on

# ERPNext's SLA fields: response_by, first_responded_on, sla_resolution_by, sla_resolution_date
SLA = {
	"O1": (D + "01-06 11:00", D + "01-06 10:00", D + "01-09 09:00", D + "01-06 15:00"),
	"O2": (D + "01-08 09:00", D + "01-08 09:00", D + "01-10 19:00", D + "01-09 14:00"),
	"O3": (D + "01-13 12:00", D + "01-13 14:00", D + "01-16 10:00", D + "01-20 10:00"),
	"O4": (D + "01-15 10:30", D + "01-15 09:30", D + "01-18 08:30", D + "01-16 09:00"),
	"O5": (D + "01-20 13:00", D + "01-20 11:30", D + "01-23 11:00", D + "01-20 11:30"),
	"O6": (D + "01-21 14:00", D + "01-21 13:00", D + "01-24 12:00", D + "01-21 13:00"),
	"O7": (D + "01-27 11:00", D + "01-27 10:30", D + "01-30 09:00", D + "01-28 10:00"),
	"O8": (D + "01-29 17:00", D + "01-29 16:00", D + "02-01 15:00", D + "01-31 10:00"),
	"O9": (D + "02-03 11:00", D + "02-03 10:00", D + "02-06 09:00", D + "02-04 09:00"),
	"O10": (D + "02-04 20:00", D + "02-05 10:00", D + "02-07 18:00", D + "02-17 10:00"),
	"O11": (D + "02-10 12:00", D + "02-10 11:00", D + "02-13 10:00", D + "02-11 10:00"),
	"O12": (D + "02-12 11:00", None, D + "02-15 09:00", None),
	"O13": (D + "02-17 16:00", D + "02-17 15:30", D + "02-20 14:00", None),
	"O14": (D + "02-18 11:00", None, D + "02-21 09:00", None),
	"O15": (D + "02-24 12:00", D + "02-24 10:20", D + "02-27 10:00", D + "02-24 10:20"),
	"O16": (D + "02-25 14:00", None, D + "02-28 12:00", None),
}

# job cost of the delivered orders (WO-13): parts, labour, total, revenue, margin
COSTS = {
	"O1": (100, 50, 150, 300, 150),
	"O2": (200, 80, 280, 280, 0),
	"O3": (50, 100, 150, 150, 0),
	"O4": (0, 60, 60, 60, 0),
	"O8": (120, 40, 160, 100, -60),
	"O9": (80, 40, 120, 200, 80),
	"O11": (30, 30, 60, 90, 30),
}

# complaints: (key, order, received_at, deadline, status, closed_on); C1 and C2 are opened by the
# follow-ups of O4 and O8, C3 is registered by the desk, C4 names no work order
COMPLAINTS = (
	("C1", "O4", D + "01-18 10:00", D + "01-20 10:00", "Closed", D + "01-19 16:00"),
	("C2", "O8", D + "02-03 10:00", D + "02-05 10:00", "Investigating", None),
	("C3", "O9", D + "02-07 10:00", D + "02-09 10:00", "Closed", D + "02-12 10:00"),
	("C4", None, D + "02-08 10:00", D + "02-10 10:00", "Closed", D + "02-09 10:00"),
)

# deliveries (key, item, qty, posting date) and return requests (delivery, item, qty, date, status)
DELIVERIES = (("DN1", "TV", 10, D + "01-10"), ("DN2", "WA", 5, D + "01-12"), ("DN3", "TV", 10, D + "02-05"))
RETURNS = (
	("RR1", "DN1", "TV", 2, D + "01-14", "Completed"),
	("RR2", "DN3", "TV", 1, D + "02-07", "Rejected"),
	("RR3", "DN2", "WA", 1, D + "02-14", "Completed"),
)


# ---------------------------------------------------------------- the world (made once per site)


def ensure_world() -> dict:
	frappe.set_user("Administrator")
	wo_demo = wo.demo()  # the demo site: settings, fault codes, the Service Level Agreement
	demo_setup.ensure_company(COMPANY, ABBR)
	ensure_fiscal_year("2025")
	ensure_fiscal_year("2024")
	store = demo_setup.ensure_warehouse(COMPANY, STORE)
	for group in (*ITEM_GROUPS.values(),):
		demo_setup.ensure_item_group(group)
	for key, code in ITEMS.items():
		if not frappe.db.exists("Item", code):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": code,
					"item_name": code,
					"item_group": ITEM_GROUPS[key],
					"stock_uom": "Nos",
					"is_stock_item": 1,
					"warranty_period": "730",
				}
			).insert(ignore_permissions=True)
	for territory in TERRITORIES.values():
		ensure_tree("Territory", territory, "territory_name", "All Territories")
	for group in CUSTOMER_GROUPS.values():
		ensure_tree("Customer Group", group, "customer_group_name", "All Customer Groups")
	for key, name in CUSTOMERS.items():
		if not frappe.db.exists("Customer", name):
			frappe.get_doc(
				{
					"doctype": "Customer",
					"customer_name": name,
					"customer_type": "Company",
					"customer_group": CUSTOMER_GROUPS[key],
					"territory": TERRITORIES[NORTH],
				}
			).insert(ignore_permissions=True)
	for email, (last, roles) in STAFF.items():
		demo_setup.ensure_user(email, "KPI", last, roles)
	employees = {}
	for key, (email, first, last, _point) in TECHS.items():
		demo_setup.ensure_user(email, first, last, ["Service Technician"])
		employees[key] = demo_setup.ensure_employee(COMPANY, first, last, email)
	for point in (NORTH, SOUTH):
		members = [(employees[k], "Technician") for k, t in TECHS.items() if t[3] == point]
		warehouse = demo_setup.ensure_warehouse(COMPANY, point.replace(" Point", " Store"))
		demo_setup.ensure_service_point(COMPANY, point, warehouse, None, members)
		frappe.db.set_value("Service Point", point, "territory", TERRITORIES[point])
	deliveries = ensure_deliveries(store)
	returns = ensure_returns(deliveries)
	frappe.db.commit()
	return {"demo": wo_demo, "employees": employees, "deliveries": deliveries, "returns": returns}


def ensure_fiscal_year(year: str) -> None:
	start = f"{year}-01-01"
	if frappe.db.get_value(
		"Fiscal Year", {"year_start_date": ["<=", start], "year_end_date": [">=", start], "disabled": 0}
	):
		return
	name = year if not frappe.db.exists("Fiscal Year", year) else f"KPI {year}"
	frappe.get_doc(
		{"doctype": "Fiscal Year", "year": name, "year_start_date": start, "year_end_date": f"{year}-12-31"}
	).insert(ignore_permissions=True)


def ensure_tree(doctype: str, name: str, name_field: str, parent: str) -> None:
	if not frappe.db.exists(doctype, name):
		parent_field = "parent_" + frappe.scrub(doctype)
		frappe.get_doc({"doctype": doctype, name_field: name, parent_field: parent, "is_group": 0}).insert(
			ignore_permissions=True
		)


def ensure_deliveries(store: str) -> dict:
	"""Opening stock (2 January 2025) and the three deliveries, once per site."""
	if not frappe.db.exists(
		"Stock Entry", {"company": COMPANY, "docstatus": 1, "remarks": "KPI opening stock"}
	):
		entry = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Receipt",
				"company": COMPANY,
				"set_posting_time": 1,
				"posting_date": D + "01-02",
				"remarks": "KPI opening stock",
				"items": [
					{"item_code": code, "t_warehouse": store, "qty": 100, "basic_rate": 500}
					for code in ITEMS.values()
				],
			}
		)
		entry.insert(ignore_permissions=True)
		entry.submit()
	names = {}
	for key, item, qty, posting_date in DELIVERIES:
		name = frappe.db.get_value("Delivery Note", {"company": COMPANY, "po_no": key, "docstatus": 1})
		if not name:
			note = frappe.get_doc(
				{
					"doctype": "Delivery Note",
					"company": COMPANY,
					"customer": CUSTOMERS["CB"],
					"po_no": key,
					"set_posting_time": 1,
					"posting_date": posting_date,
					"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
					"items": [{"item_code": ITEMS[item], "qty": qty, "rate": 800, "warehouse": store}],
				}
			)
			note.insert(ignore_permissions=True)
			note.submit()
			name = note.name
		names[key] = name
	return names


def ensure_returns(deliveries: dict) -> dict:
	"""Return requests against the deliveries; their outcome (completed, rejected) is set directly:
	the return flow itself is tested in aftersales/returns."""
	names = {}
	for key, delivery, item, qty, request_date, status in RETURNS:
		name = frappe.db.get_value("Return Request", {"company": COMPANY, "description": key})
		if not name:
			request = frappe.get_doc(
				{
					"doctype": "Return Request",
					"company": COMPANY,
					"customer": CUSTOMERS["CB"],
					"kind": "Return for Refund",
					"ground": "Quality Defect",
					"sales_document_type": "Delivery Note",
					"sales_document": deliveries[delivery],
					"request_date": request_date,
					"description": key,
					"late_override": 1,
					"override_reason": "KPI data set",
					"items": [{"item_code": ITEMS[item], "qty": qty}],
				}
			)
			request.insert(ignore_permissions=True)
			name = request.name
		frappe.db.set_value("Return Request", name, {"status": status, "request_date": request_date})
		names[key] = name
	return names


# ---------------------------------------------------------------- the orders (rebuilt each run)


def clear() -> None:
	"""Remove the data set's work orders, follow-ups and complaints (and what hangs on them)."""
	frappe.set_user("Administrator")
	orders = frappe.get_all("Service Work Order", {"company": COMPANY}, pluck="name")
	complaints = frappe.get_all(
		"Customer Complaint", {"service_work_order": ["in", orders or [""]]}, pluck="name"
	)
	complaints += frappe.get_all(
		"Customer Complaint", {"subject": ["like", COMPLAINT_MARK + "%"]}, pluck="name"
	)
	follow_ups = frappe.get_all(
		"Service Follow-up", {"service_work_order": ["in", orders or [""]]}, pluck="name"
	)
	for doctype, names in (
		("Service Work Order", orders),
		("Customer Complaint", complaints),
		("Service Follow-up", follow_ups),
	):
		if not names:
			continue
		for child in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(child.options, {"parent": ["in", names], "parenttype": doctype})
		for linked in ("ToDo", "Communication", "Version", "Comment"):
			field = "reference_name" if linked != "Version" else "docname"
			frappe.db.delete(linked, {field: ["in", names]})
		frappe.db.delete(doctype, {"name": ["in", names]})
	frappe.db.commit()


def set_up_module() -> dict:
	"""setUpModule of a test module on this data set: the data, built as Administrator."""
	frappe.set_user("Administrator")
	return build()


def tear_down_module() -> None:
	"""tearDownModule of a test module on this data set: the test's writes rolled back, the data and
	its daily KPI summary removed."""
	from aftersales.kpi import summary

	frappe.set_user("Administrator")
	frappe.db.rollback()
	clear()
	summary.forget(COMPANY)
	frappe.db.commit()


def build() -> dict:
	"""Clear and rebuild the orders, follow-ups and complaints; returns their names by key."""
	world = ensure_world()
	clear()
	settings = frappe.get_single("After-Sales Settings")
	if settings.appointment_limit_hours != 2:
		frappe.db.set_single_value("After-Sales Settings", "appointment_limit_hours", 2)
	orders = {}
	for key, point, tech, customer, item, received_on, steps in ORDERS:
		orders[key] = make_order(key, point, world["employees"].get(tech), customer, item, received_on, steps)
	complaints = make_complaints(orders)
	for key, (response_by, responded, resolution_by, resolved) in SLA.items():
		frappe.db.set_value(
			"Service Work Order",
			orders[key],
			{
				"response_by": response_by,
				"first_responded_on": responded,
				"sla_resolution_by": resolution_by,
				"sla_resolution_date": resolved,
			},
			update_modified=False,
		)
	for key, (parts, labour, total, revenue, margin) in COSTS.items():
		frappe.db.set_value(
			"Service Work Order",
			orders[key],
			{
				"parts_cost": parts,
				"labour_cost": labour,
				"total_cost": total,
				"revenue": revenue,
				"margin": margin,
			},
			update_modified=False,
		)
	facts.refresh(list(orders.values()))
	frappe.db.commit()
	return {**world, "orders": orders, "complaints": complaints}


STAFF_ROLES = sample.Staff(desk=DESK, dispatcher=DISPATCHER, inspector=INSPECTOR)


def make_order(key, point, technician, customer, item, received_on, steps) -> str:
	values = {
		"company": COMPANY,
		"customer": CUSTOMERS[customer],
		"phone": "1390000" + key[1:].zfill(4),
		"item_code": ITEMS[item],
		"purchase_date": "2024-12-01",
		"fault_code": "TV-NOPIC" if item == "TV" else "WM-E21",
		"received_on": received_on,
		"symptoms": f"KPI data set {key}",
	}
	return sample.make_order(values, point, technician, steps, STAFF_ROLES)


def make_complaints(orders: dict) -> dict:
	names = {}
	for key, order_key, received_at, deadline, status, closed_on in COMPLAINTS:
		order = orders.get(order_key)
		name = None
		if order and key in ("C1", "C2"):  # opened by the order's follow-up
			name = frappe.db.get_value("Customer Complaint", {"service_work_order": order})
		if not name:
			with wo.as_user(DESK):
				name = (
					frappe.get_doc(
						{
							"doctype": "Customer Complaint",
							"subject": f"{COMPLAINT_MARK} {key}",
							"channel": "Hotline",
							"category": "Repair Quality",
							"severity": "Normal",
							"customer": CUSTOMERS["CB"],
							"complainant": "KPI",
							"service_work_order": order,
							"description": "KPI data set complaint",
						}
					)
					.insert()
					.name
				)
		frappe.db.set_value(
			"Customer Complaint",
			name,
			{
				"received_at": received_at,
				"deadline": deadline,
				"status": status,
				"closed_on": closed_on,
				"tier": "Desk",
			},
			update_modified=False,
		)
		names[key] = name
	return names
