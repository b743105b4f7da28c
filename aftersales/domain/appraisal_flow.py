"""Lifecycle of a Service Appraisal (REQUIREMENTS AP-3..AP-5): the appraiser (the service point's
manager) opens it to the employee's self review, the employee hands it to the manager's review, the
appraiser finalises it (submitted: locked; cancel and amend to change it).

Who the employee and the appraiser are is a property of each appraisal, not of a role: any staff
role may hold either part. The workflow's conditions name them (`doc.employee_user`,
`doc.appraiser_user`) and the controller checks the same parties on every save
(aftersales/staff/doctype/service_appraisal/service_appraisal.py), so the rules hold for the REST
API too. Pure Python: no Frappe import."""

from aftersales.domain.workflow import Flow
from aftersales.domain.workflow import transition as _t
from aftersales.roles import (
	AFTER_SALES_MANAGER,
	DISPATCHER,
	QUALITY_INSPECTOR,
	SERVICE_DESK_AGENT,
	SERVICE_TECHNICIAN,
)

DRAFT = "Draft"
SELF_REVIEW = "Self Review"
MANAGER_REVIEW = "Manager Review"
FINAL = "Final"
CANCELLED = "Cancelled"

STATES = (DRAFT, SELF_REVIEW, MANAGER_REVIEW, FINAL, CANCELLED)
OPEN_STATES = (DRAFT, SELF_REVIEW, MANAGER_REVIEW)

MANAGER = (AFTER_SALES_MANAGER,)
# the posts appraised (warehouse keepers hold ERPNext's Stock User); any of them may also be the
# appraiser of a service point's staff
STAFF = (SERVICE_DESK_AGENT, DISPATCHER, SERVICE_TECHNICIAN, QUALITY_INSPECTOR, "Stock User")
EVERYONE = (*STAFF, AFTER_SALES_MANAGER)

IS_APPRAISER = "doc.appraiser_user == frappe.session.user"
IS_EMPLOYEE = "doc.employee_user == frappe.session.user"

TRANSITIONS = (
	_t(DRAFT, "Start Self Review", SELF_REVIEW, MANAGER),
	_t(DRAFT, "Start Self Review", SELF_REVIEW, STAFF, IS_APPRAISER),
	_t(SELF_REVIEW, "Submit Self Review", MANAGER_REVIEW, EVERYONE, IS_EMPLOYEE),
	_t(SELF_REVIEW, "Start Manager Review", MANAGER_REVIEW, MANAGER),
	_t(SELF_REVIEW, "Start Manager Review", MANAGER_REVIEW, STAFF, IS_APPRAISER),
	_t(MANAGER_REVIEW, "Return to Employee", SELF_REVIEW, MANAGER),
	_t(MANAGER_REVIEW, "Return to Employee", SELF_REVIEW, STAFF, IS_APPRAISER),
	_t(MANAGER_REVIEW, "Finalise", FINAL, MANAGER),
	_t(MANAGER_REVIEW, "Finalise", FINAL, STAFF, IS_APPRAISER),
	_t(FINAL, "Cancel", CANCELLED, MANAGER),
)

FLOW = Flow(
	name="Service Appraisal",
	document_type="Service Appraisal",
	state_field="status",
	states=STATES,
	# roles that may save an appraisal in each state; which person may is the controller's check
	editors={
		DRAFT: EVERYONE,
		SELF_REVIEW: EVERYONE,
		MANAGER_REVIEW: EVERYONE,
		FINAL: MANAGER,
		CANCELLED: MANAGER,
	},
	transitions=TRANSITIONS,
	styles={
		DRAFT: "Info",
		SELF_REVIEW: "Warning",
		MANAGER_REVIEW: "Primary",
		FINAL: "Success",
		CANCELLED: "Danger",
	},
	doc_status={FINAL: 1, CANCELLED: 2},
)

# Which party moves an appraisal from one state to the next (the controller's check; the After-Sales
# Manager may make every move)
MOVERS = {
	(DRAFT, SELF_REVIEW): ("appraiser",),
	(SELF_REVIEW, MANAGER_REVIEW): ("employee", "appraiser"),
	(MANAGER_REVIEW, SELF_REVIEW): ("appraiser",),
	(MANAGER_REVIEW, FINAL): ("appraiser",),
}
# Which party edits which fields, and in which states
PARTY_FIELDS = {
	"employee": (("employee_comments",), (SELF_REVIEW,)),
	"appraiser": (("feedback_to_employee", "improvement_plan"), (DRAFT, SELF_REVIEW, MANAGER_REVIEW)),
}
