"""Benchmark data: a national chain's three years of after-sales work, made with bulk inserts.

	bench --site S execute aftersales.benchmarks.generate --kwargs "{'orders': 1000000}"
	bench --site S execute aftersales.benchmarks.cleanup
	bench --site S execute aftersales.benchmarks.verify

Every record is named BM-… (plan.PREFIX) so that `cleanup` removes exactly what was generated. The
generator refuses to run when benchmark orders exist (run `cleanup` first); masters it finds (item
groups, warehouses, service points) are reused.

What it makes for N orders (plan.make_plan; the defaults are those at 1M):
- customers, product Items with serial numbers, each sold on a submitted Delivery Note (the sales
  document of the order and of a return);
- service points with a warehouse each and technicians (Employees, members of their point);
- spare parts: Items, Spare Part records with warning lines, and their stock: an opening receipt
  per part, a Material Issue Stock Entry for every issued parts line, replenishment receipts when a
  warehouse runs low; Stock Ledger Entries (running quantity and value per item and warehouse) and
  Bins agree with each other;
- Service Work Orders of every type and state with their status log (from plan.order_story, so
  each step is a transition of the workflow), SLA fields, KPI facts (computed by domain/kpi.py from
  the log), parts lines and costs; a Service Follow-up per delivery; complaints (2%) and return
  requests (1%).
Not made: GL entries of the stock moves, Sales Invoices of chargeable jobs (their orders are
delivered without one), Contacts and Users of customers and technicians.

How rows are written (Writer): per table and phase one LOAD DATA LOCAL INFILE statement reading
tab-separated rows from a named pipe as they are made, on the table's own connection; into a table
that is empty at that moment (a new site, or after `cleanup`, which truncates tables holding only
benchmark rows) InnoDB loads in bulk and builds the indexes by sorting. The data is the same as the
multi-row INSERTs of before made (CHECKSUM TABLE equal at a fixed `now`); `aftersales.benchmarks.verify`
checks Bins, ledger and KPI facts, and the generator fails if a table's indexes changed.
"""

import bisect
import errno
import itertools
import json
import os
import random
import resource
import shutil
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as dt_time

import frappe
import pymysql
from frappe.database import get_db
from frappe.utils import add_years, getdate, now_datetime

from aftersales.benchmarks import plan as planning
from aftersales.benchmarks.checks import index_snapshot
from aftersales.benchmarks.plan import PREFIX, order_story, pick, received_moments, working_hours_after
from aftersales.domain import kpi
from aftersales.domain import work_order_flow as flow
from aftersales.kpi import summary as kpi_summary
from aftersales.service.work_order.sla import PARTS_WAIT_DAYS

ADMIN = "Administrator"
ITEM_GROUPS = ("BM Spare Parts", "BM Appliances")  # of the spare parts, of the products
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
CITIES = (
	"北京",
	"上海",
	"广州",
	"深圳",
	"成都",
	"杭州",
	"武汉",
	"西安",
	"南京",
	"重庆",
	"天津",
	"苏州",
	"长沙",
	"郑州",
	"沈阳",
	"青岛",
	"济南",
	"合肥",
	"昆明",
	"厦门",
)
PRODUCTS = ("空调", "冰箱", "洗衣机", "热水器", "油烟机", "电视", "净水器", "燃气灶")
PART_KINDS = ("压缩机", "电机", "主板", "传感器", "阀门", "滤网", "皮带", "密封圈", "遥控器", "显示屏")
SYMPTOMS = ("不制冷", "噪音大", "漏水", "无法开机", "显示故障代码", "异味", "遥控失灵", "加热慢")
STANDARD = ("name", "creation", "modified", "modified_by", "owner", "docstatus", "idx")


def progress(message: str) -> None:
	print(f"[{time.strftime('%H:%M:%S')}] {message} (peak RSS {peak_rss_mb():.0f} MB)", flush=True)


def peak_rss_mb() -> float:
	return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# a value as a field of LOAD DATA's default text format (tab-separated, backslash escapes), without a
# per-value dispatch (pymysql's literal() had taken a third of the generator's time at 1M orders)
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0"})


def field(value) -> str:
	kind = type(value)
	if kind is str:
		return value.translate(ESCAPES)
	if kind is int:
		return str(value)
	if kind is float:
		return repr(value)
	if kind in (datetime, date, dt_time):
		return str(value)
	if value is None:
		return "\\N"
	if kind is bool:
		return str(int(value))
	return str(value).translate(ESCAPES)


def default_field(default: str | None, column: str) -> str:
	"""A column's default (information_schema's COLUMN_DEFAULT) as a LOAD DATA field: what an INSERT
	that leaves the column out would store."""
	if default is None or default == "NULL":
		return "\\N"
	if len(default) > 1 and default[0] == default[-1] == "'" and "\\" not in default:
		return default[1:-1].replace("''", "'").translate(ESCAPES)
	try:
		float(default)
	except ValueError:
		raise ValueError(f"{column}: the default {default} is not a constant") from None
	return default


class Stream:
	"""One LOAD DATA LOCAL INFILE statement on a table's connection, reading the rows of a phase from
	a named pipe while the generator writes them into it; committed once the pipe is closed."""

	def __init__(self, writer: "Writer", doctype: str):
		self.doctype = doctype
		self.connection, _bulk = writer.tables[doctype]
		self.columns = writer.columns[doctype]
		self.path = os.path.join(writer.folder, f"{next(writer.files)}.pipe")
		os.mkfifo(self.path, 0o600)
		self.rows = 0
		self.loaded: int | None = None
		self.error: BaseException | None = None
		self.thread = threading.Thread(target=self.load, daemon=True)
		self.thread.start()
		# the pipe opens once the statement reads it: wait for that, or for the statement's failure
		while True:
			try:
				fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
				break
			except OSError as e:
				if e.errno != errno.ENXIO:
					raise
				if not self.thread.is_alive():
					raise self.error or RuntimeError(f"{doctype}: the load did not start")
				time.sleep(0.005)
		os.set_blocking(fd, True)
		self.file = open(fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20)

	def load(self) -> None:
		names = ",".join(f"`{c}`" for c, _default in self.columns)
		try:
			with self.connection.cursor() as cursor:
				cursor.execute(
					f"LOAD DATA LOCAL INFILE %s INTO TABLE `tab{self.doctype}` CHARACTER SET utf8mb4 ({names})",
					self.path,
				)
				self.loaded = cursor.rowcount
			self.connection.commit()
		except BaseException as e:
			self.error = e

	def close(self) -> None:
		"""End the rows (the statement then finishes and commits in its thread)."""
		if not self.file.closed:
			self.file.close()

	def wait(self) -> None:
		self.close()
		self.thread.join()
		if self.error is not None:
			raise self.error
		if self.loaded != self.rows:
			raise RuntimeError(f"{self.doctype}: {self.loaded} rows loaded of {self.rows}")


class Writer:
	"""Rows loaded per table with LOAD DATA LOCAL INFILE: one statement per table and phase, reading
	tab-separated text from a named pipe while Python writes the rows into it (`chunk` rows at a
	time), so MariaDB loads every table of a phase at once, on both cores, while the rows are made.

	Why one statement: a table that is empty when the statement starts is loaded in bulk by InnoDB
	(MariaDB 10.6+, MDEV-515/MDEV-24621, with unique_checks and foreign_key_checks off: no undo log
	record per row, the clustered and every secondary index built by sorting) - but only within that
	first statement; the rows of later statements are inserted one by one, maintaining each of the ~20
	indexes of the order table. Measured at 100k orders: the orders' table loads in 8 s in bulk and
	41 s row by row; and LOAD DATA's text is parsed about twice as fast as the VALUES of a multi-row
	INSERT, which had taken most of the database's time.

	Every row is written with all the table's columns; a column the row leaves out gets the table's
	default, as an INSERT without it would. A table that already holds rows (a site with other data)
	is loaded the same way, by row, in one transaction per phase."""

	def __init__(self, chunk: int):
		self.chunk = chunk
		self.buffers: dict[tuple[str, tuple], list] = defaultdict(list)
		self.counts: dict[str, int] = defaultdict(int)
		self.tables: dict[str, tuple] = {}  # doctype: (connection, bulk)
		self.columns: dict[str, list[tuple[str, str]]] = {}  # doctype: [(column, default as a field)]
		self.templates: dict[tuple[str, tuple], tuple] = {}  # (doctype, columns): (positions, defaults)
		self.streams: dict[str, Stream] = {}  # the open one of each table
		self.finishing: list[Stream] = []  # closed, their statements finishing
		self.bulk: list[str] = []  # the tables loaded in bulk (empty when first written to)
		self.folder = tempfile.mkdtemp(prefix="aftersales-benchmark-")
		self.files = itertools.count(1)

	def connect(self, doctype: str) -> None:
		"""The table's connection; its first use decides whether the table is loaded in bulk."""
		if doctype in self.tables:
			return
		db = get_db(
			host=frappe.conf.db_host,
			port=frappe.conf.db_port,
			user=frappe.conf.db_user or frappe.conf.db_name,
			password=frappe.conf.db_password,
			cur_db_name=frappe.conf.db_name,
		)
		connection = pymysql.connect(**db.get_connection_settings(), local_infile=True)
		with connection.cursor() as cursor:
			# a sparse table's statement (return requests: 1 % of the orders) waits minutes for its rows
			cursor.execute("SET SESSION unique_checks=0, foreign_key_checks=0, net_read_timeout=86400")
			cursor.execute(f"SELECT EXISTS(SELECT 1 FROM `tab{doctype}`)")
			bulk = not cursor.fetchone()[0]
			cursor.execute(
				"""SELECT column_name, column_default FROM information_schema.columns
				WHERE table_schema = DATABASE() AND table_name = %s AND extra NOT LIKE '%%GENERATED%%'
				ORDER BY ordinal_position""",
				f"tab{doctype}",
			)
			self.columns[doctype] = [(c, default_field(d, c)) for c, d in cursor.fetchall()]
		connection.commit()  # the check's snapshot ends: the load starts a transaction of its own
		self.tables[doctype] = (connection, bulk)
		if bulk:
			self.bulk.append(doctype)

	def stream(self, doctype: str) -> Stream:
		stream = self.streams.get(doctype)
		if stream is None:
			self.connect(doctype)
			for previous in [s for s in self.finishing if s.doctype == doctype]:
				previous.wait()  # the table's connection is free again
				self.finishing.remove(previous)
			stream = self.streams[doctype] = Stream(self, doctype)
		return stream

	def add(self, doctype: str, row: dict) -> None:
		# a missing value takes the column's default (NULL, or 0 for Frappe's numeric columns)
		row = {k: v for k, v in row.items() if v is not None}
		key = (doctype, tuple(row))
		buffer = self.buffers[key]
		buffer.append(tuple(row.values()))
		if len(buffer) >= self.chunk:
			self.flush(key)

	def flush(self, key) -> None:
		doctype, columns = key
		rows = self.buffers.pop(key, None)
		if not rows:
			return
		stream = self.stream(doctype)
		template = self.templates.get(key)
		if template is None:
			position = {c: i for i, (c, _d) in enumerate(self.columns[doctype])}
			unknown = [c for c in columns if c not in position]
			if unknown:
				raise ValueError(f"{doctype} has no column {unknown}")
			template = self.templates[key] = (
				[position[c] for c in columns],
				[d for _c, d in self.columns[doctype]],
			)
		positions, defaults = template
		lines = []
		for values in rows:
			line = defaults[:]
			for i, value in zip(positions, values, strict=False):
				line[i] = field(value)
			lines.append("\t".join(line))
		lines.append("")
		try:
			stream.file.write("\n".join(lines))
		except BrokenPipeError:
			stream.wait()  # raises the statement's error
			raise
		stream.rows += len(rows)
		self.counts[doctype] += len(rows)

	def flush_all(self, wait: bool = True) -> None:
		"""End the phase: send what is buffered and close every table's stream (its statement then
		ends, a bulk load builds the indexes, and it commits); with `wait`, return once all is in the
		database and the main connection sees it. Without, the main thread goes on making the next
		phase's rows while they finish."""
		for key in list(self.buffers):
			self.flush(key)
		for stream in self.streams.values():
			stream.close()
		self.finishing.extend(self.streams.values())
		self.streams = {}
		if wait:
			while self.finishing:
				self.finishing.pop(0).wait()
			frappe.db.commit()  # a new snapshot for the main connection, which then sees those rows

	def close(self) -> None:
		try:
			self.flush_all()
		finally:
			for stream in self.finishing:
				stream.close()
			for connection, _bulk in self.tables.values():
				connection.close()
			shutil.rmtree(self.folder, ignore_errors=True)


def std(name: str, moment: datetime, docstatus: int = 0, idx: int = 0) -> dict:
	return {
		"name": name,
		"creation": moment,
		"modified": moment,
		"modified_by": ADMIN,
		"owner": ADMIN,
		"docstatus": docstatus,
		"idx": idx,
	}


def child(name: str, parent: str, parenttype: str, parentfield: str, idx: int, moment, docstatus=0) -> dict:
	row = std(name, moment, docstatus, idx)
	row.update({"parent": parent, "parenttype": parenttype, "parentfield": parentfield})
	return row


class BenchmarkDataExistsError(frappe.ValidationError):
	pass


def benchmark_orders_exist() -> bool:
	return bool(frappe.db.exists("Service Work Order", {"name": ("like", f"{PREFIX}-SWO-%")}))


def generate(orders: int = 1_000_000, **overrides) -> dict:
	"""Generate the benchmark data set for `orders` work orders (see the module docstring). Any count
	of plan.Plan can be overridden, e.g. {'orders': 20000, 'parts': 2000}. Returns the row counts."""
	plan = planning.make_plan(int(orders), **overrides)
	if benchmark_orders_exist():
		# a developer's command-line tool, not a user-facing message: no translation
		raise BenchmarkDataExistsError(
			"Benchmark orders (BM-SWO-…) already exist on this site: run aftersales.benchmarks.cleanup first."
		)
	if frappe.db.exists("Item", {"name": ("like", f"{PREFIX}-%")}):
		progress("benchmark records without orders found (an interrupted run): removing them first")
		cleanup()
	# as a data import runs (no defaults filled in, commits on many writes) while generating only:
	# what runs next in this process (the benchmark's intake) inserts as a user would
	in_import, auto_commit = frappe.flags.in_import, frappe.db.auto_commit_on_many_writes
	frappe.flags.in_import = True
	frappe.db.auto_commit_on_many_writes = True
	started = time.perf_counter()
	progress(f"plan: {plan}")
	generator = Generator(plan)
	try:
		generator.run()
	finally:
		generator.writer.close()
		frappe.flags.in_import, frappe.db.auto_commit_on_many_writes = in_import, auto_commit
		# the orders were written without their documents, on past days: the daily KPI summary is
		# built again from them (aftersales/kpi/summary.py)
		kpi_summary.forget()
	elapsed = time.perf_counter() - started
	counts = dict(generator.writer.counts)
	progress(f"done in {elapsed:.0f} s: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
	summary = {
		"orders": plan.orders,
		"seconds": round(elapsed, 1),
		"peak_rss_mb": round(peak_rss_mb()),
		"finished": str(now_datetime()),
		"rows": counts,
		# the tables loaded in bulk (empty when the generator began)
		"bulk_tables": generator.writer.bulk,
	}
	# read by scripts/benchmark.py, which reports the generator's time and memory in its table
	with open(frappe.get_site_path("benchmark-generator.json"), "w") as f:
		json.dump(summary, f, indent=1)
	return summary


class Generator:
	def __init__(self, plan: planning.Plan):
		self.plan = plan
		self.rng = random.Random(plan.seed)
		self.now = now_datetime().replace(microsecond=0)
		self.start = self.now - timedelta(days=plan.days)
		self.writer = Writer(plan.chunk)
		self.issues: list[tuple] = []  # (moment, part index, warehouse, qty, voucher, detail)

	# ------------------------------------------------------------------ masters
	def run(self) -> None:
		from aftersales.kpi.indexes import ensure_indexes

		ensure_indexes()
		indexes = index_snapshot(GENERATED)
		self.masters()
		self.people()
		self.products_and_customers()
		self.spare_parts()
		self.work_orders()
		self.stock()
		self.writer.flush_all()
		ensure_indexes()
		frappe.db.commit()
		# the bulk load builds the indexes the tables have and changes none of them
		if index_snapshot(GENERATED) != indexes:
			raise RuntimeError("the indexes of the generated tables changed during the load")

	def masters(self) -> None:
		company = frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]
		self.company = company
		self.abbr, self.currency = frappe.db.get_value("Company", company, ["abbr", "default_currency"])
		self.customer_group = leaf("Customer Group")
		self.territory = leaf("Territory")
		self.price_list = frappe.db.get_value("Price List", {"selling": 1}, "name") or "Standard Selling"
		self.cost_center = frappe.db.get_value("Company", company, "cost_center")
		self.expense_account = frappe.db.get_value("Company", company, "stock_adjustment_account")
		self.fiscal_year = None
		from aftersales.service.work_order.sla import ensure_service_level_agreement

		self.agreement = ensure_service_level_agreement()
		self.part_group, self.product_group = (
			ensure_doc("Item Group", name, parent_item_group="All Item Groups") for name in ITEM_GROUPS
		)
		parent = frappe.db.get_value("Warehouse", {"company": company, "is_group": 1}, "name")
		self.central = ensure_warehouse("BM Central Parts", company, parent)
		self.warehouses = [
			ensure_warehouse(f"BM SP {i + 1:02d}", company, parent) for i in range(self.plan.service_points)
		]
		self.fault_codes = []
		for i in range(50):
			code = f"{PREFIX}-FC-{i + 1:03d}"
			if not frappe.db.exists("Fault Code", code):
				row = std(code, self.start)
				row.update(
					{
						"fault_code": code,
						"fault_name": f"{SYMPTOMS[i % len(SYMPTOMS)]} {i + 1}",
						"symptom": SYMPTOMS[i % len(SYMPTOMS)],
						"typical_cause": PART_KINDS[i % len(PART_KINDS)],
						"solvable_by_phone": int(i % 5 == 0),
					}
				)
				self.writer.add("Fault Code", row)
			self.fault_codes.append(code)
		self.writer.flush_all()
		progress("masters ready")

	def people(self) -> None:
		plan = self.plan
		self.technicians: list[list[tuple[str, str]]] = [[] for _ in range(plan.service_points)]
		for i in range(plan.technicians):
			name = f"{PREFIX}-EMP-{i + 1:04d}"
			full = person(self.rng)
			self.technicians[i % plan.service_points].append((name, full))
			if frappe.db.exists("Employee", name):
				continue
			row = std(name, self.start)
			row.update(
				{
					"naming_series": "HR-EMP-",
					"first_name": full,
					"employee_name": full,
					"company": self.company,
					"status": "Active",
					"gender": self.rng.choice(("Male", "Female")),
					"date_of_birth": getdate(self.start)
					- timedelta(days=self.rng.randint(22 * 365, 50 * 365)),
					"date_of_joining": getdate(self.start) - timedelta(days=self.rng.randint(30, 3000)),
				}
			)
			self.writer.add("Employee", row)
		self.writer.flush_all()
		self.service_points = []
		for i in range(plan.service_points):
			name = f"{PREFIX}-SP-{i + 1:02d} {CITIES[i % len(CITIES)]}"
			if not frappe.db.exists("Service Point", name):
				frappe.get_doc(
					{
						"doctype": "Service Point",
						"service_point_name": name,
						"company": self.company,
						"territory": self.territory,
						"warehouse": self.warehouses[i],
						"manager": self.technicians[i][0][0],
						"members": [
							{"employee": emp, "post": "Technician"} for emp, _full in self.technicians[i]
						],
					}
				).insert(ignore_permissions=True)
			self.service_points.append(name)
		# bigger cities take more calls
		self.point_weights = list(planning.zipf_weights(plan.service_points, 0.5))  # cumulative, for bisect
		frappe.db.commit()
		progress(f"{plan.technicians} technicians in {plan.service_points} service points")

	def products_and_customers(self) -> None:
		plan, rng = self.plan, self.rng
		self.products = []
		for i in range(plan.products):
			code = f"{PREFIX}-PROD-{i + 1:03d}"
			name = f"{PRODUCTS[i % len(PRODUCTS)]} {chr(65 + i % 26)}{i + 1:03d}"
			self.products.append((code, name))
			self.item(code, name, self.product_group, has_serial_no=1, warranty_period=3 * 365)
		self.customer_names = [person(rng) for _ in range(plan.customers)]
		for i in range(plan.customers):
			name = f"{PREFIX}-CUST-{i + 1:06d}"
			row = std(name, self.start)
			row.update(
				{
					"naming_series": "CUST-.YYYY.-",
					"customer_name": self.customer_names[i],
					"customer_type": "Individual",
					"customer_group": self.customer_group,
					"territory": self.territory,
					"mobile_no": phone(i),
				}
			)
			self.writer.add("Customer", row)
		self.writer.flush_all(wait=False)
		progress(f"{plan.customers} customers, {plan.products} products")
		# every serial number was sold on a Delivery Note 3-6 years ago, warranty three years
		self.serials = []  # (serial, product index, customer index, purchase date, warranty end, note)
		for i in range(plan.serial_nos):
			serial = f"{PREFIX}-SN-{i + 1:07d}"
			product = rng.randrange(plan.products)
			customer = rng.randrange(plan.customers)
			purchased = getdate(self.now) - timedelta(days=rng.randint(400, 6 * 365))
			warranty_end = add_years(purchased, 3)
			note = f"{PREFIX}-DN-{i + 1:07d}"
			self.serials.append((serial, product, customer, purchased, warranty_end, note))
			moment = datetime.combine(purchased, datetime.min.time()) + timedelta(hours=10)
			code, item_name = self.products[product]
			row = std(serial, moment)
			row.update(
				{
					"serial_no": serial,
					"item_code": code,
					"item_name": item_name,
					"company": self.company,
					"status": "Delivered",
					"warranty_period": 3 * 365,
					"warranty_expiry_date": warranty_end,
				}
			)
			self.writer.add("Serial No", row)
			rate = 1000 + (product % 40) * 150
			row = std(note, moment, 1)
			row.update(
				{
					"naming_series": "MAT-DN-.YYYY.-",
					"title": f"{PREFIX}-CUST-{customer + 1:06d}",
					"customer": f"{PREFIX}-CUST-{customer + 1:06d}",
					"company": self.company,
					"posting_date": purchased,
					"posting_time": "10:00:00",
					"currency": self.currency,
					"conversion_rate": 1,
					"selling_price_list": self.price_list,
					"price_list_currency": self.currency,
					"plc_conversion_rate": 1,
					"total_qty": 1,
					"base_total": rate,
					"total": rate,
					"base_net_total": rate,
					"net_total": rate,
					"base_grand_total": rate,
					"grand_total": rate,
					"base_rounded_total": rate,
					"rounded_total": rate,
					"status": "Completed",
					"per_billed": 100,
					"is_return": 0,
				}
			)
			self.writer.add("Delivery Note", row)
			row = child(f"{note}-1", note, "Delivery Note", "items", 1, moment, 1)
			row.update(
				{
					"item_code": code,
					"item_name": item_name,
					"description": item_name,
					"qty": 1,
					"stock_qty": 1,
					"stock_uom": "Nos",
					"uom": "Nos",
					"conversion_factor": 1,
					"rate": rate,
					"base_rate": rate,
					"amount": rate,
					"base_amount": rate,
					"net_rate": rate,
					"net_amount": rate,
					"warehouse": self.central,
					"serial_no": serial,
				}
			)
			self.writer.add("Delivery Note Item", row)
			if (i + 1) % 100_000 == 0:
				progress(f"{i + 1} serial numbers and delivery notes")
		self.writer.flush_all(wait=False)
		progress(f"{plan.serial_nos} serial numbers sold on delivery notes")

	def item(self, code: str, name: str, group: str, **values) -> None:
		row = std(code, self.start)
		row.update(
			{
				"item_code": code,
				"item_name": name,
				"description": name,
				"item_group": group,
				"stock_uom": "Nos",
				"is_stock_item": 1,
				"include_item_in_manufacturing": 0,
				"naming_series": "STO-ITEM-.YYYY.-",
				**values,
			}
		)
		self.writer.add("Item", row)
		uom = child(f"{code}-uom", code, "Item", "uoms", 1, self.start)
		uom.update({"uom": "Nos", "conversion_factor": 1})
		self.writer.add("UOM Conversion Detail", uom)
		default = child(f"{code}-def", code, "Item", "item_defaults", 1, self.start)
		default.update({"company": self.company, "default_warehouse": self.central})
		self.writer.add("Item Default", default)

	def spare_parts(self) -> None:
		plan, rng = self.plan, self.rng
		self.parts = []  # (code, name, valuation rate)
		for i in range(plan.parts):
			code = f"{PREFIX}-PART-{i + 1:05d}"
			name = f"{PART_KINDS[i % len(PART_KINDS)]} {PRODUCTS[(i // 10) % len(PRODUCTS)]} {i + 1:05d}"
			rate = round(rng.lognormvariate(4, 1), 2) + 1
			self.parts.append((code, name, rate))
			self.item(code, name, self.part_group, valuation_rate=rate, standard_rate=round(rate * 1.5, 2))
		self.part_weights = planning.zipf_weights(plan.parts, 0.9)
		self.writer.flush_all(wait=False)
		progress(f"{plan.parts} spare part items")

	# ------------------------------------------------------------------ orders
	def work_orders(self) -> None:
		plan, rng = self.plan, self.rng
		moments = received_moments(rng, plan.orders, self.now, plan.days)
		hours_by_day = {d: [(planning.DAY_START, planning.DAY_END)] for d in range(7)}

		def working_time(start, end):
			return kpi.working_seconds(start, end, hours_by_day)

		self.working_time = working_time
		self.open_count = 0
		for n, received_on in enumerate(moments, start=1):
			self.order(n, received_on)
			if n % 50_000 == 0 or n == plan.orders:
				progress(f"{n} work orders ({self.open_count} open)")
		self.writer.flush_all(wait=False)

	def order(self, n: int, received_on: datetime) -> None:
		plan, rng, now = self.plan, self.rng, self.now
		name = f"{PREFIX}-SWO-{n:07d}"
		order_type = pick(rng, planning.ORDER_TYPES)
		story = order_story(rng, order_type, received_on, now, plan)
		serial, product, customer, purchased, warranty_end, note = self.serials[
			rng.randrange(plan.serial_nos)
		]
		point = bisect.bisect_left(self.point_weights, rng.random() * self.point_weights[-1])
		technician, technician_name = rng.choice(self.technicians[point])
		statuses = [s for s, _p, _t in story.log]
		assigned = flow.ASSIGNED in statuses
		accepted = flow.ACCEPTED in statuses
		in_warranty = received_on.date() <= warranty_end
		code, item_name = self.products[product]
		last = story.log[-1][2]
		status = story.status
		if status not in flow.SLA_FULFILLED:
			self.open_count += 1
		row = std(name, received_on)
		row["modified"] = last
		facts = kpi.order_facts(
			received_on, [kpi.LogEntry(s, p, t) for s, p, t in story.log], self.working_time
		)
		response_by = working_hours_after(received_on, 2)
		resolution_by = working_hours_after(received_on, 72)
		delivered = [t for s, _p, t in story.log if s == flow.DELIVERED]
		fulfilled_at = next((t for s, _p, t in story.log if s in flow.SLA_FULFILLED), None)
		if fulfilled_at:
			agreement_status = "Fulfilled" if fulfilled_at <= resolution_by else "Failed"
		elif facts.booked_on:
			agreement_status = "Resolution Due" if now <= resolution_by else "Failed"
		else:
			agreement_status = "First Response Due" if now <= response_by else "Failed"
		row.update(
			{
				"naming_series": "SWO-.YYYY.-",
				"order_type": order_type,
				"channel": pick(rng, planning.CHANNELS),
				"status": status,
				"company": self.company,
				"received_on": received_on,
				"is_important": int(rng.random() < 0.05),
				"customer": f"{PREFIX}-CUST-{customer + 1:06d}",
				"customer_name": self.customer_names[customer],
				"phone": phone(customer),
				"item_code": code,
				"item_name": item_name,
				"serial_no": serial,
				"sales_document_type": "Delivery Note",
				"sales_document": note,
				"purchase_date": purchased,
				"fault_date": received_on.date(),
				"warranty_status": "In Warranty" if in_warranty else "Out of Warranty",
				"warranty_end": warranty_end,
				"warranty_basis": "Serial No",
				"allowed_remedies": "Repair" if in_warranty else None,
				"fault_code": self.fault_codes[rng.randrange(len(self.fault_codes))],
				"symptoms": SYMPTOMS[rng.randrange(len(SYMPTOMS))],
				"solved_by_phone": int(story.solved_by_phone),
				"phone_solution": "电话指导用户重置设备" if story.solved_by_phone else None,
				"service_point": self.service_points[point] if accepted else None,
				"technician": technician if assigned else None,
				"technician_name": technician_name if assigned else None,
				"currency": self.currency,
				"status_log": None,
				"service_level_agreement": self.agreement,
				"priority": "Medium",
				"service_level_agreement_creation": received_on,
				"response_by": response_by,
				"sla_resolution_by": resolution_by,
				"first_responded_on": facts.booked_on,
				"agreement_status": agreement_status,
				"sla_resolution_date": fulfilled_at,
				"response_breached": int((facts.booked_on or now) > response_by),
				"is_delayed": int((fulfilled_at or now) > resolution_by),
				"delivered_on": delivered[-1] if delivered else None,
				"rework_count": sum(
					1 for s, p, _t in story.log if s == flow.IN_PROGRESS and p == flow.QUALITY_CHECK
				),
				**{f: getattr(facts, f) for f in kpi.ORDER_FACT_FIELDS},
			}
		)
		row.pop("status_log")
		if flow.APPOINTMENT_BOOKED in statuses:
			booked = facts.booked_on
			row["appointment_start"] = booked + timedelta(hours=rng.randint(2, 48))
			row["appointment_end"] = row["appointment_start"] + timedelta(hours=2)
		worked = flow.QUALITY_CHECK in statuses
		labour_hours = round(rng.uniform(0.5, 6), 1) if worked else 0
		row["labour_hours"] = labour_hours
		row["work_summary"] = "更换损坏部件并试机正常" if worked else None
		if flow.DELIVERED in statuses:
			row.update(
				{
					"delivery_explanation": "已向客户说明维修内容",
					"signed_by": "客户本人",
					"customer_signature": "data:image/png;base64,iVBORw0KGgo=",
					"qc_type": "Spot Check",
					"qc_result": "Pass",
				}
			)
		parts_cost = parts_amount = 0.0
		waiting = False  # a part approved and not issued yet
		self.current_warehouse = self.warehouses[point]
		if story.parts_at and order_type == "Repair" and rng.random() < plan.parts_rate:
			parts_cost, parts_amount, waiting = self.parts_lines(n, name, story, in_warranty)
		labour_rate = 80.0
		labour_amount = 0.0 if in_warranty else labour_hours * labour_rate
		chargeable = 0.0 if in_warranty else parts_amount + labour_amount
		row.update(
			{
				"parts_amount": parts_amount,
				"labour_amount": labour_amount,
				"chargeable_amount": chargeable,
				"claimable_amount": parts_amount + labour_hours * labour_rate if in_warranty else 0,
				"parts_cost": parts_cost,
				"labour_cost": labour_hours * 50,
				"total_cost": parts_cost + labour_hours * 50,
				"revenue": chargeable,
				"margin": chargeable - parts_cost - labour_hours * 50,
				# as the daily job would have flagged it (sla.flag_overdue_orders): an open order
				# waiting for a part requested more than PARTS_WAIT_DAYS ago
				"parts_delayed": int(
					waiting
					and status not in flow.SLA_FULFILLED
					and story.parts_at < now - timedelta(days=PARTS_WAIT_DAYS)
				),
			}
		)
		follow_up, outcome = self.follow_ups(n, name, story, row, point, technician)
		row["follow_up"], row["follow_up_outcome"] = follow_up, outcome
		self.writer.add("Service Work Order", row)
		for i, (state, previous, moment) in enumerate(story.log, start=1):
			log = child(f"{PREFIX}-L{n:07d}-{i}", name, "Service Work Order", "status_log", i, moment)
			log.update({"status": state, "previous_status": previous, "user": ADMIN, "timestamp": moment})
			self.writer.add("Service Work Order Log", log)
		if rng.random() < plan.complaint_rate:
			self.complaint(n, name, row, story)
		if rng.random() < plan.return_rate:
			self.return_request(n, row, customer, note, code, item_name, serial, product)

	def parts_lines(self, n: int, order: str, story, in_warranty: bool) -> tuple[float, float, bool]:
		"""The order's part lines: (their cost, their amount, whether they wait to be issued)."""
		rng = self.rng
		cost = amount = 0.0
		issued = story.status not in (flow.IN_PROGRESS, flow.AWAITING_CONSENT) or rng.random() < 0.6
		lines = 1 if rng.random() < 0.75 else 2
		voucher = f"{PREFIX}-SE-{n:07d}"
		warehouse = self.current_warehouse
		moment = story.parts_at + timedelta(minutes=30)  # the issue's posting
		for i in range(1, lines + 1):
			part = bisect.bisect_left(self.part_weights, rng.random() * self.part_weights[-1])
			code, name, rate = self.parts[part]
			qty = 1 if rng.random() < 0.85 else 2
			price = round(rate * 1.5, 2)
			row = child(f"{PREFIX}-P{n:07d}-{i}", order, "Service Work Order", "parts", i, story.parts_at)
			detail = f"{voucher}-{i}"
			row.update(
				{
					"item_code": code,
					"item_name": name,
					"qty": qty,
					"uom": "Nos",
					"warehouse": warehouse,
					"rate": price,
					"amount": price * qty,
					"chargeable": int(not in_warranty),
					"in_plan": 1,
					"status": "Issued" if issued else "Approved",
					"approved_by": ADMIN,
					"issued_qty": qty if issued else 0,
					"valuation_rate": rate if issued else 0,
					"stock_entry": voucher if issued else None,
					"issued_on": moment.date() if issued else None,
				}
			)
			self.writer.add("Service Work Order Part", row)
			if issued:
				self.issues.append((moment, part, warehouse, qty, voucher, detail, order))
			cost += rate * qty if issued else 0
			amount += price * qty
		return cost, amount, not issued

	def follow_ups(self, n, order, story, row, point, technician):
		last_name = last_outcome = None
		for k, (delivered_at, done_at, outcome) in enumerate(story.follow_ups, start=1):
			name = f"{PREFIX}-SFU-{n:07d}-{k}"
			scheduled = (delivered_at + timedelta(days=planning.FOLLOW_UP_DAYS)).date()
			fu = std(name, delivered_at, 1 if done_at else 0)
			fu["modified"] = done_at or delivered_at
			fu.update(
				{
					"naming_series": "SFU-.YYYY.-",
					"service_work_order": order,
					"customer": row["customer"],
					"phone": row["phone"],
					"scheduled_date": scheduled,
					"channel": "Phone",
					"status": "Completed" if done_at else "Scheduled",
					"technician": technician,
					"service_point": self.service_points[point],
					# the order's dimensions the KPI reads from the follow-up (issue 15, kpi-speed)
					"company": row["company"],
					"item_code": row["item_code"],
					"order_channel": row["channel"],
				}
			)
			if done_at:
				good = outcome == "Satisfied"
				fu.update(
					{
						"repair_quality": self.rng.choice((0.8, 1.0)) if good else 0.4,
						"attitude": self.rng.choice((0.8, 1.0)) if good else 0.6,
						"duration": self.rng.choice((0.6, 0.8, 1.0)) if good else 0.4,
						"outcome": outcome,
						"followed_up_by": ADMIN,
						"followed_up_on": done_at,
					}
				)
				last_outcome = outcome
			else:
				last_outcome = None
			self.writer.add("Service Follow-up", fu)
			last_name = name
		return last_name, last_outcome

	def complaint(self, n, order, row, story) -> None:
		rng = self.rng
		received = story.log[-1][2] + timedelta(hours=rng.uniform(1, 72))
		received = min(received, self.now - timedelta(minutes=5))
		severity = pick(rng, (("Normal", 85), ("Serious", 13), ("Safety-critical", 2)))
		deadline = received + timedelta(hours={"Normal": 72, "Serious": 24, "Safety-critical": 4}[severity])
		age_days = (self.now - received).days
		status = (
			"Closed" if age_days > 10 else pick(rng, (("Open", 3), ("Investigating", 3), ("Resolved", 2)))
		)
		cc = std(f"{PREFIX}-CMP-{n:07d}", received)
		cc.update(
			{
				"naming_series": "CMP-.YYYY.-",
				"subject": f"投诉 {order}",
				"status": status,
				"channel": pick(rng, (("Hotline", 60), ("Online", 25), ("Email", 10), ("Letter", 5))),
				"received_at": received,
				"category": pick(
					rng,
					(("Repair Quality", 40), ("Service Attitude", 25), ("Parts Quality", 20), ("Other", 15)),
				),
				"severity": severity,
				"tier": "Desk",
				"deadline": deadline,
				"customer": row["customer"],
				"complainant": "客户本人",
				"phone": row["phone"],
				"item_code": row["item_code"],
				"serial_no": row["serial_no"],
				"service_work_order": order,
				"description": "客户对维修结果不满意",
				"closed_on": deadline - timedelta(hours=1) if status == "Closed" else None,
			}
		)
		self.writer.add("Customer Complaint", cc)

	def return_request(self, n, row, customer, note, code, item_name, serial, product) -> None:
		rng = self.rng
		purchased = row["purchase_date"]
		requested = getdate(row["received_on"])
		rate = 1000 + (product % 40) * 150
		name = f"{PREFIX}-RR-{n:07d}"
		moment = row["received_on"]
		age_days = (getdate(self.now) - requested).days
		status = (
			pick(rng, (("Completed", 80), ("Rejected", 15), ("Cancelled", 5)))
			if age_days > 20
			else pick(rng, (("Submitted", 3), ("Business Review", 3), ("Approved", 2)))
		)
		rr = std(name, moment)
		rr.update(
			{
				"naming_series": "RR-.YYYY.-",
				"kind": pick(rng, (("Return for Refund", 60), ("Exchange", 40))),
				"ground": pick(
					rng,
					(
						("Quality Defect", 55),
						("Wrong Specification", 15),
						("Wrong Shipment", 10),
						("Missing Shipment", 5),
						("Customer's Own Reason", 15),
					),
				),
				"status": status,
				"company": self.company,
				"request_date": requested,
				"customer": f"{PREFIX}-CUST-{customer + 1:06d}",
				"phone": row["phone"],
				"sales_document_type": "Delivery Note",
				"sales_document": note,
				"currency": self.currency,
				"received_date": purchased,
				"late_override": 1,
				"override_reason": "基准数据",
				"total_amount": rate,
				"description": "产品质量问题申请退换",
			}
		)
		self.writer.add("Return Request", rr)
		item = child(f"{name}-1", name, "Return Request", "items", 1, moment)
		item.update(
			{
				"item_code": code,
				"item_name": item_name,
				"qty": 1,
				"delivered_qty": 1,
				"returnable_qty": 1,
				"rate": rate,
				"amount": rate,
				"serial_no": serial,
				"source_row": f"{note}-1",
			}
		)
		self.writer.add("Return Request Item", item)

	# ------------------------------------------------------------------ stock
	def stock(self) -> None:
		"""Stock Entries and ledger rows of the issued parts, in posting order, with an opening receipt
		per part and warehouse and a replenishment whenever a warehouse would run out; then Bins and
		the Spare Part stock fields from the final balances."""
		plan, rng = self.plan, self.rng
		opening_at = self.start - timedelta(days=1)
		balance: dict[tuple[int, str], float] = {}
		last_move: dict[tuple[int, str], datetime] = {}
		self.sle_count = 0
		self.receipts = 0
		# opening stock of every part in the central store, and of each used part at the points
		events = sorted(self.issues, key=lambda e: (e[0], e[4], e[5]))
		self.issues = []
		progress(f"{len(events)} issued parts lines to post")
		for part in range(plan.parts):
			self.receive(part, self.central, rng.randint(5, 60), opening_at, balance, last_move)
		posted = 0
		for voucher, group in itertools.groupby(events, key=lambda e: e[4]):
			lines = []
			for moment, part, warehouse, qty, _voucher, detail, source in group:
				order = source
				key = (part, warehouse)
				if balance.get(key, 0) < qty:
					# replenished shortly before the issue, after the last move of that stock
					at = max(last_move.get(key, opening_at), moment - timedelta(hours=1))
					self.receive(part, warehouse, rng.randint(10, 40), at, balance, last_move)
				balance[key] -= qty
				self.sle(moment, part, warehouse, -qty, balance[key], "Stock Entry", voucher, detail)
				last_move[key] = moment
				lines.append((detail, part, qty))
			self.stock_entry(voucher, moment, "Material Issue", warehouse, lines, order)
			posted += len(lines)
			if posted // 100_000 != (posted - len(lines)) // 100_000:
				progress(f"{posted} parts issues posted")
		self.bins_and_parts(balance, last_move)
		progress(f"stock: {self.sle_count} ledger rows, {self.receipts} receipts, {len(balance)} bins")

	def sle(self, moment, part, warehouse, qty, after, voucher_type, voucher, detail) -> None:
		code, _name, rate = self.parts[part]
		self.sle_count += 1
		row = std(f"{PREFIX}-SLE-{self.sle_count:08d}", moment, 1)
		row.update(
			{
				"item_code": code,
				"warehouse": warehouse,
				"posting_date": moment.date(),
				"posting_time": moment.time(),
				"posting_datetime": moment,
				"voucher_type": voucher_type,
				"voucher_no": voucher,
				"voucher_detail_no": detail,
				"actual_qty": qty,
				"qty_after_transaction": after,
				"incoming_rate": rate if qty > 0 else 0,
				"valuation_rate": rate,
				"stock_value": after * rate,
				"stock_value_difference": qty * rate,
				"stock_queue": f"[[{after}, {rate}]]",
				"company": self.company,
				"stock_uom": "Nos",
				"is_cancelled": 0,
				"fiscal_year": str(moment.year),
			}
		)
		self.writer.add("Stock Ledger Entry", row)

	def stock_entry(self, name, moment, purpose, warehouse, lines, order=None) -> None:
		"""lines: [(detail name, part, qty)]"""
		total = sum(self.parts[p][2] * q for _d, p, q in lines)
		se = std(name, moment, 1)
		se.update(
			{
				"naming_series": "MAT-STE-.YYYY.-",
				"stock_entry_type": purpose,
				"purpose": purpose,
				"company": self.company,
				"posting_date": moment.date(),
				"posting_time": moment.time(),
				"from_warehouse": warehouse if purpose == "Material Issue" else None,
				"to_warehouse": warehouse if purpose == "Material Receipt" else None,
				"total_outgoing_value": total if purpose == "Material Issue" else 0,
				"total_incoming_value": total if purpose == "Material Receipt" else 0,
				"value_difference": -total if purpose == "Material Issue" else total,
				"total_amount": total,
				"remarks": f"{order}" if order else "Benchmark stock",
			}
		)
		self.writer.add("Stock Entry", se)
		for i, (detail, part, qty) in enumerate(lines, start=1):
			code, name_, rate = self.parts[part]
			row = child(detail, name, "Stock Entry", "items", i, moment, 1)
			row.update(
				{
					"item_code": code,
					"item_name": name_,
					"description": name_,
					"s_warehouse": warehouse if purpose == "Material Issue" else None,
					"t_warehouse": warehouse if purpose == "Material Receipt" else None,
					"qty": qty,
					"transfer_qty": qty,
					"uom": "Nos",
					"stock_uom": "Nos",
					"conversion_factor": 1,
					"basic_rate": rate,
					"valuation_rate": rate,
					"basic_amount": rate * qty,
					"amount": rate * qty,
					"expense_account": self.expense_account,
					"cost_center": self.cost_center,
				}
			)
			self.writer.add("Stock Entry Detail", row)

	def receive(self, part, warehouse, qty, moment, balance, last_move) -> None:
		self.receipts += 1
		name = f"{PREFIX}-SER-{self.receipts:07d}"
		detail = f"{name}-1"
		self.stock_entry(name, moment, "Material Receipt", warehouse, [(detail, part, qty)])
		key = (part, warehouse)
		balance[key] = balance.get(key, 0) + qty
		self.sle(moment, part, warehouse, qty, balance[key], "Stock Entry", name, detail)
		last_move[key] = moment

	def bins_and_parts(self, balance, last_move) -> None:
		by_part: dict[int, list] = defaultdict(list)
		for (part, warehouse), qty in balance.items():
			code, _name, rate = self.parts[part]
			row = std(f"{PREFIX}-BIN-{part + 1:05d}-{warehouse}", self.now)
			row.update(
				{
					"item_code": code,
					"warehouse": warehouse,
					"actual_qty": qty,
					"projected_qty": qty,
					"valuation_rate": rate,
					"stock_value": qty * rate,
					"stock_uom": "Nos",
				}
			)
			self.writer.add("Bin", row)
			by_part[part].append((warehouse, qty, last_move.get((part, warehouse))))
		rng = self.rng
		for part, (code, name, rate) in enumerate(self.parts):
			stocks = by_part.get(part, [])
			qty = sum(q for _w, q, _m in stocks)
			moved = max((m for _w, _q, m in stocks if m), default=None)
			row = std(code, self.start)
			row.update(
				{
					"item_code": code,
					"item_name": name,
					"item_group": self.part_group,
					"stock_uom": "Nos",
					"specification": f"规格 {part % 97}",
					"default_warehouse": self.central,
					"stock_qty": qty,
					"stock_value": qty * rate,
					"last_movement_date": moved.date() if moved else None,
				}
			)
			self.writer.add("Spare Part", row)
			for i, (warehouse, wqty, _m) in enumerate(sorted(stocks)[:3], start=1):
				level = rng.randint(2, 40)  # about a tenth of the lines end up below theirs
				line = child(f"{code}-wl{i}", code, "Spare Part", "warning_lines", i, self.start)
				line.update(
					{
						"warehouse": warehouse,
						"warning_level": level,
						"reorder_qty": level * 2,
						"stock_qty": wqty,
						"below_warning_line": int(wqty < level),
					}
				)
				self.writer.add("Spare Part Warning Line", line)
		self.writer.flush_all(wait=False)


def leaf(doctype: str) -> str:
	return frappe.db.get_value(doctype, {"is_group": 0}, "name")


def ensure_doc(doctype: str, name: str, **values) -> str:
	if not frappe.db.exists(doctype, name):
		field = {"Item Group": "item_group_name"}[doctype]
		frappe.get_doc({"doctype": doctype, field: name, **values}).insert(ignore_permissions=True)
	return name


def ensure_warehouse(label: str, company: str, parent: str) -> str:
	abbr = frappe.db.get_value("Company", company, "abbr")
	name = f"{label} - {abbr}"
	if not frappe.db.exists("Warehouse", name):
		frappe.get_doc(
			{"doctype": "Warehouse", "warehouse_name": label, "company": company, "parent_warehouse": parent}
		).insert(ignore_permissions=True)
	return name


def person(rng: random.Random) -> str:
	return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def phone(customer_index: int) -> str:
	return f"139{customer_index + 10_000_000:08d}"


# ---------------------------------------------------------------------- cleanup
BENCHMARK_TABLES = (
	# (doctype, column holding the BM- name)
	("Service Work Order Log", "parent"),
	("Service Work Order Part", "parent"),
	("Service Work Order Check", "parent"),
	("Service Work Order Old Part", "parent"),
	("Service Work Order", "name"),
	("Service Follow-up", "service_work_order"),
	("Customer Complaint Escalation", "parent"),
	("Customer Complaint Measure", "parent"),
	("Customer Complaint", "name"),
	("Return Request Item", "parent"),
	("Return Request", "name"),
	("Stock Ledger Entry", "item_code"),
	("Stock Entry Detail", "parent"),
	("Stock Entry", "name"),
	("Bin", "item_code"),
	("Spare Part Warning Line", "parent"),
	("Spare Part Class Change", "parent"),
	("Spare Part Compatibility", "parent"),
	("Spare Part", "name"),
	("Delivery Note Item", "parent"),
	("Delivery Note", "name"),
	("Serial No", "name"),
	("UOM Conversion Detail", "parent"),
	("Item Default", "parent"),
	("Item", "name"),
	("Customer", "name"),
	("Fault Code", "name"),
)
# the tables the generator writes: their indexes are compared before and after a load
GENERATED = (*(doctype for doctype, _column in BENCHMARK_TABLES), "Employee")


def cleanup() -> dict:
	"""Delete every benchmark record (named BM-…): orders and their documents, stock, parts,
	customers, serial numbers; service points, their employees and warehouses last. A table that holds
	benchmark records only is truncated (a benchmark site's: seconds instead of minutes at 1M orders,
	and the next load into the empty table is a bulk one)."""
	counts = {}
	for doctype, column in BENCHMARK_TABLES:
		if not frappe.db.table_exists(doctype):
			continue
		only_benchmark = not frappe.db.sql(
			f"SELECT EXISTS(SELECT 1 FROM `tab{doctype}` WHERE COALESCE(`{column}`, '') NOT LIKE %s)",
			f"{PREFIX}-%",
		)[0][0]
		if only_benchmark:
			# nothing else in the table: emptied at once, and physically empty for the next bulk load
			counts[doctype] = frappe.db.count(doctype)
			frappe.db.truncate(doctype)
			progress(f"cleanup {doctype}: {counts[doctype]} (truncated)")
			continue
		total = 0
		while True:
			frappe.db.sql(f"DELETE FROM `tab{doctype}` WHERE `{column}` LIKE %s LIMIT 50000", f"{PREFIX}-%")
			affected = frappe.db._cursor.rowcount
			frappe.db.commit()
			total += affected
			if affected < 50000:
				break
		counts[doctype] = total
		progress(f"cleanup {doctype}: {total}")
	for name in frappe.get_all("Service Point", {"name": ("like", f"{PREFIX}-SP-%")}, pluck="name"):
		frappe.delete_doc("Service Point", name, ignore_permissions=True, force=True)
	frappe.db.delete("Employee", {"name": ("like", f"{PREFIX}-EMP-%")})
	for name in frappe.get_all("Warehouse", {"name": ("like", "BM %")}, pluck="name"):
		frappe.delete_doc("Warehouse", name, ignore_permissions=True, force=True)
	# the item groups it made, unless items of the site's own were put in them since
	for name in ITEM_GROUPS:
		if frappe.db.exists("Item Group", name) and not frappe.db.exists("Item", {"item_group": name}):
			frappe.delete_doc("Item Group", name, ignore_permissions=True, force=True)
	kpi_summary.forget()  # orders deleted without their documents
	frappe.db.commit()
	return counts
