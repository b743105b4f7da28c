"""Checks of the generated benchmark data (docs/performance.md, "The data"), read-only:

	bench --site S execute aftersales.benchmarks.verify --kwargs "{'sample': 300}"

- every Bin's `actual_qty` is the sum of its Stock Ledger Entries, and every ledger pair has a Bin;
- no ledger row goes negative, and each row's `qty_after_transaction` is the running sum of its
  item and warehouse in posting order;
- every issued parts line's `issued_on` is its issue Stock Entry's posting date;
- an open order is flagged waiting for parts exactly when the daily job would have flagged it;
- the KPI facts stored on a random sample of orders are those `aftersales.kpi.facts.compute` gives
  from their status log;
- the indexes of the tables the generator writes (`index_snapshot`), for comparing a loaded site with
  a fresh one: the generator compares them itself before and after its load.

Returns a dict of counts (0 where all is well) and lists the failing names (a few)."""

import random
from datetime import timedelta

import frappe
from frappe.utils import flt, now_datetime

from aftersales.benchmarks.plan import PREFIX
from aftersales.domain import work_order_flow as flow
from aftersales.kpi import facts
from aftersales.service.work_order import sla

LIKE = f"{PREFIX}-%"


def index_snapshot(doctypes) -> dict[str, list[tuple]]:
	"""SHOW INDEX of each table, as sorted (key name, unique, position, column, sub part, type)."""
	snapshot = {}
	for doctype in sorted(set(doctypes)):
		if not frappe.db.table_exists(doctype):
			continue
		rows = frappe.db.sql(f"SHOW INDEX FROM `tab{doctype}`", as_dict=True)
		snapshot[doctype] = sorted(
			(
				r.Key_name,
				int(not r.Non_unique),
				int(r.Seq_in_index),
				r.Column_name,
				r.Sub_part,
				r.Index_type,
			)
			for r in rows
		)
	return snapshot


def bins_against_ledger() -> dict:
	"""Both sides read once and compared here (a join of the Bins to the grouped ledger is quadratic:
	MariaDB gives the derived table no key)."""
	ledger = {
		(item, warehouse): qty
		for item, warehouse, qty in frappe.db.sql(
			"""SELECT item_code, warehouse, SUM(actual_qty) FROM `tabStock Ledger Entry`
			WHERE item_code LIKE %s AND is_cancelled = 0 GROUP BY item_code, warehouse""",
			LIKE,
		)
	}
	bins = {
		(item, warehouse): (name, qty)
		for name, item, warehouse, qty in frappe.db.sql(
			"SELECT name, item_code, warehouse, actual_qty FROM `tabBin` WHERE item_code LIKE %s", LIKE
		)
	}
	mismatched = [
		name for key, (name, qty) in bins.items() if abs(flt(qty) - flt(ledger.get(key, 0))) > 0.000001
	]
	return {
		"bins_not_ledger_sum": len(mismatched),
		"ledger_pairs_without_bin": sum(1 for key in ledger if key not in bins),
		"bins": sorted(mismatched)[:5],
	}


def ledger_running_balance() -> dict:
	negative = frappe.db.sql(
		"""SELECT COUNT(*) FROM `tabStock Ledger Entry`
		WHERE item_code LIKE %s AND is_cancelled = 0 AND qty_after_transaction < 0""",
		LIKE,
	)[0][0]
	# the ledger names count up in posting order (BM-SLE-00000001, …)
	broken = frappe.db.sql(
		"""
		SELECT name FROM (
			SELECT name, qty_after_transaction AS after,
				SUM(actual_qty) OVER (PARTITION BY item_code, warehouse ORDER BY posting_datetime, name) AS running
			FROM `tabStock Ledger Entry` WHERE item_code LIKE %s AND is_cancelled = 0
		) l WHERE ABS(after - running) > 0.000001
		""",
		LIKE,
		pluck=True,
	)
	return {
		"negative_ledger_rows": negative,
		"ledger_rows_not_running_sum": len(broken),
		"ledger": broken[:5],
	}


def issue_dates() -> dict:
	"""Every issued parts line is dated by its issue Stock Entry (what the app's issue writes)."""
	line = frappe.qb.DocType("Service Work Order Part")
	entry = frappe.qb.DocType("Stock Entry")
	wrong = (
		frappe.qb.from_(line)
		.left_join(entry)
		.on(entry.name == line.stock_entry)
		.select(line.name)
		.where(line.name.like(LIKE))
		.where(line.status == "Issued")
		.where(entry.posting_date.isnull() | line.issued_on.isnull() | (line.issued_on != entry.posting_date))
	).run(pluck=True)
	return {"issued_parts_lines_not_dated_by_their_issue": len(wrong), "parts_lines": wrong[:5]}


def parts_delays() -> dict:
	"""An open order is flagged waiting for parts exactly when one of its parts was requested more
	than PARTS_WAIT_DAYS ago and is still not issued: what the daily job (sla.flag_overdue_orders)
	would have left, so its first run on new data flags nothing the generator should have. An hour
	of margin covers the time between the generation and this check."""
	order = frappe.qb.DocType("Service Work Order")
	line = frappe.qb.DocType("Service Work Order Part")
	now = now_datetime()
	ours = order.name.like(f"{PREFIX}-SWO-%")
	# what the job would flag now (an hour ago: the margin)
	unflagged = sla.unflagged_waiting_for_parts(now - timedelta(hours=1)).where(ours).run(pluck=True)
	late_part = (
		frappe.qb.from_(line)
		.select(line.parent)
		.where(line.parenttype == "Service Work Order")
		.where(line.status.isin(sla.WAITING_PART_STATES))
		.where(line.creation < now - timedelta(days=sla.PARTS_WAIT_DAYS))
	)
	flagged = (
		frappe.qb.from_(order)
		.select(order.name)
		.where(ours)
		.where(order.status.notin(flow.SLA_FULFILLED))
		.where(order.parts_delayed == 1)
		.where(order.name.notin(late_part))
	).run(pluck=True)
	return {
		"open_orders_waiting_for_parts_not_flagged": len(unflagged),
		"orders_flagged_waiting_for_parts_without_a_late_part": len(flagged),
		"parts_delays": (unflagged + flagged)[:5],
	}


def kpi_facts(sample: int, seed: int = 15) -> dict:
	names = frappe.db.sql(
		"SELECT name FROM `tabService Work Order` WHERE name LIKE %s", f"{PREFIX}-SWO-%", pluck=True
	)
	chosen = random.Random(seed).sample(names, min(sample, len(names)))
	if not chosen:
		return {"orders_sampled": 0, "orders_with_other_facts": 0, "orders": []}
	wrong = list(facts.stale_facts(chosen))
	return {"orders_sampled": len(chosen), "orders_with_other_facts": len(wrong), "orders": wrong[:5]}


def verify(sample: int = 300) -> dict:
	"""All the checks above; 0 everywhere when the data is consistent."""
	result = {}
	result.update(bins_against_ledger())
	result.update(ledger_running_balance())
	result.update(issue_dates())
	result.update(parts_delays())
	result.update(kpi_facts(int(sample)))
	return result
