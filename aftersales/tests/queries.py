"""Counting the SQL statements a piece of code sends, for the tests that show a job or a report
costs a fixed number of queries whatever the number of rows (docs: issue 15)."""

import re
from contextlib import contextmanager

import frappe

_STATEMENT = re.compile(r"^\s*(select|update|insert|delete|with)\b", re.IGNORECASE)


class QueryLog:
	def __init__(self):
		self.statements: list[str] = []

	@property
	def count(self) -> int:
		return len(self.statements)

	def writes(self, table: str) -> list[str]:
		"""UPDATE, INSERT and DELETE statements on `tab<table>`."""
		pattern = re.compile(
			rf"^\s*(update|insert\s+(ignore\s+)?into|delete\s+from)\s+`tab{re.escape(table)}`", re.I
		)
		return [q for q in self.statements if pattern.match(q)]


@contextmanager
def count_queries():
	"""Every data statement (SELECT, UPDATE, INSERT, DELETE) sent through frappe.db.sql — which is
	what frappe.qb, frappe.get_all and documents use — while the block runs."""
	log = QueryLog()
	original = frappe.db.sql

	def counting(query, *args, **kwargs):
		text = str(query)
		if _STATEMENT.match(text):
			log.statements.append(text)
		return original(query, *args, **kwargs)

	frappe.db.sql = counting
	try:
		yield log
	finally:
		frappe.db.sql = original
