"""Orders made before the KPI facts existed (response time, completion, reopens, end, repair
duration): derive them from each order's status log. Idempotent: only values that differ are
written, `modified` is kept."""

from aftersales.kpi.facts import refresh


def execute():
	refresh()
