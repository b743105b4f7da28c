"""The fee-split history: every change of the shares is kept with the moment it took effect, and
the history itself cannot be rewritten."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime

from aftersales.settlement.doctype.fee_split_version.fee_split_version import FeeSplitHistoryError
from aftersales.settlement.fee_split import BEGINNING, SharesLookup, share_values
from aftersales.tests import settlement as st


class TestFeeSplitHistory(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_document_cache("After-Sales Settings", "After-Sales Settings")

	def test_a_change_of_shares_is_recorded_and_the_first_keeps_what_came_before(self):
		frappe.db.delete("Fee Split Version")  # a site that never changed its shares
		settings = frappe.get_single("After-Sales Settings")
		before = share_values(settings)
		settings.save()  # nothing changed: no history
		self.assertEqual(frappe.db.count("Fee Split Version"), 0)
		st.set_shares((30, 45, 25), (40, 55, 5))
		versions = frappe.get_all("Fee Split Version", fields=["*"], order_by="valid_from")
		self.assertEqual(len(versions), 2)
		self.assertEqual(get_datetime(versions[0].valid_from), get_datetime(BEGINNING))
		self.assertEqual(share_values(versions[0]), before)
		self.assertEqual(share_values(versions[1]), (30, 45, 25, 40, 55, 5))
		lookup = SharesLookup()
		self.assertEqual(lookup.at("2001-01-01").name, versions[0].name)
		self.assertEqual(lookup.at(frappe.utils.now_datetime()).name, versions[1].name)

	def test_the_history_cannot_be_rewritten(self):
		st.set_shares((30, 45, 25), (40, 55, 5))
		version = frappe.get_last_doc("Fee Split Version")
		version.in_warranty_technician_share = 90
		frappe.set_user("Administrator")
		self.assertRaises(FeeSplitHistoryError, version.save)
		self.assertRaises(FeeSplitHistoryError, version.delete)
