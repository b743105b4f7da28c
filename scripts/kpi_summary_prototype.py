"""What a daily KPI summary would give the Service KPI report (issue 15; docs/performance.md, "The
daily KPI summary: designed, not built"). A measurement of the design, not the feature: it keeps
nothing up to date and changes nothing in the app.

It builds, in a temporary table of this connection (gone when the script ends), one row per (day,
company, service point, order source) with `aftersales.kpi.query.run_source` itself, for every day
up to the day before yesterday. It then runs the Service KPI report by service point for last month,
the last 12 whole months and the last 365 days to today, live and with the five order sources read
from the summary (today and yesterday still live), checks that both give the same rows, and prints
both timings beside a bare indexed aggregate of the same orders.

	runuser -u frappe -- /home/frappe/frappe-bench/env/bin/python scripts/kpi_summary_prototype.py --site S
"""

import argparse
import json
import time
from decimal import Decimal

from benchmark import bare_kpi_aggregate, connect  # scripts/benchmark.py, beside this script

TABLE = "_kpi_day_prototype"
SUMMARISED = ("received", "completed", "ended", "delivered", "follow_up")


def best_of(fn, runs: int) -> tuple[float, object]:
	best, result = None, None
	for _ in range(runs):
		start = time.perf_counter()
		result = fn()
		elapsed = time.perf_counter() - start
		best = elapsed if best is None else min(best, elapsed)
	return best, result


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--site", required=True)
	args = parser.parse_args()
	frappe = connect(args.site)
	try:
		measure(frappe)
	finally:
		frappe.db.rollback()
		frappe.destroy()


def measure(frappe) -> None:
	from frappe.desk.query_report import run
	from frappe.utils import add_days, getdate, now_datetime

	from aftersales.kpi import query
	from aftersales.kpi.definitions import COUNTERS

	live_source = query.run_source
	company = frappe.db.sql(
		"select company from `tabService Work Order` group by company order by count(*) desc limit 1"
	)[0][0]
	today = getdate()
	last_summarised = add_days(today, -2)
	first = today.replace(day=1)
	ranges = {
		"last month": (add_days(first, -1).replace(day=1), add_days(first, -1)),
		"the last 12 whole months": (first.replace(year=first.year - 1), add_days(first, -1)),
		"the last 365 days to today": (add_days(today, -364), today),
	}

	def build() -> tuple[float, int, int]:
		frappe.db.sql(
			f"""create temporary table {TABLE} (day date not null, company varchar(140) not null,
			service_point varchar(140) not null, source varchar(20) not null, payload longtext,
			primary key (company, day, source, service_point))"""
		)
		now, limit = now_datetime(), query.appointment_limit_hours()
		start, statements, rows = time.perf_counter(), 0, 0
		day = min(r[0] for r in ranges.values())
		while day <= last_summarised:
			filters = query.Filters(day, day, {"company": company})
			values = []
			for source in SUMMARISED:
				keys = [k for k, c in COUNTERS.items() if c.source == source]
				hours = {} if source == "completed" else None
				found = live_source(
					source, keys, filters, "service_point", None, "Administrator", now, limit, hours
				)
				statements += 1
				for (point, _period), counters in (found or {}).items():
					payload = {"counters": {k: str(v) for k, v in counters.items()}}
					if hours is not None:
						payload["hours"] = hours.get((point, None), {})
					values.append((day, company, point or "", source, json.dumps(payload)))
			if values:
				frappe.db.sql(
					f"insert into {TABLE} values " + ",".join(["(%s, %s, %s, %s, %s)"] * len(values)),
					[v for row in values for v in row],
				)
				rows += len(values)
			day = add_days(day, 1)
		return time.perf_counter() - start, statements, rows

	def summarised_source(
		source_key, counter_keys, filters, group_by, period, user, now, limit, histograms=None
	):
		"""run_source, with the days up to `last_summarised` read from the summary."""
		if (
			source_key not in SUMMARISED
			or group_by not in (None, "service_point")
			or period
			or set(filters.values) != {"company"}
		):
			return live_source(
				source_key, counter_keys, filters, group_by, period, user, now, limit, histograms
			)
		sums: dict[tuple, dict] = {}

		def add(key, counters):
			into = sums.setdefault(key, {})
			for k in counter_keys:
				if counters.get(k) is not None:
					into[k] = into.get(k, 0) + Decimal(str(counters[k]))

		def add_hours(key, hours):
			into = histograms.setdefault(key, {})
			for unit, n in hours.items():
				into[int(unit)] = into.get(int(unit), 0) + n

		to_date = min(filters.to_date, last_summarised)
		if filters.from_date <= to_date:
			for point, payload in frappe.db.sql(
				f"""select service_point, payload from {TABLE}
				where company = %s and source = %s and day between %s and %s""",
				(filters.values["company"], source_key, filters.from_date, to_date),
			):
				payload = json.loads(payload)
				key = ((point or None) if group_by else None, None)
				add(key, payload["counters"])
				if histograms is not None:
					add_hours(key, payload.get("hours", {}))
		if filters.to_date > last_summarised:
			tail = query.Filters(
				max(filters.from_date, add_days(last_summarised, 1)), filters.to_date, filters.values
			)
			tail_hours = {} if histograms is not None else None
			for key, counters in (
				live_source(source_key, counter_keys, tail, group_by, period, user, now, limit, tail_hours)
				or {}
			).items():
				add(key, counters)
			for key, hours in (tail_hours or {}).items():
				add_hours(key, hours)
		return {key: {k: float(v) for k, v in counters.items()} for key, counters in sums.items()}

	seconds, statements, rows = build()
	print(f"summary built: {seconds:.1f} s, {statements:,} statements, {rows:,} rows")
	for label, (from_date, to_date) in ranges.items():
		filters = {
			"company": company,
			"from_date": str(from_date),
			"to_date": str(to_date),
			"group_by": "service_point",
		}

		def report(f=filters):
			return run("Service KPI", filters=f, ignore_prepared_report=True)

		query.run_source = live_source
		live, live_result = best_of(report, 3)
		query.run_source = summarised_source
		try:
			summarised, summarised_result = best_of(report, 5)
		finally:
			query.run_source = live_source

		def bare(f=from_date, t=to_date):
			return bare_kpi_aggregate(company, f, t)

		bare()
		reference, _ = best_of(bare, 5)
		same = live_result["result"] == summarised_result["result"]
		differing = sorted(
			{
				key
				for live_row, row in zip(live_result["result"], summarised_result["result"], strict=False)
				for key in set(live_row) | set(row)
				if live_row.get(key) != row.get(key)
			}
		)
		print(
			f"{label}: live {live:.3f} s ({live / reference:.2f}x), with the summary {summarised:.3f} s "
			f"({summarised / reference:.2f}x), bare aggregate {reference:.3f} s; same rows: {same}"
			+ (f" (differing: {', '.join(differing)})" if differing else "")
		)


if __name__ == "__main__":
	main()
