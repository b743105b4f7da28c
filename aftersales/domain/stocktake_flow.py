"""Lifecycle of a Stocktake (REQUIREMENTS ST-1..ST-3): counter -> warehouse manager -> After-Sales
Manager above the value threshold in the settings. Pure Python: no Frappe import."""

from aftersales.domain.workflow import Flow
from aftersales.domain.workflow import transition as _t
from aftersales.roles import AFTER_SALES_MANAGER

DRAFT = "Draft"
COUNTING = "Counting"
COUNTED = "Counted"
APPROVED_BY_WAREHOUSE = "Approved by Warehouse"
POSTING = "Posting"
POSTED = "Posted"
CANCELLED = "Cancelled"

STATES = (DRAFT, COUNTING, COUNTED, APPROVED_BY_WAREHOUSE, POSTING, POSTED, CANCELLED)

COUNTER = ("Stock User", "Stock Manager", AFTER_SALES_MANAGER)
WAREHOUSE_MANAGER = ("Stock Manager",)
MANAGERS = ("Stock Manager", AFTER_SALES_MANAGER)

TRANSITIONS = (
	_t(DRAFT, "Freeze and Count", COUNTING, COUNTER),
	_t(COUNTING, "Submit Count", COUNTED, COUNTER),
	_t(COUNTED, "Recount", COUNTING, MANAGERS),
	# approving queues the posting (a background job on the "long" queue) ...
	_t(COUNTED, "Approve and Post", POSTING, WAREHOUSE_MANAGER, "not doc.needs_manager_approval"),
	_t(COUNTED, "Approve", APPROVED_BY_WAREHOUSE, WAREHOUSE_MANAGER, "doc.needs_manager_approval"),
	_t(APPROVED_BY_WAREHOUSE, "Approve and Post", POSTING, (AFTER_SALES_MANAGER,)),
	_t(APPROVED_BY_WAREHOUSE, "Recount", COUNTING, (AFTER_SALES_MANAGER,)),
	# ... which submits the stocktake (Posted) together with its Stock Reconciliation in one
	# transaction; a failure rolls both back and returns the stocktake to the state it was approved
	# from, with the error shown on it (parts/doctype/stocktake/stocktake.py, post_stocktake)
	_t(POSTED, "Cancel", CANCELLED, MANAGERS),
)

FLOW = Flow(
	name="Stocktake",
	document_type="Stocktake",
	state_field="status",
	states=STATES,
	editors={
		DRAFT: COUNTER,
		COUNTING: COUNTER,
		COUNTED: MANAGERS,
		APPROVED_BY_WAREHOUSE: (AFTER_SALES_MANAGER,),
		POSTING: MANAGERS,
		POSTED: MANAGERS,
		CANCELLED: MANAGERS,
	},
	transitions=TRANSITIONS,
	styles={
		DRAFT: "Info",
		COUNTING: "Warning",
		COUNTED: "Primary",
		APPROVED_BY_WAREHOUSE: "Primary",
		POSTING: "Warning",
		POSTED: "Success",
		CANCELLED: "Danger",
	},
	doc_status={POSTED: 1, CANCELLED: 2},
)


def state_after_failed_posting(needs_manager_approval: bool) -> str:
	"""Where a stocktake whose posting failed goes back to, to be posted again."""
	return APPROVED_BY_WAREHOUSE if needs_manager_approval else COUNTED
