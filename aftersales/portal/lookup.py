"""Order lookup without login: the order number and the last four digits of the phone on the order
show the order's status, nothing else.

- One answer for "no such order" and "wrong digits" (same message, same shape, one query either way),
  so the page cannot tell which order numbers exist.
- Rate-limited twice: per client address with Frappe's rate limiter, and per order number (upper-
  cased, as the database compares names), so four digits cannot be guessed by spreading the tries
  over addresses or by writing the number in other cases."""

import hmac

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cstr

from aftersales.portal.orders import DOCTYPE, customer_status, progress
from aftersales.service.doctype.service_work_order.service_work_order import normalise_phone

LIMIT_PER_ADDRESS = 10
LIMIT_PER_ORDER = 10
WINDOW_SECONDS = 10 * 60


class LookupLimitError(frappe.RateLimitExceededError):
	"""Too many lookups of one order number."""


def order_key(order: str) -> str:
	return frappe.cache.make_key(f"aftersales:lookup:{order}")


def count_order_try(order: str) -> None:
	key = order_key(order)
	if not frappe.cache.get(key):
		frappe.cache.setex(key, WINDOW_SECONDS, 0)
	if frappe.cache.incrby(key, 1) > LIMIT_PER_ORDER:
		frappe.throw(
			_("Too many lookups of this order number. Try again in a few minutes, or log in."),
			exc=LookupLimitError,
			title=_("Too Many Tries"),
		)


def not_found() -> dict:
	return {"found": False, "message": _("No order matches this number and these digits.")}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=LIMIT_PER_ADDRESS, seconds=WINDOW_SECONDS)
def lookup_order(order: str, phone_digits: str) -> dict:
	order = cstr(order).strip().upper()[:40]
	digits = "".join(ch for ch in cstr(phone_digits) if ch.isdigit())
	count_order_try(order or "-")
	row = frappe.db.get_value(DOCTYPE, {"name": order or "-"}, ["name", "status", "phone"], as_dict=True)
	stored = normalise_phone(row.phone if row else "").lstrip("+")[-4:]
	if not row or len(digits) != 4 or len(stored) != 4 or not hmac.compare_digest(stored, digits):
		return not_found()
	steps = progress(frappe.get_doc(DOCTYPE, row.name))
	return {"found": True, "order": row.name, "status": _(customer_status(row.status)), "steps": steps}


def get_context(context) -> None:
	context.no_cache = 1
	context.show_sidebar = frappe.session.user != "Guest"
	context.title = _("Track an Order")
