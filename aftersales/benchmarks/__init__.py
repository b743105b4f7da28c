"""Benchmark data for issue 15: the generator (generator.py) and the pure plan it follows (plan.py).

	bench --site S execute aftersales.benchmarks.generate --kwargs "{'orders': 1000000}"
	bench --site S execute aftersales.benchmarks.cleanup
	bench --site S execute aftersales.benchmarks.verify

`bench execute` resolves the dotted path as an attribute of this package, so the two entry points
are defined here; they import the generator lazily so that plan.py stays importable without Frappe
(unit tests)."""


def generate(orders: int = 1_000_000, **overrides) -> dict:
	"""Generate the benchmark data set (see generator.py)."""
	from aftersales.benchmarks.generator import generate as run

	return run(orders, **overrides)


def cleanup() -> dict:
	"""Delete every generated benchmark record (named BM-…)."""
	from aftersales.benchmarks.generator import cleanup as run

	return run()


def verify(sample: int = 300) -> dict:
	"""Check the generated data: Bins against the ledger, the running balance, KPI facts (checks.py)."""
	from aftersales.benchmarks.checks import verify as run

	return run(int(sample))
