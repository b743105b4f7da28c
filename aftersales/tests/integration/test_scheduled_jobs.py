"""The scheduled jobs over work orders (issue 15): their cost grows with the orders due, not with the
table or a full save per order, and they leave what they left before: statuses, status log,
Version, KPI facts and notifications (aftersales/service/work_order/scheduled.py).

Query counts, not timings: the same job with 1 and with 5 orders due differs by a bounded number of
statements per order."""

import frappe
from frappe.core.doctype.role.role import get_info_based_on_role
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, get_datetime, now_datetime, nowdate

from aftersales.domain import work_order_flow as flow
from aftersales.kpi import facts as kpi_facts
from aftersales.roles import DISPATCHER as DISPATCHER_ROLE
from aftersales.service.work_order.sla import flag_overdue_orders, move_due_follow_ups
from aftersales.tests import work_orders as wo
from aftersales.tests.notifications import notified, system_notification
from aftersales.tests.queries import count_queries
from aftersales.tests.utils import demo, keep_in_transaction

# statements a job may spend on each further order due. Loading, writing, the status log and Version
# rows are set-based (the same count for 1 and 5 orders, give or take PER_JOB); what remains per order
# is each notification Frappe sends: a customer mail is a Communication with its links and the mail
# queue, a system notification its Notification Logs (measured: 42 statements for an order's three on a
# site that had run these tests before, 81 on a new test site, whose caches and recipients are cold)
PER_JOB = 3
ORDER = "Service Work Order"
PER_NOTIFIED_FLAG = 30


class ScheduledJobTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		demo()

	def setUp(self):
		keep_in_transaction(self)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.cache.hdel("notifications", ORDER)


class TestFlagOverdueOrders(ScheduledJobTestCase):
	def test_cost_follows_the_orders_due(self):
		later = add_days(now_datetime(), 30)
		flag_overdue_orders(now=later)  # whatever the site already had due
		counts = {}
		for n in (1, 5):
			orders = [wo.new_work_order() for _ in range(n)]
			with count_queries() as log:
				flag_overdue_orders(now=later)
			counts[n] = log.count
			for order in orders:
				values = frappe.db.get_value(
					"Service Work Order", order.name, ["response_breached", "is_delayed"], as_dict=True
				)
				self.assertEqual((values.response_breached, values.is_delayed), (1, 1))
		# each order gets two flags (appointment limit and resolution), notified three times: the
		# dispatchers' "appointment overdue" (a system notification) and the customer's "visit late"
		# and "delayed" mails (WO-7; their SMS twins send nothing without a gateway)
		self.assertLessEqual(counts[5] - counts[1], 4 * 3 * PER_NOTIFIED_FLAG, counts)
		with count_queries() as log:
			flag_overdue_orders(now=later)
		self.assertLessEqual(log.count, 10, "nothing due: only the selections")

	def test_flag_notifies_and_updates_like_db_set(self):
		notification = system_notification(
			"Test Overdue Flag",
			ORDER,
			"doc.response_breached",
			"owner",
			event="Value Change",
			value_changed="response_breached",
		)
		order = wo.new_work_order()
		before = frappe.db.get_value("Service Work Order", order.name, "modified")
		flag_overdue_orders(now=add_to_date(order.response_by, hours=1))
		stored = frappe.db.get_value(
			"Service Work Order", order.name, ["response_breached", "modified", "modified_by"], as_dict=True
		)
		self.assertEqual(stored.response_breached, 1)
		self.assertGreater(stored.modified, before)
		self.assertEqual(stored.modified_by, "Administrator")
		self.assertTrue(notified(notification, order.name))
		# the shipped notification tells the dispatchers, as before
		self.assertTrue(
			frappe.db.exists("Notification Log", {"document_name": order.name, "for_user": wo.DISPATCHER})
		)
		# a second run does not notify again
		count = frappe.db.count("Notification Log", {"document_name": order.name})
		flag_overdue_orders(now=add_to_date(order.response_by, hours=2))
		self.assertEqual(frappe.db.count("Notification Log", {"document_name": order.name}), count)

	def test_every_order_is_notified_with_its_own_text(self):
		"""The job compiles each notification's template once and reads the dispatchers once
		(scheduled.once_per_job): each order still gets its own notification, with its own subject,
		to every dispatcher."""
		orders = [wo.new_work_order() for _ in range(3)]
		latest = max(get_datetime(o.response_by) for o in orders)
		flag_overdue_orders(now=add_to_date(latest, hours=1))
		notified_users = []
		for order in orders:
			logs = frappe.get_all(
				"Notification Log",
				{"document_name": order.name, "subject": ("like", "%Appointment limit missed%")},
				["for_user", "subject"],
			)
			notified_users.append({log.for_user for log in logs})
			self.assertTrue(all(log.subject.endswith(order.name) for log in logs), logs)
		self.assertIn(wo.DISPATCHER, notified_users[0])
		self.assertEqual(notified_users, [notified_users[0]] * len(orders))
		# and Frappe's own compiling and role lookup are back after the job
		from frappe.email.doctype.notification import notification
		from frappe.utils.jinja import get_jenv

		self.assertIsNone(frappe.local.role_users)
		self.assertEqual(
			notification.get_info_based_on_role(DISPATCHER_ROLE, "email", ignore_permissions=True),
			get_info_based_on_role(DISPATCHER_ROLE, "email", ignore_permissions=True),
		)
		self.assertNotIn("from_string", vars(get_jenv()))


def delivered_order():
	"""An order walked through its lifecycle to Delivered, its follow-up due today."""
	order = wo.deliver(wo.pass_quality_check(wo.finish_work(wo.start_work(wo.new_work_order()))))
	follow_up = frappe.db.get_value("Service Work Order", order.name, "follow_up")
	frappe.db.set_value("Service Follow-up", follow_up, "scheduled_date", nowdate())
	return frappe.get_doc("Service Work Order", order.name)


class TestMoveDueFollowUps(ScheduledJobTestCase):
	def test_cost_follows_the_orders_due(self):
		move_due_follow_ups()  # whatever the site already had due
		counts = {}
		for n in (1, 5):
			orders = [delivered_order() for _ in range(n)]
			with count_queries() as log:
				moved = move_due_follow_ups()
			counts[n] = log.count
			self.assertEqual(sorted(moved), sorted(o.name for o in orders))
		self.assertLessEqual(counts[5] - counts[1], PER_JOB, counts)
		self.assertLessEqual(counts[1], 40, counts)

	def test_moved_order_is_what_a_save_leaves(self):
		notification = system_notification(
			"Test Follow-up Due",
			ORDER,
			"doc.status == 'Follow-up'",
			"owner",
			event="Value Change",
			value_changed="status",
		)
		order = delivered_order()
		not_due = delivered_order()
		frappe.db.set_value("Service Follow-up", not_due.follow_up, "scheduled_date", add_days(nowdate(), 1))
		versions = frappe.db.count("Version", {"ref_doctype": "Service Work Order", "docname": order.name})
		moved = move_due_follow_ups()
		self.assertIn(order.name, moved)
		self.assertNotIn(not_due.name, moved)
		self.assertEqual(frappe.db.get_value("Service Work Order", not_due.name, "status"), flow.DELIVERED)

		doc = frappe.get_doc("Service Work Order", order.name)
		self.assertEqual(doc.status, flow.FOLLOW_UP)
		last = doc.status_log[-1]
		self.assertEqual(
			(last.status, last.previous_status, last.user, last.idx),
			(flow.FOLLOW_UP, flow.DELIVERED, "Administrator", len(doc.status_log)),
		)
		self.assertEqual(len({row.name for row in doc.status_log}), len(doc.status_log))
		# the stored KPI facts are those the order's log gives
		expected = kpi_facts.compute(doc.received_on, doc.status_log, doc.service_level_agreement)
		for field, value in expected.items():
			self.assertFalse(kpi_facts.differs(doc.get(field), value), field)
		# a Version records the change, as a save does
		self.assertEqual(
			frappe.db.count("Version", {"ref_doctype": "Service Work Order", "docname": order.name}),
			versions + 1,
		)
		data = frappe.parse_json(
			frappe.get_all(
				"Version",
				{"ref_doctype": "Service Work Order", "docname": order.name},
				pluck="data",
				order_by="creation desc",
				limit=1,
			)[0]
		)
		self.assertIn(["status", flow.DELIVERED, flow.FOLLOW_UP], data["changed"])
		self.assertTrue(notified(notification, order.name))
		# the order goes on as before: the desk closes it with a satisfied follow-up
		wo.record_follow_up(order, "Satisfied")
		self.assertEqual(frappe.db.get_value("Service Work Order", order.name, "status"), flow.CLOSED)

	def test_order_no_longer_delivered_is_left_alone(self):
		from aftersales.service.work_order.scheduled import move_status

		order = delivered_order()
		self.assertEqual(move_status([order.name], flow.IN_PROGRESS, flow.QUALITY_CHECK), [])
		self.assertEqual(frappe.db.get_value("Service Work Order", order.name, "status"), flow.DELIVERED)
		self.assertRaises(frappe.ValidationError, move_status, [order.name], flow.DELIVERED, flow.NEW)


class TestCustomerLanguage(ScheduledJobTestCase):
	def test_a_job_reads_the_languages_the_mails_would(self):
		"""The jobs read the customers' languages of all their orders in one query (the mails are
		Chinese alone for a customer who reads Chinese): the same answers as one order at a time."""
		from aftersales.service.work_order.notify import customer_language, customer_languages

		customers = demo()["customers"][:2]
		for customer, language in zip(customers, ("zh", "en"), strict=True):
			frappe.db.set_value("Customer", customer, "language", language)
			frappe.clear_document_cache("Customer", customer)
		docs = [frappe._dict(customer=c) for c in customers] + [frappe._dict(customer=None)]
		alone = [customer_language(doc) for doc in docs]
		with count_queries() as log, customer_languages(docs):
			together = [customer_language(doc) for doc in docs]
		self.assertEqual(together, ["zh", "", ""])
		self.assertEqual(together, alone)
		self.assertEqual(log.count, 1, log.statements)
		self.assertIsNone(frappe.local.customer_languages)
