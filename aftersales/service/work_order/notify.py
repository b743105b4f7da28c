"""What the customer notifications of a work order need besides the order (WO-7).

Frappe's Notification has no recipient language; the app's mails are Chinese first with the English
below. A customer whose ERPNext *Print Language* is Chinese gets the Chinese text alone. (Every
customer made on an English site carries "en" as that language by default, so English alone is not
inferred from it.) Each mail's `get_context` (aftersales/service/notification/*/*.py) calls this."""

import frappe


def customer_language(doc) -> str:
	"""'zh' when the order's customer reads Chinese (Customer.language zh, zh-TW, ...), else ''."""
	customer = doc.get("customer") if doc else None
	if not customer:
		return ""
	# the one column, remembered for the request: the whole Customer (get_cached_value) is eight
	# queries for each customer not yet cached, and a job notifying many orders meets many customers
	language = frappe.db.get_value("Customer", customer, "language", cache=True) or ""
	return "zh" if language.lower().startswith("zh") else ""


def mail_context(context) -> dict:
	return {"customer_lang": customer_language(context.get("doc"))}
