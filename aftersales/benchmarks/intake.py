"""Intake speed (issue 15): Service Work Order inserts per second through the document API, beside
ERPNext's Issue with a Service Level Agreement inserted the same way on the same site.

	bench --site S execute aftersales.benchmarks.intake.measure --kwargs "{'n': 200}"
	bench --site S execute aftersales.benchmarks.intake.profile --kwargs "{'n': 50}"
	bench --site S execute aftersales.benchmarks.intake.breakdown --kwargs "{'n': 200}"

Both documents are inserted by the same desk user (roles Service Desk Agent and Support Team, made
once as `intake.benchmark@example.com`), one at a time through `frappe.get_doc(...).insert()`, so
every hook runs: the order's controller (warranty decision, contact, KPI facts), the app's input
and integrity guards, ERPNext's SLA, Frappe's workflow actions, notifications and version. The
Administrator is not used: the integrity guard trusts it and would skip its own cost.
Each insert starts with Frappe's per-request caches emptied (`new_request`), as in its own request;
with `per_request=False` they are kept from one insert to the next, as `scripts/benchmark.py` does.
Nothing is kept: everything runs in one transaction that is rolled back at the end.
"""

import cProfile
import io
import pstats
import time

import frappe
from frappe.utils import add_days, nowdate

from aftersales.service.work_order.sla import RESOLUTION_HOURS, WEEKDAYS, WORK_HOURS, ensure_holiday_list

USER = "intake.benchmark@example.com"
ROLES = ("Service Desk Agent", "Support Team")
WARM_UP = 5
BLOCK = 10


def measure(n: int = 200, user: str | None = None, per_request: bool = True) -> dict:
	"""Insert `n` work orders and `n` Issues (after a few of each to warm the caches); return the
	inserts per second of each, their ratio, and the queries per insert."""
	n = int(n)
	user = user or ensure_user()
	issue_sla = ensure_issue_sla()
	sample = Sample(per_request)
	previous = frappe.session.user
	frappe.db.commit()
	makers = {"work_order": sample.work_order, "issue": sample.issue}
	elapsed = dict.fromkeys(makers, 0.0)
	queries = dict.fromkeys(makers, 0)
	try:
		frappe.set_user(user)
		for make in makers.values():
			for i in range(WARM_UP):
				make(i, issue_sla)
		# alternate blocks of each, so both see the same load on a shared machine
		done = 0
		while done < n:
			block = min(BLOCK, n - done)
			for label, make in makers.items():
				with QueryCounter() as counter:
					start = time.perf_counter()
					for i in range(block):
						make(WARM_UP + done + i, issue_sla)
					elapsed[label] += time.perf_counter() - start
				queries[label] += counter.count
			done += block
	finally:
		frappe.db.rollback()
		frappe.set_user(previous)
	result = {
		label: {
			"per_second": round(n / elapsed[label], 1),
			"ms_per_insert": round(1000 * elapsed[label] / n, 1),
			"queries_per_insert": round(queries[label] / n, 1),
		}
		for label in makers
	}
	result["ratio"] = round(result["work_order"]["per_second"] / result["issue"]["per_second"], 2)
	result["n"] = n
	return result


def profile(
	n: int = 50, user: str | None = None, limit: int = 40, doctype: str = "Service Work Order"
) -> None:
	"""Print the cProfile of `n` inserts (work orders, or Issues with doctype="Issue"): the functions
	with the most cumulative time."""
	user = user or ensure_user()
	issue_sla = ensure_issue_sla()
	sample = Sample()
	make = sample.issue if doctype == "Issue" else sample.work_order
	previous = frappe.session.user
	frappe.db.commit()
	profiler = cProfile.Profile()
	try:
		frappe.set_user(user)
		for i in range(WARM_UP):
			make(i, issue_sla)
		profiler.enable()
		for i in range(int(n)):
			make(WARM_UP + i, issue_sla)
		profiler.disable()
	finally:
		frappe.db.rollback()
		frappe.set_user(previous)
	out = io.StringIO()
	pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(int(limit))
	print(out.getvalue())


def trace(doctype: str = "Service Work Order", user: str | None = None, depth: int = 4) -> None:
	"""Print every SQL statement of one insert (after warming the caches) with the function of the
	app or framework that sent it: where the queries of an insert come from."""
	import traceback

	user = user or ensure_user()
	issue_sla = ensure_issue_sla()
	sample = Sample()
	make = sample.issue if doctype == "Issue" else sample.work_order
	previous = frappe.session.user
	frappe.db.commit()
	original = frappe.db.sql
	lines = []

	def tracing(query, *args, **kwargs):
		frames = [f for f in traceback.extract_stack()[:-1] if "/database/" not in f.filename]
		origin = " < ".join(
			f"{f.filename.split('/apps/')[-1].split('-src/')[-1]}:{f.lineno} {f.name}"
			for f in frames[-int(depth) :][::-1]
		)
		lines.append(f"{' '.join(str(query).split())[:160]}\n      {origin}")
		return original(query, *args, **kwargs)

	try:
		frappe.set_user(user)
		for i in range(WARM_UP):
			make(i, issue_sla)
		frappe.db.sql = tracing
		make(WARM_UP, issue_sla)
	finally:
		frappe.db.sql = original
		frappe.db.rollback()
		frappe.set_user(previous)
	for number, line in enumerate(lines, 1):
		print(f"{number:3} {line}")


WORK_ORDER = "aftersales.service.doctype.service_work_order.service_work_order"
# What a work order's intake does that an Issue's does not, each a feature of the app: left out one
# at a time, and all together, by `breakdown` (a diagnostic; nothing here is left out in use)
FEATURES = {
	"input guard (column capacity, links Frappe misses)": (("aftersales.input_guard", "check_input"),),
	"integrity guard (server-owned fields)": ((WORK_ORDER, "capture"), (WORK_ORDER, "verify")),
	"Notifications (two conditional 'New' ones)": (("frappe.model.document.Document", "run_notifications"),),
	"default self-check rows (three)": ((f"{WORK_ORDER}.ServiceWorkOrder", "copy_default_self_checks"),),
	"warranty decision": ((f"{WORK_ORDER}.ServiceWorkOrder", "set_warranty"),),
	"customer's primary contact": ((f"{WORK_ORDER}.ServiceWorkOrder", "set_contact_details"),),
}


def features_left_out(features=None):
	"""A context in which the named FEATURES (all of them by default) do nothing: a diagnostic of
	the benchmarks only."""
	from contextlib import ExitStack
	from unittest.mock import patch

	stack = ExitStack()
	for label in FEATURES if features is None else features:
		for target, attribute in FEATURES[label]:
			stack.enter_context(patch(f"{target}.{attribute}", lambda *args, **kwargs: None))
	return stack


def breakdown(n: int = 200, user: str | None = None, per_request: bool = True) -> list[dict]:
	"""The intake ratio with each of the app's own features of an intake left out, then all of them:
	where the distance to ERPNext's Issue is. Print a table and return its rows."""
	variants = {"nothing left out": (), **{label: (label,) for label in FEATURES}}
	variants["all of these left out"] = None
	rows = []
	for label, features in variants.items():
		with features_left_out(features):
			result = measure(n, user, per_request)
		rows.append(
			{
				"left out": label,
				"work order ms": result["work_order"]["ms_per_insert"],
				"Issue ms": result["issue"]["ms_per_insert"],
				"ratio": result["ratio"],
				"queries": result["work_order"]["queries_per_insert"],
			}
		)
	print(f"{'left out':56} {'order ms':>9} {'Issue ms':>9} {'ratio':>6} {'queries':>8}")
	for row in rows:
		print(
			f"{row['left out']:56} {row['work order ms']:9.1f} {row['Issue ms']:9.1f} "
			f"{row['ratio']:6.2f} {row['queries']:8.1f}"
		)
	return rows


class Sample:
	"""Realistic intake values from the site's own records: customers, and serial numbers with
	their items (the in-warranty path reads the Serial No), else stock items."""

	def __init__(self, per_request: bool = True):
		self.per_request = per_request
		self.company = frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {})
		self.customers = frappe.get_all("Customer", {"disabled": 0}, pluck="name", limit=500) or [None]
		self.serials = frappe.get_all(
			"Serial No", {"item_code": ("is", "set")}, ["name", "item_code"], limit=500
		)
		self.items = (
			[(s.name, s.item_code) for s in self.serials]
			or [(None, i) for i in frappe.get_all("Item", {"is_stock_item": 1}, pluck="name", limit=500)]
			or [(None, None)]
		)
		self.fault_code = frappe.db.get_value("Fault Code", {}, "name")
		self.purchase_date = add_days(nowdate(), -100)

	def work_order(self, i: int, _sla=None):
		if self.per_request:
			new_request()
		serial, item = self.items[i % len(self.items)]
		frappe.get_doc(
			{
				"doctype": "Service Work Order",
				"company": self.company,
				"order_type": "Repair",
				"channel": "Phone",
				"customer": self.customers[i % len(self.customers)],
				"phone": f"13800{i:06d}",
				"item_code": item,
				"serial_no": serial,
				"purchase_date": self.purchase_date,
				"fault_code": self.fault_code,
				"symptoms": "不制冷",
			}
		).insert()

	def issue(self, i: int, sla: str):
		if self.per_request:
			new_request()
		frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": f"Intake benchmark {i}",
				"raised_by": f"intake{i}@example.com",
				"customer": self.customers[i % len(self.customers)],
				"priority": "Medium",
				"service_level_agreement": sla,
				"description": "不制冷",
			}
		).insert()


def new_request() -> None:
	"""Forget what Frappe keeps for one request only (frappe.init makes these afresh for each), so
	each insert pays for its lookups as it would in its own request."""
	frappe.db.value_cache.clear()
	if hasattr(frappe.local, "request_cache"):
		frappe.local.request_cache.clear()
	frappe.local.cache = {}
	frappe.local.role_permissions = {}
	frappe.local.new_doc_templates = {}


class QueryCounter:
	"""Counts the statements sent through frappe.db.sql (what documents, frappe.qb and get_all use)."""

	def __enter__(self):
		self.count = 0
		self._sql = frappe.db.sql

		def counting(*args, **kwargs):
			self.count += 1
			return self._sql(*args, **kwargs)

		frappe.db.sql = counting
		return self

	def __exit__(self, *exc):
		frappe.db.sql = self._sql


def ensure_user() -> str:
	"""The desk user both documents are inserted as (idempotent, committed)."""
	if not frappe.db.exists("User", USER):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": USER,
				"first_name": "Intake Benchmark",
				"send_welcome_email": 0,
				"user_type": "System User",
				"roles": [{"role": role} for role in ROLES],
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
	return USER


def ensure_issue_sla() -> str:
	"""An agreement for ERPNext's Issue shaped like the work orders' own (same priorities, hours and
	holiday list), made once when the site has none."""
	name = frappe.db.get_value("Service Level Agreement", {"document_type": "Issue", "enabled": 1}, "name")
	if name:
		return name
	doc = frappe.get_doc(
		{
			"doctype": "Service Level Agreement",
			"service_level": "Intake Benchmark Issue",
			"document_type": "Issue",
			"default_service_level_agreement": 1,
			"enabled": 1,
			"apply_sla_for_resolution": 1,
			"holiday_list": ensure_holiday_list(),
			"priorities": [
				{
					"priority": priority,
					"response_time": 7200,
					"resolution_time": hours * 3600,
					"default_priority": int(priority == "Medium"),
				}
				for priority, hours in RESOLUTION_HOURS.items()
			],
			"support_and_resolution": [
				{"workday": day, "start_time": WORK_HOURS[0], "end_time": WORK_HOURS[1]} for day in WEEKDAYS
			],
			"sla_fulfilled_on": [{"status": "Resolved"}, {"status": "Closed"}],
			"pause_sla_on": [{"status": "Replied"}],
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	return doc.name
