"""Portal accounts: who becomes a portal customer, and how (issue 14, item 1).

- *Invite to Portal* on a Customer in the desk (service desk, After-Sales Manager): creates the
  Website User for the primary contact's email (or the one given), or takes the existing one, gives it
  ERPNext's Customer role, adds it to the Customer's Portal Users, links it to the contact and emails
  the invitation with the portal link (and, for a new user, the link to set a password). A staff
  account is never turned into a portal customer.
- *Self sign-up* (After-Sales Settings, off by default): Frappe's own sign-up makes a Website User
  with no role. Before that user sees anything, they prove they are a contact of a Customer: the email
  they signed up with (Frappe's sign-up verified it) matching a Contact's email links them at once;
  otherwise a one-time code goes to a phone number or email address that a Contact of a Customer
  has, and entering it links them. The answer to "send a code" is the same whether the number is on
  file or not, codes expire, and both steps are rate-limited.
"""

import hashlib
import hmac
import secrets

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cstr, escape_html, get_url, validate_email_address

from aftersales.domain import desk_actions
from aftersales.portal.access import (
	CUSTOMER_ROLE,
	HOME,
	PortalInputError,
	portal_customers,
	self_signup_enabled,
)
from aftersales.service.doctype.service_work_order.service_work_order import normalise_phone

INVITERS = desk_actions.roles_for("Customer", "invite_to_portal")  # domain/desk_actions.py
CODE_SECONDS = 15 * 60
CODE_TRIES = 5
CODES_PER_HOUR = 5


class InviteError(frappe.ValidationError):
	"""The customer cannot be invited with this email."""


class SignupDisabledError(frappe.PermissionError):
	"""Self sign-up is switched off in After-Sales Settings."""


class VerificationCodeError(frappe.ValidationError):
	"""The code is wrong, expired or was tried too often."""


# ------------------------------------------------------------------------------------ linking


def link_user(user: str, customer: str, contact: str | None = None) -> None:
	"""Make `user` a portal customer of `customer`: the Customer role, a row in the Customer's Portal
	Users, and the contact's user when the contact has none."""
	doc = frappe.get_doc("User", user)
	if CUSTOMER_ROLE not in {r.role for r in doc.roles}:
		doc.flags.ignore_permissions = True
		doc.add_roles(CUSTOMER_ROLE)
	customer_doc = frappe.get_doc("Customer", customer)
	if user not in {row.user for row in customer_doc.get("portal_users", [])}:
		customer_doc.append("portal_users", {"user": user})
		customer_doc.flags.ignore_permissions = True
		customer_doc.save()
	if contact and not frappe.db.get_value("Contact", contact, "user"):
		frappe.db.set_value("Contact", contact, "user", user)
	frappe.cache.hdel("home_page", user)
	frappe.cache.hdel("portal_menu_items", user)


def customer_contacts(customer: str) -> list[dict]:
	link = frappe.qb.DocType("Dynamic Link")
	contact = frappe.qb.DocType("Contact")
	return (
		frappe.qb.from_(contact)
		.join(link)
		.on((link.parent == contact.name) & (link.parenttype == "Contact"))
		.select(contact.name, contact.email_id, contact.first_name, contact.last_name)
		.where(link.link_doctype == "Customer")
		.where(link.link_name == customer)
	).run(as_dict=True)


# ------------------------------------------------------------------------------------ invitation


@frappe.whitelist(methods=["POST"])
def invite_to_portal(customer: str, email: str | None = None) -> dict:
	"""Invite a Customer's contact to the portal (the Customer form's *Invite to Portal*)."""
	if not set(frappe.get_roles()) & set(INVITERS):
		frappe.throw(
			_("Only the service desk or an After-Sales Manager invites customers to the portal."),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)
	frappe.has_permission("Customer", "read", customer, throw=True)
	contacts = customer_contacts(customer)
	primary = frappe.db.get_value("Customer", customer, "customer_primary_contact")
	contact = next((c for c in contacts if c.name == primary and c.email_id), None) or next(
		(c for c in contacts if c.email_id), None
	)
	email = cstr(email).strip().lower() or (contact.email_id.lower() if contact else "")
	if not email:
		frappe.throw(
			_("The customer's contact has no email address: add one, or type the email to invite."),
			exc=InviteError,
			title=_("Email Needed"),
		)
	if not validate_email_address(email):
		frappe.throw(_("{0} is not a valid email address.").format(frappe.bold(email)), exc=InviteError)
	contact = next((c for c in contacts if (c.email_id or "").lower() == email), contact)
	user = frappe.db.get_value("User", {"name": email}, ["name", "user_type", "enabled"], as_dict=True)
	created = False
	if user and user.user_type == "System User":
		frappe.throw(
			_("{0} belongs to a staff account; invite the customer with another email address.").format(
				frappe.bold(email)
			),
			exc=InviteError,
			title=_("Staff Account"),
		)
	if not user:
		first = (contact and contact.first_name) or frappe.db.get_value("Customer", customer, "customer_name")
		new = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first,
				"last_name": contact.last_name if contact else None,
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		)
		new.flags.ignore_permissions = True
		new.insert()
		created = True
	elif not user.enabled:
		frappe.throw(_("The user {0} is disabled.").format(frappe.bold(email)), exc=InviteError)
	link_user(
		email, customer, contact.name if contact and (contact.email_id or "").lower() == email else None
	)
	send_invitation(email, customer, created)
	return {"user": email, "created": created}


def send_invitation(user: str, customer: str, created: bool) -> None:
	portal = get_url("/" + HOME)
	password = frappe.get_doc("User", user).reset_password(send_email=False) if created else get_url("/login")
	name = escape_html(frappe.db.get_value("Customer", customer, "customer_name") or customer)
	message = (
		f"<p>您好，{name}：欢迎使用售后服务门户。您可以在线申请维修、查看工单进度、申请退换货、提交投诉和评价服务。</p>"
		f'<p>{"设置密码" if created else "登录"}：<a href="{password}">{password}</a><br>门户：<a href="{portal}">{portal}</a></p>'
		f"<p>Dear {name}, welcome to our after-sales service portal: request a repair, follow your orders, "
		"ask for a return or exchange, file a complaint and rate our service online.</p>"
		f'<p>{"Set your password" if created else "Log in"}: <a href="{password}">{password}</a><br>'
		f'Portal: <a href="{portal}">{portal}</a></p>'
	)
	frappe.sendmail(
		recipients=[user],
		subject="售后服务门户邀请 / Your after-sales service portal",
		message=message,
		reference_doctype="Customer",
		reference_name=customer,
	)


# ------------------------------------------------------------------------------------ self sign-up


def sync_website_signup(doc, method=None) -> None:
	"""doc_events After-Sales Settings on_update: the portal's self sign-up switch opens or closes
	Frappe's own sign-up form."""
	before = doc.get_doc_before_save()
	if before and bool(before.get("portal_self_signup")) == bool(doc.get("portal_self_signup")):
		return
	frappe.db.set_single_value(
		"Website Settings", "disable_signup", 0 if doc.get("portal_self_signup") else 1
	)


def contacts_matching(value: str) -> list[dict]:
	"""Contacts linked to a Customer whose email address or phone number is `value`."""
	value = cstr(value).strip()
	contact_link = frappe.qb.DocType("Dynamic Link")
	found = []
	if "@" in value:
		email = frappe.qb.DocType("Contact Email")
		rows = (
			frappe.qb.from_(email)
			.join(contact_link)
			.on((contact_link.parent == email.parent) & (contact_link.parenttype == "Contact"))
			.select(email.parent.as_("contact"), contact_link.link_name.as_("customer"))
			.where(email.email_id == value.lower())
			.where(contact_link.link_doctype == "Customer")
		).run(as_dict=True)
		found = [dict(r, channel="email", address=value.lower()) for r in rows]
	else:
		digits = normalise_phone(value).lstrip("+")
		if len(digits) < 6:
			return []
		phone = frappe.qb.DocType("Contact Phone")
		rows = (
			frappe.qb.from_(phone)
			.join(contact_link)
			.on((contact_link.parent == phone.parent) & (contact_link.parenttype == "Contact"))
			.select(phone.parent.as_("contact"), phone.phone, contact_link.link_name.as_("customer"))
			.where(phone.phone.like(f"%{digits[-6:]}%"))
			.where(contact_link.link_doctype == "Customer")
		).run(as_dict=True)
		found = [
			dict(r, channel="sms", address=r.phone)
			for r in rows
			if normalise_phone(r.phone).lstrip("+") == digits
		]
	return found


def code_key(user: str) -> str:
	return f"aftersales:portal-verify:{user}"


def code_hash(code: str, user: str) -> str:
	return hashlib.sha256(f"{user}:{code}".encode()).hexdigest()


def require_signup_user() -> str:
	user = frappe.session.user
	if user == "Guest":
		frappe.throw(_("Log in to use the service portal."), exc=frappe.PermissionError)
	if frappe.get_cached_value("User", user, "user_type") != "Website User":
		frappe.throw(_("Staff accounts do not use the service portal."), exc=frappe.PermissionError)
	if not self_signup_enabled():
		frappe.throw(
			_("Ask the service desk to invite you to the portal."),
			exc=SignupDisabledError,
			title=_("Not Linked"),
		)
	return user


@frappe.whitelist(methods=["POST"])
def link_by_login_email() -> dict:
	"""Link the signed-up user to the Customer whose contact has the email they signed up with."""
	user = require_signup_user()
	matches = contacts_matching(frappe.db.get_value("User", user, "email") or "")
	if not matches:
		return {"linked": False}
	for match in matches:
		link_user(user, match["customer"], match["contact"])
	return {"linked": True, "url": "/" + HOME}


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=5, seconds=60 * 60)
def send_verification_code(phone_or_email: str) -> dict:
	"""Send a one-time code to a phone number or email address that a Customer's contact has. The
	answer is the same whether it is on file or not."""
	user = require_signup_user()
	count_code_request(user)
	value = cstr(phone_or_email).strip()[:140]
	matches = contacts_matching(value)
	answer = {
		"sent": True,
		"message": _(
			"If this phone number or email address is on file for a customer, a code is on its way. It is valid for 15 minutes."
		),
	}
	frappe.cache.delete_value(code_key(user))
	if not matches:
		return answer
	code = f"{secrets.randbelow(10**6):06d}"
	frappe.cache.set_value(
		code_key(user),
		{
			"hash": code_hash(code, user),
			"tries": 0,
			"links": [(m["customer"], m["contact"]) for m in matches],
		},
		expires_in_sec=CODE_SECONDS,
	)
	text = _("Your service portal verification code is {0}. It is valid for 15 minutes.").format(code)
	match = matches[0]
	if match["channel"] == "email":
		frappe.sendmail(
			recipients=[match["address"]], subject=_("Service portal verification code"), message=text
		)
	else:
		send_code_by_sms(match["address"], text)
	return answer


def count_code_request(user: str) -> None:
	"""Codes per account, whatever address the requests come from (Frappe's limit is per address, and
	each new code brings new tries)."""
	key = frappe.cache.make_key(f"aftersales:portal-verify-requests:{user}")
	if not frappe.cache.get(key):
		frappe.cache.setex(key, 60 * 60, 0)
	if frappe.cache.incrby(key, 1) > CODES_PER_HOUR:
		frappe.throw(
			_("Too many codes asked for. Try again in an hour, or ask the service desk to invite you."),
			exc=VerificationCodeError,
			title=_("Too Many Tries"),
		)


def send_code_by_sms(phone: str, text: str) -> None:
	if not frappe.db.get_single_value("SMS Settings", "sms_gateway_url"):
		return  # no gateway: nothing can reach the phone (the answer does not say so)
	from frappe.core.doctype.sms_settings.sms_settings import send_sms

	frappe.enqueue(send_sms, receiver_list=[phone], msg=text, success_msg=False, enqueue_after_commit=True)


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=10, seconds=60 * 60)
def confirm_verification_code(code: str) -> dict:
	user = require_signup_user()
	state = frappe.cache.get_value(code_key(user), expires=True)  # kept with an expiry, in Redis only
	code = "".join(ch for ch in cstr(code) if ch.isdigit())
	if not state or state.get("tries", 0) >= CODE_TRIES:
		frappe.cache.delete_value(code_key(user))
		frappe.throw(
			_("The code has expired or was tried too often. Ask for a new one."),
			exc=VerificationCodeError,
			title=_("Code Expired"),
		)
	if not hmac.compare_digest(state["hash"], code_hash(code, user)):
		state["tries"] = state.get("tries", 0) + 1
		frappe.cache.set_value(code_key(user), state, expires_in_sec=CODE_SECONDS)
		frappe.throw(_("The code is not right."), exc=VerificationCodeError, title=_("Wrong Code"))
	frappe.cache.delete_value(code_key(user))
	for customer, contact in state["links"]:
		link_user(user, customer, contact)
	return {"linked": True, "url": "/" + HOME}


def get_verify_context(context) -> None:
	user = frappe.session.user
	if user == "Guest":
		from aftersales.portal.access import redirect

		redirect("/login?redirect-to=/portal-verify")
	if portal_customers(user):
		from aftersales.portal.access import redirect

		redirect("/" + HOME)
	context.no_cache = 1
	context.show_sidebar = False
	context.title = _("Link Your Account")
	context.signup_enabled = self_signup_enabled() and (
		frappe.get_cached_value("User", user, "user_type") == "Website User"
	)
	context.email_matches = bool(
		context.signup_enabled and contacts_matching(frappe.db.get_value("User", user, "email") or "")
	)


def validate_choice(value, choices, message):
	if value not in choices:
		frappe.throw(message, exc=PortalInputError)
