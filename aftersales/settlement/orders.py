"""The closed Service Work Orders that claims and settlements take, read in one query each.

An order is closed when its status log records the move to Closed (the last such move counts:
`closed_on`). Claim batches and settlements take the orders closed up to the end of their period
that no submitted batch or settlement holds yet, so an order that was not ready at the end of its
own period (an in-warranty job whose claim was not made yet) is taken by the next one.
"""

import frappe
from frappe.query_builder.functions import Max
from frappe.utils import add_days, getdate

from aftersales.domain import work_order_flow

ORDER_FIELDS = (
	"name",
	"company",
	"item_code",
	"serial_no",
	"fault_code",
	"technician",
	"service_point",
	"warranty_status",
	"labour_hours",
	"revenue",
	"parts_cost",
	"chargeable_amount",
	"sales_invoice",
	"currency",
)


def closed_on_query():
	"""order name -> when it was (last) closed, from the status log."""
	log = frappe.qb.DocType("Service Work Order Log")
	return (
		frappe.qb.from_(log)
		.select(log.parent, Max(log.timestamp).as_("closed_on"))
		.where(log.parenttype == "Service Work Order")
		.where(log.status == work_order_flow.CLOSED)
		.groupby(log.parent)
	)


def end_of(day) -> str:
	"""The first moment after `day` (orders closed before it are in the period)."""
	return f"{add_days(getdate(day), 1)} 00:00:00"


def closed_orders(
	company: str,
	to_date,
	*,
	warranty_status: str | None = None,
	service_point: str | None = None,
	technician: str | None = None,
	names: list[str] | None = None,
	exclude_keys_of: tuple[str, str] | None = None,
) -> list[frappe._dict]:
	"""Closed orders of `company` up to the end of `to_date`, oldest first. `exclude_keys_of`
	(child DocType, key column) leaves out the orders a submitted batch or settlement holds."""
	order = frappe.qb.DocType("Service Work Order")
	closed = closed_on_query().as_("closed")
	query = (
		frappe.qb.from_(order)
		.join(closed)
		.on(closed.parent == order.name)
		.select(*(order[f] for f in ORDER_FIELDS), closed.closed_on)
		.where(order.company == company)
		.where(order.status == work_order_flow.CLOSED)
		.where(closed.closed_on < end_of(to_date))
		.orderby(closed.closed_on)
		.orderby(order.name)
	)
	if warranty_status:
		query = query.where(order.warranty_status == warranty_status)
	if service_point:
		query = query.where(order.service_point == service_point)
	if technician:
		query = query.where(order.technician == technician)
	if names is not None:
		query = query.where(order.name.isin(names or [""]))
	if exclude_keys_of:
		child = frappe.qb.DocType(exclude_keys_of[0])
		key = child[exclude_keys_of[1]]
		query = query.where(order.name.notin(frappe.qb.from_(child).select(key).where(key.isnotnull())))
	return query.run(as_dict=True)
