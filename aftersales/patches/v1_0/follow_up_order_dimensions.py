"""Service Follow-ups made before they stored their order's dimensions (issue 15: the KPI reads
them without joining every follow-up to its order) get them now from the order, in one
UPDATE ... JOIN. Only rows that differ are written (`<=>`: NULL-safe), so running it again changes
nothing; follow-ups of no work order (a Follow-up Plan's, of a purchase) are left empty."""

import frappe

from aftersales.service.doctype.service_follow_up.service_follow_up import ORDER_DIMENSIONS


def execute():
	frappe.reload_doc("service", "doctype", "service_follow_up")
	assignments = ", ".join(f"f.`{field}` = o.`{source}`" for field, source in ORDER_DIMENSIONS.items())
	differs = " or ".join(f"not (f.`{field}` <=> o.`{source}`)" for field, source in ORDER_DIMENSIONS.items())
	frappe.db.sql(
		f"""update `tabService Follow-up` f
		join `tabService Work Order` o on o.name = f.service_work_order
		set {assignments}
		where {differs}"""
	)
