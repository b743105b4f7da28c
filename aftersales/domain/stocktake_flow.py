"""Lifecycle of a Stocktake (REQUIREMENTS ST-1..ST-3): counter -> warehouse manager -> After-Sales
Manager above the value threshold in the settings. Pure Python: no Frappe import."""

from aftersales.domain.workflow import Flow
from aftersales.domain.workflow import transition as _t
from aftersales.roles import AFTER_SALES_MANAGER

DRAFT = "Draft"
COUNTING = "Counting"
COUNTED = "Counted"
APPROVED_BY_WAREHOUSE = "Approved by Warehouse"
POSTED = "Posted"
CANCELLED = "Cancelled"

STATES = (DRAFT, COUNTING, COUNTED, APPROVED_BY_WAREHOUSE, POSTED, CANCELLED)

COUNTER = ("Stock User", "Stock Manager", AFTER_SALES_MANAGER)
WAREHOUSE_MANAGER = ("Stock Manager",)
MANAGERS = ("Stock Manager", AFTER_SALES_MANAGER)

TRANSITIONS = (
	_t(DRAFT, "Freeze and Count", COUNTING, COUNTER),
	_t(COUNTING, "Submit Count", COUNTED, COUNTER),
	_t(COUNTED, "Recount", COUNTING, MANAGERS),
	_t(COUNTED, "Approve and Post", POSTED, WAREHOUSE_MANAGER, "not doc.needs_manager_approval"),
	_t(COUNTED, "Approve", APPROVED_BY_WAREHOUSE, WAREHOUSE_MANAGER, "doc.needs_manager_approval"),
	_t(APPROVED_BY_WAREHOUSE, "Approve and Post", POSTED, (AFTER_SALES_MANAGER,)),
	_t(APPROVED_BY_WAREHOUSE, "Recount", COUNTING, (AFTER_SALES_MANAGER,)),
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
		POSTED: MANAGERS,
		CANCELLED: MANAGERS,
	},
	transitions=TRANSITIONS,
	styles={
		DRAFT: "Info",
		COUNTING: "Warning",
		COUNTED: "Primary",
		APPROVED_BY_WAREHOUSE: "Primary",
		POSTED: "Success",
		CANCELLED: "Danger",
	},
	doc_status={POSTED: 1, CANCELLED: 2},
)
