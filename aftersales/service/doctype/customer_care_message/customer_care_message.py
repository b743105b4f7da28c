# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""A care message (FV-5) sent on customers' birthdays or on the holidays of a Holiday List; the daily
job is aftersales.service.customer_file.send_care_messages."""

import frappe
from frappe import _
from frappe.model.document import Document


class CareMessageError(frappe.ValidationError):
	pass


class CustomerCareMessage(Document):
	def validate(self):
		if self.occasion == "Holiday" and not self.holiday_list:
			frappe.throw(
				_("Choose the Holiday List whose holidays this message is sent on."),
				exc=CareMessageError,
				title=_("Holiday List Required"),
			)
		if self.occasion != "Holiday":
			self.holiday_list = None
