"""Frappe's new-document template without a query to ask whether the DocType is a Single (issue 15,
intake speed).

Each request, the first new document of a DocType and of each of its child tables gets a template
of defaults (`frappe.model.create_new.make_new_doc`), and Frappe 15 asks the database whether the
DocType is a Single for each (`frappe.model.meta.is_single`: an uncached query). A Service Work
Order's insert makes six (the order, its four child tables, even empty ones, and one after
saving), an Issue's two.

`is_single` here reads the flag from the DocType's metadata, already loaded for the document being
made (Frappe's own save path reads `meta.issingle` the same way; the metadata is cleared whenever
the DocType changes). A DocType without metadata goes to Frappe's query as before.
"""

import frappe

_frappe_is_single = None


def is_single(doctype: str):
	try:
		meta = frappe.get_meta(doctype)
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		return _frappe_is_single(doctype)
	return meta.issingle


def install() -> None:
	"""Put `is_single` in place of Frappe's (idempotent): its callers look it up on the module."""
	global _frappe_is_single
	from frappe.model import meta

	if meta.is_single is is_single:
		return
	_frappe_is_single = meta.is_single
	meta.is_single = is_single
