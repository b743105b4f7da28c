"""Each order is claimed once and settled once, also when two batches or settlements are submitted
at the same moment: the database refuses the second.

A claim batch row holds `claim_key`, a settlement row `settled_key`, each a column with a UNIQUE
index. The key is empty while the document is a draft, set to the order's name (a reversal line:
the order's name + "/rejected") when it is submitted, and emptied again when it is cancelled. Two
transactions that write the same key cannot both commit: the second waits for the first and then
fails with a duplicate entry, which becomes the document's own error. The keys are taken in the
order of their values, so two submissions never wait on each other crosswise (no deadlock).
"""

import frappe
from frappe import _


def take(doctype: str, column: str, keys: dict[str, str], exc: type[Exception], message: str) -> None:
	"""Write `keys` (row name -> key) into `column` of `doctype`; a key another submitted document
	holds already stops everything with `exc` and `message` (which names the key as {0})."""
	table = frappe.qb.DocType(doctype)
	for row_name, key in sorted(keys.items(), key=lambda item: item[1]):
		try:
			frappe.qb.update(table).set(table[column], key).where(table.name == row_name).run()
		except Exception as e:
			if not frappe.db.is_duplicate_entry(e):
				raise
			frappe.throw(message.format(frappe.bold(key.split("/")[0])), exc=exc, title=_("Already Taken"))


def release(doctype: str, column: str, parent: str) -> None:
	table = frappe.qb.DocType(doctype)
	frappe.qb.update(table).set(table[column], None).where(table.parent == parent).run()


def holders(doctype: str, column: str, keys: list[str]) -> dict[str, str]:
	"""key -> the submitted document that holds it."""
	if not keys:
		return {}
	table = frappe.qb.DocType(doctype)
	rows = frappe.qb.from_(table).select(table[column], table.parent).where(table[column].isin(keys)).run()
	return dict(rows)
