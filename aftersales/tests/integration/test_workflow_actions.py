"""aftersales/workflow_actions.py: the same answers as Frappe's own lookup, a saved Workflow seen at
once, no query per transition after a save, and no Workflow Action work after a save of a document
whose Workflow has only optional states, unless actions of its DocType are open."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import CallbackManager
from frappe.workflow.doctype.workflow_action import workflow_action

from aftersales import workflow_actions
from aftersales.domain import work_order_flow as flow
from aftersales.tests import work_orders as wo
from aftersales.tests.complaints import ComplaintTestCase
from aftersales.tests.queries import count_queries
from aftersales.tests.utils import demo
from aftersales.workflow_actions import process_workflow_actions, state_is_optional

ORDER = "Service Work Order"


def frappe_lookup(workflow_name: str, state: str):
	"""Frappe 15's own `get_state_optional_field_value`."""
	return frappe.get_cached_value(
		"Workflow Document State", {"parent": workflow_name, "state": state}, "is_optional_state"
	)


class TestWorkflowActions(FrappeTestCase):
	def test_installed(self):
		self.assertIs(workflow_action.get_state_optional_field_value, state_is_optional)
		self.assertIs(workflow_action.process_workflow_actions, process_workflow_actions)
		self.assertIsNot(workflow_actions.frappe_process_workflow_actions, process_workflow_actions)

	def test_same_answer_as_frappe_for_every_state(self):
		workflows = frappe.get_all("Workflow", pluck="name")
		self.assertTrue(workflows)
		for name in workflows:
			for state in frappe.get_all("Workflow Document State", {"parent": name}, pluck="state"):
				self.assertEqual(state_is_optional(name, state), frappe_lookup(name, state), (name, state))
			self.assertIsNone(state_is_optional(name, "No Such State"))
		self.assertIsNone(state_is_optional("No Such Workflow", "New"))

	def test_saved_workflow_is_seen_by_the_next_lookup(self):
		workflow = frappe.get_doc("Workflow", "Service Work Order")
		# a state has a row per role that may edit in it: New has several, all changed together (Frappe's
		# lookup answers from any one of them)
		rows = [r for r in workflow.states if r.state == "New"]
		stored = rows[0].is_optional_state
		self.assertEqual(state_is_optional(workflow.name, "New"), stored)  # now cached
		try:
			for row in rows:
				row.is_optional_state = 0 if stored else 1
			workflow.save(ignore_permissions=True)
			self.assertEqual(state_is_optional(workflow.name, "New"), 0 if stored else 1)
			self.assertEqual(state_is_optional(workflow.name, "New"), frappe_lookup(workflow.name, "New"))
		finally:
			frappe.db.rollback()
			frappe.clear_document_cache("Workflow", workflow.name)
		self.assertEqual(state_is_optional(workflow.name, "New"), stored)

	def test_no_query_per_transition(self):
		frappe.get_cached_doc("Workflow", "Service Work Order")  # warm, as after the first save
		transitions = frappe.get_all(
			"Workflow Transition", {"parent": "Service Work Order", "state": "New"}, pluck="next_state"
		)
		self.assertGreater(len(transitions), 1)
		with self.assertQueryCount(1):  # the transitions themselves, as Frappe reads them
			workflow_action.get_next_possible_transitions("Service Work Order", "New")


def action_queries(log) -> list[str]:
	return [q for q in log.statements if "`tabWorkflow Action`" in q or "`tabWorkflow Transition`" in q]


def open_action(order, **values):
	"""An open Workflow Action on the order's New state, as one left from a stricter Workflow."""
	return frappe.get_doc(
		{
			"doctype": "Workflow Action",
			"reference_doctype": ORDER,
			"reference_name": order.name,
			"workflow_state": flow.NEW,
			"status": "Open",
			**values,
		}
	).insert(ignore_permissions=True)


class TestHookLeftOut(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		demo()

	def setUp(self):
		frappe.db.delete("Workflow Action", {"reference_doctype": ORDER})
		frappe.cache.delete_value(workflow_actions.OPEN_ACTIONS + ORDER)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.cache.delete_value(workflow_actions.OPEN_ACTIONS + ORDER)

	def test_every_state_of_the_work_order_workflow_is_optional(self):
		self.assertTrue(workflow_actions.every_state_optional("Service Work Order"))
		self.assertFalse(workflow_actions.every_state_optional("Customer Complaint"))
		self.assertFalse(workflow_actions.every_state_optional("No Such Workflow"))

	def test_a_work_order_saved_asks_nothing_about_workflow_actions(self):
		order = wo.new_work_order()
		with count_queries() as log:
			wo.move(order, flow.ACCEPTED, wo.DISPATCHER, service_point=demo()["service_points"][0])
		self.assertEqual(action_queries(log), [])
		self.assertFalse(frappe.db.exists("Workflow Action", {"reference_name": order.name}))

	def test_an_open_action_left_is_completed_as_frappe_completes_it(self):
		"""An action made while a state was not optional: Frappe's own hook runs and completes it."""
		order = wo.new_work_order()
		self.assertFalse(workflow_actions.has_open_actions(ORDER))  # now cached
		action = open_action(
			order,
			# the roles that may take it on, as Frappe records them
			permitted_roles=[
				{"role": role}
				for role in frappe.get_all(
					"Workflow Transition", {"parent": ORDER, "next_state": flow.ACCEPTED}, pluck="allowed"
				)
			],
		)
		self.assertTrue(workflow_actions.has_open_actions(ORDER))  # the insert was heard
		with count_queries() as log:
			wo.move(order, flow.ACCEPTED, wo.DISPATCHER, service_point=demo()["service_points"][0])
		self.assertTrue(action_queries(log))
		self.assertEqual(frappe.db.get_value("Workflow Action", action.name, "status"), "Completed")

	def test_the_answer_is_read_once_while_it_is_kept(self):
		frappe.cache.delete_value(workflow_actions.OPEN_ACTIONS + ORDER)
		workflow_actions.has_open_actions(ORDER)  # read from the table, then kept
		with count_queries() as log:
			for _ in range(3):
				workflow_actions.has_open_actions(ORDER)
		self.assertEqual(action_queries(log), [])

	def test_an_action_is_heard_again_when_its_insert_is_committed_or_its_delete_rolled_back(self):
		"""Another request may read the table before the insert is committed (and cache "none
		open"); a delete rolled back brings the action back after "none open" was cached. The
		callbacks the hook leaves for the commit and the rollback are run here by hand (the test
		commits nothing)."""
		order = wo.new_work_order()
		commit = CallbackManager()
		with patch.object(frappe.db, "after_commit", commit):
			action = open_action(order)
		frappe.cache.set_value(workflow_actions.OPEN_ACTIONS + ORDER, 0)  # read before the commit
		commit.run()
		self.assertTrue(workflow_actions.has_open_actions(ORDER))

		frappe.db.savepoint("before_delete")
		rollback = CallbackManager()
		with patch.object(frappe.db, "after_rollback", rollback):
			frappe.delete_doc("Workflow Action", action.name, ignore_permissions=True)
		self.assertFalse(workflow_actions.has_open_actions(ORDER))  # "none open", cached
		frappe.db.rollback(save_point="before_delete")
		rollback.run()
		self.assertTrue(workflow_actions.has_open_actions(ORDER))

	def test_frappes_hook_runs_where_it_has_work(self):
		order = wo.new_work_order()
		with patch.object(workflow_actions, "frappe_process_workflow_actions") as frappes:
			process_workflow_actions(order, "on_update")
			frappes.assert_not_called()
			process_workflow_actions(order, "on_trash")  # it removes the document's actions
			frappes.assert_called_once_with(order, "on_trash")


class TestHookKeptForWorkflowsWithActions(ComplaintTestCase):
	def test_a_complaint_saved_goes_through_frappes_hook(self):
		complaint = self.register()
		with patch.object(workflow_actions, "frappe_process_workflow_actions") as frappes:
			process_workflow_actions(complaint, "on_update")
		frappes.assert_called_once_with(complaint, "on_update")
