"""The daily KPI summary is right only if every change to what an order or a follow-up counts marks
its days (aftersales/kpi/summary.py). Saves, submits, cancels, deletions and `db_set` reach the
documents' `on_change` / `on_trash` hooks; a write that bypasses the document does not. This lists
every such write in the app, file by file, with why it is safe: a new one (or one more in a file)
fails here until someone has looked at it and updated the list."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "aftersales"

BYPASSING_WRITE = re.compile(
	r"frappe\.db\.set_value\(|frappe\.qb\.update\(|frappe\.db\.delete\("
	r"|\b(?:update|delete\s+from|insert\s+into|replace\s+into)\s+`tab",
	re.IGNORECASE,
)

MARKS = "marks the orders' days (kpi_summary.mark_orders / summary.mark_orders)"
NOT_ORDERS = "writes neither orders nor follow-ups"
BEFORE_SUMMARY = "a patch that ran before the summary existed (a new site marks it done unrun)"

# file -> (writes that bypass a document, why the summary stays right)
REVIEWED = {
	"aftersales/aftersales/doctype/after_sales_settings/after_sales_settings.py": (1, NOT_ORDERS),
	"aftersales/api/help_search.py": (1, NOT_ORDERS),
	"aftersales/benchmarks/generator.py": (
		2,
		"bulk-loads and deletes orders, then drops the summary (forget)",
	),
	"aftersales/complaints/escalation.py": (3, NOT_ORDERS),
	"aftersales/kpi/demo.py": (1, NOT_ORDERS),
	"aftersales/kpi/facts.py": (2, MARKS + ", before and after"),
	"aftersales/kpi/sample.py": (5, MARKS + ", before and after"),
	"aftersales/kpi/summary.py": (3, "the summary's own rows"),
	"aftersales/parts/bulk.py": (2, NOT_ORDERS),
	"aftersales/parts/doctype/stocktake/stocktake.py": (3, NOT_ORDERS),
	"aftersales/parts/supplier_scoring.py": (4, NOT_ORDERS),
	"aftersales/patches/v1_0/follow_up_order_dimensions.py": (1, BEFORE_SUMMARY),
	"aftersales/patches/v1_0/status_log_note_codes.py": (1, BEFORE_SUMMARY),
	"aftersales/patches/v1_0/work_order_contact_from_customer.py": (1, BEFORE_SUMMARY),
	"aftersales/patches/v1_0/work_order_part_issued_on.py": (1, BEFORE_SUMMARY),
	"aftersales/portal/access.py": (1, NOT_ORDERS),
	"aftersales/portal/accounts.py": (1, NOT_ORDERS),
	"aftersales/service/customer_demo.py": (1, NOT_ORDERS),
	"aftersales/service/doctype/service_follow_up/service_follow_up.py": (2, MARKS),
	"aftersales/service/work_order/scheduled.py": (
		3,
		"bulk moves and flags: each order's on_change runs afterwards (_after_change), with the "
		"document before the change",
	),
	"aftersales/settlement/demo.py": (1, NOT_ORDERS),
	"aftersales/settlement/keys.py": (2, NOT_ORDERS),
	"aftersales/setup/demo_portal.py": (1, NOT_ORDERS),
	"aftersales/setup/demo_supply.py": (3, NOT_ORDERS),
	"aftersales/setup/permissions.py": (2, NOT_ORDERS),
	"aftersales/setup/roles.py": (6, NOT_ORDERS),
	"aftersales/setup/workflows.py": (1, NOT_ORDERS),
	"aftersales/staff/certification.py": (2, NOT_ORDERS),
}


def bypassing_writes() -> dict[str, int]:
	found = {}
	for path in sorted(APP.rglob("*.py")):
		if path.name.startswith("test_") or "tests" in path.parts:
			continue
		count = len(BYPASSING_WRITE.findall(path.read_text()))
		if count:
			found[str(path.relative_to(ROOT))] = count
	return found


def test_every_write_that_bypasses_a_document_is_reviewed():
	found = bypassing_writes()
	unreviewed = {path: n for path, n in found.items() if REVIEWED.get(path, (0,))[0] != n}
	assert not unreviewed, (
		"writes that bypass the documents' hooks, not reviewed for the daily KPI summary (does it "
		"change an order's or follow-up's dates, company or counted fields? then mark their days "
		f"with aftersales.kpi.summary.mark_orders, and update REVIEWED): {unreviewed}"
	)
	assert not set(REVIEWED) - set(found), f"reviewed but gone: {set(REVIEWED) - set(found)}"


def test_the_files_said_to_mark_do_mark():
	for path, (_n, reason) in REVIEWED.items():
		if reason.startswith(MARKS):
			assert "mark_orders(" in (ROOT / path).read_text(), path


def test_the_pattern_finds_the_usual_forms():
	for text in (
		'frappe.db.set_value("Service Work Order", name, "x", 1)',
		"frappe.qb.update(order).set(order.status, new)",
		'frappe.db.delete("Service Follow-up", {"name": x})',
		"frappe.db.sql('''UPDATE `tabService Work Order` SET status = %s''')",
		'frappe.db.sql(f"delete from `tab{DOCTYPE}` where name = %s")',
	):
		assert BYPASSING_WRITE.search(text), text
	assert not BYPASSING_WRITE.search('frappe.db.get_value("Service Work Order", name, "x")')
