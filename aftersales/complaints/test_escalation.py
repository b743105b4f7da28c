"""The escalation job touches the due complaints together (issue 15) and leaves each as a save of it
did: tier, owner and the owner's assignment, deadline, the escalation log row, the Version, the
child rows' stamps, notifications, workflow actions and the realtime update. Query counts, not
timings: the cost follows the complaints due."""

import frappe
from frappe import _
from frappe.utils import add_to_date, format_datetime, get_datetime

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.complaints.doctype.customer_complaint.customer_complaint import SEVERITY_HOURS, owner_for_tier
from aftersales.complaints.escalation import escalate
from aftersales.domain import complaint_flow as flow
from aftersales.tests import work_orders as wo
from aftersales.tests.complaints import TECH_LEAD, ComplaintTestCase
from aftersales.tests.notifications import notified, system_notification
from aftersales.tests.queries import count_queries
from aftersales.tests.utils import keep_in_transaction

# statements per complaint whose owner changes: Frappe's assignment of the new owner (the ToDo, its
# notification log and mail, the assignment comment, the `_assign` column); nothing else is per row
PER_ASSIGNMENT = 60


def escalate_by_save(name: str, now) -> None:
	"""The job as it was before issue 15: one full save of each complaint (the reference)."""
	doc = frappe.get_doc("Customer Complaint", name)
	from_tier, missed = doc.tier, doc.deadline
	doc.tier = flow.next_tier(from_tier)
	doc.owner_user = owner_for_tier(doc.tier) or doc.owner_user
	doc.deadline = flow.deadline(now, get_settings().get(SEVERITY_HOURS[doc.severity]) or 48)
	doc.add_escalation(from_tier, doc.tier, _("Not answered by {0}").format(format_datetime(missed)))


def counts(name: str) -> dict:
	return {
		doctype: frappe.db.count(doctype, {field: name})
		for doctype, field in (
			("ToDo", "reference_name"),
			("Comment", "reference_name"),
			("Notification Log", "document_name"),
			("Workflow Action", "reference_name"),
			("Version", "docname"),
			("Customer Complaint Escalation", "parent"),
		)
	}


def last_version(name: str) -> dict:
	return frappe.parse_json(
		frappe.get_all(
			"Version",
			{"ref_doctype": "Customer Complaint", "docname": name},
			pluck="data",
			order_by="creation desc",
			limit=1,
		)[0]
	)


class TestEscalationJob(ComplaintTestCase):
	def setUp(self):
		super().setUp()
		keep_in_transaction(self)

	def due(self, n: int, **kw) -> tuple[list[str], object]:
		names = [self.register(severity="Serious", **kw).name for _ in range(n)]
		deadline = max(
			get_datetime(d)
			for d in frappe.get_all("Customer Complaint", {"name": ("in", names)}, pluck="deadline")
		)
		return names, add_to_date(deadline, minutes=1)

	def test_escalated_complaint_is_what_a_save_leaves(self):
		measure = {
			"measure": "Call the customer back",
			"owner_user": wo.MANAGER,
			"due_date": frappe.utils.add_days(frappe.utils.nowdate(), 7),
		}
		(by_save, by_job), now = self.due(2, measures=[measure])
		before = {name: counts(name) for name in (by_save, by_job)}
		missed = {
			name: _("Not answered by {0}").format(
				format_datetime(frappe.db.get_value("Customer Complaint", name, "deadline"))
			)
			for name in (by_save, by_job)
		}
		# Frappe's save keeps no Version in tests (ignore_version = in_test): as outside them here
		in_test, frappe.flags.in_test = frappe.flags.in_test, False
		try:
			escalate_by_save(by_save, now)
		finally:
			frappe.flags.in_test = in_test
		self.assertEqual(escalate([by_job], now), [by_job])

		saved, job = (frappe.get_doc("Customer Complaint", name) for name in (by_save, by_job))
		fields = ("status", "tier", "owner_user", "deadline", "modified_by", "phone", "email", "_assign")
		self.assertEqual({f: saved.get(f) for f in fields}, {f: job.get(f) for f in fields})
		self.assertEqual(frappe.parse_json(job._assign), [TECH_LEAD])
		self.assertEqual((job.tier, job.owner_user), (flow.TECHNICAL_LEAD, TECH_LEAD))

		def log(doc):
			return [
				(
					row.idx,
					row.from_tier,
					row.to_tier,
					row.assigned_to,
					row.reason == missed[doc.name],
					row.owner,
					row.creation == doc.creation,
					row.modified == doc.modified,
				)
				for row in doc.escalations
			]

		self.assertEqual(log(saved), log(job))
		self.assertEqual(log(job)[-1][1:4], (flow.DESK, flow.TECHNICAL_LEAD, TECH_LEAD))
		# a save stamps every child row with the complaint's modified
		self.assertEqual([m.modified for m in job.measures], [job.modified])
		self.assertEqual([m.modified for m in saved.measures], [saved.modified])

		# the same records made: the ToDo, its comment and notification, the Version, the log row
		added = {
			name: {k: v - before[name][k] for k, v in counts(name).items()} for name in (by_save, by_job)
		}
		# (the assignment's Notification Log is queued outside tests: the reference ran as outside)
		self.assertEqual(added[by_save] | {"Notification Log": 1}, added[by_job])
		self.assertEqual(added[by_job]["Version"], 1)
		self.assertEqual(added[by_job]["Customer Complaint Escalation"], 1)
		self.assertEqual(added[by_job]["ToDo"], 1)
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_name": by_job, "allocated_to": TECH_LEAD, "status": "Open"})
		)

		saved_version, job_version = last_version(by_save), last_version(by_job)
		self.assertEqual(
			sorted(c[0] for c in saved_version["changed"]), sorted(c[0] for c in job_version["changed"])
		)
		self.assertIn(["tier", flow.DESK, flow.TECHNICAL_LEAD], job_version["changed"])
		self.assertEqual(job_version["row_changed"], saved_version["row_changed"])
		self.assertEqual(job_version["removed"], saved_version["removed"])
		same = ("idx", "from_tier", "to_tier", "assigned_to", "owner", "modified_by", "parentfield")
		self.assertEqual(
			[(t, {k: row[k] for k in same}) for t, row in job_version["added"]],
			[(t, {k: row[k] for k in same}) for t, row in saved_version["added"]],
		)

		# the form and the list hear of it, as after a save
		events = {
			(event, (message or {}).get("name"))
			for event, message, _room in getattr(frappe.local, "_realtime_log", [])
		}
		self.assertIn(("doc_update", by_job), events)
		self.assertIn(("list_update", by_job), events)

	def test_every_complaint_is_notified_and_logged(self):
		"""A "Save" notification on complaints (made in the test's transaction) fires for each."""
		notification = system_notification(
			"Test Complaint Escalated", "Customer Complaint", "doc.tier == 'Technical Lead'", "owner_user"
		)
		try:
			names, now = self.due(3)
			self.assertEqual(sorted(escalate(names, now)), sorted(names))
			for name in names:
				self.assertTrue(notified(notification, name), name)
				self.assertEqual(len(frappe.get_doc("Customer Complaint", name).escalations), 1)
				self.assertIn(["tier", flow.DESK, flow.TECHNICAL_LEAD], last_version(name)["changed"])
		finally:
			frappe.delete_doc("Notification", notification, force=True, ignore_permissions=True)
			frappe.cache.hdel("notifications", "Customer Complaint")

	def test_no_longer_due_is_left_alone(self):
		(open_, closed, answered), now = self.due(3)
		frappe.db.set_value("Customer Complaint", closed, "status", flow.CLOSED)
		frappe.db.set_value("Customer Complaint", answered, "deadline", add_to_date(now, hours=1))
		self.assertEqual(escalate([open_, closed, answered], now), [open_])
		for name in (closed, answered):
			self.assertEqual(frappe.db.get_value("Customer Complaint", name, "tier"), flow.DESK)
			self.assertFalse(frappe.get_all("Customer Complaint Escalation", {"parent": name}))

	def test_cost_follows_the_complaints_due(self):
		# no person set for the next tier: the owner stays, no assignment; nothing is per complaint
		frappe.db.set_single_value("After-Sales Settings", "complaint_technical_lead", None)
		frappe.clear_document_cache("After-Sales Settings", "After-Sales Settings")
		statements = {}
		for n in (3, 30):
			names, now = self.due(n)
			escalate(names, now)  # the Workflow Actions Frappe makes on a first save of each
			frappe.db.set_value(
				"Customer Complaint", {"name": ("in", names)}, {"tier": flow.DESK}, update_modified=False
			)
			with count_queries() as log:
				self.assertEqual(len(escalate(names, add_to_date(now, days=3))), n)
			statements[n] = log.count
		self.assertLessEqual(statements[30] - statements[3], 3, statements)
		self.assertLessEqual(statements[3], 30, statements)

	def test_cost_of_reassigning(self):
		statements = {}
		for n in (3, 10):
			names, now = self.due(n)
			with count_queries() as log:
				escalate(names, now)
			statements[n] = log.count
			for name in names:
				self.assertTrue(frappe.db.exists("ToDo", {"reference_name": name, "allocated_to": TECH_LEAD}))
		self.assertLessEqual(statements[10] - statements[3], 7 * PER_ASSIGNMENT, statements)
