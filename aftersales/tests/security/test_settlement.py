"""Attacks on claims and settlements (issue 13), through HTTP with the API key of the role that
would try them. Each asserts the refusal AND that nothing changed: the documents and the general
ledger of the settlement test company (rows, debits, credits). Money moves only through ERPNext
documents; none of these requests may make one.

- amounts, shares and lines are the server's: forged over REST on a draft, or in a new document;
- only the After-Sales Manager approves, and nothing is posted unapproved;
- an order is settled once: a second settlement holding it is refused when posted;
- a maker's rejection is recorded by the claimers only;
- an engineer reads their own statement (and its lines, and their rows of the report) only."""

import frappe

from aftersales.domain import settlement_flow as flow
from aftersales.integrity import ServerOwnedFieldError, StateEditError
from aftersales.settlement.errors import ApprovalError, ClaimRejectionError, SettledTwiceError
from aftersales.tests import settlement as st
from aftersales.tests.api import (
	APITestCase,
	call,
	commit,
	get_resource,
	post_resource,
	request,
	run_doc_method,
	stored,
)

SETTLEMENT = "Service Settlement"


class SettlementAttackCase(APITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = st.load()
		cls.eng1, cls.eng2 = cls.world.engineers[:2]

	def scope_with_orders(self, count: int = 2):
		"""A new scope and `count` closed out-of-warranty jobs (base 80.00 each), committed."""
		scope = st.new_scope(self.world, [self.eng1, self.eng2])
		orders = [st.closed_order(scope, (self.eng1, self.eng2)[i % 2], False, None, 1) for i in range(count)]
		commit()
		return scope, orders

	def ledger(self) -> dict:
		commit()
		return st.gl_state()

	def assertLedgerUnchanged(self, before: dict):
		self.assertEqual(self.ledger(), before)


class TestForgedFigures(SettlementAttackCase):
	def test_amounts_shares_and_lines_cannot_be_forged(self):
		scope, _orders = self.scope_with_orders()
		draft = st.settlement(scope)
		commit()
		ledger = self.ledger()
		row = draft.orders[0].as_dict(convert_dates_to_str=True)
		for forged in (
			{"orders": [{**row, "technician_share": 90}]},
			{"orders": [{**row, "technician_amount": 72}]},
			{"total_amount": 1000},
			{"payees": [{**draft.payees[0].as_dict(convert_dates_to_str=True), "amount": 500}]},
		):
			self.assertPutRefused(st.ACCOUNTANT, SETTLEMENT, draft.name, forged, ServerOwnedFieldError)
		# a new settlement that brings its own lines
		count = frappe.db.count(SETTLEMENT)
		response = post_resource(
			st.ACCOUNTANT,
			SETTLEMENT,
			{
				"company": st.COMPANY,
				"service_point": scope.point,
				"from_date": draft.from_date,
				"to_date": draft.to_date,
				"orders": [{k: v for k, v in row.items() if k not in ("name", "parent")} | {"base": 10000}],
			},
		)
		self.assertRefused(response, ServerOwnedFieldError)
		commit()
		self.assertEqual(frappe.db.count(SETTLEMENT), count)
		self.assertLedgerUnchanged(ledger)


class TestApproval(SettlementAttackCase):
	def test_only_the_after_sales_manager_approves_and_nothing_is_posted_unapproved(self):
		scope, _orders = self.scope_with_orders()
		checked = st.advance(st.settlement(scope), flow.CHECKED)
		commit()
		ledger = self.ledger()
		before = stored(SETTLEMENT, checked.name)
		doc = before.copy()
		# the accountant checks, but may not approve: not by the workflow, not by writing the state
		response = call(st.ACCOUNTANT, "frappe.model.workflow.apply_workflow", doc=doc, action="Approve")
		self.assertRefused(response)
		self.assertPutRefused(
			st.ACCOUNTANT, SETTLEMENT, checked.name, {"status": flow.APPROVED}, StateEditError
		)
		# nobody posts what the manager has not approved, the manager neither
		for user in (st.ACCOUNTANT, st.APPROVER):
			response = call(user, "frappe.client.submit", doc=stored(SETTLEMENT, checked.name))
			self.assertRefused(response, ApprovalError)
		self.assertUnchanged(SETTLEMENT, checked.name, before)
		self.assertLedgerUnchanged(ledger)
		# the manager approves; then it posts
		self.assertEqual(
			call(st.APPROVER, "frappe.model.workflow.apply_workflow", doc=doc, action="Approve").status, 200
		)
		response = call(
			st.ACCOUNTANT,
			"frappe.model.workflow.apply_workflow",
			doc=stored(SETTLEMENT, checked.name),
			action="Post",
		)
		self.assertEqual(response.status, 200, response)
		commit()
		self.assertEqual(frappe.db.get_value(SETTLEMENT, checked.name, "status"), flow.POSTED)
		self.assertEqual(self.ledger()["rows"], ledger["rows"] + 3)  # expense + two engineers


class TestSettledOnce(SettlementAttackCase):
	def test_an_order_settled_by_one_settlement_cannot_be_posted_by_another(self):
		scope, _orders = self.scope_with_orders()
		first = st.advance(st.settlement(scope), flow.CHECKED, flow.APPROVED)
		second = st.advance(st.settlement(scope), flow.CHECKED, flow.APPROVED)
		commit()
		response = call(
			st.APPROVER,
			"frappe.model.workflow.apply_workflow",
			doc=stored(SETTLEMENT, first.name),
			action="Post",
		)
		self.assertEqual(response.status, 200, response)
		ledger = self.ledger()
		before = stored(SETTLEMENT, second.name)
		response = call(st.APPROVER, "frappe.model.workflow.apply_workflow", doc=before, action="Post")
		self.assertRefused(response, SettledTwiceError)
		response = call(st.APPROVER, "frappe.client.submit", doc=stored(SETTLEMENT, second.name))
		self.assertRefused(response, SettledTwiceError)
		self.assertUnchanged(SETTLEMENT, second.name, before)
		self.assertLedgerUnchanged(ledger)


class TestClaimRejection(SettlementAttackCase):
	def test_an_engineer_cannot_record_a_makers_rejection(self):
		scope = st.new_scope(self.world, [self.eng1])
		st.closed_order(scope, self.eng1, True, {st.PART_A: 1}, 1)
		batch = st.claim_batch(scope)
		batch.submit()
		commit()
		ledger = self.ledger()
		before = stored("Warranty Claim Batch", batch.name)
		response = run_doc_method(
			st.ENGINEER_1[0], before, "reject_line", row_name=batch.items[0].name, reason="not covered"
		)
		self.assertRefused(response, frappe.PermissionError, status=403)
		self.assertUnchanged("Warranty Claim Batch", batch.name, before)
		self.assertLedgerUnchanged(ledger)


class TestStatementPrivacy(SettlementAttackCase):
	def test_an_engineer_reads_only_their_own_statement(self):
		scope, _orders = self.scope_with_orders()
		settlement = st.advance(st.settlement(scope), flow.CHECKED, flow.APPROVED, flow.POSTED)
		commit()
		statements = dict(
			frappe.get_all(
				"Settlement Statement", {"settlement": settlement.name}, ["employee", "name"], as_list=True
			)
		)
		own, other = statements[self.eng1], statements[self.eng2]
		user = st.ENGINEER_1[0]
		self.assertEqual(get_resource(user, "Settlement Statement", own).status, 200)
		self.assertRefused(get_resource(user, "Settlement Statement", other), status=403)
		self.assertRefused(get_resource(user, SETTLEMENT, settlement.name), status=403)
		listed = call(
			user,
			"frappe.client.get_list",
			doctype="Settlement Statement",
			filters={"settlement": settlement.name},
			fields=["name"],
		).data
		self.assertEqual([row["name"] for row in listed], [own])
		lines = call(
			user,
			"frappe.client.get_list",
			doctype="Settlement Statement Line",
			parent="Settlement Statement",
			fields=["parent", "amount"],
			limit_page_length=0,
		).data
		parents = {row["parent"] for row in lines}
		self.assertIn(own, parents)
		self.assertNotIn(other, parents)
		owners = set(frappe.get_all("Settlement Statement", {"name": ["in", list(parents)]}, pluck="user"))
		self.assertEqual(owners, {user})
		report = call(
			user,
			"frappe.desk.query_report.run",
			report_name="Settlement Summary",
			filters={"company": st.COMPANY, "service_point": scope.point},
		).data
		people = {
			row.get("employee") for row in report["result"] if isinstance(row, dict) and row.get("employee")
		}
		self.assertEqual(people, {self.eng1})
		self.assertEqual(request(user, "GET", f"/api/resource/{SETTLEMENT}").status, 403)


class TestForgedRejection(SettlementAttackCase):
	def test_a_rejected_line_forged_back_to_claimed_is_not_rejected_twice(self):
		scope = st.new_scope(self.world, [self.eng1])
		st.closed_order(scope, self.eng1, True, {st.PART_A: 1}, 1)
		batch = st.claim_batch(scope)
		batch.submit()
		batch.reload()
		batch.reject_line(batch.items[0].name, "Not covered")
		commit()
		ledger = self.ledger()
		before = stored("Warranty Claim Batch", batch.name)
		forged = {**before, "items": [{**before["items"][0], "status": "Claimed", "credit_note": None}]}
		response = run_doc_method(
			st.ACCOUNTANT, forged, "reject_line", row_name=batch.items[0].name, reason="again"
		)
		self.assertRefused(response, ClaimRejectionError)
		self.assertUnchanged("Warranty Claim Batch", batch.name, before)
		self.assertLedgerUnchanged(ledger)

	def test_settlement_accounts_are_not_listed_to_customers(self):
		from aftersales.tests.utils import portal_user_for

		customer = portal_user_for(st.ensure_customer(st.END_CUSTOMER))
		commit()
		response = call(
			customer,
			"frappe.client.get_list",
			doctype="After-Sales Settlement Account",
			parent="After-Sales Settings",
			fields=["company", "payable_account"],
		)
		self.assertTrue(response.status == 403 or response.data == [], response)


class TestSubmittedDocumentsAreFixed(SettlementAttackCase):
	def test_a_posted_settlement_and_a_submitted_claim_change_only_by_cancelling(self):
		scope, _orders = self.scope_with_orders(1)
		settlement = st.advance(st.settlement(scope), flow.CHECKED, flow.APPROVED, flow.POSTED)
		st.closed_order(scope, self.eng1, True, {st.PART_A: 1}, 1)
		batch = st.claim_batch(scope)
		batch.submit()
		commit()
		ledger = self.ledger()
		# pointing the settlement at another entry (which cancelling the settlement would cancel)
		another_entry = frappe.get_all(
			"Journal Entry", {"docstatus": 1, "name": ["!=", settlement.journal_entry]}, pluck="name", limit=1
		)
		changes = [{"status": flow.APPROVED}] + [{"journal_entry": entry} for entry in another_entry]
		for values in changes:
			self.assertPutRefused(
				st.APPROVER, SETTLEMENT, settlement.name, values, frappe.UpdateAfterSubmitError
			)
		self.assertPutRefused(
			st.ACCOUNTANT,
			"Warranty Claim Batch",
			batch.name,
			{"status": "Rejected"},
			frappe.UpdateAfterSubmitError,
		)
		self.assertLedgerUnchanged(ledger)
