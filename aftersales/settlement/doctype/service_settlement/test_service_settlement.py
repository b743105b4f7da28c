"""Settlement with exact figures (WO-14): two engineers and a manager, in- and out-of-warranty jobs,
the fee-split shares changed in the middle of the period, a claim line the maker rejects, cancel
and amend, and a claim rejected after its job was settled. Every amount below is computed by hand
from these inputs (aftersales/tests/settlement.py):

	parts           valuation  customer price  maker's price
	STC-PART-A          40.00           65.00          52.35
	STC-PART-B          25.50           39.90          30.00
	labour: customer 80.00/h (settings), maker 60.00/h

	job  engineer  warranty  parts      hours  base                                   shares (co/eng/mgr)
	O1   eng1      in        A x1       1.5    claim 52.35 + 90.00          = 142.35  25/50/25 (before the change)
	O2   eng2      out       B x2       2      revenue 79.80 + 160 - cost 51 = 188.80  50/50/0  (before)
	O3   eng2      in        A, B       2.25   claim 82.35 + 135.00         = 217.35  30/45/25 (after)
	O4   eng1      out       A x1       1.25   revenue 65 + 100 - cost 40   = 125.00  40/55/5  (after)
	O5   eng1      in        B x1       0.5    claim 30 + 30 = 60.00, rejected:  0.00  30/45/25
	O6   eng2      out       none       1      revenue 80                   =  80.00  40/55/5  (closed after the amendment)

	O1: eng 71.175 -> 71.18, mgr 35.5875 -> 35.59, centre 35.58
	O2: eng 94.40, centre 94.40
	O3: eng 97.8075 -> 97.81, mgr 54.3375 -> 54.34, centre 65.20
	O4: eng 68.75, mgr 6.25, centre 50.00
	O6: eng 44.00, mgr 4.00, centre 32.00
"""

import time
import unittest

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt, nowdate

from aftersales.domain import settlement_flow as flow
from aftersales.integrity import StateEditError
from aftersales.settlement.errors import (
	ApprovalError,
	CancellationBlockedError,
	ClaimSettledError,
	PayeeMissingError,
	SettledTwiceError,
)
from aftersales.tests import settlement as st
from aftersales.tests.api import APITestCase, commit

IN_BEFORE, OUT_BEFORE = (25, 50, 25), (50, 50, 0)  # seed 004
IN_AFTER, OUT_AFTER = (30, 45, 25), (40, 55, 5)


class SettlementTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = st.load()
		cls.eng1, cls.eng2 = cls.world.engineers[:2]
		cls.mgr = cls.world.manager

	def setUp(self):
		frappe.set_user("Administrator")
		st.set_shares(IN_BEFORE, OUT_BEFORE)
		self.scope = st.new_scope(self.world, [self.eng1, self.eng2])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.clear_document_cache("After-Sales Settings", "After-Sales Settings")


class TestSettlementFigures(SettlementTestCase):
	def test_claim_settlement_cancel_amend_and_reversal_to_the_cent(self):
		w = self.scope
		o1 = st.closed_order(w, self.eng1, True, {st.PART_A: 1}, 1.5)
		o2 = st.closed_order(w, self.eng2, False, {st.PART_B: 2}, 2)
		st.set_shares(IN_AFTER, OUT_AFTER)  # the settings change in the middle of the period
		o3 = st.closed_order(w, self.eng2, True, {st.PART_A: 1, st.PART_B: 1}, 2.25)
		o4 = st.closed_order(w, self.eng1, False, {st.PART_A: 1}, 1.25)
		o5 = st.closed_order(w, self.eng1, True, {st.PART_B: 1}, 0.5)
		self.assertEqual(
			[flt(frappe.db.get_value("Service Work Order", o, "revenue")) for o in (o2, o4)], [239.8, 165.0]
		)
		self.assertEqual(
			[flt(frappe.db.get_value("Service Work Order", o, "parts_cost")) for o in (o2, o4)], [51.0, 40.0]
		)

		# ---- the maker's claim: one invoice, a line per in-warranty order
		batch = st.claim_batch(w)
		self.assertEqual([r.service_work_order for r in batch.items], [o1, o3, o5])
		self.assertEqual(
			[(r.parts_amount, r.labour_amount, r.amount) for r in batch.items],
			[(52.35, 90.0, 142.35), (82.35, 135.0, 217.35), (30.0, 30.0, 60.0)],
		)
		self.assertIn(o3, batch.items[1].description)
		self.assertIn(st.FAULT, batch.items[1].description)
		self.assertIn(batch.items[1].serial_no, batch.items[1].description)
		batch.submit()
		batch.reload()
		self.assertEqual(batch.status, "Claimed")
		invoice = frappe.get_doc("Sales Invoice", batch.sales_invoice)
		self.assertEqual((invoice.customer, invoice.net_total, len(invoice.items)), (w.maker, 419.70, 3))
		receivable = invoice.debit_to
		income = invoice.items[0].income_account
		self.assertEqual(
			st.gl_rows(invoice.name),
			sorted([(receivable, w.maker, 419.70, 0.0), (income, "", 0.0, 419.70)]),
		)

		# ---- the maker rejects O5: a credit note for that line alone
		note = batch.reject_line(batch.items[2].name, "Damage by the customer, not covered")
		batch.reload()
		self.assertEqual(
			(batch.status, batch.rejected_amount, batch.net_amount), ("Partly Rejected", 60.0, 359.7)
		)
		self.assertEqual(batch.items[2].credit_note, note)
		credit_note = frappe.get_doc("Sales Invoice", note)
		self.assertEqual(
			(credit_note.is_return, credit_note.return_against, credit_note.net_total),
			(1, invoice.name, -60.0),
		)
		self.assertEqual(
			st.gl_rows(note), sorted([(receivable, w.maker, 0.0, 60.0), (income, "", 60.0, 0.0)])
		)

		# ---- the settlement: bases, shares in force at closing, amounts per person
		settlement = st.settlement(w)
		lines = {r.service_work_order: r for r in settlement.orders}
		self.assertEqual(list(lines), [o1, o2, o3, o4, o5])
		expected = {
			o1: (142.35, 25, 50, 25, 35.58, 71.18, 35.59),
			o2: (188.80, 50, 50, 0, 94.40, 94.40, 0),
			o3: (217.35, 30, 45, 25, 65.20, 97.81, 54.34),
			o4: (125.00, 40, 55, 5, 50.00, 68.75, 6.25),
			o5: (0, 30, 45, 25, 0, 0, 0),
		}
		for order, figures in expected.items():
			row = lines[order]
			self.assertEqual(
				(
					row.base,
					row.company_share,
					row.technician_share,
					row.manager_share,
					row.company_amount,
					row.technician_amount,
					row.manager_amount,
				),
				figures,
				order,
			)
		self.assertEqual((lines[o2].revenue, lines[o2].parts_cost), (239.8, 51.0))
		self.assertEqual((lines[o1].claim_amount, lines[o1].warranty_claim_batch), (142.35, batch.name))
		self.assertEqual(lines[o1].manager, self.mgr)
		payees = {p.employee: (p.as_engineer, p.as_manager, p.amount, p.orders) for p in settlement.payees}
		self.assertEqual(
			payees,
			{
				self.eng1: (139.93, 0, 139.93, 2),  # O1 71.18 + O4 68.75 (O5 earns nothing)
				self.mgr: (0, 96.18, 96.18, 3),  # 35.59 + 54.34 + 6.25
				self.eng2: (192.21, 0, 192.21, 2),  # 94.40 + 97.81
			},
		)
		self.assertEqual(
			(
				settlement.total_base,
				settlement.company_amount,
				settlement.engineer_amount,
				settlement.manager_amount,
			),
			(673.50, 245.18, 332.14, 96.18),
		)
		self.assertEqual(settlement.total_amount, 428.32)

		# ---- Draft -> Checked -> Approved -> Posted: one Journal Entry
		settlement = st.advance(settlement, flow.CHECKED, flow.APPROVED, flow.POSTED)
		self.assertEqual(settlement.status, flow.POSTED)
		self.assertEqual(settlement.approved_by, "Administrator")
		entry = settlement.journal_entry
		self.assertEqual(
			st.gl_rows(entry),
			sorted(
				[
					(st.EXPENSE, "", 428.32, 0.0),
					(st.PAYABLE, self.eng1, 0.0, 139.93),
					(st.PAYABLE, self.eng2, 0.0, 192.21),
					(st.PAYABLE, self.mgr, 0.0, 96.18),
				]
			),
		)
		statement = self.statement_of(settlement.name, self.eng1)
		self.assertEqual(
			(statement.as_engineer, statement.as_manager, statement.total_amount), (139.93, 0, 139.93)
		)
		self.assertEqual(
			[(r.service_work_order, r.role, r.base, r.share, r.amount) for r in statement.lines],
			[
				(o1, "Engineer", 142.35, 50, 71.18),
				(o4, "Engineer", 125.0, 55, 68.75),
				(o5, "Engineer", 0, 45, 0),
			],
		)
		self.assertEqual(statement.user, w.users.eng1)
		manager_statement = self.statement_of(settlement.name, self.mgr)
		self.assertEqual(
			[(r.service_work_order, r.role, r.amount) for r in manager_statement.lines],
			[(o1, "Manager", 35.59), (o3, "Manager", 54.34), (o4, "Manager", 6.25)],
		)

		# settled once: a second settlement finds nothing; the claim batch cannot be cancelled
		self.assertEqual(st.settlement(w).orders, [])
		self.assertRaises(ClaimSettledError, frappe.get_doc("Warranty Claim Batch", batch.name).cancel)

		# ---- cancel: the entry and the statements go; amend: the same orders again, no others
		frappe.get_doc("Service Settlement", settlement.name).cancel()
		self.assertEqual(st.gl_rows(entry), [])
		self.assertEqual(frappe.db.get_value("Journal Entry", entry, "docstatus"), 2)
		self.assertEqual(frappe.db.get_value("Settlement Statement", statement.name, "docstatus"), 2)
		o6 = st.closed_order(w, self.eng2, False, None, 1)
		# as the desk amends (the form drops the lines and links copied from the cancelled one):
		# the totals that came with the copy are the server's again
		amended = frappe.copy_doc(frappe.get_doc("Service Settlement", settlement.name), ignore_no_copy=False)
		amended.update({"amended_from": settlement.name, "status": flow.DRAFT, "docstatus": 0})
		self.assertEqual(amended.total_amount, 428.32)
		amended.total_amount = 1
		amended.insert()
		self.assertFalse(amended.journal_entry)
		self.assertEqual([r.service_work_order for r in amended.orders], [o1, o2, o3, o4, o5])
		self.assertEqual(amended.total_amount, 428.32)
		amended = st.advance(amended, flow.CHECKED, flow.APPROVED, flow.POSTED)
		self.assertEqual(len(st.gl_rows(amended.journal_entry)), 4)

		# ---- the maker rejects O3 after it was settled: the next settlement takes its shares back
		batch = frappe.get_doc("Warranty Claim Batch", batch.name)
		batch.reject_line(batch.items[1].name, "Not a manufacturing defect")
		following = st.settlement(w)
		lines = {(r.service_work_order, r.kind): r for r in following.orders}
		self.assertEqual(set(lines), {(o3, "Claim Rejected"), (o6, "Job")})
		reversal = lines[(o3, "Claim Rejected")]
		self.assertEqual(
			(reversal.base, reversal.technician_amount, reversal.manager_amount, reversal.company_amount),
			(-217.35, -97.81, -54.34, -65.20),
		)
		job = lines[(o6, "Job")]
		self.assertEqual(
			(job.base, job.technician_share, job.technician_amount, job.manager_amount), (80.0, 55, 44.0, 4.0)
		)
		following = st.advance(following, flow.CHECKED, flow.APPROVED, flow.POSTED)
		self.assertEqual(
			st.gl_rows(following.journal_entry),
			sorted(
				[
					(st.EXPENSE, "", 0.0, 104.15),  # 48.00 owed - 152.15 taken back
					(st.PAYABLE, self.eng2, 53.81, 0.0),  # 44.00 - 97.81
					(st.PAYABLE, self.mgr, 50.34, 0.0),  # 4.00 - 54.34
				]
			),
		)
		# the first settlement stays settled while the reversal stands
		self.assertRaises(CancellationBlockedError, frappe.get_doc("Service Settlement", amended.name).cancel)
		# nothing is settled or reversed twice
		self.assertEqual(st.settlement(w).orders, [])

	def statement_of(self, settlement: str, employee: str):
		name = frappe.db.get_value("Settlement Statement", {"settlement": settlement, "employee": employee})
		return frappe.get_doc("Settlement Statement", name)


class TestSettlementRules(SettlementTestCase):
	def test_posting_needs_the_managers_approval(self):
		w = self.scope
		st.closed_order(w, self.eng2, False, None, 1)
		settlement = st.advance(st.settlement(w), flow.CHECKED)
		self.assertRaises(ApprovalError, settlement.submit)
		frappe.set_user(st.ENGINEER_1[0])
		self.assertRaises(frappe.PermissionError, st.advance, settlement, flow.APPROVED)

	def test_an_accounts_user_checks_but_cannot_approve(self):
		w = self.scope
		st.closed_order(w, self.eng2, False, None, 1)
		settlement = st.settlement(w)
		frappe.set_user(st.ACCOUNTANT)
		settlement = st.advance(settlement, flow.CHECKED)
		self.assertEqual(settlement.checked_by, st.ACCOUNTANT)
		self.assertRaises((StateEditError, frappe.ValidationError), st.advance, settlement, flow.APPROVED)

	def test_a_share_owed_to_nobody_stops_the_check(self):
		w = self.scope
		st.closed_order(w, self.eng2, True, {st.PART_A: 1}, 1)
		st.claim_batch(w).submit()
		frappe.db.set_value("Service Point", w.point, "manager", None)
		frappe.clear_document_cache("Service Point", w.point)
		settlement = st.settlement(w)
		self.assertEqual(settlement.payees[0].as_manager, 0)  # a draft shows what it can
		self.assertRaises(PayeeMissingError, st.advance, settlement, flow.CHECKED)
		frappe.db.rollback()
		frappe.clear_document_cache("Service Point", w.point)

	def test_an_order_already_settled_cannot_be_posted_again(self):
		w = self.scope
		st.closed_order(w, self.eng1, False, {st.PART_A: 1}, 1)
		first = st.settlement(w)
		second = st.settlement(w)
		self.assertEqual(len(second.orders), 1)
		st.advance(first, flow.CHECKED, flow.APPROVED, flow.POSTED)
		self.assertRaises(SettledTwiceError, st.advance, second, flow.CHECKED)

	def test_shares_follow_the_history_not_todays_settings(self):
		w = self.scope
		order = st.closed_order(w, self.eng1, False, None, 1)  # base 80 at 50/50/0
		st.set_shares(IN_AFTER, OUT_AFTER)
		row = st.settlement(w).orders[0]
		self.assertEqual(
			(row.service_work_order, row.technician_share, row.technician_amount), (order, 50, 40.0)
		)
		self.assertEqual(
			frappe.get_all(
				"Fee Split Version",
				fields=["out_of_warranty_technician_share"],
				order_by="valid_from desc",
				limit=1,
			)[0].out_of_warranty_technician_share,
			55,
		)
		self.assertTrue(nowdate())


class TestSettlementsAtTheSameMoment(APITestCase):
	"""Two connections post settlements holding the same order: the database lets one through."""

	def test_two_settlements_posted_at_the_same_moment(self):
		world = st.load()
		scope = st.new_scope(world, world.engineers[:1])
		order = st.closed_order(scope, world.engineers[0], False, None, 1)
		first = st.advance(st.settlement(scope), flow.CHECKED, flow.APPROVED)
		second = st.advance(st.settlement(scope), flow.CHECKED, flow.APPROVED)
		commit()
		ledger = st.gl_state()
		first.submit()  # not committed: its settled key is held by this transaction
		thread = st.in_new_connection(lambda: frappe.get_doc("Service Settlement", second.name).submit())
		time.sleep(2)
		# the other connection saw nothing committed, passed every check, and now waits on the key
		self.assertTrue(thread.is_alive())
		commit()
		thread.join(60)
		self.assertIsInstance(thread.result, SettledTwiceError)
		line = frappe.qb.DocType("Service Settlement Order")
		holders = frappe.qb.from_(line).select(line.parent).where(line.settled_key == order).run(pluck=True)
		self.assertEqual(holders, [first.name])
		self.assertEqual(frappe.db.get_value("Service Settlement", second.name, "docstatus"), 0)
		# one Journal Entry: 80.00 x 50% to the engineer
		after = st.gl_state()
		self.assertEqual((after["rows"] - ledger["rows"], after["debit"] - ledger["debit"]), (2, 40.0))


class TestStatementsAndReport(SettlementTestCase):
	def posted(self):
		w = self.scope
		o1 = st.closed_order(w, self.eng1, False, {st.PART_A: 1}, 1)  # 65 + 80 - 40 = 105.00
		o2 = st.closed_order(w, self.eng2, True, {st.PART_B: 1}, 2)  # claim 30 + 120 = 150.00
		st.claim_batch(w).submit()
		settlement = st.advance(st.settlement(w), flow.CHECKED, flow.APPROVED, flow.POSTED)
		return settlement, o1, o2

	def test_the_summary_by_period_service_point_and_person(self):
		from aftersales.settlement.report.settlement_summary.settlement_summary import execute

		settlement, _o1, _o2 = self.posted()
		_columns, rows = execute({"company": st.COMPANY, "service_point": self.scope.point})
		found = {(r.employee, r.role): (r.orders, r.base, r.amount) for r in rows}
		self.assertEqual(
			found,
			{
				(self.eng1, "Engineer"): (1, 105.0, 52.5),  # 50% out of warranty
				(self.eng2, "Engineer"): (1, 150.0, 75.0),  # 50% in warranty
				(self.mgr, "Manager"): (1, 150.0, 37.5),  # 25% in warranty
			},
		)
		self.assertEqual(
			{(r.from_date, r.to_date, r.service_point) for r in rows},
			{(settlement.from_date, settlement.to_date, self.scope.point)},
		)
		frappe.set_user(st.ENGINEER_2[0])
		_columns, rows = execute({"company": st.COMPANY, "service_point": self.scope.point})
		self.assertEqual({r.employee for r in rows}, {self.eng2})

	def test_the_statement_prints_in_both_languages_and_escapes_typed_values(self):
		settlement, o1, _o2 = self.posted()
		name = frappe.db.get_value(
			"Settlement Statement", {"settlement": settlement.name, "employee": self.eng1}
		)
		frappe.db.set_value("Settlement Statement", name, "employee_name", "<script>alert(1)</script>")
		html = frappe.get_print("Settlement Statement", name, "Settlement Statement")
		self.assertIn("结算单 / Settlement Statement", html)
		self.assertIn(o1, html)
		self.assertIn("52.50", html)
		self.assertNotIn("<script>alert(1)</script>", html)
		self.assertIn("&lt;script&gt;", html)


class TestSettlementSettings(SettlementTestCase):
	def test_settlement_accounts_must_be_an_expense_and_a_payable_of_the_company(self):
		from aftersales.settlement.errors import SettlementAccountError

		settings = frappe.get_single("After-Sales Settings")
		row = next(r for r in settings.settlement_accounts if r.company == st.COMPANY)
		row.payable_account = st.EXPENSE
		self.assertRaises(SettlementAccountError, settings.save)
		settings.reload()
		row = next(r for r in settings.settlement_accounts if r.company == st.COMPANY)
		row.expense_account = st.PAYABLE
		self.assertRaises(SettlementAccountError, settings.save)

	def test_no_accounts_no_posting(self):
		from aftersales.settlement.errors import SettlementAccountError

		w = self.scope
		st.closed_order(w, self.eng1, False, None, 1)
		settlement = st.advance(st.settlement(w), flow.CHECKED, flow.APPROVED)
		settings = frappe.get_single("After-Sales Settings")
		settings.set(
			"settlement_accounts", [r for r in settings.settlement_accounts if r.company != st.COMPANY]
		)
		settings.save()
		self.assertRaises(SettlementAccountError, settlement.submit)

	@unittest.skipIf("hrms" in frappe.get_installed_apps(), "Frappe HR is installed")
	def test_paying_through_payroll_needs_frappe_hr(self):
		from aftersales.settlement.errors import PayrollNotAvailableError

		settings = frappe.get_single("After-Sales Settings")
		settings.engineer_share_as_additional_salary = 1
		settings.additional_salary_component = "Service Fee"
		self.assertRaises(PayrollNotAvailableError, settings.save)

	@unittest.skipUnless("hrms" in frappe.get_installed_apps(), "Frappe HR is not installed")
	def test_with_frappe_hr_the_engineers_share_becomes_a_draft_additional_salary(self):
		w = self.scope
		component = "Service Fee Share"
		if not frappe.db.exists("Salary Component", component):
			frappe.get_doc(
				{"doctype": "Salary Component", "salary_component": component, "type": "Earning"}
			).insert()
		settings = frappe.get_single("After-Sales Settings")
		settings.engineer_share_as_additional_salary = 1
		settings.additional_salary_component = component
		settings.save()
		st.closed_order(w, self.eng1, True, {st.PART_A: 1}, 1)  # claim 112.35: eng 56.18, mgr 28.09
		st.claim_batch(w).submit()
		settlement = st.advance(st.settlement(w), flow.CHECKED, flow.APPROVED, flow.POSTED)
		payee = next(p for p in settlement.payees if p.employee == self.eng1)
		self.assertEqual(payee.paid_by, "Additional Salary")
		salary = frappe.get_doc("Additional Salary", payee.additional_salary)
		self.assertEqual((salary.docstatus, salary.amount, salary.ref_docname), (0, 56.18, settlement.name))
		self.assertEqual(
			st.gl_rows(settlement.journal_entry),
			sorted([(st.EXPENSE, "", 28.09, 0.0), (st.PAYABLE, self.mgr, 0.0, 28.09)]),
		)
		frappe.get_doc("Service Settlement", settlement.name).cancel()
		self.assertFalse(frappe.db.exists("Additional Salary", payee.additional_salary))
