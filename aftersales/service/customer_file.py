"""The customer file (FV-5).

- On the Customer (custom fields, aftersales/setup/custom_fields.py): its Customer Class (the site's
  own classes, e.g. "A Existing Customer" and "B Prospect"), birthday, preferred contact channel and
  time, and the Do Not Contact opt-out.
- `get_customer_360`: what the service team knows of a customer, for the panel on the work order
  (aftersales/public/js/customer_360.js): products with their warranty, earlier orders, complaints,
  returns and follow-up scores. Each list is read with the caller's own permissions (record rules
  included), so a technician sees the orders of their service point only, and a section the caller
  may not read at all is left out; portal customers (website users) and users who may not read the
  Customer are refused.
- Care messages: each enabled Customer Care Message is sent daily (hooks.py) by email and/or SMS
  (ERPNext's SMS Settings) to the customers whose birthday is today, or to every customer on a
  holiday of its Holiday List, never to a customer marked Do Not Contact, and once: the Customer Care
  Log keeps what was sent (its key is unique).
"""

import calendar
import hashlib

import frappe
from frappe import _
from frappe.query_builder.functions import Extract
from frappe.utils import escape_html, getdate, nowdate
from pypika.enums import DatePart

from aftersales.portal.permissions import is_customer_only
from aftersales.service.warranty import get_warranty_decision

LIMIT = 20  # rows per section of the panel
MESSAGE = "Customer Care Message"
LOG = "Customer Care Log"


class CustomerFileAccessError(frappe.PermissionError):
	"""The caller may not read this customer's file."""


# ---------------------------------------------------------------- Customer 360


@frappe.whitelist()
def get_customer_360(customer: str) -> dict:
	user = frappe.session.user
	desk_user = frappe.get_cached_value("User", user, "user_type") == "System User"
	if is_customer_only(user) or not desk_user:
		frappe.throw(
			_("Only desk users read a customer's file."),
			exc=CustomerFileAccessError,
			title=_("Not Permitted"),
		)
	if not frappe.db.exists("Customer", customer) or not frappe.has_permission("Customer", "read", customer):
		frappe.throw(
			_("You may not read customer {0}.").format(frappe.bold(customer)),
			exc=CustomerFileAccessError,
			title=_("Not Permitted"),
		)
	info = frappe.db.get_value(
		"Customer",
		customer,
		[
			"name",
			"customer_name",
			"customer_group",
			"mobile_no",
			"email_id",
			"aftersales_customer_class as customer_class",
			"aftersales_contact_channel as contact_channel",
			"aftersales_preferred_time as preferred_time",
			"aftersales_do_not_contact as do_not_contact",
		],
		as_dict=True,
	)
	orders = readable(
		"Service Work Order",
		{"customer": customer},
		[
			"name",
			"status",
			"order_type",
			"received_on",
			"item_code",
			"item_name",
			"serial_no",
			"purchase_date",
			"warranty_status",
			"follow_up_outcome",
		],
		"received_on desc",
	)
	return {
		"customer": info,
		"products": products(customer, orders or []),
		"orders": orders,
		"complaints": readable(
			"Customer Complaint",
			{"customer": customer},
			["name", "subject", "status", "severity", "received_at"],
			"received_at desc",
		),
		"returns": readable(
			"Return Request",
			{"customer": customer},
			["name", "kind", "ground", "status", "request_date"],
			"request_date desc",
		),
		"follow_ups": readable(
			"Service Follow-up",
			{"customer": customer, "docstatus": 1},
			[
				"name",
				"followed_up_on",
				"outcome",
				"repair_quality",
				"attitude",
				"duration",
				"total_score",
				"follow_up_plan",
				"service_work_order",
			],
			"followed_up_on desc",
		),
	}


def readable(doctype: str, filters: dict, fields: list[str], order_by: str) -> list[dict] | None:
	"""The rows the caller may read (their role's permission and the app's record rules), or None
	when they may not read the DocType at all (the panel leaves the section out)."""
	if not frappe.has_permission(doctype, "read"):
		return None
	return frappe.get_list(
		doctype, filters=filters, fields=fields, order_by=order_by, limit_page_length=LIMIT
	)


def products(customer: str, orders: list[dict]) -> list[dict]:
	"""What the customer bought (Delivery Notes the caller may read) and what their readable orders
	were about, each product or serial number once, with its warranty as of today."""
	seen, result = set(), []

	def add(item_code, item_name, serial_no, purchase_date, source):
		key = (item_code, serial_no or "")
		if not item_code or key in seen or len(result) >= LIMIT:
			return
		seen.add(key)
		result.append(
			dict(
				item_code=item_code,
				item_name=item_name,
				serial_no=serial_no,
				purchase_date=purchase_date,
				source=source,
				**warranty(item_code, serial_no, purchase_date),
			)
		)

	if frappe.has_permission("Delivery Note", "read"):
		lines = frappe.get_list(
			"Delivery Note",
			filters={"customer": customer, "docstatus": 1, "is_return": 0},
			fields=[
				"name",
				"posting_date",
				"`tabDelivery Note Item`.item_code",
				"`tabDelivery Note Item`.item_name",
				"`tabDelivery Note Item`.serial_no",
			],
			order_by="posting_date desc",
			limit_page_length=LIMIT * 5,
		)
		for line in lines:
			serials = [s.strip() for s in (line.serial_no or "").splitlines() if s.strip()] or [None]
			for serial_no in serials:
				add(line.item_code, line.item_name, serial_no, line.posting_date, line.name)
	for order in orders:
		add(order.item_code, order.item_name, order.serial_no, order.purchase_date, order.name)
	return result


def warranty(item_code: str, serial_no: str | None, purchase_date) -> dict:
	try:
		decision = get_warranty_decision(item_code, serial_no, purchase_date, nowdate())
	except frappe.ValidationError:
		frappe.clear_last_message()
		return {"warranty_status": None, "warranty_end": None}
	return {"warranty_status": decision.status, "warranty_end": decision.warranty_end}


# ---------------------------------------------------------------- care messages


def log_key(message: str, customer: str, day) -> str:
	return hashlib.sha1(f"{message}\x1f{customer}\x1f{getdate(day)}".encode()).hexdigest()


def care_recipients(day=None) -> list[dict]:
	"""Who gets which care message on `day`: one query per enabled message, leaving out disabled
	customers, those marked Do Not Contact or whose primary Contact unsubscribed, those outside the message's class, those with no address
	for its channel, and those who got it on that day already."""
	day = getdate(day or nowdate())
	recipients = []
	for message in frappe.get_all(
		MESSAGE, {"enabled": 1}, ["name", "occasion", "holiday_list", "channel", "customer_class"]
	):
		holiday = None
		if message.occasion == "Holiday":
			holiday = frappe.db.get_value(
				"Holiday",
				{"parent": message.holiday_list, "holiday_date": day, "weekly_off": 0},
				"description",
			)
			if not holiday:
				continue
		for row in message_customers(message, day):
			recipients.append(dict(row, message=message.name, channel=message.channel, holiday=holiday))
	return recipients


def message_customers(message, day) -> list[dict]:
	customer = frappe.qb.DocType("Customer")
	contact = frappe.qb.DocType("Contact")
	log = frappe.qb.DocType(LOG)
	query = (
		frappe.qb.from_(customer)
		.left_join(contact)
		.on(contact.name == customer.customer_primary_contact)
		.select(customer.name.as_("customer"), customer.customer_name, customer.email_id, customer.mobile_no)
		.where(customer.disabled == 0)
		.where(customer.aftersales_do_not_contact == 0)
		# the customer's primary Contact unsubscribed (Frappe's own opt-out of mails) counts too
		.where(contact.unsubscribed.isnull() | (contact.unsubscribed == 0))
		.where(
			customer.name.notin(
				frappe.qb.from_(log)
				.select(log.customer)
				.where(log.care_message == message.name)
				.where(log.occasion_date == day)
			)
		)
		.orderby(customer.name)
	)
	if message.customer_class:
		query = query.where(customer.aftersales_customer_class == message.customer_class)
	if message.channel == "Email":
		query = query.where(customer.email_id.notnull() & (customer.email_id != ""))
	elif message.channel == "SMS":
		query = query.where(customer.mobile_no.notnull() & (customer.mobile_no != ""))
	else:
		query = query.where(
			(customer.email_id.notnull() & (customer.email_id != ""))
			| (customer.mobile_no.notnull() & (customer.mobile_no != ""))
		)
	if message.occasion == "Birthday":
		birthday = customer.aftersales_birthday
		born_today = (Extract(DatePart.month, birthday) == day.month) & (
			Extract(DatePart.day, birthday) == day.day
		)
		if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
			# a 29 February birthday is celebrated on the 28th in other years
			born_today = born_today | (
				(Extract(DatePart.month, birthday) == 2) & (Extract(DatePart.day, birthday) == 29)
			)
		query = query.where(birthday.notnull()).where(born_today)
	return query.run(as_dict=True)


def render(text: str, customer_name: str, holiday: str | None) -> str:
	return (text or "").replace("{customer_name}", customer_name or "").replace("{holiday}", holiday or "")


def sms_configured() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def email_configured() -> bool:
	return bool(frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}))


def send_care_messages(day=None) -> int:
	"""Daily: send today's care messages (queued mails when the site has an outgoing Email Account,
	SMS through ERPNext's SMS Settings when a gateway is set) and log each, so a second run the same
	day sends nothing. A customer nothing could be sent to is not logged (a later run tries again);
	one customer's failure is logged in the Error Log and does not stop the others."""
	day = getdate(day or nowdate())
	can_email, can_sms = email_configured(), sms_configured()
	sent = 0
	messages = {}
	for row in care_recipients(day):
		message = messages.setdefault(row["message"], frappe.get_doc(MESSAGE, row["message"]))
		email = row.get("email_id") if can_email and message.channel in ("Email", "Email and SMS") else None
		mobile = row.get("mobile_no") if can_sms and message.channel in ("SMS", "Email and SMS") else None
		key = log_key(message.name, row["customer"], day)
		if not (email or mobile) or frappe.db.exists(LOG, {"log_key": key}):
			continue
		body = render(message.message, row["customer_name"], row["holiday"])
		try:
			if email:
				frappe.sendmail(
					recipients=[email],
					subject=render(message.subject, row["customer_name"], row["holiday"]),
					message=escape_html(body).replace("\n", "<br>"),
					reference_doctype="Customer",
					reference_name=row["customer"],
				)
			if mobile:
				from frappe.core.doctype.sms_settings.sms_settings import send_sms

				send_sms([mobile], body, success_msg=False)
			frappe.get_doc(
				{
					"doctype": LOG,
					"care_message": message.name,
					"customer": row["customer"],
					"occasion_date": day,
					"channel": message.channel,
					"log_key": key,
				}
			).insert(ignore_permissions=True)
		except Exception:
			frappe.log_error(title=_("Care message {0} to {1} failed").format(message.name, row["customer"]))
			continue
		sent += 1
	return sent
