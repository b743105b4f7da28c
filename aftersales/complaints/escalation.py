"""Escalation of overdue complaints (CP-7): a complaint whose answer deadline passed moves up a
tier (desk -> technical lead -> management), is reassigned to that tier's person from the
settings, gets a new deadline and notifies; each step is logged on the complaint. The query reads
open complaints past their deadline only (status and deadline are indexed), so the job's cost
follows the open workload, not the archive.

The due complaints are escalated together (issue 15), leaving what `doc.save()` of each left
(aftersales/service/work_order/scheduled.py does the same for work orders):

- loaded in one query per table and locked (`scheduled.load`), checked again under the lock;
- what the controller's `validate` fills on a save (contact details, the measures' done dates);
- one UPDATE for the tier, owner, deadline and `modified` of all, the child rows' `modified` as a
  save stamps them, the escalation log rows and the Versions inserted in bulk;
- then, for each complaint, what Frappe runs after writing a saved document: the "Save"
  notifications, the controller's `on_update` (the new owner's assignment: ToDo, its notification
  and the assignment comment) with every `on_update` hook (Frappe's workflow actions, assignment
  rules, ...), webhooks and server scripts, the cache, the realtime update, the "Value Change"
  notifications and `on_change`.

It runs as the scheduler, so no permission is checked (the save was `ignore_permissions` too).
"""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.utils import format_datetime, get_datetime, now_datetime
from frappe.utils.global_search import update_global_search

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.complaints.doctype.customer_complaint.customer_complaint import SEVERITY_HOURS, owner_for_tier
from aftersales.domain import complaint_flow as flow
from aftersales.integrity import server_action
from aftersales.service.work_order import scheduled

DOCTYPE = "Customer Complaint"
ESCALATION_DOCTYPE = "Customer Complaint Escalation"
# what the controller's validate may fill on a save of a stored complaint (set_contact_details)
FILLED_ON_SAVE = ("phone", "email")
WORKFLOW_ACTIONS = "frappe.workflow.doctype.workflow_action.workflow_action.process_workflow_actions"


def escalate_overdue(now=None) -> list[str]:
	"""Scheduled: escalate every open complaint past its deadline one tier. Returns those escalated."""
	now = get_datetime(now or now_datetime())
	complaint = frappe.qb.DocType(DOCTYPE)
	overdue = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where(complaint.status.isin(flow.OPEN_STATES))
		.where(complaint.deadline < now)
		.where(complaint.tier != flow.MANAGEMENT)
	).run(pluck=True)
	return escalate(overdue, now)


def is_due(doc, now) -> bool:
	return (
		doc.status in flow.OPEN_STATES
		and flow.next_tier(doc.tier) is not None
		and flow.is_overdue(get_datetime(doc.deadline) if doc.deadline else None, now)
	)


def escalate(names: list[str], now) -> list[str]:
	"""Escalate the complaints named one tier, as a save of each did; those no longer due once locked
	(answered, closed or escalated meanwhile) are left alone."""
	docs = [doc for doc in scheduled.load(list(names), DOCTYPE) if is_due(doc, now)]
	if not docs:
		return []
	settings = get_settings()
	stamp, user = now_datetime(), frappe.session.user
	rows, versions, measures = [], [], []
	for doc in docs:
		before = doc.get_doc_before_save()
		from_tier, missed = doc.tier, doc.deadline
		doc.tier = flow.next_tier(from_tier)
		doc.owner_user = owner_for_tier(doc.tier) or doc.owner_user
		doc.deadline = flow.deadline(now, settings.get(SEVERITY_HOURS[doc.severity]) or 48)
		row = doc.append(
			"escalations",
			{
				"escalated_on": stamp,
				"from_tier": from_tier,
				"to_tier": doc.tier,
				"assigned_to": doc.owner_user,
				"reason": _("Not answered by {0}").format(format_datetime(missed)),
			},
		)
		# a new child row as a save writes it: the saving user, the parent's creation
		row.update({"name": frappe.generate_hash(length=10), "owner": user, "creation": doc.creation})
		rows.append(row)
		server_action(doc, "escalation")
		doc.flags.ignore_permissions = True
		# what validate fills on a save of a stored complaint
		doc.set_contact_details()
		doc.stamp_measures()
		measures += [
			(m.name, m.done_on)
			for m, old in zip(doc.measures, before.measures, strict=True)
			if m.done_on != old.done_on
		]
		# a save stamps the document and every child row
		doc.modified, doc.modified_by = stamp, user
		for child in doc.get_all_children():
			child.modified, child.modified_by = stamp, user
		version = scheduled.version_row(before, doc, stamp, user)
		if version:
			versions.append(version)
	_write(docs, stamp, user)
	for name, done_on in measures:
		frappe.db.set_value("Customer Complaint Measure", name, "done_on", done_on, update_modified=False)
	scheduled._bulk_insert(ESCALATION_DOCTYPE, rows)
	scheduled._bulk_insert("Version", versions)
	with scheduled.once_per_job():
		_after_save(docs)
	return [doc.name for doc in docs]


def _write(docs, stamp, user) -> None:
	complaint = frappe.qb.DocType(DOCTYPE)
	names = [doc.name for doc in docs]
	update = frappe.qb.update(complaint)
	for fieldname in ("tier", "owner_user", "deadline", *FILLED_ON_SAVE):
		case = Case()
		for doc in docs:
			case = case.when(complaint.name == doc.name, doc.get(fieldname))
		update = update.set(complaint[fieldname], case)
	update.set(complaint.modified, stamp).set(complaint.modified_by, user).where(
		complaint.name.isin(names)
	).run()
	for df in frappe.get_meta(DOCTYPE).get_table_fields():
		table = frappe.qb.DocType(df.options)
		(
			frappe.qb.update(table)
			.set(table.modified, stamp)
			.set(table.modified_by, user)
			.where(table.parent.isin(names))
			.where(table.parenttype == DOCTYPE)
			.where(table.parentfield == df.fieldname)
		).run()


def _after_save(docs) -> None:
	"""What Frappe's save runs after writing each complaint (Document.run_post_save_methods)."""
	from frappe.core.doctype.server_script.server_script_utils import run_server_script_for_doc_event
	from frappe.desk.form.document_follow import follow_document
	from frappe.integrations.doctype.webhook import run_webhooks

	notifications = scheduled.Notifications(DOCTYPE)
	on_update = _on_update_hooks(docs)
	follow = not frappe.flags.in_migrate and frappe.get_cached_value(
		"User", frappe.session.user, "follow_created_documents"
	)
	for doc in docs:
		# run_method("on_update"): the controller (the new owner's assignment), then the doc_events
		# of the DocType and of every DocType, the "Save" notifications, webhooks, server scripts
		doc.on_update()
		for hook in on_update:
			hook(doc, "on_update")
		notifications.run(doc, "Save")
		run_webhooks(doc, "on_update")
		run_server_script_for_doc_event(doc, "on_update")
		frappe.clear_document_cache(DOCTYPE, doc.name)
		doc.notify_update()
		update_global_search(doc)
		if follow:
			follow_document(DOCTYPE, doc.name, frappe.session.user)
		# the Notifications run here are marked executed, so run_method does not evaluate them again
		notifications.run(doc, "Value Change")
		doc.run_method("on_change")


def _on_update_hooks(docs) -> list:
	"""The `on_update` doc_events of complaints and of every DocType, in Frappe's order. Frappe's
	workflow-action hook first asks, for each document, whether a Workflow Action for its state exists
	and returns if so: that is asked here once for all, and the hook runs for the others only."""
	events = frappe.get_doc_hooks()
	handlers = events.get(DOCTYPE, {}).get("on_update", []) + events.get("*", {}).get("on_update", [])
	hooks = []
	for handler in handlers:
		hook = frappe.get_attr(handler)
		if handler == WORKFLOW_ACTIONS:
			hook = _unless_action_exists(hook, docs)
		hooks.append(hook)
	return hooks


def _unless_action_exists(hook, docs):
	from frappe.model.workflow import get_workflow_name
	from frappe.workflow.doctype.workflow_action.workflow_action import get_doc_workflow_state

	if not get_workflow_name(DOCTYPE):
		return hook
	action = frappe.qb.DocType("Workflow Action")
	existing = set(
		frappe.qb.from_(action)
		.select(action.reference_name, action.workflow_state)
		.where(action.reference_doctype == DOCTYPE)
		.where(action.reference_name.isin([doc.name for doc in docs]))
		.run()
	)

	def run(doc, method):
		if (doc.name, get_doc_workflow_state(doc)) not in existing:
			hook(doc, method)

	return run
