"""Posting a stocktake over HTTP, as whoever would try to cheat: only the approving roles queue the
posting, once; nobody posts it past the workflow; the job posts it once (issue 15)."""

from unittest.mock import patch

import frappe
from frappe.model.workflow import apply_workflow

from aftersales.domain import stocktake_flow as flow
from aftersales.parts.doctype.spare_part.spare_part import make_spare_part
from aftersales.parts.doctype.stocktake.stocktake import StocktakeStateError, post_stocktake, posting_job_id
from aftersales.tests.api import APITestCase, call, commit, put_resource, run_doc_method
from aftersales.tests.utils import demo
from aftersales.tests.work_orders import DESK, STOCK, as_user

CODE = "_AS-STK-API"
POSTING_JOB = "aftersales.parts.doctype.stocktake.stocktake.post_stocktake"
CLERK = "stock.clerk@aftersales.test"  # Stock User only: counts, never approves


def stock_clerk() -> str:
	if not frappe.db.exists("User", CLERK):
		user = frappe.get_doc(
			{"doctype": "User", "email": CLERK, "first_name": "Stock Clerk", "send_welcome_email": 0}
		)
		user.append("roles", {"role": "Stock User"})
		user.flags.ignore_permissions = True
		user.insert()
	return CLERK


class TestStocktakePostingOverHTTP(APITestCase):
	def counted_stocktake(self):
		data = demo()
		warehouse = frappe.db.get_single_value("After-Sales Settings", "spare_parts_warehouse")
		if not frappe.db.exists("Item", CODE):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": CODE,
					"item_name": CODE,
					"item_group": "Spare Parts",
					"stock_uom": "Nos",
					"is_stock_item": 1,
					"valuation_rate": 10,
				}
			).insert()
		make_spare_part(CODE)
		receipt = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Receipt",
				"purpose": "Material Receipt",
				"company": data["company"],
				"items": [{"item_code": CODE, "qty": 10, "basic_rate": 10, "t_warehouse": warehouse}],
			}
		)
		receipt.insert()
		receipt.submit()
		with as_user(STOCK):
			doc = frappe.get_doc(
				{
					"doctype": "Stocktake",
					"kind": "Ad-hoc",
					"company": data["company"],
					"warehouse": warehouse,
					"items": [{"item_code": CODE, "warehouse": warehouse}],
				}
			).insert()
			doc.status = flow.COUNTING
			doc.save()
			doc.items[0].counted_qty, doc.items[0].counted, doc.items[0].reason = 8, 1, "Damaged"
			doc.save()
			apply_workflow(doc, "Submit Count")
		commit()
		return frappe.get_doc("Stocktake", doc.name)

	def state(self, name):
		commit()
		status, docstatus, reconciliation = frappe.db.get_value(
			"Stocktake", name, ["status", "docstatus", "stock_reconciliation"]
		)
		reconciliations = frappe.db.count(
			"Stock Ledger Entry",
			{"item_code": CODE, "voucher_type": "Stock Reconciliation", "is_cancelled": 0},
		)
		return status, docstatus, reconciliation, reconciliations

	def approve(self, user, doc):
		return call(
			user, "frappe.model.workflow.apply_workflow", doc=doc.as_dict(), action="Approve and Post"
		)

	def setUp(self):
		# the queue as the app sees it: the bench's own RQ worker would run a really queued job at
		# once (the requests commit), posting the stocktake under the test's feet
		self.queued = []

		def enqueue(method, **kwargs):  # other background work of these requests is not needed here
			if method == POSTING_JOB:
				self.queued.append(kwargs["job_id"])

		for target, fake in (
			("frappe.enqueue", enqueue),
			("aftersales.parts.doctype.stocktake.stocktake.is_job_enqueued", self.queued.__contains__),
		):
			patcher = patch(target, fake)
			patcher.start()
			self.addCleanup(patcher.stop)

	def test_posting_is_queued_once_by_an_approver_and_posted_once(self):
		clerk = stock_clerk()
		doc = self.counted_stocktake()
		self.addCleanup(self.cancel, doc.name)
		counted = (flow.COUNTED, 0, None, 0)

		# roles that may not approve: refused, nothing queued, nothing posted
		self.assertRefused(self.approve(DESK, doc))
		self.assertRefused(self.approve(clerk, doc))
		self.assertRefused(put_resource(clerk, "Stocktake", doc.name, {"status": flow.POSTING}))
		self.assertRefused(call(clerk, "frappe.client.submit", doc=doc.as_dict()))
		# an approver cannot post it past the workflow and the job either
		self.assertRefused(call(STOCK, "frappe.client.submit", doc=doc.as_dict()), StocktakeStateError)
		self.assertEqual(self.state(doc.name), counted)
		self.assertEqual(self.queued, [])

		# the approver queues the posting: Posting, not posted yet
		response = self.approve(STOCK, doc)
		self.assertEqual(response.status, 200, response)
		self.assertEqual(self.state(doc.name), (flow.POSTING, 0, None, 0))
		self.assertEqual(self.queued, [posting_job_id(doc.name)])

		# approving again, or editing while it is being posted, is refused; asking to queue it again
		# while its job waits queues nothing new
		doc = frappe.get_doc("Stocktake", doc.name)
		self.assertRefused(self.approve(STOCK, doc))
		self.assertRefused(
			put_resource(STOCK, "Stocktake", doc.name, {"findings": "changed"}), StocktakeStateError
		)
		self.assertRefused(run_doc_method(clerk, doc.as_dict(), "queue_posting_again"))
		response = run_doc_method(STOCK, doc.as_dict(), "queue_posting_again")
		self.assertEqual(response.status, 200, response)
		self.assertEqual(self.queued, [posting_job_id(doc.name)])
		self.assertEqual(self.state(doc.name), (flow.POSTING, 0, None, 0))

		# the worker runs the job: Posted with one reconciliation; a second run posts nothing more
		frappe.set_user(STOCK)
		self.assertEqual(post_stocktake(doc.name), flow.POSTED)
		self.assertEqual(post_stocktake(doc.name), flow.POSTED)
		frappe.set_user("Administrator")
		status, docstatus, reconciliation, rows = self.state(doc.name)
		self.assertEqual((status, docstatus, rows), (flow.POSTED, 1, 1))
		self.assertEqual(frappe.db.get_value("Stock Reconciliation", reconciliation, "docstatus"), 1)
		self.assertRefused(self.approve(STOCK, frappe.get_doc("Stocktake", doc.name)))
		self.assertEqual(self.state(doc.name)[3], 1)

	def cancel(self, name):
		"""Give the stock back (the class gives back the receipts after this)."""
		frappe.set_user("Administrator")
		frappe.db.rollback()
		doc = frappe.get_doc("Stocktake", name)
		if doc.docstatus == 1:
			doc.flags.ignore_permissions = True
			doc.cancel()
		commit()
