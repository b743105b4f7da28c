"""Lifecycle of a Return Request (REQUIREMENTS RR-3, RR-4). Pure Python: no Frappe import."""

from aftersales.domain.workflow import Flow
from aftersales.domain.workflow import transition as _t
from aftersales.roles import AFTER_SALES_MANAGER, QUALITY_INSPECTOR, SERVICE_DESK_AGENT

DRAFT = "Draft"
SUBMITTED = "Submitted"
BUSINESS_REVIEW = "Business Review"
QUALITY_INSPECTION = "Quality Inspection"
APPROVED = "Approved"
REJECTED = "Rejected"
GOODS_RECEIVED = "Goods Received"
COMPLETED = "Completed"
CANCELLED = "Cancelled"

STATES = (
	DRAFT,
	SUBMITTED,
	BUSINESS_REVIEW,
	QUALITY_INSPECTION,
	APPROVED,
	REJECTED,
	GOODS_RECEIVED,
	COMPLETED,
	CANCELLED,
)
STOCK = ("Stock User", "Stock Manager")
DESK = (SERVICE_DESK_AGENT, AFTER_SALES_MANAGER)

TRANSITIONS = (
	_t(DRAFT, "Submit Request", SUBMITTED, (*DESK, "Customer")),
	_t(SUBMITTED, "Start Business Review", BUSINESS_REVIEW, DESK),
	_t(BUSINESS_REVIEW, "Send to Quality Inspection", QUALITY_INSPECTION, DESK),
	_t(BUSINESS_REVIEW, "Approve", APPROVED, (AFTER_SALES_MANAGER,), "doc.ground != 'Quality Defect'"),
	_t(QUALITY_INSPECTION, "Approve", APPROVED, (AFTER_SALES_MANAGER,)),
	*(
		_t(state, "Reject", REJECTED, (AFTER_SALES_MANAGER,))
		for state in (BUSINESS_REVIEW, QUALITY_INSPECTION)
	),
	_t(APPROVED, "Receive Goods", GOODS_RECEIVED, (*STOCK, AFTER_SALES_MANAGER)),
	_t(APPROVED, "Complete", COMPLETED, (*STOCK, AFTER_SALES_MANAGER), "doc.ground == 'Missing Shipment'"),
	_t(GOODS_RECEIVED, "Complete", COMPLETED, (*STOCK, AFTER_SALES_MANAGER)),
	*(
		_t(state, "Cancel Request", CANCELLED, DESK)
		for state in (
			DRAFT,
			SUBMITTED,
			BUSINESS_REVIEW,
			QUALITY_INSPECTION,
			APPROVED,
			GOODS_RECEIVED,
			COMPLETED,
		)
	),
)

FLOW = Flow(
	name="Return Request",
	document_type="Return Request",
	state_field="status",
	states=STATES,
	editors={
		DRAFT: (*DESK, "Customer"),
		SUBMITTED: DESK,
		BUSINESS_REVIEW: DESK,
		QUALITY_INSPECTION: (QUALITY_INSPECTOR, AFTER_SALES_MANAGER),
		APPROVED: (*STOCK, AFTER_SALES_MANAGER),
		REJECTED: (AFTER_SALES_MANAGER,),
		GOODS_RECEIVED: (*STOCK, AFTER_SALES_MANAGER),
		COMPLETED: (AFTER_SALES_MANAGER,),
		CANCELLED: (AFTER_SALES_MANAGER,),
	},
	transitions=TRANSITIONS,
	styles={
		DRAFT: "Info",
		SUBMITTED: "Info",
		BUSINESS_REVIEW: "Warning",
		QUALITY_INSPECTION: "Warning",
		APPROVED: "Primary",
		REJECTED: "Danger",
		GOODS_RECEIVED: "Primary",
		COMPLETED: "Success",
		CANCELLED: "Danger",
	},
)
