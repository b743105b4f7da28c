"""The rules the desk's buttons read (aftersales/domain/desk_actions.py): the app's own actions and
every flow's transitions, in the shape public/js/desk.js expects."""

from aftersales.domain import desk_actions, flows
from aftersales.domain import work_order_flow as wo
from aftersales.roles import AFTER_SALES_MANAGER, DISPATCHER, QUALITY_INSPECTOR, SERVICE_TECHNICIAN

ORDER = "Service Work Order"


def test_parts_actions_by_role_and_state():
	assert desk_actions.may({DISPATCHER}, ORDER, "approve_parts", wo.IN_PROGRESS)
	assert not desk_actions.may({DISPATCHER}, ORDER, "approve_parts", wo.NEW)
	assert not desk_actions.may({SERVICE_TECHNICIAN}, ORDER, "approve_parts", wo.IN_PROGRESS)
	assert desk_actions.may({"Stock User"}, ORDER, "issue_parts", wo.IN_PROGRESS)
	assert not desk_actions.may({"Stock User"}, ORDER, "approve_parts", wo.IN_PROGRESS)
	# unused parts come back until the job is handed over, not after delivery
	assert desk_actions.may({"Stock User"}, ORDER, "return_unused_part", wo.READY_FOR_DELIVERY)
	assert not desk_actions.may({"Stock User"}, ORDER, "return_unused_part", wo.DELIVERED)


def test_transitions_come_from_the_flows():
	for flow in flows.FLOWS:
		for t in flow.transitions:
			for role in t.roles:
				assert desk_actions.may({role}, flow.document_type, t.action, t.state), (flow.name, t)
	assert desk_actions.may({QUALITY_INSPECTOR}, ORDER, "Pass", wo.QUALITY_CHECK)
	assert not desk_actions.may({AFTER_SALES_MANAGER}, ORDER, "Pass", wo.QUALITY_CHECK)


def test_client_map_shape():
	mapping = desk_actions.client_map()
	rules = mapping[ORDER]["approve_parts"]
	assert rules == [
		{"roles": [DISPATCHER, AFTER_SALES_MANAGER], "states": list(desk_actions.PARTS_WORKING_STATES)}
	]
	assert mapping["Corrective Action"]["verify"][0]["states"] == ["Implemented"]
	for by_action in mapping.values():
		for action_rules in by_action.values():
			for rule in action_rules:
				assert set(rule) == {"roles", "states"} and rule["roles"]
