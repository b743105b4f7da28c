"""The daily KPI summary (aftersales/kpi/summary.py) gives exactly the live figures, and stops being
used for a day as soon as anything that day counts changes, by every way the app changes orders and
follow-ups. Built on the hand-counted data set of aftersales/tests/kpi_data.py (January and
February 2025), inside each test's transaction."""

import dataclasses
import threading
import time
from datetime import datetime, timedelta
from unittest.mock import patch

import frappe
from frappe.query_builder.functions import Count
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime

from aftersales.kpi import facts, query, summary
from aftersales.kpi.definitions import COUNTERS
from aftersales.kpi.test_kpi import EXPECTED_BY_MONTH
from aftersales.service.work_order import scheduled
from aftersales.tests import api
from aftersales.tests import kpi_data as data
from aftersales.tests.queries import count_queries
from aftersales.tests.utils import demo
from aftersales.tests.work_orders import MANAGER, TECH_EAST

COMPANY = data.COMPANY
FIRST, LAST = getdate("2025-01-01"), getdate("2025-02-28")
PERIOD = {"company": COMPANY, "from_date": str(FIRST), "to_date": str(LAST)}
GROUPINGS = (None, "company", "service_point")
PERIODS = (None, "Day", "Week", "Month")


def setUpModule():
	global DATA
	DATA = data.set_up_module()


def tearDownModule():
	data.tear_down_module()


class TestDailySummary(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		summary.forget(COMPANY)
		self.build()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def build(self, days=None):
		now, limit = now_datetime(), query.appointment_limit_hours()
		for day in days or self.days():
			summary.build_day(COMPANY, day, now, limit, commit=False)

	def days(self):
		return summary.each_day(FIRST, LAST)

	def order(self, key):
		return frappe.get_doc("Service Work Order", DATA["orders"][key])

	def reader(self, filters=None, group_by="service_point", user="Administrator", now=None):
		parsed = query.Filters.parse(filters or PERIOD)
		return summary.reader(
			parsed, group_by, None, user, now or now_datetime(), query.appointment_limit_hours()
		)

	def assertSame(self, filters=None, groupings=GROUPINGS, periods=PERIODS, now=None):
		"""The report's figures with the summary are the live ones, for every grouping and period."""
		for group_by in groupings:
			for period in periods:
				with self.subTest(group_by=group_by, period=period):
					args = dict(filters=filters or PERIOD, group_by=group_by, period=period, now=now)
					summarised = query.compute(**args)
					live = query.compute(**args, use_summary=False)
					self.assertEqual(summarised.rows, live.rows)
					self.assertEqual(summarised.total, live.total)

	def assertRead(self, days_live=()):
		"""The summary answers the two months, reading exactly `days_live` live."""
		reader = self.reader()
		self.assertIsNotNone(reader)
		live = {day for first, last in reader.live_ranges for day in summary.each_day(first, last)}
		self.assertEqual(live, {getdate(d) for d in days_live})

	def test_the_summary_gives_the_hand_counted_figures_without_scanning_the_orders(self):
		self.assertRead()
		with patch.object(query, "run_source", wraps=query.run_source) as live:
			result = query.compute(PERIOD, period="Month")
		scanned = {call.args[0] for call in live.call_args_list}
		self.assertFalse(scanned & set(summary.SUMMARISED), scanned)
		for row in result.rows:
			expected = EXPECTED_BY_MONTH[str(row["period"])[:7]]
			for key, value in expected.items():
				with self.subTest(month=row["period"], key=key):
					if value is None:
						self.assertIsNone(row.get(key))
					else:
						self.assertAlmostEqual(row[key], value, places=6)
		self.assertSame()

	def test_by_a_service_point_and_over_all_companies(self):
		self.assertSame({**PERIOD, "service_point": data.NORTH})
		# over all companies: each company's rows of the days are needed
		everyone = {"from_date": str(FIRST), "to_date": str(LAST)}
		now, limit = now_datetime(), query.appointment_limit_hours()
		for company in frappe.get_all("Company", pluck="name"):
			if company != COMPANY:
				for day in self.days():
					summary.build_day(company, day, now, limit, commit=False)
		self.assertIsNotNone(self.reader(everyone))
		self.assertSame(everyone, periods=(None, "Month"))

	def test_a_save_marks_the_days_before_and_after_it(self):
		order = self.order("O3")  # at North
		old_days = {getdate(order.get(f)) for f in summary.ORDER_DATES if order.get(f)}
		order.service_point = data.SOUTH
		order.technician = DATA["employees"]["T3"]
		order.flags.ignore_permissions = True
		order.save()
		# its follow-ups moved with it (they keep the order's service point for the KPIs)
		follow_up_days = {
			getdate(d)
			for d in frappe.get_all(
				"Service Follow-up", {"service_work_order": order.name}, pluck="followed_up_on"
			)
			if d
		}
		self.assertTrue(follow_up_days - old_days)
		self.assertRead(days_live=old_days | follow_up_days)
		self.assertSame()

	def test_db_set_of_a_counted_field_marks_its_days(self):
		order = self.order("O1")
		order.db_set("revenue", 1000)
		self.assertRead(days_live={getdate(order.get(f)) for f in summary.ORDER_DATES if order.get(f)})
		self.assertSame()

	def test_facts_refresh_marks_the_days_it_moves(self):
		order = self.order("O2")
		# a stale fact written behind the app's back, summarised as it stands
		frappe.db.set_value("Service Work Order", order.name, "completed_on", "2025-01-20 10:00:00")
		self.build()
		self.assertRead()
		self.assertEqual(facts.refresh([order.name]), 1)
		# every day the order counts on, the stale completion day among them
		days = {getdate(order.get(f)) for f in summary.ORDER_DATES if order.get(f)}
		self.assertRead(days_live=days | {getdate("2025-01-20")})
		self.assertSame()

	def test_a_follow_up_cancelled_marks_its_day_and_its_orders(self):
		follow_up = frappe.get_doc(
			"Service Follow-up", {"service_work_order": DATA["orders"]["O8"], "docstatus": 1}
		)
		order = self.order("O8")
		follow_up.flags.ignore_permissions = True
		follow_up.cancel()
		days = {getdate(follow_up.followed_up_on)}
		days |= {getdate(order.get(f)) for f in summary.ORDER_DATES if order.get(f)}
		self.assertRead(days_live=days)
		self.assertSame()

	def test_the_jobs_bulk_flags_mark_the_orders_days(self):
		order = self.order("O12")  # open, past its response deadline
		self.assertEqual(scheduled.set_flags([order.name], "response_breached", 0), [order.name])
		self.assertRead(days_live={getdate(order.received_on)})
		self.assertSame()

	def test_a_bulk_change_marks_all_its_days_in_one_statement(self):
		orders = [self.order(key) for key in ("O12", "O13", "O14")]  # open, on three days
		with count_queries() as log:
			flagged = scheduled.set_flags([o.name for o in orders], "response_breached", 0)
		self.assertEqual(sorted(flagged), sorted(o.name for o in orders))
		self.assertEqual(len(log.writes(summary.DAY)), 1)
		self.assertRead(days_live={getdate(o.received_on) for o in orders})
		self.assertSame(periods=(None, "Day"))

	def test_a_deleted_order_marks_its_days(self):
		order = self.order("O16")
		frappe.delete_doc("Service Work Order", order.name, ignore_permissions=True, force=True)
		self.assertRead(days_live={getdate(order.received_on)})
		self.assertSame()

	def test_a_rebuilt_day_is_read_from_the_summary_again(self):
		order = self.order("O1")
		order.db_set("revenue", 1000)
		rebuilt = getdate(order.received_on)
		self.build([rebuilt])
		days = {getdate(order.get(f)) for f in summary.ORDER_DATES if order.get(f)}
		self.assertTrue(days - {rebuilt})
		self.assertRead(days_live=days - {rebuilt})
		self.assertSame()

	def test_a_renamed_service_point_drops_the_summary(self):
		self.assertTrue(frappe.db.exists(summary.DAY, {"company": COMPANY}))
		frappe.rename_doc("Service Point", data.SOUTH, data.SOUTH + " Renamed", force=True)
		self.assertFalse(frappe.db.exists(summary.DAY, {"company": COMPANY}))
		self.assertIsNone(self.reader())

	def test_recent_days_are_never_marked_or_summarised(self):
		today = getdate()
		summary.mark([(COMPANY, today), (COMPANY, add_days(today, -1))])
		self.assertFalse(
			frappe.db.exists(summary.DAY, summary.row_name(COMPANY, today))
			or frappe.db.exists(summary.DAY, summary.row_name(COMPANY, add_days(today, -1)))
		)
		summary.mark([(COMPANY, add_days(today, -summary.UNMARKED_DAYS))])
		self.assertTrue(frappe.db.exists(summary.DAY, summary.row_name(COMPANY, add_days(today, -2))))
		self.assertEqual(summary.last_summarised(today), add_days(today, -summary.LIVE_DAYS))
		self.assertGreater(summary.LIVE_DAYS, summary.UNMARKED_DAYS)

	def test_marking_before_migrate_has_made_the_table_does_nothing(self):
		with patch.object(summary, "DAY", "Service KPI Day Not Made Yet"):
			summary.mark([(COMPANY, FIRST)])  # a patch saving an old order before the table exists
		self.assertTrue(frappe.db.exists(summary.DAY, summary.row_name(COMPANY, FIRST)))

	def test_a_deadline_passing_makes_its_day_live(self):
		name = DATA["orders"]["O12"]  # open, received 2025-02-12
		deadline = (now_datetime() + timedelta(hours=5)).replace(microsecond=0)
		frappe.db.set_value("Service Work Order", name, "sla_resolution_by", deadline)
		self.build([getdate("2025-02-12")])
		row = frappe.db.get_value(
			summary.DAY, summary.row_name(COMPANY, "2025-02-12"), "valid_until", as_dict=False
		)
		self.assertEqual(row, deadline)
		later = deadline + timedelta(hours=1)
		reader = self.reader(now=later)
		self.assertIn((getdate("2025-02-12"), getdate("2025-02-12")), reader.live_ranges)
		self.assertEqual(self.reader(now=deadline - timedelta(hours=1)).live_ranges, [])
		self.assertSame(groupings=(None, "service_point"), periods=(None,), now=later)

	def test_rows_built_by_code_that_counted_otherwise_are_not_used(self):
		built = summary.definition()
		changed = dataclasses.replace(COUNTERS["cancelled"], term=lambda ctx: Count("*"))
		summary.definition.cache_clear()
		try:
			with patch.dict(COUNTERS, {"cancelled": changed}):
				self.assertNotEqual(summary.definition(), built)
				self.assertIsNone(self.reader())
		finally:
			summary.definition.cache_clear()
		self.assertEqual(summary.definition(), built)
		self.assertIsNotNone(self.reader())

	def test_another_appointment_limit_reads_live(self):
		frappe.db.set_single_value("After-Sales Settings", "appointment_limit_hours", 3)
		self.assertIsNone(self.reader())
		self.assertSame(periods=(None, "Month"))

	def test_only_where_it_gives_the_live_figures(self):
		self.assertIsNotNone(self.reader())
		self.assertIsNone(self.reader(group_by="technician"))
		self.assertIsNone(self.reader({**PERIOD, "item_group": "Products"}))
		self.assertIsNone(self.reader(user=data.TECHS["T1"][0]))
		recent = {"company": COMPANY, "from_date": str(add_days(getdate(), -2)), "to_date": str(getdate())}
		self.assertIsNone(self.reader(recent))

	def test_every_counter_that_reads_the_clock_is_of_a_clock_source(self):
		sentinel = datetime(2001, 2, 3, 4, 5, 6)
		for key, counter in COUNTERS.items():
			if counter.source not in summary.SUMMARISED:
				continue
			ctx = query.Context(query.SOURCES[counter.source], sentinel, 2)
			sql = counter.term(ctx).get_sql(quote_char="`")
			if "2001-02-03" in sql:
				with self.subTest(counter=key):
					self.assertIn(counter.source, summary.CLOCK_SOURCES)


def in_another_connection(fn) -> threading.Thread:
	"""Run `fn` in a thread with its own connection to the site (a second user's request)."""
	site = frappe.local.site

	def run():
		frappe.init(site=site)
		frappe.connect()
		frappe.set_user("Administrator")
		try:
			fn()
		finally:
			frappe.db.rollback()
			frappe.destroy()

	thread = threading.Thread(target=run)
	thread.start()
	return thread


class TestBuildAndSaveAtOnce(FrappeTestCase):
	"""A build and a save of the same day in two connections, in both orders. These commit (the
	build is its own transaction): the order and the summary are put back afterwards."""

	def setUp(self):
		frappe.set_user("Administrator")
		self.name = DATA["orders"]["O1"]
		self.revenue, received_on = frappe.db.get_value(
			"Service Work Order", self.name, ["revenue", "received_on"]
		)
		self.day = getdate(received_on)
		summary.forget(COMPANY)
		frappe.db.commit()

	def tearDown(self):
		frappe.db.rollback()
		frappe.db.set_value("Service Work Order", self.name, "revenue", self.revenue, update_modified=False)
		summary.forget(COMPANY)
		frappe.db.commit()

	def build(self):
		summary.build_day(COMPANY, self.day, now_datetime(), query.appointment_limit_hours(), commit=True)

	def day_row(self):
		return frappe.db.get_value(
			summary.DAY, summary.row_name(COMPANY, self.day), ["marks", "built_marks"], as_dict=True
		)

	def assertLiveFigures(self, read_from_summary: bool):
		reader = self.reader()
		self.assertEqual(reader is not None and not reader.live_ranges, read_from_summary)
		args = dict(filters=self.filters(), indicators=["revenue_per_job"], counters=["revenue"])
		self.assertEqual(query.compute(**args).total, query.compute(**args, use_summary=False).total)
		self.assertEqual(query.compute(**args).total["revenue"], 4321 + self.others())

	def filters(self):
		return {"company": COMPANY, "from_date": str(self.day), "to_date": str(self.day)}

	def reader(self):
		return summary.reader(
			query.Filters.parse(self.filters()),
			None,
			None,
			"Administrator",
			now_datetime(),
			query.appointment_limit_hours(),
		)

	def others(self):
		"""The revenue of the day's other delivered orders."""
		rows = query.list_orders(self.filters(), ["name", "revenue"], source="delivered")
		return sum(r.revenue or 0 for r in rows if r.name != self.name)

	def test_a_save_that_marked_the_day_first_is_read_by_the_build(self):
		marked, release = threading.Event(), threading.Event()

		def save():
			frappe.get_doc("Service Work Order", self.name).db_set("revenue", 4321)  # marks the day
			marked.set()
			release.wait(20)
			frappe.db.commit()

		thread = in_another_connection(save)
		self.assertTrue(marked.wait(20))
		threading.Timer(1.0, release.set).start()
		self.build()  # waits on the day's row for the save's commit, then reads the saved order
		thread.join(30)
		row = self.day_row()
		self.assertEqual(row.marks, row.built_marks)
		self.assertLiveFigures(read_from_summary=True)

	def test_a_save_during_the_build_leaves_the_day_changed(self):
		holding, done = threading.Event(), threading.Event()
		run_source = query.run_source

		def slow_source(*args, **kwargs):
			# the build holds the day's row and reads the orders: the save comes now
			if not holding.is_set():
				holding.set()
				time.sleep(1.5)
			return run_source(*args, **kwargs)

		def save():
			self.assertTrue(holding.wait(20))
			frappe.get_doc("Service Work Order", self.name).db_set("revenue", 4321)  # waits for the build
			frappe.db.commit()
			done.set()

		with patch.object(query, "run_source", slow_source):
			thread = in_another_connection(save)
			self.build()
		thread.join(30)
		self.assertTrue(done.is_set())
		row = self.day_row()
		self.assertGreater(row.marks, row.built_marks)
		self.assertLiveFigures(read_from_summary=False)


class TestOverTheAPI(api.APITestCase):
	"""The summary is the app's own cache: managers may read it, nobody writes it through the API."""

	def setUp(self):
		self.company = demo()["company"]  # the manager's company (User Permissions)
		frappe.set_user("Administrator")
		summary.forget(self.company)
		summary.build_day(self.company, FIRST, now_datetime(), query.appointment_limit_hours(), commit=False)
		api.commit()
		self.name = summary.row_name(self.company, FIRST)

	def tearDown(self):
		super().tearDown()
		summary.forget(self.company)
		api.commit()

	def test_a_manager_reads_it_and_a_technician_does_not(self):
		self.assertEqual(api.get_resource(MANAGER, summary.DAY, self.name).status, 200)
		self.assertRefused(api.get_resource(TECH_EAST, summary.DAY, self.name), status=403)
		self.assertRefused(api.request(TECH_EAST, "GET", f"/api/resource/{summary.DAY}"), status=403)

	def test_nobody_writes_it_through_the_api(self):
		self.assertPutRefused(MANAGER, summary.DAY, self.name, {"built_marks": 99, "marks": 99})
		rows = frappe.db.count(summary.DAY)
		response = api.post_resource(
			MANAGER, summary.DAY, {"company": self.company, "day": "2024-01-01", "marks": 0, "built_marks": 0}
		)
		self.assertRefused(response, status=403)
		self.assertRefused(
			api.request(MANAGER, "DELETE", f"/api/resource/{summary.DAY}/{self.name}"), status=403
		)
		api.commit()
		self.assertEqual(frappe.db.count(summary.DAY), rows)
		self.assertTrue(frappe.db.exists(summary.DAY, self.name))
