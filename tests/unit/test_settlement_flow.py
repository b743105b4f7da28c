"""The Service Settlement lifecycle (aftersales/domain/settlement_flow.py)."""

from aftersales.domain import settlement_flow as flow
from aftersales.roles import AFTER_SALES_MANAGER, ROLES

from .metadata import load_doctypes


def test_status_options_are_the_states():
	status = next(f for f in load_doctypes()["Service Settlement"]["fields"] if f["fieldname"] == "status")
	assert status["options"].split("\n") == list(flow.STATES)
	assert status["default"] == flow.DRAFT


def test_only_the_after_sales_manager_approves():
	assert flow.FLOW.roles_for(flow.CHECKED, flow.APPROVED) == {AFTER_SALES_MANAGER}
	assert not flow.FLOW.is_allowed(flow.DRAFT, flow.APPROVED)
	assert not flow.FLOW.is_allowed(flow.CHECKED, flow.POSTED)
	assert flow.FLOW.is_allowed(flow.APPROVED, flow.POSTED)


def test_posting_submits_and_cancelling_cancels():
	assert flow.FLOW.doc_status == {flow.POSTED: 1, flow.CANCELLED: 2}
	assert flow.FLOW.next_states(flow.POSTED) == {flow.CANCELLED}
	assert not flow.FLOW.next_states(flow.CANCELLED)


def test_roles_are_known_and_every_state_has_editors():
	known = set(ROLES) | {"Accounts User", "Accounts Manager"}
	for t in flow.TRANSITIONS:
		assert set(t.roles) <= known, t
	assert set(flow.FLOW.editors) == set(flow.STATES)
