"""Every lifecycle the app ships as a Frappe Workflow."""

from aftersales.domain import (
	appraisal_flow,
	complaint_flow,
	return_flow,
	settlement_flow,
	stocktake_flow,
	work_order_flow,
)
from aftersales.domain.workflow import fixture_records_for, masters_for

FLOWS = (
	work_order_flow.FLOW,
	stocktake_flow.FLOW,
	complaint_flow.FLOW,
	return_flow.FLOW,
	settlement_flow.FLOW,
	appraisal_flow.FLOW,
)


def fixture_records() -> dict[str, list[dict]]:
	return fixture_records_for(list(FLOWS))


def workflow_masters() -> dict[str, list[dict]]:
	return masters_for(list(FLOWS))
