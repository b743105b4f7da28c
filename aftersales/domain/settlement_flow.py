"""Lifecycle of a Service Settlement (REQUIREMENTS WO-14): prepared, checked against the orders,
approved by the After-Sales Manager, then posted as one ERPNext Journal Entry (the submit).
Cancelling it cancels the entry. Pure Python: no Frappe import."""

from aftersales.domain.workflow import Flow
from aftersales.domain.workflow import transition as _t
from aftersales.roles import AFTER_SALES_MANAGER

DRAFT = "Draft"
CHECKED = "Checked"
APPROVED = "Approved"
POSTED = "Posted"
CANCELLED = "Cancelled"

STATES = (DRAFT, CHECKED, APPROVED, POSTED, CANCELLED)
FINAL_STATES = (CANCELLED,)

# the accountant prepares and checks the figures; the After-Sales Manager alone approves them
PREPARERS = (AFTER_SALES_MANAGER, "Accounts User")
APPROVERS = (AFTER_SALES_MANAGER,)
POSTERS = (AFTER_SALES_MANAGER, "Accounts User")
CANCELLERS = (AFTER_SALES_MANAGER, "Accounts Manager")

TRANSITIONS = (
	_t(DRAFT, "Check", CHECKED, PREPARERS),
	_t(CHECKED, "Approve", APPROVED, APPROVERS),
	_t(CHECKED, "Send Back", DRAFT, PREPARERS),
	_t(APPROVED, "Send Back", DRAFT, APPROVERS),
	_t(APPROVED, "Post", POSTED, POSTERS),
	_t(POSTED, "Cancel", CANCELLED, CANCELLERS),
)

FLOW = Flow(
	name="Service Settlement",
	document_type="Service Settlement",
	state_field="status",
	states=STATES,
	editors={
		DRAFT: PREPARERS,
		CHECKED: APPROVERS,
		APPROVED: APPROVERS,
		POSTED: CANCELLERS,
		CANCELLED: APPROVERS,
	},
	transitions=TRANSITIONS,
	styles={
		DRAFT: "Info",
		CHECKED: "Primary",
		APPROVED: "Success",
		POSTED: "Success",
		CANCELLED: "Danger",
	},
	doc_status={POSTED: 1, CANCELLED: 2},
)
