"""Lifecycle of a Customer Complaint (REQUIREMENTS CP-1..CP-7) and its escalation tiers.
Pure Python: no Frappe import."""

from datetime import datetime, timedelta

from aftersales.domain.workflow import Flow
from aftersales.domain.workflow import transition as _t
from aftersales.roles import (
	AFTER_SALES_MANAGER,
	DISPATCHER,
	QUALITY_INSPECTOR,
	SERVICE_DESK_AGENT,
	SERVICE_TECHNICIAN,
)

OPEN = "Open"
INVESTIGATING = "Investigating"
SOLUTION_PROPOSED = "Solution Proposed"
SOLUTION_AGREED = "Solution Agreed"
RESOLVED = "Resolved"
CLOSED = "Closed"

STATES = (OPEN, INVESTIGATING, SOLUTION_PROPOSED, SOLUTION_AGREED, RESOLVED, CLOSED)
OPEN_STATES = STATES[:-1]

# Whoever handles complaints: the desk registers them; owners come from any post.
HANDLERS = (SERVICE_DESK_AGENT, DISPATCHER, SERVICE_TECHNICIAN, QUALITY_INSPECTOR, AFTER_SALES_MANAGER)

TRANSITIONS = (
	_t(OPEN, "Start Investigation", INVESTIGATING, HANDLERS),
	_t(INVESTIGATING, "Propose Solution", SOLUTION_PROPOSED, HANDLERS),
	_t(SOLUTION_PROPOSED, "Customer Agreed", SOLUTION_AGREED, HANDLERS),
	_t(SOLUTION_PROPOSED, "Customer Did Not Agree", INVESTIGATING, HANDLERS),
	_t(SOLUTION_AGREED, "Mark Resolved", RESOLVED, HANDLERS),
	_t(RESOLVED, "Reopen", INVESTIGATING, HANDLERS),
	_t(RESOLVED, "Close", CLOSED, (AFTER_SALES_MANAGER,)),
)

FLOW = Flow(
	name="Customer Complaint",
	document_type="Customer Complaint",
	state_field="status",
	states=STATES,
	editors={state: HANDLERS for state in OPEN_STATES} | {CLOSED: (AFTER_SALES_MANAGER,)},
	transitions=TRANSITIONS,
	styles={
		OPEN: "Danger",
		INVESTIGATING: "Warning",
		SOLUTION_PROPOSED: "Primary",
		SOLUTION_AGREED: "Primary",
		RESOLVED: "Success",
		CLOSED: "Inverse",
	},
)

DESK, TECHNICAL_LEAD, MANAGEMENT = "Desk", "Technical Lead", "Management"
TIERS = (DESK, TECHNICAL_LEAD, MANAGEMENT)
SAFETY_CRITICAL = "Safety-critical"


def starting_tier(severity: str) -> str:
	"""Safety defects go to management at once (CP-7, crisis handling); the rest start at the desk."""
	return MANAGEMENT if severity == SAFETY_CRITICAL else DESK


def next_tier(tier: str) -> str | None:
	index = TIERS.index(tier)
	return TIERS[index + 1] if index + 1 < len(TIERS) else None


def deadline(start: datetime, hours: int) -> datetime:
	return start + timedelta(hours=hours)


def is_overdue(deadline_at: datetime | None, now: datetime) -> bool:
	return deadline_at is not None and now > deadline_at
