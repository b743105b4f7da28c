"""What a Service Settlement settles (WO-14; seeds 003, 004).

Lines ("jobs"): the closed orders of the company up to the end of the period (of a service point
or an engineer when chosen) that no submitted settlement holds, once they are ready:
- out of warranty: the order's Sales Invoice is submitted (or nothing on it was chargeable); the
  base is the revenue net of the parts' cost;
- in warranty: a submitted claim batch holds the order; the base is the amount claimed, or nothing
  when the maker has rejected the line.
Each base is split by the shares in force when the order closed (aftersales/settlement/
fee_split.py): the engineer is the order's technician, the manager the service point's manager.

Reversals ("Claim Rejected"): a claim the maker rejected after its job was settled takes back, in
the next settlement, exactly what that job line paid (its amounts negated).
"""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from aftersales.domain import settlement as rules
from aftersales.settlement import keys
from aftersales.settlement.errors import PayeeMissingError
from aftersales.settlement.fee_split import SharesLookup
from aftersales.settlement.orders import closed_orders

JOB = "Job"
REVERSAL = "Claim Rejected"
KEY = ("Service Settlement Order", "settled_key")
CLAIM_KEY = ("Warranty Claim Batch Item", "claim_key")
AMOUNT_FIELDS = ("base", "company_amount", "technician_amount", "manager_amount")
LINE_FIELDS = (
	"service_work_order",
	"kind",
	"warranty_status",
	"service_point",
	"technician",
	"manager",
	"revenue",
	"parts_cost",
	"claim_amount",
	"warranty_claim_batch",
	"fee_split_version",
	"company_share",
	"technician_share",
	"manager_share",
	*AMOUNT_FIELDS,
)


def key_of(order: str, kind: str) -> str:
	return order if kind == JOB else f"{order}/rejected"


def lines_of(settlement, only: set[tuple[str, str]] | None = None) -> list[dict]:
	"""The lines the settlement would hold now; `only` (order, kind) limits them to those (an
	amendment re-settles the orders of the settlement it amends, and no others)."""
	shares = SharesLookup()
	lines = job_lines(settlement, shares, only) + reversal_lines(settlement, only)
	return sorted(lines, key=lambda line: (str(line["closed_on"]), line["service_work_order"], line["kind"]))


def job_lines(settlement, shares: SharesLookup, only) -> list[dict]:
	names = sorted({order for order, kind in only if kind == JOB}) if only is not None else None
	orders = closed_orders(
		settlement.company,
		settlement.to_date,
		service_point=settlement.service_point,
		technician=settlement.technician,
		names=names,
		exclude_keys_of=KEY,
	)
	claims = claims_of([o.name for o in orders if o.warranty_status == rules.IN_WARRANTY])
	lines = []
	for order in orders:
		claim = None
		if order.warranty_status == rules.IN_WARRANTY:
			claim = claims.get(order.name)
			if not claim:
				continue  # settled once its claim is made
			base = rules.settlement_base(
				rules.IN_WARRANTY, claim_amount=claim.amount, claim_rejected=claim.status == "Rejected"
			)
		elif order.warranty_status == rules.OUT_OF_WARRANTY:
			if flt(order.chargeable_amount) and not invoiced(order):
				continue  # settled once its invoice is submitted
			base = rules.settlement_base(rules.OUT_OF_WARRANTY, flt(order.revenue), flt(order.parts_cost))
		else:
			continue  # no warranty decision (no product): nothing earned
		version = shares.at(order.closed_on)
		split_by = version.shares(order.warranty_status)
		amounts = rules.split(base, split_by)
		lines.append(
			{
				"service_work_order": order.name,
				"kind": JOB,
				"warranty_status": order.warranty_status,
				"closed_on": order.closed_on,
				"service_point": order.service_point,
				"technician": order.technician,
				"technician_name": employee_name(order.technician),
				"manager": manager_of(order.service_point),
				"manager_name": employee_name(manager_of(order.service_point)),
				"revenue": flt(order.revenue),
				"parts_cost": flt(order.parts_cost),
				"claim_amount": flt(claim.amount) if claim else 0,
				"warranty_claim_batch": claim.parent if claim else None,
				"fee_split_version": version.name,
				"company_share": split_by.company,
				"technician_share": split_by.technician,
				"manager_share": split_by.manager,
				"base": base,
				"company_amount": amounts.company,
				"technician_amount": amounts.technician,
				"manager_amount": amounts.manager,
			}
		)
	return lines


def reversal_lines(settlement, only) -> list[dict]:
	"""Job lines of submitted settlements whose claim the maker rejected since (up to the end of the
	period), not reversed yet."""
	item = frappe.qb.DocType("Warranty Claim Batch Item")
	line = frappe.qb.DocType("Service Settlement Order")
	parent = frappe.qb.DocType("Service Settlement")
	query = (
		frappe.qb.from_(item)
		.join(line)
		.on(line.settled_key == item.claim_key)
		.join(parent)
		.on(parent.name == line.parent)
		.select(line.star, item.parent.as_("claim_batch"))
		.where(item.status == "Rejected")
		.where(item.rejected_on <= getdate(settlement.to_date))
		.where(line.parenttype == "Service Settlement")
		.where(line.kind == JOB)
		.where(line.base > 0)
		.where(parent.docstatus == 1)
		.where(parent.company == settlement.company)
	)
	if settlement.service_point:
		query = query.where(line.service_point == settlement.service_point)
	if settlement.technician:
		query = query.where(line.technician == settlement.technician)
	rows = query.run(as_dict=True)
	if only is not None:
		rows = [r for r in rows if (r.service_work_order, REVERSAL) in only]
	taken = keys.holders(*KEY, [key_of(r.service_work_order, REVERSAL) for r in rows])
	lines = []
	for row in rows:
		if key_of(row.service_work_order, REVERSAL) in taken:
			continue
		lines.append(
			{
				**{f: row.get(f) for f in LINE_FIELDS},
				"technician_name": employee_name(row.technician),
				"manager_name": employee_name(row.manager),
				"closed_on": row.closed_on,
				"kind": REVERSAL,
				"warranty_claim_batch": row.claim_batch,
				**{f: -flt(row.get(f)) for f in AMOUNT_FIELDS},
			}
		)
	return lines


def claims_of(orders: list[str]) -> dict[str, frappe._dict]:
	"""order -> its line in a submitted claim batch (only submitted lines hold a claim key)."""
	if not orders:
		return {}
	item = frappe.qb.DocType("Warranty Claim Batch Item")
	rows = (
		frappe.qb.from_(item)
		.select(item.claim_key, item.amount, item.status, item.parent)
		.where(item.claim_key.isin(orders))
	).run(as_dict=True)
	return {row.claim_key: row for row in rows}


def invoiced(order) -> bool:
	if not order.sales_invoice:
		return False
	invoice = frappe.db.get_value(
		"Sales Invoice", order.sales_invoice, ["docstatus", "service_work_order"], as_dict=True
	)
	return bool(invoice and invoice.docstatus == 1 and invoice.service_work_order == order.name)


def manager_of(service_point: str | None) -> str | None:
	return frappe.get_cached_value("Service Point", service_point, "manager") if service_point else None


def employee_name(employee: str | None) -> str | None:
	"""As the row's `fetch_from` shows it (Frappe fetches it again on every save of a draft)."""
	return frappe.get_cached_value("Employee", employee, "employee_name") if employee else None


# ------------------------------------------------------------------------------ who is owed what


def payees_of(rows, strict: bool) -> list[rules.Payee]:
	"""What each person is owed; `strict` refuses a share owed to nobody (a draft shows it)."""
	lines = [
		rules.Line(
			row.service_work_order,
			row.technician,
			row.manager,
			rules.Split(flt(row.company_amount), flt(row.technician_amount), flt(row.manager_amount)),
		)
		for row in rows
	]
	try:
		return rules.payees(lines)
	except rules.MissingPayeeError as e:
		if not strict:
			return rules.payees(
				[
					rules.Line(
						line.order,
						line.technician,
						line.manager,
						rules.Split(
							line.amounts.company,
							line.amounts.technician if line.technician else 0,
							line.amounts.manager if line.manager else 0,
						),
					)
					for line in lines
				]
			)
		message = (
			_("Service Work Order {0} has no engineer to receive the engineer's share.")
			if e.role == "technician"
			else _(
				"The service point of Service Work Order {0} has no manager to receive the manager's share."
			)
		)
		frappe.throw(message.format(frappe.bold(e.order)), exc=PayeeMissingError, title=_("Nobody to Pay"))


def statement_lines(settlement, employee: str) -> list[dict]:
	"""The lines of one person's statement: each job they did, and each they managed that earned
	them something."""
	lines = []
	for row in settlement.orders:
		for role, person, share, amount in (
			("Engineer", row.technician, row.technician_share, row.technician_amount),
			("Manager", row.manager, row.manager_share, row.manager_amount),
		):
			if person != employee or (role == "Manager" and not flt(amount)):
				continue
			lines.append(
				{
					"service_work_order": row.service_work_order,
					"closed_on": row.closed_on,
					"warranty_status": row.warranty_status,
					"kind": row.kind,
					"service_point": row.service_point,
					"role": role,
					"base": row.base,
					"share": share,
					"amount": amount,
				}
			)
	return lines
