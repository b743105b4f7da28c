"""Spare-part figures computed from ERPNext's Stock Ledger and Bins (SP-2..SP-5): ABC classes,
stock against the warning lines, last movement and dead stock, demand forecast. Aggregation runs
in SQL (frappe.qb); the rules themselves are in aftersales/domain.

Scheduled: ABC weekly, the rest daily; managers can run them on demand from the Spare Part list.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Max, Sum
from frappe.utils import add_days, add_months, date_diff, flt, get_first_day, getdate, nowdate

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain.abc import classify
from aftersales.domain.forecast import forecast_next
from aftersales.integrity import server_action
from aftersales.roles import AFTER_SALES_MANAGER

SLE = frappe.qb.DocType("Stock Ledger Entry")
BIN = frappe.qb.DocType("Bin")


def spare_parts() -> list[str]:
	return frappe.get_all("Spare Part", filters={"disabled": 0}, pluck="item_code")


def issued_value_by_item(items: list[str], from_date, to_date=None) -> dict[str, float]:
	"""Value of stock that left the warehouses (outgoing ledger entries) per item."""
	if not items:
		return {}
	query = (
		frappe.qb.from_(SLE)
		.select(SLE.item_code, Sum(SLE.stock_value_difference))
		.where(SLE.item_code.isin(items))
		.where(SLE.is_cancelled == 0)
		.where(SLE.actual_qty < 0)
		.where(SLE.posting_date >= from_date)
		.groupby(SLE.item_code)
	)
	if to_date:
		query = query.where(SLE.posting_date <= to_date)
	return {item: -flt(value) for item, value in query.run()}


def recompute_abc_classes(today=None) -> dict[str, str]:
	"""Weekly and on demand: computed classes from the issued value over the look-back window;
	a part's manual override stays in force (Spare Part.set_effective_class)."""
	settings = get_settings()
	today = getdate(today or nowdate())
	items = spare_parts()
	values = issued_value_by_item(items, add_months(today, -(settings.abc_lookback_months or 12)), today)
	classes = classify(
		{item: values.get(item, 0.0) for item in items},
		a_share=flt(settings.abc_a_share) or 80,
		b_share=flt(settings.abc_b_share) or 95,
	)
	for item, computed in classes.items():
		part = frappe.get_doc("Spare Part", item)
		if part.computed_class == computed and flt(part.issued_value) == flt(values.get(item)):
			continue
		part.computed_class = computed
		part.issued_value = values.get(item, 0.0)
		part.classified_on = today
		part.flags.ignore_permissions = True
		server_action(part, "ABC classes")
		part.save()
	return classes


def stock_by_item_and_warehouse(items: list[str]) -> dict[tuple[str, str], tuple[float, float]]:
	rows = (
		frappe.qb.from_(BIN)
		.select(BIN.item_code, BIN.warehouse, BIN.actual_qty, BIN.stock_value)
		.where(BIN.item_code.isin(items or [""]))
	).run()
	return {(item, warehouse): (flt(qty), flt(value)) for item, warehouse, qty, value in rows}


def last_movement_by_item(items: list[str]) -> dict[str, object]:
	rows = (
		frappe.qb.from_(SLE)
		.select(SLE.item_code, Max(SLE.posting_date))
		.where(SLE.item_code.isin(items or [""]))
		.where(SLE.is_cancelled == 0)
		.groupby(SLE.item_code)
	).run()
	return dict(rows)


def monthly_usage(item: str, months: int, today) -> list[float]:
	"""Quantity issued per calendar month, oldest first, ending with last month."""
	start = get_first_day(add_months(today, -months))
	end = add_days(get_first_day(today), -1)
	rows = (
		frappe.qb.from_(SLE)
		.select(SLE.posting_date, SLE.actual_qty)
		.where(SLE.item_code == item)
		.where(SLE.is_cancelled == 0)
		.where(SLE.actual_qty < 0)
		.where(SLE.posting_date[start:end])
	).run()
	usage = [0.0] * months
	for posting_date, qty in rows:
		posting_date = getdate(posting_date)
		index = (posting_date.year - start.year) * 12 + posting_date.month - start.month
		if 0 <= index < months:
			usage[index] += -flt(qty)
	return usage


def update_stock_status(today=None) -> None:
	"""Daily: stock, last movement, dead-stock flag, warning-line status and forecast of every part."""
	settings = get_settings()
	today = getdate(today or nowdate())
	items = spare_parts()
	stock = stock_by_item_and_warehouse(items)
	totals = {}
	for (item, _warehouse), (qty, value) in stock.items():
		item_qty, item_value = totals.get(item, (0.0, 0.0))
		totals[item] = (item_qty + qty, item_value + value)
	last_moves = last_movement_by_item(items)
	for item in items:
		part = frappe.get_doc("Spare Part", item)
		qty, value = totals.get(item, (0.0, 0.0))
		last_move = last_moves.get(item)
		part.stock_qty, part.stock_value, part.last_movement_date = qty, value, last_move
		part.is_dead_stock = int(
			qty > 0 and (not last_move or date_diff(today, last_move) >= (settings.dead_stock_days or 180))
		)
		for line in part.warning_lines:
			line.stock_qty = stock.get((item, line.warehouse), (0.0, 0.0))[0]
			line.below_warning_line = int(line.stock_qty <= flt(line.warning_level))
		forecast = forecast_next(monthly_usage(item, 12, today))
		part.forecast_qty = forecast.quantity
		part.forecast_recent_level = forecast.recent_level
		part.forecast_seasonal_index = forecast.seasonal_index
		part.forecast_on = today
		part.flags.ignore_permissions = True
		server_action(part, "stock status and forecast")
		part.save()


def notify_below_warning_line() -> list[str]:
	"""Daily, after update_stock_status: tell the warehouse and purchasing which parts are at or
	below their warning line (ERPNext's reorder job raises the Material Requests)."""
	line = frappe.qb.DocType("Spare Part Warning Line")
	rows = (
		frappe.qb.from_(line)
		.select(line.parent, line.warehouse, line.stock_qty, line.warning_level)
		.where(line.below_warning_line == 1)
	).run(as_dict=True)
	if not rows:
		return []
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification
	from frappe.utils.user import get_users_with_role

	users = set()
	for role in ("Stock Manager", "Purchase Manager", "Purchase User", AFTER_SALES_MANAGER):
		users.update(get_users_with_role(role))
	lines = "<br>".join(
		_("{0} in {1}: {2} (warning line {3})").format(r.parent, r.warehouse, r.stock_qty, r.warning_level)
		for r in rows
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


def daily() -> None:
	update_stock_status()
	notify_below_warning_line()


@frappe.whitelist()
def refresh_now() -> None:
	"""On demand from the Spare Part list (managers): classes, stock status and forecasts."""
	frappe.only_for(("Stock Manager", AFTER_SALES_MANAGER, "System Manager"))
	recompute_abc_classes()
	update_stock_status()
