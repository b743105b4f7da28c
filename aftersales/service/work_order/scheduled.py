"""What the scheduled jobs change on many work orders at once (issue 15): the cost follows the orders
that are due, not the table, and not a full save of each order.

- `load(names)`: the orders with their child tables, locked for the job's transaction, in one query
  per table for all of them (a save reads each order again, one query per table per order).
- `set_flags(names, fieldname)`: what `doc.db_set(fieldname, 1, notify=True)` followed by the
  "Value Change" notifications did for each order, with one UPDATE for all of them.
- `move_status(names, old, new, note)`: a status change made by the app's own code, checked
  against the lifecycle (`work_order_flow`: the transition must exist; one with guards in
  `transitions.GUARDS` goes through a full save instead), leaving what a save leaves: the status
  log row, the KPI facts, `modified`, the Version, the "Save" and "Value Change" notifications,
  webhooks and server scripts, the controller's `on_update` and the DocType's own `doc_events`, the realtime update. Not run:
  the `on_update` hooks for every DocType ("*"), i.e. Frappe's Workflow Actions (none are made for work orders: every state is optional,
  domain/work_order_flow.py) and assignment rules (the app ships none).

Notifications are evaluated by Frappe's own `evaluate_alert` with each Notification taken from
Frappe's document cache (a save loads every Notification of the DocType again for every order).

`INDEXES` serve the jobs' selections; `ensure_indexes` runs after install and migrate (hooks.py).
"""

from contextlib import contextmanager

import frappe
from frappe.core.doctype.version.version import Version, get_diff
from frappe.email.doctype.notification.notification import evaluate_alert, get_context
from frappe.integrations.doctype.webhook import run_webhooks
from frappe.model.document import Document
from frappe.utils import cast, now_datetime

from aftersales.domain import work_order_flow as flow
from aftersales.kpi import summary as kpi_summary
from aftersales.service.work_order.notify import customer_languages

DOCTYPE = "Service Work Order"
LOG_DOCTYPE = "Service Work Order Log"

# Each starts with a column Frappe keeps an index on (`search_index`) or a standard column, so
# migrate leaves it alone (it drops only an index whose first field lost its `search_index`).
INDEXES = {
	DOCTYPE: {
		# open orders not yet flagged, never answered, past their appointment limit
		"job_response_due": ("status", "response_breached", "first_responded_on", "response_by"),
		# open orders not yet flagged delayed, past their resolution time
		"job_resolution_due": ("status", "is_delayed", "sla_resolution_by"),
	},
	"Service Follow-up": {
		# draft follow-ups whose date has come
		"job_follow_up_due": ("docstatus", "scheduled_date"),
	},
	"Customer Complaint": {
		# open complaints below the top tier past their deadline
		"job_complaint_due": ("status", "deadline"),
	},
}


def ensure_indexes() -> list[str]:
	"""Create the jobs' indexes a site lacks (idempotent); returns what changed."""
	changed = []
	for doctype, indexes in INDEXES.items():
		if not frappe.db.table_exists(doctype):
			continue
		for name, columns in indexes.items():
			if not frappe.db.has_index(f"tab{doctype}", name):
				frappe.db.add_index(doctype, list(columns), name)
				changed.append(f"{doctype}: {name}")
	return changed


# ---------------------------------------------------------------- loading


def load(names: list[str], doctype: str = DOCTYPE) -> list[Document]:
	"""The orders (or other documents of `doctype`) named, with every child table, as `frappe.get_doc`
	would make them; their rows are locked (FOR UPDATE) until the job's transaction ends, like a
	save's."""
	if not names:
		return []
	meta = frappe.get_meta(doctype)
	order = frappe.qb.DocType(doctype)
	rows = (
		frappe.qb.from_(order).select("*").where(order.name.isin(names)).orderby(order.name).for_update()
	).run(as_dict=True)
	children: dict[tuple, list] = {}
	for df in meta.get_table_fields():
		table = frappe.qb.DocType(df.options)
		for child in (
			frappe.qb.from_(table)
			.select("*")
			.where(table.parent.isin(names))
			.where(table.parenttype == doctype)
			.where(table.parentfield == df.fieldname)
			.orderby(table.idx)
		).run(as_dict=True):
			children.setdefault((child.parent, df.fieldname), []).append(child)
	docs = []
	for row in rows:
		doc, before = (
			frappe.get_doc(
				{
					"doctype": doctype,
					**row,
					**{
						df.fieldname: [
							{"doctype": df.options, **c} for c in children.get((row.name, df.fieldname), [])
						]
						for df in meta.get_table_fields()
					},
				}
			)
			for _twice in range(2)
		)
		# what a save compares with (`get_doc_before_save`): the same stored values, made twice
		doc._doc_before_save = before
		docs.append(doc)
	return docs


# ---------------------------------------------------------------- notifications


class Notifications:
	"""The enabled Notifications of work orders (or of `doctype`), evaluated as Frappe does; each is
	read from Frappe's document cache (cleared when a Notification is saved), not loaded again for
	every order."""

	def __init__(self, doctype: str = DOCTYPE):
		self.alerts = [
			frappe.get_cached_doc("Notification", name)
			for name in frappe.get_all(
				"Notification", {"enabled": 1, "document_type": doctype}, pluck="name", order_by="name"
			)
		]

	def run(self, doc: Document, event: str) -> None:
		if (
			(frappe.flags.in_import and frappe.flags.mute_emails)
			or frappe.flags.in_patch
			or frappe.flags.in_install
		):
			return
		if doc.flags.notifications_executed is None:
			doc.flags.notifications_executed = []
		context = None
		for alert in self.alerts:
			if alert.event == event and alert.name not in doc.flags.notifications_executed:
				doc.flags.notifications_executed.append(alert.name)
				if event == "Value Change" and self.unchanged(doc, alert.value_changed):
					continue
				if alert.condition:
					# the condition as evaluate_alert tests it first, with one context per order
					# (building it is the costly part); evaluate_alert tests it again when true
					context = context or get_context(doc)
					if not frappe.safe_eval(alert.condition, None, context):
						continue
				evaluate_alert(doc, alert, event)

	@staticmethod
	def unchanged(doc: Document, fieldname: str | None) -> bool:
		"""The value a "Value Change" notification watches did not change: `evaluate_alert` would
		return without sending after building its context and evaluating the condition (the
		costly part, once per notification and order), so that step is skipped, with the same test."""
		before = doc.get_doc_before_save()
		df = fieldname and doc.meta.get_field(fieldname)
		if before is None or not df:
			return False
		return cast(df.fieldtype, doc.get(fieldname)) == cast(df.fieldtype, before.get(fieldname))


@contextmanager
def once_per_job(docs=()):
	"""While a job notifies many documents: each Jinja template (a notification's subject, message,
	recipients' conditions) is compiled once, not for every document (Frappe's `render_template`
	compiles its text on every call), and each role's users, which a notification "to the role"
	reads for every document, are read once. The results are those Frappe's own calls give. Both
	are kept for this job in this thread's `frappe.local` only. The customer mails' language of the
	orders `docs` is read in one query (notify.customer_languages)."""
	from frappe.utils.jinja import get_jenv

	_install_role_users()
	jenv = get_jenv()  # the thread's own Environment (frappe.local.jenv)
	own = "from_string" in vars(jenv)  # a job inside a job: the outer one's cache stays
	compile_template = jenv.from_string
	templates = {}

	def from_string(source, globals=None, template_class=None):
		if globals is not None or template_class is not None or not isinstance(source, str):
			return compile_template(source, globals, template_class)
		if source not in templates:
			templates[source] = compile_template(source)
		return templates[source]

	outer_roles = getattr(frappe.local, "role_users", None)
	if not own:
		jenv.from_string = from_string
	frappe.local.role_users = {} if outer_roles is None else outer_roles
	try:
		with customer_languages(docs):
			yield
	finally:
		frappe.local.role_users = outer_roles
		if not own:
			del jenv.from_string  # the Environment's own method again


def _install_role_users() -> None:
	"""Frappe's Notification reads a role's users with `get_info_based_on_role`, which it imported
	into its module: put in its place one that answers from the job's `frappe.local.role_users`
	while a job runs in this thread and is Frappe's own call otherwise (idempotent)."""
	from frappe.email.doctype.notification import notification as module

	if getattr(module.get_info_based_on_role, "aftersales_job_cache", False):
		return
	frappe_users_of_role = module.get_info_based_on_role

	def get_info_based_on_role(role, field="email", ignore_permissions=False):
		cache = getattr(frappe.local, "role_users", None)
		if cache is None:
			return frappe_users_of_role(role, field, ignore_permissions)
		key = (role, field, ignore_permissions, frappe.session.user)
		if key not in cache:
			cache[key] = frappe_users_of_role(role, field, ignore_permissions)
		return list(cache[key])

	get_info_based_on_role.aftersales_job_cache = True
	module.get_info_based_on_role = get_info_based_on_role


def _after_change(doc: Document, notifications: Notifications, saved: bool) -> None:
	"""What Frappe runs after writing a changed order: notifications ("Save" after a save, then
	"Value Change"), the on_change hooks, webhooks and server scripts, cache and realtime."""
	from frappe.core.doctype.server_script.server_script_utils import run_server_script_for_doc_event

	frappe.clear_document_cache(doc.doctype, doc.name)
	if saved:
		notifications.run(doc, "Save")
		run_webhooks(doc, "on_update")
		run_server_script_for_doc_event(doc, "on_update")
	notifications.run(doc, "Value Change")
	doc.run_method("on_change")  # the rest of on_change: hooks, webhooks, server scripts
	doc.notify_update()


# ---------------------------------------------------------------- flags


def set_flags(names: list[str], fieldname: str, value=1) -> list[str]:
	"""Set a flag on the orders named, as `db_set(fieldname, value, notify=True)` plus the "Value
	Change" notifications did for each (e.g. response_breached tells the dispatchers)."""
	docs = load(list(names))
	if not docs:
		return []
	now, user = now_datetime(), frappe.session.user
	order = frappe.qb.DocType(DOCTYPE)
	(
		frappe.qb.update(order)
		.set(order[fieldname], value)
		.set(order.modified, now)
		.set(order.modified_by, user)
		.where(order.name.isin([doc.name for doc in docs]))
	).run()
	notifications = Notifications()
	with once_per_job(docs), kpi_summary.marks_together():
		for doc in docs:
			doc.update({fieldname: value, "modified": now, "modified_by": user})
			_after_change(doc, notifications, saved=False)
	return [doc.name for doc in docs]


# ---------------------------------------------------------------- status changes


def move_status(names: list[str], old: str, new: str, note: str | None = None) -> list[str]:
	"""Move the orders named from `old` to `new` as the app's own code (the scheduled follow-up
	queue, ...). Orders no longer in `old` are left alone. Returns the orders moved."""
	from aftersales.integrity import server_action
	from aftersales.kpi import facts as kpi_facts
	from aftersales.service.work_order import transitions

	if not names:
		return []
	if not flow.is_allowed(old, new) or old == new:
		frappe.throw(f"{old} -> {new} is not a transition of the work order's lifecycle")
	if transitions.GUARDS.get(new):
		# the transition has conditions of its own: each order goes through its full save
		moved = []
		for doc in load(list(names)):
			if doc.status == old:
				doc.status = new
				doc.flags.status_note = note
				server_action(doc, note or "scheduled")
				doc.save(ignore_permissions=True)
				moved.append(doc.name)
		return moved

	docs = [doc for doc in load(list(names)) if doc.status == old]
	if not docs:
		return []
	now, user = now_datetime(), frappe.session.user
	order = frappe.qb.DocType(DOCTYPE)
	log_rows, versions, fact_updates = [], [], []
	for doc in docs:
		before = doc.get_doc_before_save()
		doc.status = new
		doc.modified, doc.modified_by = now, user
		doc.flags.status_note = note
		transitions.log_status_change(doc)
		log = doc.status_log[-1]
		log.update(
			{
				"name": frappe.generate_hash(length=10),
				"parent": doc.name,
				"parenttype": DOCTYPE,
				"parentfield": "status_log",
				"idx": len(doc.status_log),
				"owner": user,
				"modified_by": user,
				"creation": now,
				"modified": now,
				"docstatus": 0,
			}
		)
		log_rows.append(log)
		kpi_facts.set_facts(doc)
		changed = {
			f: doc.get(f) for f in kpi_facts.FACT_FIELDS if kpi_facts.differs(before.get(f), doc.get(f))
		}
		if changed:
			fact_updates.append((doc.name, changed))
		version = version_row(before, doc, now, user)
		if version:
			versions.append(version)
	moved = [doc.name for doc in docs]
	(
		frappe.qb.update(order)
		.set(order.status, new)
		.set(order.modified, now)
		.set(order.modified_by, user)
		.where(order.name.isin(moved))
		.where(order.status == old)
	).run()
	for name, changed in fact_updates:
		frappe.db.set_value(DOCTYPE, name, changed, update_modified=False)
	_bulk_insert(LOG_DOCTYPE, log_rows)
	_bulk_insert("Version", versions)
	notifications = Notifications()
	own_hooks = [frappe.get_attr(m) for m in frappe.get_doc_hooks().get(DOCTYPE, {}).get("on_update", [])]
	with once_per_job(docs), kpi_summary.marks_together():
		for doc in docs:
			# the order's own effects of a status change: its controller and the app's hooks for it
			doc.on_update()
			for hook in own_hooks:
				hook(doc, "on_update")
			_after_change(doc, notifications, saved=True)
	return moved


def version_row(before: Document, doc: Document, now, user: str) -> dict | None:
	"""The Version row `doc.save()` would insert for the change from `before` (None when the DocType
	tracks no changes or nothing changed), for a bulk insert."""
	if not doc.meta.track_changes:
		return None
	diff = get_diff(before, doc)
	if not diff:
		return None
	Version.set_impersonator(diff)
	return {
		"name": frappe.generate_hash(length=10),
		"ref_doctype": doc.doctype,
		"docname": doc.name,
		"data": frappe.as_json(diff, indent=None, separators=(",", ":")),
		"owner": user,
		"modified_by": user,
		"creation": now,
		"modified": now,
		"docstatus": 0,
	}


def _bulk_insert(doctype: str, rows: list) -> None:
	if not rows:
		return
	rows = [_as_dict(row) for row in rows]
	columns = [c for c in frappe.db.get_table_columns(doctype) if c in rows[0]]
	values = [[row.get(c) for c in columns] for row in rows]
	frappe.db.bulk_insert(doctype, columns, values)


def _as_dict(row) -> dict:
	return row if isinstance(row, dict) else row.as_dict()
