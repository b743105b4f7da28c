"""Warranty claims on the maker (WO-14): who pays, what is claimed, one invoice, rejected lines
reversed by credit notes, each order claimed once (also by two connections at the same moment)."""

import time

import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales.settlement.claims import maker_of
from aftersales.settlement.errors import (
	ClaimedTwiceError,
	ClaimPriceMissingError,
	ClaimRejectionError,
	MakerSetupError,
	NothingToClaimError,
)
from aftersales.tests import settlement as st
from aftersales.tests.api import APITestCase, commit


class ClaimTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = st.load()
		cls.eng1, cls.eng2 = cls.world.engineers[:2]

	def setUp(self):
		frappe.set_user("Administrator")
		self.scope = st.new_scope(self.world, [self.eng1, self.eng2])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()


class TestWarrantyClaims(ClaimTestCase):
	def test_the_item_names_its_maker_else_its_nearest_group(self):
		w = self.scope
		self.assertEqual(maker_of(w.product), w.maker)  # from the item group
		other = st.new_scope(self.world)
		frappe.db.set_value("Item", w.product, "warranty_maker", other.maker)
		frappe.clear_document_cache("Item", w.product)
		self.assertEqual(maker_of(w.product), other.maker)  # the item's own wins
		# a subgroup without a maker inherits its parent's
		child = frappe.get_doc(
			{"doctype": "Item Group", "item_group_name": f"{w.group} sub", "parent_item_group": w.group}
		).insert()
		item = st.ensure_item(f"{w.product}-SUB", child.name, is_stock_item=1)
		self.assertEqual(maker_of(item), w.maker)
		frappe.db.set_value("Warranty Maker", w.maker, "disabled", 1)
		frappe.clear_document_cache("Warranty Maker", w.maker)
		self.assertIsNone(maker_of(item))

	def test_out_of_warranty_and_other_makers_orders_are_not_claimed(self):
		w = self.scope
		st.closed_order(w, self.eng1, False, {st.PART_A: 1}, 1)
		mine = st.closed_order(w, self.eng1, True, {st.PART_A: 2}, 0.75)
		other = st.new_scope(self.world)
		st.closed_order(other, self.eng1, True, {st.PART_A: 1}, 1)
		batch = st.claim_batch(w)
		self.assertEqual([r.service_work_order for r in batch.items], [mine])
		# 2 x 52.35 + 0.75 h x 60.00
		self.assertEqual((batch.parts_amount, batch.labour_amount, batch.total_amount), (104.7, 45.0, 149.7))

	def test_a_part_without_an_agreed_price_is_refused(self):
		w = self.scope
		st.closed_order(w, self.eng1, True, {st.PART_B: 1}, 1)
		frappe.db.delete("Item Price", {"item_code": st.PART_B, "price_list": st.PRICE_LIST})
		self.assertRaises(ClaimPriceMissingError, st.claim_batch, w)

	def test_the_claim_item_moves_no_stock(self):
		maker = frappe.get_doc("Warranty Maker", self.scope.maker)
		maker.claim_item = st.PART_A
		self.assertRaises(MakerSetupError, maker.save)

	def test_lines_and_totals_are_the_servers(self):
		w = self.scope
		st.closed_order(w, self.eng1, True, {st.PART_A: 1}, 1)
		batch = st.claim_batch(w)
		batch.items[0].amount = 9999
		batch.total_amount = 9999
		batch.save()  # as Administrator the server recomputes; users are refused (attack tests)
		self.assertEqual((batch.items[0].amount, batch.total_amount), (112.35, 112.35))

	def test_each_order_is_claimed_once(self):
		w = self.scope
		st.closed_order(w, self.eng1, True, {st.PART_A: 1}, 1)
		first, second = st.claim_batch(w), st.claim_batch(w)
		first.submit()
		self.assertRaises(ClaimedTwiceError, second.submit)
		self.assertEqual(st.claim_batch(w).items, [])
		self.assertRaises(NothingToClaimError, st.claim_batch(w).submit)

	def test_a_rejection_needs_a_reason_and_a_claimed_line(self):
		w = self.scope
		st.closed_order(w, self.eng1, True, {st.PART_A: 1}, 1)
		batch = st.claim_batch(w)
		self.assertRaises(ClaimRejectionError, batch.reject_line, batch.items[0].name, "Too late")  # draft
		batch.submit()
		self.assertRaises(ClaimRejectionError, batch.reject_line, batch.items[0].name, "  ")
		batch.reject_line(batch.items[0].name, "Not covered")
		self.assertRaises(ClaimRejectionError, batch.reject_line, batch.items[0].name, "Again")
		frappe.set_user(st.ENGINEER_1[0])
		self.assertRaises(frappe.PermissionError, batch.reject_line, batch.items[0].name, "x")

	def test_cancelling_the_batch_cancels_its_documents_and_frees_its_orders(self):
		w = self.scope
		order = st.closed_order(w, self.eng1, True, {st.PART_A: 1}, 1)
		batch = st.claim_batch(w)
		batch.submit()
		batch.reload()
		note = batch.reject_line(batch.items[0].name, "Not covered")
		frappe.get_doc("Warranty Claim Batch", batch.name).cancel()
		self.assertEqual(frappe.db.get_value("Sales Invoice", note, "docstatus"), 2)
		self.assertEqual(frappe.db.get_value("Sales Invoice", batch.sales_invoice, "docstatus"), 2)
		self.assertEqual(st.gl_rows(batch.sales_invoice), [])
		self.assertEqual([r.service_work_order for r in st.claim_batch(w).items], [order])


class TestClaimsAtTheSameMoment(APITestCase):
	"""Two connections submit batches holding the same order: the database lets one through."""

	def test_two_batches_submitted_at_the_same_moment(self):
		world = st.load()
		scope = st.new_scope(world, world.engineers[:1])
		order = st.closed_order(scope, world.engineers[0], True, {st.PART_A: 1}, 1)
		first, second = st.claim_batch(scope), st.claim_batch(scope)
		commit()
		first.submit()  # not committed: its claim key is held by this transaction
		thread = st.in_new_connection(lambda: frappe.get_doc("Warranty Claim Batch", second.name).submit())
		time.sleep(2)
		# the other connection saw nothing committed, passed every check, and now waits on the key
		self.assertTrue(thread.is_alive())
		commit()
		thread.join(60)
		self.assertIsInstance(thread.result, ClaimedTwiceError)
		item = frappe.qb.DocType("Warranty Claim Batch Item")
		holders = frappe.qb.from_(item).select(item.parent).where(item.claim_key == order).run(pluck=True)
		self.assertEqual(holders, [first.name])
		self.assertEqual(frappe.db.get_value("Warranty Claim Batch", second.name, "docstatus"), 0)
		self.assertFalse(frappe.db.get_value("Warranty Claim Batch", second.name, "sales_invoice"))
