"""aftersales/new_doc_lookup.py: the same answer as Frappe's query, from the metadata, without a
query."""

import frappe
from frappe.model import meta
from frappe.tests.utils import FrappeTestCase

from aftersales.new_doc_lookup import is_single


class TestNewDocLookup(FrappeTestCase):
	def test_installed(self):
		self.assertIs(meta.is_single, is_single)

	def test_same_answer_as_the_database(self):
		for doctype in (
			"After-Sales Settings",
			"System Settings",
			"Service Work Order",
			"Service Work Order Log",
			"Issue",
			"ToDo",
		):
			self.assertEqual(is_single(doctype), frappe.db.get_value("DocType", doctype, "issingle"), doctype)
		self.assertIsNone(is_single("No Such DocType"))

	def test_no_query_once_the_metadata_is_loaded(self):
		for doctype in ("Service Work Order", "Service Work Order Check", "After-Sales Settings"):
			frappe.get_meta(doctype)
			with self.assertQueryCount(0):
				is_single(doctype)
