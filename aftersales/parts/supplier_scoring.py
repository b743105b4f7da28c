"""Supplier evaluation (SP-7) on ERPNext's Supplier Scorecard.

The app adds Supplier Scorecard Variables (`is_custom`, `path` = a function here that ERPNext's
Supplier Scorecard Period calls with itself) and five Supplier Scorecard Criteria, and gives every
supplier of spare parts a Supplier Scorecard with them (ERPNext then scores each month and sets
the supplier's standing). The criteria:

- Receipt Quality: the share of the received quantity rejected on Purchase Receipts (ERPNext's own
  `total_received_items` and `total_rejected_items` variables).
- Inspection Quality: the share of the Quality Inspections of the supplier's Purchase Receipts
  that were rejected.
- Warranty Failures: parts of the supplier that failed under warranty, per received quantity. A
  failed part is a removed old part on an in-warranty Service Work Order whose fault was reported
  in the period; its supplier is the one of the Purchase Receipt its serial number came in on,
  else the supplier of the item's latest Purchase Receipt before the order.
- Price: what the supplier charged against the average all suppliers charged for the same items
  in the period (100 = the average; each percent above it costs a point).
- On-time Delivery: the share of the quantity received against Purchase Orders that came by the
  order line's required date.

Each measure is one set-based query for any number of suppliers: the scorecard asks for one
supplier, the Spare Part Supplier Comparison report for all of them at once.
"""

import frappe
from frappe.query_builder import Order
from frappe.query_builder.functions import Coalesce, Count, Date, Sum
from frappe.utils import flt, getdate
from pypika.terms import Case

PATH = "aftersales.parts.supplier_scoring"

# param_name, label, function, description
VARIABLES = (
	(
		"as_inspections",
		"Quality Inspections of Receipts",
		"get_inspections",
		"Submitted Quality Inspections of the supplier's Purchase Receipts posted in the period.",
	),
	(
		"as_inspections_rejected",
		"Rejected Quality Inspections of Receipts",
		"get_inspections_rejected",
		"Of those, the inspections whose status is Rejected.",
	),
	(
		"as_warranty_failures",
		"Parts Failed Under Warranty",
		"get_warranty_failures",
		"Quantity of the supplier's parts removed as failed on in-warranty service work orders "
		"reported in the period.",
	),
	(
		"as_price_index",
		"Price Index of Receipts",
		"get_price_index",
		"What the supplier charged for the items received in the period, as a percentage of what the "
		"average price of all suppliers for the same items would have cost (100 = average).",
	),
	(
		"as_ordered_received_qty",
		"Quantity Received Against Orders",
		"get_ordered_received_qty",
		"Quantity received in the period on Purchase Receipt lines made from Purchase Order lines.",
	),
	(
		"as_on_time_qty",
		"Quantity Received On Time",
		"get_on_time_qty",
		"Of that quantity, what was received by the order line's required date.",
	),
)

# criteria_name, weight, formula (ERPNext evaluates it with max() and min(); {x} = a variable)
CRITERIA = (
	(
		"Spare Parts Receipt Quality",
		20,
		"100 if {total_received_items} == 0 else max(0, 100 - 100 * {total_rejected_items} / "
		"{total_received_items})",
	),
	(
		"Spare Parts Inspection Quality",
		15,
		"100 if {as_inspections} == 0 else 100 - 100 * {as_inspections_rejected} / {as_inspections}",
	),
	(
		"Spare Parts Warranty Failures",
		25,
		"max(0, 100 - 1000 * {as_warranty_failures} / max(10, {total_received_items}))",
	),
	(
		"Spare Parts Price",
		20,
		"100 if {as_price_index} == 0 else max(0, min(100, 200 - {as_price_index}))",
	),
	(
		"Spare Parts On-time Delivery",
		20,
		"100 if {as_ordered_received_qty} == 0 else 100 * {as_on_time_qty} / {as_ordered_received_qty}",
	),
)


# ---------------------------------------------------------------- set-up (install, patch, daily)


def ensure_scoring_setup() -> None:
	"""The app's variables and criteria, and ERPNext's standings (idempotent)."""
	if not frappe.db.exists("DocType", "Supplier Scorecard Variable"):
		return
	if not frappe.db.exists("Supplier Scorecard Variable", {"param_name": "total_received_items"}):
		from erpnext.buying.doctype.supplier_scorecard.supplier_scorecard import make_default_records

		make_default_records()
	for param_name, label, function, description in VARIABLES:
		values = {
			"variable_label": label,
			"is_custom": 1,
			"path": f"{PATH}.{function}",
			"description": description,
		}
		name = frappe.db.get_value("Supplier Scorecard Variable", {"param_name": param_name})
		if name:
			frappe.db.set_value("Supplier Scorecard Variable", name, values)
		else:
			frappe.get_doc(
				{"doctype": "Supplier Scorecard Variable", "param_name": param_name, **values}
			).insert(ignore_permissions=True)
	for criteria_name, weight, formula in CRITERIA:
		values = {"formula": formula, "weight": weight, "max_score": 100}
		if frappe.db.exists("Supplier Scorecard Criteria", criteria_name):
			frappe.db.set_value("Supplier Scorecard Criteria", criteria_name, values)
		else:
			frappe.get_doc(
				{"doctype": "Supplier Scorecard Criteria", "criteria_name": criteria_name, **values}
			).insert(ignore_permissions=True)


def remove_scoring_setup() -> None:
	"""Uninstall: the scorecards that score by the app's criteria alone (as the app made them) go with
	their periods; then the app's criteria and variables that no other scorecard uses. A scorecard a
	site mixed with its own criteria stays (its app criteria too)."""
	if not frappe.db.exists("DocType", "Supplier Scorecard"):
		return
	ours = {name for name, _weight, _formula in CRITERIA}
	rows = frappe.get_all(
		"Supplier Scorecard Scoring Criteria",
		{"parenttype": "Supplier Scorecard"},
		["parent", "criteria_name"],
	)
	by_card: dict[str, set] = {}
	for row in rows:
		by_card.setdefault(row.parent, set()).add(row.criteria_name)
	for card, names in by_card.items():
		if names <= ours:
			periods = frappe.get_all("Supplier Scorecard Period", {"scorecard": card}, pluck="name")
			for table in ("Supplier Scorecard Scoring Variable", "Supplier Scorecard Scoring Criteria"):
				frappe.db.delete(
					table, {"parenttype": "Supplier Scorecard Period", "parent": ["in", periods or [""]]}
				)
			frappe.db.delete("Supplier Scorecard Period", {"scorecard": card})
			frappe.delete_doc("Supplier Scorecard", card, ignore_permissions=True, force=True)
	for criteria_name in ours:
		used = frappe.db.exists("Supplier Scorecard Scoring Criteria", {"criteria_name": criteria_name})
		if frappe.db.exists("Supplier Scorecard Criteria", criteria_name) and not used:
			frappe.delete_doc(
				"Supplier Scorecard Criteria", criteria_name, ignore_permissions=True, force=True
			)
	for param_name, *_rest in VARIABLES:
		used = frappe.db.exists("Supplier Scorecard Scoring Variable", {"param_name": param_name})
		name = frappe.db.get_value("Supplier Scorecard Variable", {"param_name": param_name})
		if name and not used:
			frappe.delete_doc("Supplier Scorecard Variable", name, ignore_permissions=True, force=True)


def spare_part_suppliers() -> list[str]:
	"""Suppliers with a submitted Purchase Receipt of a spare part."""
	pr = frappe.qb.DocType("Purchase Receipt")
	item = frappe.qb.DocType("Purchase Receipt Item")
	part = frappe.qb.DocType("Spare Part")
	return [
		row[0]
		for row in (
			frappe.qb.from_(item)
			.join(pr)
			.on(pr.name == item.parent)
			.join(part)
			.on(part.item_code == item.item_code)
			.select(pr.supplier)
			.distinct()
			.where(pr.docstatus == 1)
			.orderby(pr.supplier)
		).run()
	]


def ensure_supplier_scorecard(supplier: str) -> str:
	"""The supplier's Supplier Scorecard with the app's criteria (a site's own scorecard is kept)."""
	if frappe.db.exists("Supplier Scorecard", supplier):
		return supplier
	ensure_scoring_setup()
	standings = frappe.get_all("Supplier Scorecard Standing", pluck="name", order_by="min_grade")
	scorecard = frappe.get_doc(
		{
			"doctype": "Supplier Scorecard",
			"supplier": supplier,
			"period": "Per Month",
			"standings": [{"standing_name": name} for name in standings],
			"criteria": [{"criteria_name": name, "weight": weight} for name, weight, _formula in CRITERIA],
		}
	)
	# the standing rows take their grades and actions from the standings (ERPNext's form does it)
	for row in scorecard.standings:
		row.update(
			frappe.db.get_value(
				"Supplier Scorecard Standing",
				row.standing_name,
				[
					"standing_color",
					"min_grade",
					"max_grade",
					"warn_rfqs",
					"warn_pos",
					"prevent_rfqs",
					"prevent_pos",
					"notify_supplier",
					"notify_employee",
					"employee_link",
				],
				as_dict=True,
			)
		)
	for row in scorecard.criteria:
		row.max_score, row.formula = 100, dict((c[0], c[2]) for c in CRITERIA)[row.criteria_name]
	scorecard.insert(ignore_permissions=True)
	return scorecard.name


def ensure_spare_part_supplier_scorecards() -> list[str]:
	"""Install, patch and daily: a scorecard for every supplier of spare parts that has none."""
	if not frappe.db.exists("DocType", "Supplier Scorecard"):
		return []
	ensure_scoring_setup()
	return [
		ensure_supplier_scorecard(s)
		for s in spare_part_suppliers()
		if not frappe.db.exists("Supplier Scorecard", s)
	]


# ---------------------------------------------------------------- measures (set-based)


def _receipts(start, end, suppliers):
	pr = frappe.qb.DocType("Purchase Receipt")
	item = frappe.qb.DocType("Purchase Receipt Item")
	query = (
		frappe.qb.from_(item)
		.join(pr)
		.on(pr.name == item.parent)
		.where(pr.docstatus == 1)
		.where(pr.posting_date[getdate(start) : getdate(end)])
	)
	if suppliers is not None:
		query = query.where(pr.supplier.isin(suppliers or [""]))
	return pr, item, query


def receipt_measures(start, end, suppliers: list[str] | None = None) -> dict[str, dict]:
	"""Received and rejected quantity, as ERPNext's `total_received_items` and
	`total_rejected_items` count them (every submitted receipt in the period)."""
	pr, item, query = _receipts(start, end, suppliers)
	rows = (
		query.select(
			pr.supplier,
			Sum(item.received_qty).as_("received_qty"),
			Sum(item.rejected_qty).as_("rejected_qty"),
		).groupby(pr.supplier)
	).run(as_dict=True)
	return {r.supplier: r for r in rows}


def inspection_measures(start, end, suppliers: list[str] | None = None) -> dict[str, dict]:
	pr, _item, _query = _receipts(start, end, suppliers)
	qi = frappe.qb.DocType("Quality Inspection")
	query = (
		frappe.qb.from_(qi)
		.join(pr)
		.on((qi.reference_type == "Purchase Receipt") & (qi.reference_name == pr.name))
		.select(
			pr.supplier,
			Count(qi.name).as_("inspections"),
			Sum(Case().when(qi.status == "Rejected", 1).else_(0)).as_("inspections_rejected"),
		)
		.where(qi.docstatus == 1)
		.where(pr.docstatus == 1)
		.where(pr.posting_date[getdate(start) : getdate(end)])
		.groupby(pr.supplier)
	)
	if suppliers is not None:
		query = query.where(pr.supplier.isin(suppliers or [""]))
	return {r.supplier: r for r in query.run(as_dict=True)}


def failed_part_supplier(old, order):
	"""The supplier a removed part is charged to: the one of the Purchase Receipt its serial number
	came in on, else the one of the item's latest receipt before the order (a correlated subquery)."""
	serial = frappe.qb.DocType("Serial No")
	pr = frappe.qb.DocType("Purchase Receipt")
	by_serial = (
		frappe.qb.from_(serial)
		.join(pr)
		.on(pr.name == serial.purchase_document_no)
		.select(pr.supplier)
		.where(serial.name == old.serial_no)
		.where(pr.docstatus == 1)
		.limit(1)
	)
	latest_pr = frappe.qb.DocType("Purchase Receipt").as_("latest_pr")
	latest_item = frappe.qb.DocType("Purchase Receipt Item").as_("latest_item")
	latest = (
		frappe.qb.from_(latest_item)
		.join(latest_pr)
		.on(latest_pr.name == latest_item.parent)
		.select(latest_pr.supplier)
		.where(latest_item.item_code == old.item_code)
		.where(latest_pr.docstatus == 1)
		.where(latest_pr.is_return == 0)
		.where(latest_pr.posting_date <= Date(order.received_on))
		.orderby(latest_pr.posting_date, order=Order.desc)
		.orderby(latest_pr.creation, order=Order.desc)
		.limit(1)
	)
	return Coalesce(by_serial, latest)


def failure_measures(start, end, suppliers: list[str] | None = None) -> dict[str, dict]:
	old = frappe.qb.DocType("Service Work Order Old Part")
	order = frappe.qb.DocType("Service Work Order")
	failed = (
		frappe.qb.from_(old)
		.join(order)
		.on((order.name == old.parent) & (old.parenttype == "Service Work Order"))
		.select(failed_part_supplier(old, order).as_("supplier"), old.qty.as_("qty"))
		.where(order.warranty_status == "In Warranty")
		.where(order.status != "Cancelled")
		.where(Date(order.received_on)[getdate(start) : getdate(end)])
	).as_("failed")
	query = (
		frappe.qb.from_(failed)
		.select(failed.supplier, Sum(failed.qty).as_("warranty_failures"))
		.where(failed.supplier.isnotnull())
		.groupby(failed.supplier)
	)
	if suppliers is not None:
		query = query.where(failed.supplier.isin(suppliers or [""]))
	return {r.supplier: r for r in query.run(as_dict=True)}


def price_measures(start, end, suppliers: list[str] | None = None) -> dict[str, dict]:
	"""Paid (net, company currency) against the same quantity at every supplier's average unit
	price of the item in the period; returns left out."""
	all_pr = frappe.qb.DocType("Purchase Receipt").as_("all_pr")
	all_item = frappe.qb.DocType("Purchase Receipt Item").as_("all_item")
	average = (
		frappe.qb.from_(all_item)
		.join(all_pr)
		.on(all_pr.name == all_item.parent)
		.select(
			all_item.item_code,
			(Sum(all_item.base_net_amount) / Sum(all_item.stock_qty)).as_("unit_price"),
		)
		.where(all_pr.docstatus == 1)
		.where(all_pr.is_return == 0)
		.where(all_item.stock_qty > 0)
		.where(all_pr.posting_date[getdate(start) : getdate(end)])
		.groupby(all_item.item_code)
	).as_("average")
	pr, item, query = _receipts(start, end, suppliers)
	rows = (
		query.join(average)
		.on(average.item_code == item.item_code)
		.select(
			pr.supplier,
			Sum(item.base_net_amount).as_("paid"),
			Sum(item.stock_qty * average.unit_price).as_("at_average"),
		)
		.where(pr.is_return == 0)
		.where(item.stock_qty > 0)
		.groupby(pr.supplier)
	).run(as_dict=True)
	for row in rows:
		row.price_index = 100 * flt(row.paid) / flt(row.at_average) if flt(row.at_average) else 0
	return {r.supplier: r for r in rows}


def delivery_measures(start, end, suppliers: list[str] | None = None) -> dict[str, dict]:
	po_item = frappe.qb.DocType("Purchase Order Item")
	pr, item, query = _receipts(start, end, suppliers)
	rows = (
		query.join(po_item)
		.on(po_item.name == item.purchase_order_item)
		.select(
			pr.supplier,
			Sum(item.received_qty).as_("ordered_received_qty"),
			Sum(Case().when(pr.posting_date <= po_item.schedule_date, item.received_qty).else_(0)).as_(
				"on_time_qty"
			),
		)
		.where(pr.is_return == 0)
		.groupby(pr.supplier)
	).run(as_dict=True)
	return {r.supplier: r for r in rows}


# ---------------------------------------------------------------- the scorecard's variables


def _value(measures, scorecard, field: str) -> float:
	found = measures(scorecard.start_date, scorecard.end_date, [scorecard.supplier])
	return flt((found.get(scorecard.supplier) or {}).get(field))


def get_inspections(scorecard) -> float:
	return _value(inspection_measures, scorecard, "inspections")


def get_inspections_rejected(scorecard) -> float:
	return _value(inspection_measures, scorecard, "inspections_rejected")


def get_warranty_failures(scorecard) -> float:
	return _value(failure_measures, scorecard, "warranty_failures")


def get_price_index(scorecard) -> float:
	return _value(price_measures, scorecard, "price_index")


def get_ordered_received_qty(scorecard) -> float:
	return _value(delivery_measures, scorecard, "ordered_received_qty")


def get_on_time_qty(scorecard) -> float:
	return _value(delivery_measures, scorecard, "on_time_qty")


def load_variables(doc=None, method=None) -> None:
	"""`before_validate` of Supplier Scorecard Period and Variable. ERPNext finds a custom variable's
	function by walking attributes from the top package (`import_string_path`), which works only
	once this module is imported; naming this hook imports it."""
