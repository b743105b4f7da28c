"""Who the portal serves, and the one way every portal page and endpoint reaches a record.

A portal customer is ERPNext's: a User holding the Customer role who is one of the Portal Users of
a Customer (`aftersales.permissions.customers_of`, the same query as ERPNext's
`website_list_for_contact.get_parents_for_user`). Every page and endpoint of the portal starts with
`require_customer` and reads records only through `own_record` (or lists through `frappe.get_list`,
which applies the record rules of hooks.permission_query_conditions): a record of another customer
and a record that does not exist get the same refusal, so names cannot be probed.

`has_website_permission` (hooks) answers Frappe's own portal checks (print view, PDF, web forms) for
the app's DocTypes: only for portal customers, only their own records. ERPNext's generic version is
not used for them: for a desk user without the Customer role it would allow the records of the first
customers that user may list.
"""

from contextlib import contextmanager
from urllib.parse import quote

import frappe
from frappe import _

from aftersales.permissions import customers_of

CUSTOMER_ROLE = "Customer"
# the app's DocTypes the portal shows (each has record rules for customers and this hook)
PORTAL_DOCTYPES = ("Service Work Order", "Customer Complaint", "Return Request", "Service Follow-up")
LANGUAGES = ("en", "zh")
HOME = "service-orders"
VERIFY = "portal-verify"


class NotAPortalCustomerError(frappe.PermissionError):
	"""A logged-in user who is not (yet) a portal user of any Customer."""


class PortalRecordNotFoundError(frappe.PermissionError):
	"""A record that does not exist or belongs to another customer: one answer for both."""


class PortalInputError(frappe.ValidationError):
	"""A portal form sent a value it may not (wrong choice, another customer's product, bad photo)."""


def portal_customers(user: str | None = None) -> list[str]:
	"""Customers `user` is a portal user of; none for guests and users without the Customer role."""
	user = user or frappe.session.user
	if user in ("Guest", "Administrator") or CUSTOMER_ROLE not in frappe.get_roles(user):
		return []
	return customers_of(user)


def redirect(location: str):
	frappe.local.flags.redirect_location = location
	raise frappe.Redirect(302)


def require_customer(page: bool = False) -> list[str]:
	"""The session user's customers. A page sends a guest to the login and a user who is not linked
	to a customer yet to the verification page; an endpoint refuses both."""
	user = frappe.session.user
	if user == "Guest":
		if page:
			target = frappe.request.full_path.rstrip("?") if frappe.request else "/"
			redirect("/login?redirect-to=" + quote(target, safe=""))
		frappe.throw(
			_("Log in to use the service portal."), exc=frappe.PermissionError, title=_("Login Required")
		)
	customers = portal_customers(user)
	if not customers:
		if page:
			redirect("/" + VERIFY)
		frappe.throw(
			_("Your account is not linked to a customer yet."),
			exc=NotAPortalCustomerError,
			title=_("Not Linked"),
		)
	return customers


def own_record(doctype: str, name, customers: list[str] | None = None, for_update: bool = False):
	"""`doctype` `name` when it belongs to one of the session user's customers; otherwise the same
	refusal whether it exists or not."""
	customers = customers if customers is not None else require_customer()
	customer = None
	if isinstance(name, str) and name and len(name) <= 140:
		customer = frappe.db.get_value(doctype, name, "customer", for_update=for_update)
	if not customer or customer not in customers:
		frappe.throw(
			_("{0} {1} is not one of your records.").format(_(doctype), frappe.bold(str(name)[:140])),
			exc=PortalRecordNotFoundError,
			title=_("Not Found"),
		)
	return frappe.get_doc(doctype, name)


@contextmanager
def as_system():
	"""Run a status change the portal makes for a customer as the system (Administrator): Frappe's
	Workflow lets a user make only the transitions of their own roles, and the customer holds none of
	an order's or a complaint's. The caller has checked that the record is the customer's and sets
	only the fields it computed itself; it names the customer in the record (consent by, the
	customer's answer, the follow-up's respondent, a note). Yields the customer's user."""
	user = frappe.session.user
	frappe.set_user("Administrator")
	try:
		yield user
	finally:
		frappe.set_user(user)


def has_website_permission(doc, ptype: str = "read", user: str | None = None, verbose: bool = False) -> bool:
	"""hooks.has_website_permission: a portal customer reads and prints their own records only."""
	if ptype not in ("read", "print"):
		return False
	customer = doc.get("customer")
	return bool(customer) and customer in portal_customers(user)


def home_page(user: str) -> str | None:
	"""hooks.get_website_user_home_page: after login a portal customer lands on their service orders,
	a user who still has to prove who they are on the verification page; other website users
	(suppliers, ERPNext's shop) keep their usual home."""
	if portal_customers(user):
		return HOME
	roles = set(frappe.get_roles(user)) - {"All", "Guest"}
	if CUSTOMER_ROLE in roles or (not roles and self_signup_enabled()):
		return VERIFY
	return None


def self_signup_enabled() -> bool:
	return bool(frappe.db.get_single_value("After-Sales Settings", "portal_self_signup"))


@frappe.whitelist(methods=["POST"])
def set_language(lang: str) -> str:
	"""The portal's 中文 / English switch for a logged-in user (guests use Frappe's cookie)."""
	if lang not in LANGUAGES:
		frappe.throw(_("Choose Chinese or English."), exc=PortalInputError)
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to use the service portal."), exc=frappe.PermissionError)
	frappe.db.set_value("User", frappe.session.user, "language", lang)
	frappe.clear_cache(user=frappe.session.user)
	return lang
