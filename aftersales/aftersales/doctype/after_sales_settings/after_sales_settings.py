# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from aftersales.domain import kpi
from aftersales.domain.fee_split import Shares
from aftersales.domain.warranty import WarrantyPolicy


class FeeSplitError(frappe.ValidationError):
	pass


class WarrantyWindowError(frappe.ValidationError):
	pass


class SettingsValueError(frappe.ValidationError):
	pass


class RankingWeightsError(frappe.ValidationError):
	pass


WAREHOUSE_FIELDS = (
	"spare_parts_warehouse",
	"used_parts_warehouse",
	"returns_quarantine_warehouse",
	"scrap_warehouse",
)


class AfterSalesSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		appointment_limit_hours: DF.Float
		dead_stock_days: DF.Int
		follow_up_delay_days: DF.Int
		holiday_list: DF.Link | None
		in_warranty_company_share: DF.Percent
		in_warranty_manager_share: DF.Percent
		in_warranty_technician_share: DF.Percent
		out_of_warranty_company_share: DF.Percent
		out_of_warranty_manager_share: DF.Percent
		out_of_warranty_technician_share: DF.Percent
		refund_window_days: DF.Int
		repair_window_days: DF.Int
		replacement_window_days: DF.Int
		return_window_days: DF.Int
		returns_quarantine_warehouse: DF.Link | None
		scrap_warehouse: DF.Link | None
		spare_parts_warehouse: DF.Link | None
		used_parts_warehouse: DF.Link | None

	# end: auto-generated types
	def validate(self):
		self.validate_positive_numbers()
		self.validate_warranty_windows()
		self.validate_fee_split()
		self.validate_ranking_weights()
		self.validate_warehouses()
		self.validate_sms()

	def on_update(self):
		from aftersales.service.work_order.sla import sync_response_time

		if self.has_value_changed("appointment_limit_hours"):
			sync_response_time()
		self.toggle_sms_notifications()

	def validate_positive_numbers(self):
		if self.appointment_limit_hours is None or self.appointment_limit_hours <= 0:
			frappe.throw(
				_("{0} must be greater than zero.").format(frappe.bold(_("Appointment Limit (Hours)"))),
				exc=SettingsValueError,
				title=_("Invalid Setting"),
			)
		for fieldname in ("follow_up_delay_days", "return_window_days", "dead_stock_days"):
			if (self.get(fieldname) or 0) < 0:
				label = _(self.meta.get_label(fieldname))
				frappe.throw(
					_("{0} cannot be negative.").format(frappe.bold(label)),
					exc=SettingsValueError,
					title=_("Invalid Setting"),
				)

	def validate_warranty_windows(self):
		refund, replacement, repair = (
			self.refund_window_days or 0,
			self.replacement_window_days or 0,
			self.repair_window_days or 0,
		)
		if min(refund, replacement, repair) < 0 or not refund <= replacement <= repair:
			frappe.throw(
				_(
					"Warranty windows must satisfy: refund days ≤ replacement days ≤ repair days (now {0}, {1}, {2})."
				).format(refund, replacement, repair),
				exc=WarrantyWindowError,
				title=_("Invalid Warranty Windows"),
			)

	def validate_fee_split(self):
		for label, shares in (
			(_("In Warranty"), self.fee_shares(in_warranty=True)),
			(_("Out of Warranty"), self.fee_shares(in_warranty=False)),
		):
			if not shares.is_valid():
				frappe.throw(
					_(
						"{0} fee shares must each lie between 0% and 100% and add up to 100%; they add up to {1}%."
					).format(frappe.bold(label), frappe.format(shares.total, {"fieldtype": "Float"})),
					exc=FeeSplitError,
					title=_("Invalid Fee Split"),
				)

	def validate_ranking_weights(self):
		"""AP-6: the service point ranking's weights (report Service Point Ranking) add up to 100%."""
		from aftersales.kpi.definitions import RANKING_WEIGHTS

		weights = {key: self.get(fieldname) or 0 for key, fieldname in RANKING_WEIGHTS.items()}
		if not kpi.weights_valid(weights):
			frappe.throw(
				_(
					"Service point ranking weights must each lie between 0% and 100% and add up to 100%; they add up to {0}%."
				).format(frappe.format(sum(weights.values()), {"fieldtype": "Float"})),
				exc=RankingWeightsError,
				title=_("Invalid Ranking Weights"),
			)

	def validate_warehouses(self):
		for fieldname in WAREHOUSE_FIELDS:
			warehouse = self.get(fieldname)
			if warehouse and frappe.db.get_value("Warehouse", warehouse, "is_group"):
				frappe.throw(
					_("{0}: {1} is a group warehouse; choose a warehouse that can hold stock.").format(
						_(self.meta.get_label(fieldname)), frappe.bold(warehouse)
					),
					exc=SettingsValueError,
					title=_("Invalid Warehouse"),
				)

	def validate_sms(self):
		if self.send_sms_notifications and not frappe.db.get_single_value("SMS Settings", "sms_gateway_url"):
			frappe.throw(
				_("Set up an SMS gateway in {0} before sending SMS notifications.").format(
					frappe.bold(_("SMS Settings"))
				),
				exc=SettingsValueError,
				title=_("No SMS Gateway"),
			)

	def toggle_sms_notifications(self):
		"""The shipped SMS notifications follow the setting (they are standard records, so they are
		switched in the database rather than saved)."""
		from aftersales.setup.app import app_modules

		for name in frappe.get_all(
			"Notification", {"module": ["in", app_modules()], "channel": "SMS"}, pluck="name"
		):
			frappe.db.set_value("Notification", name, "enabled", int(bool(self.send_sms_notifications)))
		frappe.cache.hdel("notifications", "Service Work Order")

	def fee_shares(self, in_warranty: bool) -> Shares:
		prefix = "in_warranty" if in_warranty else "out_of_warranty"
		return Shares(
			company=self.get(f"{prefix}_company_share") or 0,
			technician=self.get(f"{prefix}_technician_share") or 0,
			manager=self.get(f"{prefix}_manager_share") or 0,
		)

	def warranty_policy(self) -> WarrantyPolicy:
		return WarrantyPolicy(
			refund_days=self.refund_window_days or 0,
			replacement_days=self.replacement_window_days or 0,
			repair_days=self.repair_window_days or 0,
		)


def get_settings() -> AfterSalesSettings:
	"""The cached settings document (Frappe clears the cache when it is saved)."""
	return frappe.get_cached_doc("After-Sales Settings")
