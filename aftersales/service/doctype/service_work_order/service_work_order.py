# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, getdate, nowdate

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain import work_order_flow as flow
from aftersales.domain.kpi import ORDER_FACT_FIELDS
from aftersales.integrity import FieldRules, RoleOwned, acts_on_stored, capture, verify
from aftersales.kpi import facts as kpi_facts
from aftersales.roles import QUALITY_INSPECTOR
from aftersales.service.warranty import get_warranty_decision
from aftersales.service.work_order import billing, field_work, intake, parts, transitions, vehicle

# What only the app's own code writes, and what only one role writes (aftersales/integrity.py).
FIELD_RULES = FieldRules(
	server=(
		"warranty_status",
		"warranty_end",
		"allowed_remedies",
		"warranty_basis",
		"solved_by_phone",
		"qc_inspector",
		"rework_count",
		"delivered_on",
		"sales_invoice",
		"parts_amount",
		"labour_amount",
		"chargeable_amount",
		"claimable_amount",
		"parts_cost",
		"labour_cost",
		"total_cost",
		"revenue",
		"margin",
		"follow_up",
		"follow_up_outcome",
		"is_delayed",
		"response_breached",
		"parts_delayed",
		"planned_hours",
		"consent_declined_on",
		"technician_accepted_on",
		"arrived_on",
		"visit_count",
		*ORDER_FACT_FIELDS,
	),
	server_columns={
		"parts": (
			"status",
			"approved_by",
			"issued_qty",
			"returned_qty",
			"valuation_rate",
			"stock_entry",
			"issued_on",
			"return_stock_entry",
			"amount",
			"in_plan",
		),
		"old_parts": ("warehouse", "stock_entry"),
		"status_log": "*",
	},
	role_owned=(
		RoleOwned(("qc_result", "qc_remarks", "qc_type"), (QUALITY_INSPECTOR,), (flow.QUALITY_CHECK,)),
	),
	flow=flow.FLOW,
)


class ServiceWorkOrder(Document):
	def before_insert(self):
		self.copy_default_self_checks()

	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		intake.set_channel_defaults(self)
		self.set_contact_details()
		self.set_purchase_date_from_sales_document()
		self.set_warranty()
		vehicle.set_vehicle_flag(self)
		transitions.validate_technician(self)
		field_work.on_technician_change(self)
		parts.set_defaults(self)
		parts.validate_changes(self)
		parts.update_plan(self)
		billing.validate_invoiced_lock(self)
		self.calculate_charges()
		transitions.validate_transition(self)
		transitions.log_status_change(self)
		kpi_facts.set_facts(self)
		verify(self, FIELD_RULES)

	def on_update(self):
		if self.has_value_changed("status"):
			if self.status == flow.DELIVERED:
				self.schedule_follow_up()
			elif self.status == flow.CANCELLED:
				parts.cancel_all_entries(self)

	def on_trash(self):
		if frappe.db.exists(
			"Stock Entry",
			{
				"aftersales_reference_doctype": self.doctype,
				"aftersales_reference_name": self.name,
				"docstatus": 1,
			},
		):
			frappe.throw(
				_("This order moved stock; cancel it instead of deleting it."),
				exc=frappe.LinkExistsError,
				title=_("Cannot Delete"),
			)

	# ------------------------------------------------------------ intake

	def copy_default_self_checks(self):
		if self.self_checks:
			return
		for line in (get_settings().default_self_checks or "").splitlines():
			if line.strip():
				self.append("self_checks", {"check_item": line.strip()})

	def set_contact_details(self):
		"""A new order's contact is the Customer's primary contact unless one was chosen: its phone and
		email fill what the order lacks, so the customer's notifications reach them."""
		contact = None
		if self.is_new() and self.customer and not self.contact_person:
			contact = primary_contact(self.customer)
			self.contact_person = contact.name if contact else None
		self.phone = normalise_phone(self.phone)
		if self.contact_person and not (self.phone and self.contact_email):
			if not contact:
				contact = frappe.db.get_value(
					"Contact", self.contact_person, ["mobile_no", "phone", "email_id"], as_dict=True
				)
			if contact:
				self.phone = self.phone or normalise_phone(contact.mobile_no or contact.phone)
				self.contact_email = self.contact_email or contact.email_id
		if self.customer_address and not self.address_display:
			from frappe.contacts.doctype.address.address import get_address_display

			self.address_display = get_address_display(self.customer_address)

	def set_purchase_date_from_sales_document(self):
		if self.sales_document_type and self.sales_document and not self.purchase_date:
			self.purchase_date = frappe.db.get_value(
				self.sales_document_type, self.sales_document, "posting_date"
			)

	def set_warranty(self):
		"""WO-4: decided on the server on every save from the product, serial and dates (the fault
		date is the intake date unless given, so the decision does not drift with time)."""
		if not self.fault_date:
			self.fault_date = getdate(self.received_on) if self.received_on else getdate(nowdate())
		if not (self.item_code or self.serial_no) or not (self.purchase_date or self.serial_no):
			self.warranty_status = self.warranty_end = self.allowed_remedies = self.warranty_basis = None
			return
		if self.serial_no and not self.item_code:
			self.item_code = frappe.db.get_value("Serial No", self.serial_no, "item_code")
		decision = get_warranty_decision(self.item_code, self.serial_no, self.purchase_date, self.fault_date)
		self.warranty_status = decision.status
		self.warranty_end = decision.warranty_end
		# stored in English like every option value; the desk translates the Select when it shows it
		self.warranty_basis = decision.basis
		self.allowed_remedies = ", ".join(decision.remedies)

	def calculate_charges(self):
		billing.calculate(self)

	# ------------------------------------------------------------ after delivery

	def schedule_follow_up(self):
		"""FV-1: every delivery gets its follow-up, a reworked job's second delivery too."""
		if frappe.db.exists("Service Follow-up", {"service_work_order": self.name, "docstatus": 0}):
			return
		follow_up = frappe.get_doc(
			{
				"doctype": "Service Follow-up",
				"service_work_order": self.name,
				"scheduled_date": add_days(
					getdate(self.delivered_on or nowdate()), get_settings().follow_up_delay_days
				),
				"channel": "Phone",
			}
		).insert(ignore_permissions=True)
		self.db_set({"follow_up": follow_up.name, "follow_up_outcome": None})

	# ------------------------------------------------------------ desk actions

	# Each runs on the order as stored (never the copy the client sent) and checks the caller's
	# role and the order's state itself (aftersales/service/work_order/parts.py).

	@frappe.whitelist()
	@acts_on_stored
	def approve_parts(self) -> list[str]:
		self.check_permission("write")
		return parts.approve(self)

	@frappe.whitelist()
	@acts_on_stored
	def issue_parts(self) -> list[str]:
		self.check_permission("read")
		return parts.issue(self)

	@frappe.whitelist()
	@acts_on_stored
	def return_unused_part(self, row_name: str, qty: float) -> str:
		self.check_permission("read")
		return parts.return_unused(self, row_name, qty)

	@frappe.whitelist()
	@acts_on_stored
	def cancel_part(self, row_name: str) -> None:
		self.check_permission("read")
		parts.cancel_line(self, row_name)

	@frappe.whitelist()
	@acts_on_stored
	def register_old_parts(self) -> str:
		self.check_permission("read")
		return parts.register_old_parts(self)

	# the assigned technician's own actions (WO-6, aftersales/service/work_order/field_work.py)

	@frappe.whitelist()
	@acts_on_stored
	def accept_assignment(self) -> None:
		self.check_permission("read")
		field_work.accept(self)

	@frappe.whitelist()
	@acts_on_stored
	def decline_assignment(self, reason: str) -> None:
		self.check_permission("read")
		field_work.decline(self, reason)

	@frappe.whitelist()
	@acts_on_stored
	def check_in(self) -> str:
		self.check_permission("read")
		return field_work.check_in(self)


@frappe.whitelist()
def make_sales_invoice(source_name: str):
	order = frappe.get_doc("Service Work Order", source_name)
	order.check_permission("read")
	return billing.make_sales_invoice(order)


@frappe.whitelist()
def get_orders_by_phone(phone: str, limit: int = 20) -> list[dict]:
	"""WO-2: every past order of a caller, by phone number alone."""
	phone = normalise_phone(phone)
	if len(phone) < 4:
		return []
	return frappe.get_list(
		"Service Work Order",
		filters={"phone": ["like", f"{phone}%"]},  # a prefix match uses the phone index
		fields=[
			"name",
			"status",
			"customer_name",
			"item_name",
			"serial_no",
			"received_on",
			"warranty_status",
		],
		order_by="received_on desc",
		limit_page_length=limit,
	)


def primary_contact(customer: str) -> dict | None:
	"""The Customer's primary contact with its numbers and email, in one query (None without one)."""
	cust, contact = frappe.qb.DocType("Customer"), frappe.qb.DocType("Contact")
	rows = (
		frappe.qb.from_(cust)
		.left_join(contact)
		.on(contact.name == cust.customer_primary_contact)
		.select(cust.customer_primary_contact.as_("name"), contact.mobile_no, contact.phone, contact.email_id)
		.where(cust.name == customer)
	).run(as_dict=True)
	return rows[0] if rows and rows[0].name else None


def normalise_phone(phone: str | None) -> str:
	"""Keep the digits and a leading +, so "138-0013 8001" and "13800138001" are one caller."""
	phone = (phone or "").strip()
	digits = "".join(ch for ch in phone if ch.isdigit())
	return ("+" + digits) if phone.startswith("+") else digits
