"""aftersales/workflow_actions.py: the same answers as Frappe's own lookup, a saved Workflow seen at
once, and no query per transition after a save."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.workflow.doctype.workflow_action import workflow_action

from aftersales.workflow_actions import state_is_optional


def frappe_lookup(workflow_name: str, state: str):
	"""Frappe 15's own `get_state_optional_field_value`."""
	return frappe.get_cached_value(
		"Workflow Document State", {"parent": workflow_name, "state": state}, "is_optional_state"
	)


class TestWorkflowActions(FrappeTestCase):
	def test_installed(self):
		self.assertIs(workflow_action.get_state_optional_field_value, state_is_optional)

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
		row = next(r for r in workflow.states if r.state == "New")
		stored = row.is_optional_state
		self.assertEqual(state_is_optional(workflow.name, "New"), stored)  # now cached
		try:
			row.is_optional_state = 0 if stored else 1
			workflow.save(ignore_permissions=True)
			self.assertEqual(state_is_optional(workflow.name, "New"), row.is_optional_state)
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
