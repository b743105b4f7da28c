"""An amendment starts from nothing the server owns. The desk's Amend copies every field of the
cancelled document, no-copy ones included (frappe.model.copy_doc with from_amend): its lines,
totals and links to ERPNext documents. The server computes all of them again, so whatever came
with the copy is dropped before the save (`before_insert`, ahead of the integrity check)."""

from aftersales.integrity import FieldRules


def start_afresh(doc, rules: FieldRules) -> None:
	if not doc.amended_from:
		return
	for fieldname in rules.server:
		doc.set(fieldname, None)
	for tablefield, columns in rules.server_columns.items():
		if columns == "*":
			doc.set(tablefield, [])


def refuse_update_after_submit(doc) -> None:
	"""A submitted claim, settlement or statement changes only through the app's own actions
	(`db_set`) or by being cancelled; a save of the submitted document (REST PUT, the desk) is
	refused whatever field it touches."""
	import frappe
	from frappe import _

	frappe.throw(
		_("{0} {1} is submitted: it changes only by being cancelled (and amended).").format(
			_(doc.doctype), frappe.bold(doc.name)
		),
		exc=frappe.UpdateAfterSubmitError,
		title=_("Already Submitted"),
	)
