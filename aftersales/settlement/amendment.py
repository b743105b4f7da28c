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
