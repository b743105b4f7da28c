"""Return Analysis costs the same number of queries for more rows (issue 15)."""

from frappe.model.workflow import apply_workflow
from frappe.utils import flt, nowdate

from aftersales.returns.doctype.return_request.test_return_request import PART, ReturnTestCase
from aftersales.returns.report.return_analysis import return_analysis
from aftersales.tests import work_orders as wo
from aftersales.tests.queries import count_queries

GROUNDS = ("Wrong Specification", "Wrong Shipment", "Customer's Own Reason")


class TestReturnAnalysis(ReturnTestCase):
	def submitted_request(self, note, ground):
		request = self.request(note, qty=1, ground=ground)
		with wo.as_user(wo.DESK):
			apply_workflow(request, "Submit Request")
		return request

	def report(self):
		filters = {"company": self.company, "from_date": nowdate(), "to_date": nowdate()}
		with count_queries() as log:
			_columns, rows = return_analysis.execute(filters)
		return [row for row in rows if row.item_code == PART and row.customer == self.customer], log.count

	def test_query_count_does_not_grow_with_rows(self):
		note = self.deliver(qty=10, invoice=False)
		before, _count = self.report()
		self.submitted_request(note, GROUNDS[0])
		rows, one = self.report()
		self.assertEqual(len(rows), len(before) + 1)
		for ground in GROUNDS[1:]:
			self.submitted_request(note, ground)
		rows, three = self.report()
		self.assertEqual(three, one)
		self.assertLessEqual(three, 2)
		by_ground = {row.ground: row for row in rows}
		self.assertEqual(
			{ground: flt(by_ground[ground].returned_qty) for ground in GROUNDS}, dict.fromkeys(GROUNDS, 1)
		)
		# the return rate is the quantity asked back over the quantity delivered in the period
		delivered = flt(by_ground[GROUNDS[0]].delivered_qty)
		self.assertGreaterEqual(delivered, 10)
		self.assertAlmostEqual(flt(by_ground[GROUNDS[0]].return_rate), 100 / delivered)
