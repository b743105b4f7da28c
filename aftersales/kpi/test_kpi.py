"""Every service KPI on the fixed data set of aftersales/tests/kpi_data.py, counted by hand and asserted
exactly: in the KPI module, in the four reports, in the number cards and charts, for a manager and for
technicians (who count only their own and their service point's work), in-process and over HTTP.

The hand counts (O1..O16 are the data set's orders; N = KPI North Point with technicians T1 and T2,
S = KPI South Point with T3; January = M1, February = M2 of 2025):

- received: M1 O1-O8 = 8, M2 O9-O16 = 8; N 9, S 6, none (O16) 1
- open now: O4, O8 (follow-up), O11 (delivered), O12, O13, O14, O16 = 7 (M1 2, M2 5)
- overdue now (not SLA-fulfilled and past a limit): O12, O13, O14, O16 = 4 (all M2)
- appointments overdue now (not booked, response_by passed): O12, O14, O16 = 3
- response time in working hours (08:00-20:00 every day): O1 1, O2 2 (19:00 -> 09:00), O3 4,
  O4 1, O7 1.5, O8 1 | O9 1, O10 4 (18:00 -> 10:00), O11 1, O13 1.5
  M1 10.5 / 6 = 1.75 h, 5 within 2 h = 83.33 %; M2 7.5 / 4 = 1.875 h, 3 within = 75 %
- completed (first Ready for Delivery): M1 O1 O2 O3 O4 O8, M2 O9 O10 O11; at the first visit all
  but O2 and O10 (failed quality checks): M1 4/5 = 80 %, M2 2/3 = 66.67 %; reworked (failed check
  or reopened): M1 O2 O3 = 40 %, M2 O10 = 33.33 %
- repair hours: M1 4, 41, 24, 9, 24 = avg 20.4, p90 41; M2 7, 48, 5 = avg 20, p90 48; all p90 48
- ended: M1 closed O1 O2 O3 O5(phone), unrepairable O7, cancelled O6; M2 closed O9 O15(phone),
  unrepairable O10. Resolution M1 4/5 = 80 %, M2 2/3; first-time fix (closed after a visit, no
  rework, no reopen): M1 O1 of O1 O2 O3 = 33.33 %, M2 O9 of O9 = 100 %
- follow-ups: M1 5 (3 satisfied = 60 %, ratings 11.4 -> 3.8 of 5), M2 4 (1 satisfied = 25 %,
  ratings 7.2 -> 3.0 of 5); all 9: 44.44 %, 18.6 -> 3.444 of 5
- complaints about orders: M1 C1 -> 12.5 per 100 orders, M2 C2 C3 -> 25 (C4 names no order);
  closed in time: M1 C1 1/1, M2 C3 late 0/1
- returns: TV 2 of 10 delivered in M1, WA 1 (M2) of 5 (M1): M1 2/15 = 13.33 %, M2 0+1 of 10 = 10 %,
  all 3/25 = 12 %; by item TV 10 %, WA 20 %
- SLA breaches: response M1 O3, M2 O10 O12 O14 O16; resolution M1 O3, M2 O10 O12 O13 O14 O16
- job cost of jobs delivered: M1 O1 O2 O3 O4 O8 parts 470 labour 330 revenue 890 margin 90,
  M2 O9 O11 parts 110 margin 110; all margin 200 of revenue 1180
"""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales.kpi import cards, charts, query, ranking
from aftersales.kpi.definitions import INDICATORS
from aftersales.kpi.report.follow_up_outcomes import follow_up_outcomes
from aftersales.kpi.report.job_cost_and_margin import job_cost_and_margin
from aftersales.kpi.report.service_kpi import service_kpi
from aftersales.kpi.report.service_point_ranking import service_point_ranking
from aftersales.tests import api
from aftersales.tests import kpi_data as data
from aftersales.tests.queries import count_queries

COMPANY = data.COMPANY
PERIOD = {"company": COMPANY, "from_date": "2025-01-01", "to_date": "2025-02-28"}
JAN = {"company": COMPANY, "from_date": "2025-01-01", "to_date": "2025-01-31"}
FEB = {"company": COMPANY, "from_date": "2025-02-01", "to_date": "2025-02-28"}
T1, T2, T3 = (data.TECHS[k][0] for k in ("T1", "T2", "T3"))
NORTH, SOUTH = data.NORTH, data.SOUTH

EXPECTED_BY_MONTH = {
	"2025-01": {
		"received": 8,
		"open": 2,
		"overdue": 0,
		"closed": 4,
		"response_time": 1.75,
		"appointment_rate": 500 / 6,
		"on_site_completion_rate": 80,
		"first_time_fix_rate": 100 / 3,
		"rework_rate": 40,
		"resolution_rate": 80,
		"repair_hours": 20.4,
		"repair_hours_p90": 41,
		"satisfaction_score": 3.8,
		"satisfied_rate": 60,
		"complaint_rate": 12.5,
		"complaints_in_time_rate": 100,
		"return_rate": 200 / 15,
		"response_breaches": 1,
		"resolution_breaches": 1,
		"sla_breach_rate": 12.5,
		"parts_cost_per_job": 94,
		"labour_cost_per_job": 66,
		"revenue_per_job": 178,
		"margin_per_job": 18,
		"margin_total": 90,
	},
	"2025-02": {
		"received": 8,
		"open": 5,
		"overdue": 4,
		"closed": 2,
		"response_time": 1.875,
		"appointment_rate": 75,
		"on_site_completion_rate": 200 / 3,
		"first_time_fix_rate": 100,
		"rework_rate": 100 / 3,
		"resolution_rate": 200 / 3,
		"repair_hours": 20,
		"repair_hours_p90": 48,
		"satisfaction_score": 3.0,
		"satisfied_rate": 25,
		"complaint_rate": 25,
		"complaints_in_time_rate": 0,
		"return_rate": 10,
		"response_breaches": 4,
		"resolution_breaches": 5,
		"sla_breach_rate": 62.5,
		"parts_cost_per_job": 55,
		"labour_cost_per_job": 35,
		"revenue_per_job": 145,
		"margin_per_job": 55,
		"margin_total": 110,
	},
}
EXPECTED_TOTAL = {
	"received": 16,
	"open": 7,
	"overdue": 4,
	"closed": 6,
	"response_time": 1.8,
	"appointment_rate": 80,
	"on_site_completion_rate": 75,
	"first_time_fix_rate": 50,
	"rework_rate": 37.5,
	"resolution_rate": 75,
	"repair_hours": 20.25,
	"repair_hours_p90": 48,
	"satisfaction_score": 5 * 18.6 / 27,
	"satisfied_rate": 400 / 9,
	"complaint_rate": 18.75,
	"complaints_in_time_rate": 50,
	"return_rate": 12,
	"response_breaches": 5,
	"resolution_breaches": 6,
	"sla_breach_rate": 37.5,
	"parts_cost_per_job": 580 / 7,
	"margin_total": 200,
}
EXPECTED_BY_POINT = {
	NORTH: {
		"received": 9,
		"open": 3,
		"overdue": 2,
		"response_time": 14.5 / 7,
		"appointment_rate": 500 / 7,
		"on_site_completion_rate": 200 / 3,
		"first_time_fix_rate": 50,
		"rework_rate": 50,
		"resolution_rate": 80,
		"repair_hours": 148 / 6,
		"repair_hours_p90": 48,
		"satisfied_rate": 50,
		"complaint_rate": 200 / 9,
		"complaints_in_time_rate": 0,
		"return_rate": None,  # a return has no service point
		"margin_total": 170,
	},
	SOUTH: {
		"received": 6,
		"open": 3,
		"overdue": 1,
		"response_time": 3.5 / 3,
		"appointment_rate": 100,
		"on_site_completion_rate": 100,
		"first_time_fix_rate": None,  # closed only by phone
		"rework_rate": 0,
		"resolution_rate": 200 / 3,
		"repair_hours": 7,
		"repair_hours_p90": 9,
		"satisfaction_score": 5 * 1.4 / 3,
		"satisfied_rate": 0,
		"complaint_rate": 100 / 6,
		"complaints_in_time_rate": 100,
		"return_rate": None,
		"margin_total": 30,
	},
	None: {"received": 1, "open": 1, "overdue": 1, "appointment_rate": None},  # O16, not dispatched
}


def setUpModule():
	global DATA
	DATA = data.set_up_module()


def tearDownModule():
	data.tear_down_module()


class KPITestCase(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def assertNumbers(self, actual: dict, expected: dict, label: str = ""):
		for key, value in expected.items():
			with self.subTest(label=label, key=key):
				if value is None:
					self.assertIsNone(actual.get(key), key)
				else:
					self.assertIsNotNone(actual.get(key), key)
					self.assertAlmostEqual(actual[key], value, places=6, msg=key)

	def by_group(self, rows) -> dict:
		return {row["group_value"]: row for row in rows}


class TestKPIModule(KPITestCase):
	def test_every_indicator_by_month_and_in_total(self):
		result = query.compute(PERIOD, period="Month")
		months = {row["period"].strftime("%Y-%m"): row for row in result.rows}
		self.assertEqual(sorted(months), ["2025-01", "2025-02"])
		for month, expected in EXPECTED_BY_MONTH.items():
			self.assertNumbers(months[month], expected, month)
		self.assertNumbers(result.total, EXPECTED_TOTAL, "total")

	def test_by_service_point(self):
		rows = self.by_group(query.compute(PERIOD, group_by="service_point").rows)
		self.assertEqual(set(rows), {NORTH, SOUTH, None})
		for point, expected in EXPECTED_BY_POINT.items():
			self.assertNumbers(rows[point], expected, str(point))

	def test_by_technician_territory_product_and_customer_group(self):
		employees = DATA["employees"]
		rows = self.by_group(query.compute(PERIOD, group_by="technician").rows)
		self.assertEqual(
			{k: rows[k]["received"] for k in rows},
			{employees["T1"]: 5, employees["T2"]: 3, employees["T3"]: 6, None: 2},
		)
		# T1: O1 1 h, O2 2 h, O9 1 h, O13 1.5 h, all within the limit; T2: O3 4, O8 1, O10 4
		self.assertNumbers(
			rows[employees["T1"]], {"appointment_rate": 100, "response_time": 1.375, "margin_total": 230}
		)
		self.assertNumbers(
			rows[employees["T2"]], {"appointment_rate": 100 / 3, "response_time": 3, "margin_total": -60}
		)
		territories = self.by_group(query.compute(PERIOD, group_by="territory").rows)
		self.assertEqual(
			{k: v["received"] for k, v in territories.items()}, {"KPI North": 9, "KPI South": 6, None: 1}
		)
		# products: returns exist per item (TV 2 of 20, washer 1 of 5)
		groups = self.by_group(query.compute(PERIOD, group_by="item_group").rows)
		self.assertNumbers(
			groups["KPI Televisions"], {"received": 9, "return_rate": 10, "satisfied_rate": 60}
		)
		self.assertNumbers(groups["KPI Washers"], {"received": 7, "return_rate": 20, "satisfied_rate": 25})
		items = self.by_group(query.compute(PERIOD, group_by="item_code", indicators=["return_rate"]).rows)
		self.assertNumbers(items[data.ITEMS["TV"]], {"return_rate": 10})
		customers = self.by_group(query.compute(PERIOD, group_by="customer_group").rows)
		self.assertEqual(
			{k: v["received"] for k, v in customers.items()}, {"KPI Business": 8, "KPI Retail": 8}
		)
		# every delivery and return is the business customer's
		self.assertNumbers(customers["KPI Business"], {"return_rate": 12})
		self.assertNumbers(customers["KPI Retail"], {"return_rate": None})

	def test_filters_narrow_every_source(self):
		south = query.compute({**PERIOD, "service_point": SOUTH}).total
		self.assertNumbers(south, EXPECTED_BY_POINT[SOUTH])
		# a tree filter takes its descendants: All Territories holds both points
		everywhere = query.compute({**PERIOD, "territory": "All Territories"}, indicators=["received"]).total
		self.assertEqual(everywhere["received"], 15)
		washers = query.compute(
			{**PERIOD, "item_group": "KPI Washers"}, indicators=["received", "return_rate"]
		)
		self.assertNumbers(washers.total, {"received": 7, "return_rate": 20})

	def test_periods_are_bucketed_as_the_domain_module_does(self):
		from aftersales.domain import kpi

		weeks = query.compute(PERIOD, period="Week", indicators=["received"]).rows
		self.assertEqual([w["received"] for w in weeks], [2] * 8)
		for row in weeks:
			self.assertEqual(row["period"], kpi.period_start(row["period"], kpi.WEEK))
		days = query.compute(JAN, period="Day", indicators=["received"]).rows
		self.assertEqual(len(days), 8)
		quarters = query.compute(PERIOD, period="Quarter", indicators=["received"]).rows
		self.assertEqual([(str(q["period"]), q["received"]) for q in quarters], [("2025-01-01", 16)])
		years = query.compute(PERIOD, period="Year", indicators=["received"]).rows
		self.assertEqual([(str(y["period"]), y["received"]) for y in years], [("2025-01-01", 16)])

	def test_bad_filters_are_refused(self):
		self.assertRaises(query.KPIFilterError, query.compute, PERIOD, group_by="colour")
		self.assertRaises(query.KPIFilterError, query.compute, PERIOD, period="Fortnight")
		self.assertRaises(query.KPIFilterError, query.compute, {**PERIOD, "from_date": "2025-03-01"})

	def test_facts_are_stored_on_the_orders_and_refresh_is_idempotent(self):
		from aftersales.kpi import facts

		o2 = frappe.get_doc("Service Work Order", DATA["orders"]["O2"])
		self.assertEqual((o2.response_hours, o2.repair_hours, o2.completed_first_visit), (2, 41, 0))
		self.assertEqual(str(o2.booked_on), "2025-01-08 09:00:00")
		self.assertEqual(frappe.db.get_value("Service Work Order", DATA["orders"]["O10"], "reopen_count"), 2)
		self.assertEqual(facts.refresh(list(DATA["orders"].values())), 0)

	def test_technicians_count_their_own_and_their_service_points_work(self):
		# T1 and T2 belong to the north point, T3 alone to the south point
		for user, point in ((T1, NORTH), (T2, NORTH), (T3, SOUTH)):
			with self.subTest(user=user):
				total = query.compute(PERIOD, user=user).total
				self.assertNumbers(total, EXPECTED_BY_POINT[point])
		rows = query.compute(PERIOD, group_by="service_point", user=T3).rows
		self.assertEqual([r["group_value"] for r in rows], [SOUTH])
		# returns they may not read are left out without a message to them
		frappe.set_user(T3)
		frappe.local.message_log = []
		self.assertIsNone(query.compute(PERIOD, indicators=["return_rate"]).total["return_rate"])
		self.assertEqual(frappe.local.message_log, [])

	def test_internal_figures_only_for_readers_of_permlevel_1(self):
		with patch("aftersales.kpi.query.may_read_internal", return_value=False):
			result = query.compute(PERIOD)
		self.assertIn("margin_total", result.unavailable)
		self.assertNotIn("margin_total", result.total)
		self.assertEqual(result.total["received"], 16)


class TestReports(KPITestCase):
	def test_service_kpi_report_rows_counts_total_and_chart(self):
		columns, rows, _message, chart, summary = service_kpi.execute({**PERIOD, "period": "Month"})
		fieldnames = [c["fieldname"] for c in columns]
		# each rate is followed by the counts behind it
		self.assertEqual(fieldnames[fieldnames.index("appointment_rate") + 1], "n_booked_in_time")
		self.assertIn("n_booked", fieldnames)
		self.assertEqual([r["period_label"] for r in rows], ["2025-01", "2025-02", "Total"])
		self.assertNumbers(rows[0], EXPECTED_BY_MONTH["2025-01"])
		self.assertNumbers(rows[1], {**EXPECTED_BY_MONTH["2025-02"], "n_booked": 4, "n_booked_in_time": 3})
		self.assertNumbers(rows[2], EXPECTED_TOTAL)
		self.assertEqual(rows[2]["bold"], 1)
		self.assertEqual(chart["data"]["labels"], ["2025-01", "2025-02"])
		first_time_fix = next(
			d for d in chart["data"]["datasets"] if d["name"] == INDICATORS["first_time_fix_rate"].label
		)
		self.assertEqual(first_time_fix["values"], [33.33, 100])
		self.assertEqual(summary[0]["value"], 16)

	def test_service_kpi_report_grouped_by_service_point_with_chart(self):
		_columns, rows, _message, chart, _summary = service_kpi.execute(
			{**PERIOD, "group_by": "service_point", "chart_indicator": "rework_rate"}
		)
		groups = self.by_group(rows)
		self.assertNumbers(groups[NORTH], EXPECTED_BY_POINT[NORTH])
		self.assertNumbers(groups["Total"], EXPECTED_TOTAL)
		self.assertEqual(chart["data"]["datasets"][0]["values"][:2], [50, 0])

	def test_the_trend_chart_asks_the_report_for_its_rates_only(self):
		columns, rows, _message, chart, _summary = service_kpi.execute(
			{**PERIOD, "period": "Month", "indicators": "trend"}
		)
		self.assertEqual(
			[c["fieldname"] for c in columns if c["fieldname"] in INDICATORS],
			["received", *service_kpi.TREND],
		)
		self.assertNumbers(rows[1], {k: EXPECTED_BY_MONTH["2025-02"][k] for k in service_kpi.TREND})
		self.assertEqual(len(chart["data"]["datasets"]), len(service_kpi.TREND))
		trend = frappe.get_doc("Dashboard Chart", "Service KPI Trend")
		self.assertEqual(frappe.parse_json(trend.filters_json)["indicators"], "trend")
		# the chart asks for twelve months up to today, whatever dates Frappe hands the report
		_columns, rows, _message, chart, _summary = service_kpi.execute(
			{**JAN, "to_date": "2025-02-20", "period": "Month", "indicators": "trend", "months": 2}
		)
		self.assertEqual(chart["data"]["labels"], ["2025-01", "2025-02"])

	def test_follow_up_outcomes_by_service_point(self):
		_columns, rows, _message, chart = follow_up_outcomes.execute({**PERIOD, "group_by": "service_point"})
		groups = self.by_group(rows)
		north, south, total = groups[NORTH], groups[SOUTH], groups["Total"]
		self.assertNumbers(
			north,
			{
				"n_follow_ups": 8,
				"n_outcome_satisfied": 4,
				"n_outcome_not_fixed_at_first_visit": 1,
				"n_outcome_attitude_complaint": 1,
				"n_outcome_unsatisfied_at_follow_up": 1,
				"n_outcome_not_fixed_after_several_visits": 1,
				"n_outcome_complaint_call": 0,
				"share_outcome_satisfied": 50,
				"satisfied_rate": 50,
			},
		)
		self.assertNumbers(
			south, {"n_follow_ups": 1, "n_outcome_complaint_call": 1, "share_outcome_complaint_call": 100}
		)
		self.assertNumbers(
			total, {"n_follow_ups": 9, "n_outcome_satisfied": 4, "satisfaction_score": 5 * 18.6 / 27}
		)
		self.assertEqual(len(chart["data"]["datasets"]), 6)

	def test_job_cost_and_margin_per_order_and_by_technician(self):
		_columns, rows, _message, _chart = job_cost_and_margin.execute(dict(JAN))
		orders = {r["name"]: r for r in rows}
		self.assertEqual(len(rows), 6)  # five jobs delivered in January and the total
		o8 = orders[DATA["orders"]["O8"]]
		self.assertNumbers(o8, {"revenue": 100, "margin": -60, "margin_rate": -60})
		self.assertNumbers(
			rows[-1],
			{
				"jobs": 5,
				"parts_cost": 470,
				"labour_cost": 330,
				"total_cost": 800,
				"revenue": 890,
				"margin": 90,
				"margin_rate": 900 / 89,
			},
		)
		_columns, rows, _message, _chart = job_cost_and_margin.execute({**PERIOD, "group_by": "technician"})
		groups = self.by_group(rows)
		employees = DATA["employees"]
		self.assertNumbers(groups[employees["T1"]], {"jobs": 3, "margin": 230, "revenue": 780})
		self.assertNumbers(groups[employees["T3"]], {"jobs": 2, "margin": 30})
		self.assertNumbers(groups["Total"], {"jobs": 7, "margin": 200, "revenue": 1180})
		self.assertNotIn(None, groups)  # no group for orders without delivered jobs

	def test_job_cost_lists_at_most_the_limit_with_the_total_of_all(self):
		"""A year of a chain is 300,000 jobs (issue 15): the first `limit` are listed, by delivery date,
		and the total row is of all of them, summed by the database; 0 lists them all."""
		_columns, every, message, _chart = job_cost_and_margin.execute(dict(JAN))
		self.assertIsNone(message)
		_columns, rows, message, _chart = job_cost_and_margin.execute({**JAN, "limit": 2})
		self.assertEqual([r["name"] for r in rows[:-1]], [r["name"] for r in every[:2]])
		self.assertNumbers(rows[-1], {k: every[-1][k] for k in ("jobs", "revenue", "margin", "margin_rate")})
		self.assertIn("5", message)
		_columns, rows, message, _chart = job_cost_and_margin.execute({**JAN, "limit": 0})
		self.assertEqual(rows, every)
		self.assertIsNone(message)
		with count_queries() as few:
			job_cost_and_margin.execute({**JAN, "limit": 2})
		with count_queries() as more:
			job_cost_and_margin.execute({**JAN, "limit": 4})
		self.assertEqual(few.count, more.count)

	def test_job_cost_needs_the_internal_level(self):
		with patch("aftersales.kpi.query.may_read_internal", return_value=False):
			self.assertRaises(
				job_cost_and_margin.InternalFiguresError, job_cost_and_margin.execute, dict(JAN)
			)

	def test_service_point_ranking_by_month_with_rank_change(self):
		_columns, rows, message, chart = service_point_ranking.execute(
			{"company": COMPANY, "month": "2025-02-10"}
		)
		ranked = {r["service_point"]: r for r in rows if not r.get("bold")}
		# February: south 100 (only indicators with data: 2-hour, on-site, resolution, complaints,
		# rework); north (20 x 66.67 + 10 x 50 + 20 x 100 + 10 x 50 + 20 x 25 + 10 x 50 + 10 x 50) / 100
		self.assertNumbers(ranked[SOUTH], {"rank": 1, "score": 100, "previous_rank": 2, "rank_change": 1})
		self.assertNumbers(
			ranked[NORTH], {"rank": 2, "score": 5833.33333333 / 100, "previous_rank": 1, "rank_change": -1}
		)
		self.assertEqual(rows[-1]["bold"], 1)
		self.assertIn("20%", message)
		self.assertEqual(chart["data"]["labels"], [SOUTH, NORTH])
		january = {r["service_point"]: r for r in ranking.ranking({"company": COMPANY}, "2025-01-31")}
		self.assertAlmostEqual(january[NORTH]["score"], 6916.666666667 / 100, places=6)
		self.assertAlmostEqual(
			january[SOUTH]["score"], 5166.666666667 / 80, places=6
		)  # no first-time fix data

	def test_ranking_weights_must_add_up_to_100(self):
		from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import (
			RankingWeightsError,
		)

		settings = frappe.get_single("After-Sales Settings")
		settings.ranking_weight_rework = 15
		self.assertRaises(RankingWeightsError, settings.save)
		frappe.db.rollback()


class TestCardsAndCharts(KPITestCase):
	FILTERS = {"company": COMPANY, "date": "2025-02-15"}

	def test_cards_for_a_manager(self):
		frappe.set_user(data.MANAGER)
		self.assertEqual(cards.open_orders(self.FILTERS)["value"], 7)
		overdue = cards.appointments_overdue(self.FILTERS)
		self.assertEqual(overdue["value"], 3)
		self.assertEqual(overdue["route"], ["List", "Service Work Order"])
		self.assertEqual(overdue["route_options"]["status"], ["in", ["New", "Accepted", "Assigned"]])
		rate = cards.appointment_rate_this_month(self.FILTERS)
		self.assertEqual((rate["value"], rate["fieldtype"]), (75, "Percent"))
		self.assertEqual(rate["route"], ["query-report", "Service KPI"])
		self.assertEqual(rate["route_options"]["from_date"], "2025-02-01")
		self.assertEqual(cards.first_time_fix_this_month(self.FILTERS)["value"], 100)
		self.assertEqual(cards.satisfaction_this_month(self.FILTERS)["value"], 25)
		self.assertEqual(
			cards.appointment_rate_this_month({**self.FILTERS, "date": "2025-01-09"})["value"], 83.3
		)
		self.assertEqual(cards.complaints_past_deadline(self.FILTERS)["value"], 1)  # C2

	def test_cards_count_a_technicians_own_work(self):
		frappe.set_user(T3)
		self.assertEqual(cards.open_orders(self.FILTERS)["value"], 3)  # O4, O11, O12
		self.assertEqual(cards.appointments_overdue(self.FILTERS)["value"], 1)  # O12
		self.assertEqual(cards.appointment_rate_this_month(self.FILTERS)["value"], 100)  # O11
		self.assertEqual(cards.first_time_fix_this_month(self.FILTERS), "–")  # closed only by phone
		self.assertEqual(cards.satisfaction_this_month(self.FILTERS), "–")
		self.assertEqual(cards.complaints_past_deadline(self.FILTERS)["value"], 0)  # not their complaint
		frappe.set_user(T1)
		self.assertEqual(cards.open_orders(self.FILTERS)["value"], 3)  # O8, O13, O14
		self.assertEqual(cards.appointments_overdue(self.FILTERS)["value"], 1)  # O14

	def test_parts_card_counts_the_reports_lines(self):
		from aftersales.parts.report.spare_parts_below_warning_line.spare_parts_below_warning_line import (
			execute,
		)

		self.assertEqual(cards.parts_below_warning_line({})["value"], len(execute({})[1]))

	def test_stocktake_card_filters_the_states_awaiting_approval(self):
		from aftersales.domain import stocktake_flow

		card = frappe.get_doc("Number Card", "Stocktakes Awaiting Approval")
		status_filter = frappe.parse_json(card.filters_json)[0]
		self.assertEqual(status_filter[3], [stocktake_flow.COUNTED, stocktake_flow.APPROVED_BY_WAREHOUSE])

	def test_charts(self):
		frappe.set_user(data.MANAGER)
		by_status = charts.work_orders_by_status(
			filters={"company": COMPANY}, from_date="2025-01-06", to_date="2025-01-08", time_interval="Daily"
		)
		self.assertEqual(by_status["labels"], ["2025-01-06", "2025-01-07", "2025-01-08"])
		self.assertEqual(by_status["datasets"], [{"name": "Closed", "values": [1, 1, 0]}])
		weekly = charts.work_orders_by_status(filters=PERIOD, time_interval="Weekly")
		self.assertEqual(sum(sum(d["values"]) for d in weekly["datasets"]), 16)
		faults = charts.top_fault_codes(filters=PERIOD)
		self.assertEqual(
			(faults["labels"], faults["datasets"][0]["values"]), (["TV-NOPIC", "WM-E21"], [9, 7])
		)
		grounds = charts.returns_by_ground(filters=PERIOD)
		self.assertEqual((grounds["labels"], grounds["datasets"][0]["values"]), (["Quality Defect"], [2]))
		categories = charts.complaints_by_category(filters=PERIOD)
		self.assertEqual(
			(categories["labels"], categories["datasets"][0]["values"]),
			(["Repair Quality", "Service Attitude"], [2, 1]),
		)
		frappe.set_user(T3)
		self.assertEqual(
			charts.top_fault_codes(filters=PERIOD)["datasets"][0]["values"], [4, 2]
		)  # south only

	def test_cards_and_charts_are_shipped_with_their_methods(self):
		for name in frappe.get_all("Number Card", {"module": "KPI", "type": "Custom"}, pluck="name"):
			method = frappe.db.get_value("Number Card", name, "method")
			self.assertTrue(callable(frappe.get_attr(method)), name)
		self.assertEqual(
			{c.chart for c in frappe.get_doc("Dashboard", "After-Sales").charts},
			set(frappe.get_all("Dashboard Chart", {"module": "KPI"}, pluck="name")),
		)
		workspace = frappe.get_doc("Workspace", "After-Sales")
		self.assertEqual(len(workspace.number_cards), 8)


class TestReadReplica(KPITestCase):
	def test_reports_cards_and_charts_read_from_the_replica_when_the_site_has_one(self):
		frappe.local.conf.read_from_replica = 1
		try:
			with patch("frappe.connect_replica", return_value=False) as replica:
				for read in (
					lambda: cards.open_orders({"company": COMPANY}),
					lambda: charts.top_fault_codes(filters=PERIOD),
					lambda: frappe.get_attr("frappe.desk.query_report.run")("Service KPI", filters=PERIOD),
				):
					replica.reset_mock()
					read()
					self.assertTrue(replica.called)
		finally:
			del frappe.local.conf["read_from_replica"]

	def test_the_reports_write_nothing(self):
		for report in ("Service KPI", "Follow-up Outcomes", "Job Cost and Margin", "Service Point Ranking"):
			self.assertEqual(frappe.db.get_value("Report", report, "prepared_report"), 0, report)
		writes = []
		original = frappe.db.sql

		def spy(query, *args, **kwargs):
			if str(query).lstrip().split(" ", 1)[0].lower() in ("insert", "update", "delete", "replace"):
				writes.append(query)
			return original(query, *args, **kwargs)

		with patch.object(frappe.db, "sql", spy):
			service_kpi.execute({**PERIOD, "group_by": "technician", "period": "Week"})
			follow_up_outcomes.execute(PERIOD)
			job_cost_and_margin.execute(PERIOD)
			service_point_ranking.execute({"company": COMPANY, "month": "2025-02-01"})
			cards.satisfaction_this_month({"company": COMPANY})
		self.assertEqual(writes, [])


class TestOverHTTP(KPITestCase):
	"""The same numbers reach users through /api/method, each limited to what they may read."""

	def report(self, user, name, filters):
		response = api.call(user, "frappe.desk.query_report.run", report_name=name, filters=filters)
		self.assertEqual(response.status, 200, response)
		return response.data

	def test_a_technicians_report_holds_only_their_work(self):
		for user, point in ((T3, SOUTH), (T1, NORTH)):
			with self.subTest(user=user):
				result = self.report(user, "Service KPI", {**PERIOD, "group_by": "service_point"})
				rows = [r for r in result["result"] if isinstance(r, dict) and not r.get("bold")]
				self.assertEqual([r["group_value"] for r in rows], [point])
				self.assertNumbers(
					rows[0], {k: v for k, v in EXPECTED_BY_POINT[point].items() if v is not None}
				)
		manager = self.report(data.MANAGER, "Service KPI", dict(PERIOD))
		self.assertNumbers(manager["result"][0], EXPECTED_TOTAL)

	def test_a_technician_sees_every_technician_of_their_service_point(self):
		# ERPNext gave T1 a User Permission on their own Employee; work orders ignore it, and so
		# must the report's rows (Frappe filters a report's Link columns by User Permissions)
		result = self.report(T1, "Service KPI", {**PERIOD, "group_by": "technician"})
		rows = {r["group_value"]: r for r in result["result"] if not r.get("bold")}
		employees = DATA["employees"]
		self.assertEqual(set(rows), {employees["T1"], employees["T2"], "Not Set"})
		self.assertEqual((rows[employees["T1"]]["received"], rows[employees["T2"]]["received"]), (5, 3))

	def test_a_technicians_cards_and_job_costs_hold_only_their_work(self):
		self.assertEqual(
			api.call(T3, "aftersales.kpi.cards.open_orders", filters={"company": COMPANY}).data["value"], 3
		)
		self.assertEqual(
			api.call(T1, "aftersales.kpi.cards.open_orders", filters={"company": COMPANY}).data["value"], 3
		)
		self.assertEqual(
			api.call(data.MANAGER, "aftersales.kpi.cards.open_orders", filters={"company": COMPANY}).data[
				"value"
			],
			7,
		)
		costs = self.report(T3, "Job Cost and Margin", dict(PERIOD))["result"]
		self.assertEqual(
			sorted(r["name"] for r in costs if not r.get("bold")),
			sorted([DATA["orders"]["O4"], DATA["orders"]["O11"]]),
		)

	def test_ranking_is_for_managers_and_dispatch(self):
		response = api.call(
			T3,
			"frappe.desk.query_report.run",
			report_name="Service Point Ranking",
			filters={"company": COMPANY},
		)
		self.assertIn(response.status, (403, 417), response)
