"""Parts issued on work orders before the lines kept their issue date (issue 15: the Spare Parts
Sales report reads a period's issued lines by `issued_on` instead of every issued line and its
Stock Entry) get it from their issue Stock Entry's posting date, in one UPDATE ... JOIN. Only lines
still without it are written, so running it again changes nothing."""

import frappe


def execute():
	frappe.reload_doc("service", "doctype", "service_work_order_part")
	line = frappe.qb.DocType("Service Work Order Part")
	entry = frappe.qb.DocType("Stock Entry")
	(
		frappe.qb.update(line)
		.join(entry)
		.on(entry.name == line.stock_entry)
		.set(line.issued_on, entry.posting_date)
		.where(line.issued_on.isnull())
		.where(line.parenttype == "Service Work Order")
	).run()
