"""Spare parts on a Service Work Order (WO-8, WO-9, WO-10). Stock moves only through ERPNext Stock
Entries that point back to the order (custom fields aftersales_reference_*):

- issue: one Material Issue per approved line, from the line's warehouse;
- return of unused parts: one Material Receipt per line, at the issue's valuation rate;
- old parts removed from the product: a Material Receipt at zero value into the used-parts
  warehouse (reusable) or the scrap warehouse (scrap);
- cancelling a line cancels its entries; cancelling the order cancels all of them, newest first,
  so the stock ledger is exactly as before.
"""

import frappe
from frappe import _
from frappe.utils import flt

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain import desk_actions
from aftersales.domain import work_order_flow as flow
from aftersales.integrity import server_action
from aftersales.service.work_order.errors import (
	ConsentRequiredError,
	MissingInformationError,
	PartNotInStockError,
	PartsChangeError,
	WorkOrderTransitionError,
)

ORDER = "Service Work Order"
LOCKED_FIELDS = ("item_code", "qty", "warehouse", "rate", "chargeable")
# who may take each parts action and in which states: aftersales/domain/desk_actions.py, which
# the form reads too (its buttons show only to those roles)
STOCK_ROLES = desk_actions.STOCK_ROLES
WORKING_STATES = desk_actions.PARTS_WORKING_STATES
RETURN_STATES = desk_actions.PARTS_RETURN_STATES
CANCEL_STATES = desk_actions.PARTS_CANCEL_STATES


# ---------------------------------------------------------------- validation (controller)


def set_defaults(doc) -> None:
	"""Warehouse, rate and amount of each line; a new line is chargeable when the job is out of
	warranty (the desk may change that while the line is still Requested)."""
	settings = get_settings()
	default_warehouse = (
		frappe.get_cached_value("Service Point", doc.service_point, "warehouse")
		if doc.service_point
		else None
	) or settings.spare_parts_warehouse
	before = doc.get_doc_before_save()
	known = {row.name for row in before.parts} if before else set()
	for row in doc.parts:
		row.warehouse = row.warehouse or default_warehouse
		if not row.rate and row.item_code:
			row.rate = selling_rate(row.item_code)
		if row.name not in known:
			row.chargeable = 1 if doc.warranty_status == "Out of Warranty" else 0
		row.amount = flt(row.qty) * flt(row.rate)
	for row in doc.old_parts:
		row.warehouse = (
			settings.used_parts_warehouse if row.condition == "Reusable" else settings.scrap_warehouse
		)


def parts_price_list() -> str | None:
	return get_settings().price_list or frappe.db.get_single_value("Selling Settings", "selling_price_list")


def selling_rate(item_code: str) -> float:
	rate = frappe.db.get_value(
		"Item Price",
		{"item_code": item_code, "price_list": parts_price_list(), "selling": 1},
		"price_list_rate",
	)
	return flt(rate or frappe.get_cached_value("Item", item_code, "standard_rate"))


def validate_changes(doc) -> None:
	"""Approved, issued or cancelled lines change only through the parts actions."""
	before = doc.get_doc_before_save()
	old_rows = {row.name: row for row in before.parts} if before else {}
	action = doc.flags.server_action
	for row in doc.parts:
		if flt(row.qty) <= 0:
			throw_locked(row, _("the quantity must be more than 0"))
		old = old_rows.pop(row.name, None)
		if old is None:
			if row.status != "Requested":
				throw_locked(row, _("a new line starts as Requested"))
			continue
		if old.status != row.status and not action:
			throw_locked(row, _("use the Approve / Issue / Cancel actions to change a line's status"))
		if old.status != "Requested" and any(old.get(f) != row.get(f) for f in LOCKED_FIELDS):
			throw_locked(row, _("the line is {0}").format(_(old.status)))
	for old in old_rows.values():
		if old.status != "Requested":
			throw_locked(old, _("the line is {0} and cannot be removed").format(_(old.status)))


def throw_locked(row, why: str):
	frappe.throw(
		_("Parts row {0} ({1}) cannot be changed: {2}.").format(row.idx, frappe.bold(row.item_code), why),
		exc=PartsChangeError,
		title=_("Parts Locked"),
	)


def update_plan(doc) -> None:
	"""WO-8: what the customer agreed to. Confirming the estimate, and each consent recorded after
	a scope change, put the lines requested so far and the estimated hours into the plan; lines
	requested later, and hours beyond the plan, need a new consent, in warranty too."""
	before = doc.get_doc_before_save()
	if before and before.customer_confirmed and not doc.customer_confirmed:
		frappe.throw(
			_(
				"The customer's confirmation of the estimate cannot be withdrawn; request a new consent instead."
			),
			exc=ConsentRequiredError,
			title=_("Customer Consent"),
		)
	confirmed_now = doc.customer_confirmed and not (before and before.customer_confirmed)
	consented_now = before and before.status == flow.AWAITING_CONSENT and doc.status == flow.IN_PROGRESS
	if not (confirmed_now or consented_now):
		return
	for row in doc.parts:
		if row.status != "Cancelled":
			row.in_plan = 1
	doc.planned_hours = max(flt(doc.estimated_hours), flt(doc.planned_hours))


def allowed_amount(doc) -> float:
	"""What the customer agreed to pay: the confirmed estimate or a later consent, whichever is more."""
	confirmed = flt(doc.estimated_cost) if doc.customer_confirmed else 0
	return max(confirmed, flt(doc.consented_amount))


# ---------------------------------------------------------------- actions


def check_role(roles: tuple[str, ...], what: str) -> None:
	if not set(roles) & set(frappe.get_roles()):
		frappe.throw(
			_("You need one of the roles {0} to {1}.").format(", ".join(_(r) for r in roles), what),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)


def check_status(doc, states: tuple[str, ...], what: str) -> None:
	if doc.status not in states:
		frappe.throw(
			_("Parts can be {0} only while the order is {1}; it is {2}.").format(
				what, ", ".join(_(s) for s in states), frappe.bold(_(doc.status))
			),
			exc=WorkOrderTransitionError,
			title=_("Not Now"),
		)


def approve(doc) -> list[str]:
	check_role(desk_actions.roles_for(ORDER, "approve_parts"), _("approve parts"))
	check_status(doc, WORKING_STATES, _("approved"))
	rows = [row for row in doc.parts if row.status == "Requested"]
	if not rows:
		frappe.throw(_("No requested parts to approve."), exc=MissingInformationError)
	beyond_plan = [str(row.idx) for row in rows if not row.in_plan]
	if beyond_plan:
		frappe.throw(
			_(
				"Parts in rows {0} are beyond what the customer agreed to: request and record the customer's consent first."
			).format(", ".join(beyond_plan)),
			exc=ConsentRequiredError,
			title=_("Customer Consent Required"),
		)
	for row in rows:
		row.status = "Approved"
		row.approved_by = frappe.session.user
	server_action(doc, "approve parts")
	doc.calculate_charges()
	if doc.chargeable_amount > allowed_amount(doc) + 0.005:
		frappe.throw(
			_(
				"The chargeable total {0} is above what the customer agreed to ({1}): record the customer's consent to the new total first."
			).format(
				frappe.bold(fmt_money(doc, doc.chargeable_amount)),
				frappe.bold(fmt_money(doc, allowed_amount(doc))),
			),
			exc=ConsentRequiredError,
			title=_("Customer Consent Required"),
		)
	doc.save(ignore_permissions=True)  # the action checked the role itself
	return [row.name for row in rows]


def fmt_money(doc, amount):
	return frappe.format(amount, {"fieldtype": "Currency", "options": doc.currency})


def issue(doc) -> list[str]:
	check_role(desk_actions.roles_for(ORDER, "issue_parts"), _("issue parts"))
	check_status(doc, WORKING_STATES, _("issued"))
	rows = [row for row in doc.parts if row.status == "Approved"]
	if not rows:
		frappe.throw(_("No approved parts to issue."), exc=MissingInformationError)
	check_stock(rows)
	entries = []
	for row in rows:
		entry = make_stock_entry(
			doc,
			"Material Issue",
			[{"item_code": row.item_code, "qty": row.qty, "s_warehouse": row.warehouse}],
		)
		row.status = "Issued"
		row.issued_qty = row.qty
		row.stock_entry = entry.name
		row.issued_on = entry.posting_date
		row.valuation_rate = entry.items[0].valuation_rate
		entries.append(entry.name)
	server_action(doc, "issue parts")
	doc.save(ignore_permissions=True)  # the action checked the role itself
	return entries


def check_stock(rows) -> None:
	"""All lines at once, before anything is written: stock may not go below zero."""
	needed = {}
	for row in rows:
		needed[(row.item_code, row.warehouse)] = needed.get((row.item_code, row.warehouse), 0) + flt(row.qty)
	short = []
	for (item_code, warehouse), qty in needed.items():
		available = flt(
			frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "actual_qty")
		)
		if available < qty:
			short.append(
				_("{0} in {1}: needs {2}, has {3}").format(
					frappe.bold(item_code), frappe.bold(warehouse), qty, available
				)
			)
	if short:
		frappe.throw(
			_("Not enough stock to issue these parts:") + "<br>" + "<br>".join(short),
			exc=PartNotInStockError,
			title=_("Not in Stock"),
		)


def return_unused(doc, row_name: str, qty: float) -> str:
	check_role(desk_actions.roles_for(ORDER, "return_unused_part"), _("take back unused parts"))
	check_status(doc, RETURN_STATES, _("taken back"))
	row = get_row(doc, row_name)
	qty = flt(qty)
	if row.status != "Issued":
		frappe.throw(_("Only issued parts can come back."), exc=PartsChangeError)
	if row.return_stock_entry:
		frappe.throw(
			_("Unused parts of row {0} were already taken back ({1}).").format(
				row.idx, row.return_stock_entry
			),
			exc=PartsChangeError,
		)
	if qty <= 0 or qty > flt(row.issued_qty):
		frappe.throw(
			_("Return quantity must be more than 0 and at most the issued {0}.").format(row.issued_qty),
			exc=PartsChangeError,
		)
	entry = make_stock_entry(
		doc,
		"Material Receipt",
		[
			{
				"item_code": row.item_code,
				"qty": qty,
				"t_warehouse": row.warehouse,
				"basic_rate": row.valuation_rate,
				"allow_zero_valuation_rate": 0 if row.valuation_rate else 1,
			}
		],
	)
	row.returned_qty = qty
	row.return_stock_entry = entry.name
	server_action(doc, "return unused parts")
	doc.save(ignore_permissions=True)  # the action checked the role itself
	return entry.name


def cancel_line(doc, row_name: str) -> None:
	check_role(desk_actions.roles_for(ORDER, "cancel_part"), _("cancel a parts line"))
	check_status(doc, CANCEL_STATES, _("cancelled"))
	row = get_row(doc, row_name)
	if row.status == "Cancelled":
		return
	for entry in (row.return_stock_entry, row.stock_entry):
		cancel_entry(entry, doc)
	row.status = "Cancelled"
	server_action(doc, "cancel a parts line")
	doc.save(ignore_permissions=True)  # the action checked the role itself


def register_old_parts(doc) -> str:
	check_role(desk_actions.roles_for(ORDER, "register_old_parts"), _("register removed old parts"))
	rows = [row for row in doc.old_parts if not row.stock_entry]
	if not rows:
		frappe.throw(_("No removed old parts to register."), exc=MissingInformationError)
	items = []
	for row in rows:
		if not row.warehouse:
			frappe.throw(
				_("Set the used-parts and scrap warehouses in After-Sales Settings first."),
				exc=MissingInformationError,
			)
		line = {
			"item_code": row.item_code,
			"qty": row.qty,
			"t_warehouse": row.warehouse,
			"basic_rate": 0,
			"allow_zero_valuation_rate": 1,
		}
		if frappe.get_cached_value("Item", row.item_code, "has_serial_no"):
			if not row.serial_no:
				frappe.throw(
					_("Old part {0} in row {1} is serialised: enter its serial number.").format(
						frappe.bold(row.item_code), row.idx
					),
					exc=MissingInformationError,
				)
			line.update({"use_serial_batch_fields": 1, "serial_no": row.serial_no})
		items.append(line)
	entry = make_stock_entry(doc, "Material Receipt", items)
	for row in rows:
		row.stock_entry = entry.name
	server_action(doc, "register old parts")
	doc.save(ignore_permissions=True)  # the action checked the role itself
	return entry.name


def cancel_all_entries(doc) -> list[str]:
	"""Cancel every submitted Stock Entry made for the order, newest first."""
	names = frappe.get_all(
		"Stock Entry",
		filters={
			"aftersales_reference_doctype": doc.doctype,
			"aftersales_reference_name": doc.name,
			"docstatus": 1,
		},
		order_by="creation desc",
		pluck="name",
	)
	for name in names:
		cancel_entry(name, doc)
	return names


def cancel_entry(name: str | None, doc) -> None:
	"""Cancel a Stock Entry the order made. Whoever may cancel the order or line may undo its stock
	movements, so ERPNext's own permission on Stock Entry is not asked again; but only of an entry
	that points back to this very order."""
	if not name:
		return
	entry = frappe.db.get_value(
		"Stock Entry",
		name,
		["docstatus", "aftersales_reference_doctype", "aftersales_reference_name"],
		as_dict=True,
	)
	if not entry or (entry.aftersales_reference_doctype, entry.aftersales_reference_name) != (
		doc.doctype,
		doc.name,
	):
		frappe.throw(
			_("Stock Entry {0} was not made for this order; it is not cancelled.").format(frappe.bold(name)),
			exc=PartsChangeError,
			title=_("Not This Order's"),
		)
	if entry.docstatus == 1:
		stock_entry = frappe.get_doc("Stock Entry", name)
		stock_entry.flags.ignore_permissions = True
		stock_entry.cancel()


def get_row(doc, row_name: str):
	for row in doc.parts:
		if row.name == row_name:
			return row
	frappe.throw(_("Parts row {0} is not on this order.").format(row_name), exc=MissingInformationError)


def make_stock_entry(doc, purpose: str, items: list[dict]):
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": purpose,
			"purpose": purpose,
			"company": doc.company,
			"aftersales_reference_doctype": doc.doctype,
			"aftersales_reference_name": doc.name,
			"remarks": _("Service Work Order {0}").format(doc.name),
			"items": items,
		}
	)
	entry.insert()
	entry.submit()
	return entry
