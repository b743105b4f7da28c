"""Spare-part figures computed from ERPNext's Stock Ledger and Bins (SP-2..SP-5): ABC classes,
stock against the warning lines, last movement and dead stock, demand forecast, suggested warning
line and the Material Requests that replenish parts below their line. The rules are in
aftersales/domain; here they are fed by a few set-based queries (frappe.qb) over all parts at once,
and only the parts whose figures changed are written (aftersales/parts/bulk.py).

Scheduled (hooks.py): `daily` (stock status, forecast, notification, Material Requests) and
`recompute_abc_classes` weekly; managers run both on demand from the Spare Part list.
Each runs a fixed number of queries whatever the number of parts, plus one write per 1,000
changed rows, plus the Material Requests it raises.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Coalesce, Max, Sum
from frappe.utils import add_days, add_months, cint, flt, get_first_day, getdate, nowdate
from pypika.enums import DatePart
from pypika.functions import Extract

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain import replenishment, stock_status
from aftersales.domain.abc import class_change, classify
from aftersales.domain.forecast import forecast_next
from aftersales.parts.bulk import insert_child_rows, update_rows
from aftersales.roles import AFTER_SALES_MANAGER

SLE = frappe.qb.DocType("Stock Ledger Entry")
BIN = frappe.qb.DocType("Bin")
PART = frappe.qb.DocType("Spare Part")
LINE = frappe.qb.DocType("Spare Part Warning Line")

FORECAST_MONTHS = 12


def spare_parts() -> list[str]:
	return frappe.get_all("Spare Part", filters={"disabled": 0}, pluck="item_code")


def enabled_parts(*fields) -> list[dict]:
	return (
		frappe.qb.from_(PART).select(PART.name, *(PART[f] for f in fields)).where(PART.disabled == 0)
	).run(as_dict=True)


def issued_value_by_item(from_date, to_date=None) -> dict[str, float]:
	"""Value of stock that left the warehouses (outgoing ledger entries) per enabled part."""
	query = (
		frappe.qb.from_(SLE)
		.join(PART)
		.on(PART.name == SLE.item_code)
		.select(SLE.item_code, Sum(SLE.stock_value_difference))
		.where(PART.disabled == 0)
		.where(SLE.is_cancelled == 0)
		.where(SLE.actual_qty < 0)
		.where(SLE.posting_date >= from_date)
		.groupby(SLE.item_code)
	)
	if to_date:
		query = query.where(SLE.posting_date <= to_date)
	return {item: -flt(value) for item, value in query.run()}


# ---------------------------------------------------------------- weekly: ABC classes


def recompute_abc_classes(today=None) -> dict[str, str]:
	"""Weekly and on demand: computed classes from the issued value over the look-back window.
	A part's manual override stays in force; every change of the effective class is added to the
	part's Class History. Parts whose class and issued value did not change are not written."""
	settings = get_settings()
	today = getdate(today or nowdate())
	parts = enabled_parts("abc_class", "computed_class", "class_override", "override_reason", "issued_value")
	values = issued_value_by_item(add_months(today, -(cint(settings.abc_lookback_months) or 12)), today)
	classes = classify(
		{part.name: values.get(part.name, 0.0) for part in parts},
		a_share=flt(settings.abc_a_share) or 80,
		b_share=flt(settings.abc_b_share) or 95,
	)
	changes, history = {}, []
	for part in parts:
		computed, issued = classes[part.name], flt(values.get(part.name))
		if part.computed_class == computed and stock_status.same(part.issued_value, issued):
			continue
		moved = class_change(part.abc_class, part.class_override, computed)
		# every changed row gets the same columns: one statement per 1,000 rows
		change = {
			"computed_class": computed,
			"issued_value": issued,
			"classified_on": today,
			"abc_class": moved["to_class"] if moved else part.abc_class,
		}
		if moved:
			history.append(
				{
					"parent": part.name,
					"changed_on": today,
					"issued_value": issued,
					"note": part.override_reason if part.class_override else None,
					**moved,
				}
			)
		changes[part.name] = change
	add_class_history(history)
	update_rows("Spare Part", changes)
	return classes


def add_class_history(rows: list[dict]) -> None:
	if not rows:
		return
	history = frappe.qb.DocType("Spare Part Class Change")
	last_idx = dict(
		(
			frappe.qb.from_(history)
			.join(PART)
			.on(PART.name == history.parent)
			.select(history.parent, Max(history.idx))
			.where(history.parenttype == "Spare Part")
			.where(PART.disabled == 0)
			.groupby(history.parent)
		).run()
	)
	for row in rows:
		row["idx"] = cint(last_idx.get(row["parent"])) + 1
	insert_child_rows("Spare Part Class Change", "Spare Part", "class_history", rows)


# ---------------------------------------------------------------- daily: stock status and forecast


def stock_totals() -> dict[str, tuple[float, float]]:
	rows = (
		frappe.qb.from_(BIN)
		.join(PART)
		.on(PART.name == BIN.item_code)
		.select(BIN.item_code, Sum(BIN.actual_qty), Sum(BIN.stock_value))
		.where(PART.disabled == 0)
		.groupby(BIN.item_code)
	).run()
	return {item: (flt(qty), flt(value)) for item, qty, value in rows}


def last_movement_by_item() -> dict[str, object]:
	rows = (
		frappe.qb.from_(SLE)
		.join(PART)
		.on(PART.name == SLE.item_code)
		.select(SLE.item_code, Max(SLE.posting_date))
		.where(PART.disabled == 0)
		.where(SLE.is_cancelled == 0)
		.groupby(SLE.item_code)
	).run()
	return {item: getdate(day) if day else None for item, day in rows}


def monthly_usage_by_item(months: int, today) -> dict[str, list[float]]:
	"""Quantity issued per calendar month and part, oldest first, ending with last month: one row
	per part with a column per month (the months are summed in SQL)."""
	start = get_first_day(add_months(today, -months))
	end = add_days(get_first_day(today), -1)
	month = (Extract(DatePart.year, SLE.posting_date) - start.year) * 12 + Extract(
		DatePart.month, SLE.posting_date
	)
	used = [
		Sum(Case().when(month == start.month + k, -SLE.actual_qty).else_(0)).as_(f"m{k}")
		for k in range(months)
	]
	rows = (
		frappe.qb.from_(SLE)
		.join(PART)
		.on(PART.name == SLE.item_code)
		.select(SLE.item_code, *used)
		.where(PART.disabled == 0)
		.where(SLE.is_cancelled == 0)
		.where(SLE.actual_qty < 0)
		.where(SLE.posting_date[start:end])
		.groupby(SLE.item_code)
	).run()
	return {item: [flt(qty) for qty in usage] for item, *usage in rows}


def update_stock_status(today=None) -> dict[str, int]:
	"""Daily: stock, last movement, dead-stock flag, warning-line status, forecast and suggested
	warning line of every enabled part; returns how many parts and warning lines were written."""
	settings = get_settings()
	today = getdate(today or nowdate())
	dead_days = cint(settings.dead_stock_days) or 180
	parts = enabled_parts(
		"stock_qty",
		"stock_value",
		"last_movement_date",
		"is_dead_stock",
		"forecast_qty",
		"forecast_recent_level",
		"forecast_seasonal_index",
		"lead_time_days",
		"safety_stock",
		"suggested_warning_line",
		"forecast_on",
	)
	totals = stock_totals()
	last_moves = last_movement_by_item()
	usage = monthly_usage_by_item(FORECAST_MONTHS, today)

	part_changes = {}
	for part in parts:
		qty, value = totals.get(part.name, (0.0, 0.0))
		last_move = last_moves.get(part.name)
		forecast = forecast_next(usage.get(part.name) or [0.0] * FORECAST_MONTHS)
		computed = {
			"stock_qty": qty,
			"stock_value": value,
			"last_movement_date": last_move,
			"is_dead_stock": int(stock_status.is_dead_stock(qty, last_move, today, dead_days)),
			"forecast_qty": forecast.quantity,
			"forecast_recent_level": forecast.recent_level,
			"forecast_seasonal_index": forecast.seasonal_index,
			"suggested_warning_line": replenishment.suggested_warning_line(
				forecast.quantity, max(cint(part.lead_time_days), 0), max(flt(part.safety_stock), 0)
			),
		}
		changed = stock_status.changed_values(part, computed)
		if changed:
			forecast_moved = {"forecast_qty", "forecast_recent_level", "forecast_seasonal_index"} & set(
				changed
			)
			# every changed row gets the same columns: one statement per 1,000 rows
			part_changes[part.name] = {
				**computed,
				"forecast_on": today if forecast_moved else part.forecast_on,
			}

	line_changes = {}
	for line in warning_lines_with_stock():
		computed = {
			"stock_qty": flt(line.bin_qty),
			"below_warning_line": int(
				stock_status.below_warning_line(flt(line.bin_qty), flt(line.warning_level))
			),
		}
		if stock_status.changed_values(line, computed):
			line_changes[line.name] = computed

	update_rows("Spare Part", part_changes)
	update_rows("Spare Part Warning Line", line_changes)
	return {"parts": len(part_changes), "warning_lines": len(line_changes)}


def warning_lines_with_stock() -> list[dict]:
	return (
		frappe.qb.from_(LINE)
		.join(PART)
		.on(PART.name == LINE.parent)
		.left_join(BIN)
		.on((BIN.item_code == PART.item_code) & (BIN.warehouse == LINE.warehouse))
		.select(
			LINE.name,
			LINE.warning_level,
			LINE.stock_qty,
			LINE.below_warning_line,
			Coalesce(BIN.actual_qty, 0).as_("bin_qty"),
		)
		.where(LINE.parenttype == "Spare Part")
		.where(PART.disabled == 0)
	).run(as_dict=True)


def notify_below_warning_line() -> list[str]:
	"""Daily, after update_stock_status: tell the warehouse and purchasing which parts are at or
	below their warning line (`raise_material_requests` asks for them)."""
	rows = (
		frappe.qb.from_(LINE)
		.join(PART)
		.on(PART.name == LINE.parent)
		.select(LINE.parent, LINE.warehouse, LINE.stock_qty, LINE.warning_level)
		.where(LINE.below_warning_line == 1)
		.where(PART.disabled == 0)
	).run(as_dict=True)
	if not rows:
		return []
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification
	from frappe.utils.user import get_users_with_role

	users = set()
	for role in ("Stock Manager", "Purchase Manager", "Purchase User", AFTER_SALES_MANAGER):
		users.update(get_users_with_role(role))
	shown = rows[:200]
	lines = "<br>".join(
		_("{0} in {1}: {2} (warning line {3})").format(r.parent, r.warehouse, r.stock_qty, r.warning_level)
		for r in shown
	)
	if len(rows) > len(shown):
		lines += "<br>" + _("… and {0} more: see the report Spare Parts Below Warning Line.").format(
			len(rows) - len(shown)
		)
	enqueue_create_notification(
		list(users - {"Administrator"}),
		{
			"type": "Alert",
			"document_type": "Spare Part",
			"document_name": rows[0].parent,
			"subject": _("{0} spare parts are at or below their warning line").format(len(rows)),
			"email_content": lines,
			"from_user": "Administrator",
		},
	)
	return [r.parent for r in rows]


# ---------------------------------------------------------------- daily: Material Requests (SP-4)


def parts_to_request() -> list[dict]:
	"""Warning lines whose projected quantity is at or below the line and that no open Purchase
	Material Request (draft, or submitted and not fully ordered) covers yet."""
	request = frappe.qb.DocType("Material Request")
	request_item = frappe.qb.DocType("Material Request Item")
	warehouse = frappe.qb.DocType("Warehouse")
	open_request = (
		frappe.qb.from_(request_item)
		.join(request)
		.on(request.name == request_item.parent)
		.select(request_item.name)
		.where(request_item.item_code == PART.item_code)
		.where(request_item.warehouse == LINE.warehouse)
		.where(request.material_request_type == "Purchase")
		.where(request.docstatus < 2)
		.where(request.status.notin(["Stopped", "Cancelled"]))
		.where(request_item.ordered_qty < request_item.stock_qty)
	)
	projected = Coalesce(BIN.projected_qty, 0)
	return (
		frappe.qb.from_(LINE)
		.join(PART)
		.on(PART.name == LINE.parent)
		.join(warehouse)
		.on(warehouse.name == LINE.warehouse)
		.left_join(BIN)
		.on((BIN.item_code == PART.item_code) & (BIN.warehouse == LINE.warehouse))
		.select(
			PART.item_code,
			PART.lead_time_days,
			PART.order_batch_qty,
			LINE.warehouse,
			LINE.warning_level,
			LINE.reorder_qty,
			projected.as_("projected_qty"),
			warehouse.company,
		)
		.where(LINE.parenttype == "Spare Part")
		.where(PART.disabled == 0)
		.where(LINE.warning_level > 0)
		.where(projected <= LINE.warning_level)
		.where(frappe.qb.terms.ExistsCriterion(open_request).negate())
		.orderby(warehouse.company)
		.orderby(PART.item_code)
	).run(as_dict=True)


def raise_material_requests(today=None) -> list[str]:
	"""One submitted Purchase Material Request per company for the parts at or below their warning
	line (as ERPNext's own auto re-order, erpnext/stock/reorder_item.py), each line with its warehouse,
	in whole order batches, needed by today + the part's lead time. Where Buying Settings refuse an
	item twice in one document, one per company and warehouse (a part below its line in two
	warehouses would otherwise stop every request of the company)."""
	today = getdate(today or nowdate())
	lines = parts_to_request()
	if not lines:
		return []
	per_warehouse = not cint(frappe.db.get_single_value("Buying Settings", "allow_multiple_items"))
	groups = defaultdict(list)
	for row in lines:
		groups[(row.company, row.warehouse if per_warehouse else None)].append(row)
	names = []
	for (company, _warehouse), rows in groups.items():
		request = frappe.new_doc("Material Request")
		request.update(
			{
				"company": company,
				"material_request_type": "Purchase",
				"transaction_date": today,
				"schedule_date": add_days(today, max(cint(r.lead_time_days) for r in rows)),
			}
		)
		for row in rows:
			request.append(
				"items",
				{
					"item_code": row.item_code,
					"warehouse": row.warehouse,
					"qty": replenishment.request_qty(
						flt(row.warning_level),
						flt(row.projected_qty),
						flt(row.reorder_qty),
						max(flt(row.order_batch_qty), 0),
					),
					"schedule_date": add_days(today, max(cint(row.lead_time_days), 0)),
				},
			)
		request.flags.ignore_permissions = True
		request.insert()
		request.submit()
		names.append(request.name)
	return names


def daily() -> None:
	update_stock_status()
	notify_below_warning_line()
	raise_material_requests()


@frappe.whitelist()
def refresh_now() -> None:
	"""On demand from the Spare Part list (managers): classes, stock status and forecasts."""
	frappe.only_for(("Stock Manager", AFTER_SALES_MANAGER, "System Manager"))
	recompute_abc_classes()
	update_stock_status()
