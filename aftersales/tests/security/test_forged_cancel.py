"""A cancel that carries a forged copy (issue found by the attacker helper).

Frappe's cancel saves the document it is given without `validate`: a PUT of `{"docstatus": 2, ...}`
to `/api/resource`, `run_doc_method` "cancel" or `savedocs` "Cancel" with a forged `docs` copy. So
the FIELD_RULES of `capture`/`verify` never saw the links a cancel follows, and `on_cancel` cancelled
whatever the copy named, as the system: another Journal Entry for a Service Settlement, another Sales
Invoice for a Warranty Claim Batch. `integrity.check_cancel` (first in `before_cancel`) refuses a
server-owned value that is not the stored one. The Dead Stock Disposition's case is tested beside
it (test_dead_stock_disposition.py)."""

import frappe

from aftersales.domain import settlement_flow as flow
from aftersales.integrity import ServerOwnedFieldError
from aftersales.tests import settlement as st
from aftersales.tests.api import commit, put_resource, stored
from aftersales.tests.security.test_settlement import SETTLEMENT, SettlementAttackCase


class TestForgedCancel(SettlementAttackCase):
	def assertCancelRefused(self, user, doctype, name, values, other: tuple[str, str]):
		before = stored(doctype, name)
		ledger = self.ledger()
		response = put_resource(user, doctype, name, {"docstatus": 2, **values})
		self.assertRefused(response, ServerOwnedFieldError, 417)
		self.assertUnchanged(doctype, name, before)
		self.assertEqual(frappe.db.get_value(*other, "docstatus"), 1)
		self.assertLedgerUnchanged(ledger)

	def test_a_settlement_cancelled_with_another_entry_cancels_nothing(self):
		scope, _orders = self.scope_with_orders(1)
		settlement = st.advance(st.settlement(scope), flow.CHECKED, flow.APPROVED, flow.POSTED)
		other = st.advance(
			st.settlement(self.scope_with_orders(1)[0]), flow.CHECKED, flow.APPROVED, flow.POSTED
		)
		commit()
		self.assertCancelRefused(
			st.APPROVER,
			SETTLEMENT,
			settlement.name,
			{"journal_entry": other.journal_entry},
			("Journal Entry", other.journal_entry),
		)
		# the stored copy still cancels, with its own entry
		response = put_resource(st.APPROVER, SETTLEMENT, settlement.name, {"docstatus": 2})
		self.assertEqual(response.status, 200, response)
		commit()
		self.assertEqual(frappe.db.get_value("Journal Entry", settlement.journal_entry, "docstatus"), 2)
		self.assertEqual(frappe.db.get_value("Journal Entry", other.journal_entry, "docstatus"), 1)

	def test_a_claim_batch_cancelled_with_another_invoice_cancels_nothing(self):
		scope, _orders = self.scope_with_orders(1)
		st.closed_order(scope, self.eng1, True, {st.PART_A: 1}, 1)
		batch = st.claim_batch(scope)
		batch.submit()
		st.closed_order(scope, self.eng2, True, {st.PART_A: 1}, 1)
		other = st.claim_batch(scope)
		other.submit()
		commit()
		self.assertCancelRefused(
			st.APPROVER,
			"Warranty Claim Batch",
			batch.name,
			{"sales_invoice": other.sales_invoice},
			("Sales Invoice", other.sales_invoice),
		)
