import json

import pytest

from aftersales.domain import flows
from aftersales.domain import work_order_flow as flow
from aftersales.roles import AFTER_SALES_MANAGER, QUALITY_INSPECTOR, ROLES

from .metadata import APP, load_doctypes


def test_fixture_files_are_generated_from_the_rules():
	"""scripts/build_fixtures.py writes the fixtures; run it after changing a rule."""
	for name, records in flows.fixture_records().items():
		on_disk = json.loads((APP / "fixtures" / f"{name}.json").read_text())
		assert on_disk == json.loads(json.dumps(records)), name


def test_status_options_are_the_states():
	status = next(f for f in load_doctypes()["Service Work Order"]["fields"] if f["fieldname"] == "status")
	assert status["options"].split("\n") == list(flow.STATES)
	assert status["default"] == flow.NEW


def test_every_state_is_reachable_from_new_and_every_open_state_can_end():
	reachable, frontier = {flow.NEW}, [flow.NEW]
	while frontier:
		for nxt in flow.next_states(frontier.pop()):
			if nxt not in reachable:
				reachable.add(nxt)
				frontier.append(nxt)
	assert reachable == set(flow.STATES)
	for state in flow.STATES:
		if state not in flow.FINAL_STATES:
			assert flow.next_states(state), f"{state} is a dead end"
	for state in flow.FINAL_STATES:
		assert not flow.next_states(state), f"{state} is final"


def test_only_inspectors_pass_or_fail_quality_checks():
	assert flow.roles_for(flow.QUALITY_CHECK, flow.READY_FOR_DELIVERY) == {QUALITY_INSPECTOR}
	assert flow.roles_for(flow.QUALITY_CHECK, flow.IN_PROGRESS) == {QUALITY_INSPECTOR}


def test_closing_after_delivery_is_conditional_except_for_managers():
	for state in (flow.DELIVERED, flow.FOLLOW_UP):
		rules = [t for t in flow.TRANSITIONS if t.state == state and t.next_state == flow.CLOSED]
		unconditional = {role for t in rules if not t.condition for role in t.roles}
		assert unconditional == {AFTER_SALES_MANAGER}


@pytest.mark.parametrize(
	"old, new, allowed",
	[
		(flow.NEW, flow.ACCEPTED, True),
		(flow.NEW, flow.IN_PROGRESS, False),
		(flow.NEW, flow.CLOSED, True),  # solved by phone
		(flow.IN_PROGRESS, flow.CLOSED, False),  # a visited job closes only after delivery
		(flow.QUALITY_CHECK, flow.DELIVERED, False),
		(flow.CLOSED, flow.IN_PROGRESS, False),
		(flow.IN_PROGRESS, flow.IN_PROGRESS, True),
	],
)
def test_is_allowed(old, new, allowed):
	assert flow.is_allowed(old, new) is allowed


def test_transitions_name_known_roles_and_every_state_has_editors():
	for t in flow.TRANSITIONS:
		assert set(t.roles) <= set(ROLES), t
	assert set(flow.EDITORS) == set(flow.STATES)
