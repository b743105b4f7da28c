"""Building blocks for the app's lifecycles: each is defined once in Python (states, who edits
them, transitions with roles and conditions) and turned into the Frappe Workflow records shipped
in fixtures/ (scripts/build_fixtures.py). Controllers check status changes against the same
definition. Pure Python: no Frappe import."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Transition:
	state: str
	action: str
	next_state: str
	roles: tuple[str, ...]
	condition: str | None = None  # a Python expression on `doc`, as Frappe's workflow evaluates it


def transition(state, action, next_state, roles, condition=None) -> Transition:
	return Transition(state, action, next_state, tuple(roles), condition)


@dataclass(frozen=True)
class Flow:
	name: str
	document_type: str
	state_field: str
	states: tuple[str, ...]
	editors: dict[str, tuple[str, ...]]
	transitions: tuple[Transition, ...]
	styles: dict[str, str]
	doc_status: dict[str, int] = field(default_factory=dict)  # state -> docstatus (0 when absent)
	# States for which Frappe creates Workflow Actions (an "awaiting your action" record for the roles
	# of the next transitions) on every save that enters them; None = every state. The others are
	# Frappe's "optional states": the app tells people through its own notifications instead.
	action_states: tuple[str, ...] | None = None

	def is_optional(self, state: str) -> bool:
		return self.action_states is not None and state not in self.action_states

	@property
	def actions(self) -> tuple[str, ...]:
		return tuple(dict.fromkeys(t.action for t in self.transitions))

	def next_states(self, state: str) -> set[str]:
		return {t.next_state for t in self.transitions if t.state == state}

	def is_allowed(self, state: str, next_state: str) -> bool:
		return state == next_state or next_state in self.next_states(state)

	def roles_for(self, state: str, next_state: str) -> set[str]:
		return {
			role
			for t in self.transitions
			if t.state == state and t.next_state == next_state
			for role in t.roles
		}

	def workflow_definition(self) -> dict:
		return {
			"doctype": "Workflow",
			"name": self.name,
			"workflow_name": self.name,
			"document_type": self.document_type,
			"workflow_state_field": self.state_field,
			"is_active": 1,
			"override_status": 0,
			"send_email_alert": 0,
			"states": [
				{
					"doctype": "Workflow Document State",
					"state": state,
					"doc_status": str(self.doc_status.get(state, 0)),
					"allow_edit": role,
					"update_field": "",
					"update_value": "",
					"is_optional_state": int(self.is_optional(state)),
					"avoid_status_override": 0,
				}
				for state in self.states
				for role in self.editors[state]
			],
			"transitions": [
				{
					"doctype": "Workflow Transition",
					"state": t.state,
					"action": t.action,
					"next_state": t.next_state,
					"allowed": role,
					"allow_self_approval": 1,
					"condition": t.condition or "",
					"send_email_to_creator": 0,
				}
				for t in self.transitions
				for role in t.roles
			],
		}


def fixture_records_for(flows: list[Flow]) -> dict[str, list[dict]]:
	"""The fixtures files' contents, by file name (fixtures/<name>.json): the Workflows only. Their
	states and actions are shared with every other workflow on a site, so they are no fixtures
	(a fixture overwrites the site's record on every migrate): see `masters_for`."""
	return {"workflow": [flow.workflow_definition() for flow in flows]}


def masters_for(flows: list[Flow]) -> dict[str, list[dict]]:
	"""The Workflow States (with the app's style) and Workflow Action Masters the flows name, by
	DocType. Install and migrate create those a site lacks (aftersales/setup/workflows.py)."""
	states, actions = {}, {}
	for flow in flows:
		for state in flow.states:
			states.setdefault(state, flow.styles.get(state, ""))
		for action in flow.actions:
			actions.setdefault(action, None)
	return {
		"Workflow State": [
			{"doctype": "Workflow State", "workflow_state_name": s, "style": style, "icon": ""}
			for s, style in states.items()
		],
		"Workflow Action Master": [
			{"doctype": "Workflow Action Master", "workflow_action_name": a} for a in actions
		],
	}
