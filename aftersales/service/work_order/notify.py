"""What the customer notifications of a work order need besides the order (WO-7).

Frappe's Notification has no recipient language; the app's mails are Chinese first with the English
below. A customer whose ERPNext *Print Language* is Chinese gets the Chinese text alone. (Every
customer made on an English site carries "en" as that language by default, so English alone is not
inferred from it.) Each mail's `get_context` (aftersales/service/notification/*/*.py) calls this."""

from contextlib import contextmanager

import frappe


def customer_language(doc) -> str:
	"""'zh' when the order's customer reads Chinese (Customer.language zh, zh-TW, ...), else ''."""
	customer = doc.get("customer") if doc else None
	if not customer:
		return ""
	known = getattr(frappe.local, "customer_languages", None)
	if known is not None and customer in known:
		language = known[customer]
	else:
		language = frappe.get_cached_value("Customer", customer, "language")
	language = language or ""
	return "zh" if language.lower().startswith("zh") else ""


@contextmanager
def customer_languages(docs):
	"""While a job notifies the orders `docs`: their customers' languages read in one query (the
	cached Customer is the whole document, eight queries for each customer not yet cached, and a job
	notifying many orders meets many customers)."""
	customers = list({doc.get("customer") for doc in docs if doc.get("customer")})
	table = frappe.qb.DocType("Customer")
	known = (
		dict(
			frappe.qb.from_(table).select(table.name, table.language).where(table.name.isin(customers)).run()
		)
		if customers
		else {}
	)
	frappe.local.customer_languages = known
	try:
		yield
	finally:
		frappe.local.customer_languages = None


def mail_context(context) -> dict:
	return {"customer_lang": customer_language(context.get("doc"))}
