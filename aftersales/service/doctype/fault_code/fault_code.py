# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class FaultCodeFormatError(frappe.ValidationError):
	pass


class FaultCode(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		disabled: DF.Check
		fault_code: DF.Data
		fault_name: DF.Data
		help_article: DF.Link | None
		item_group: DF.Link | None
		solvable_by_phone: DF.Check
		symptom: DF.SmallText
		typical_cause: DF.SmallText | None

	# end: auto-generated types
	def before_naming(self):
		self.normalise_code()

	def validate(self):
		self.normalise_code()

	def normalise_code(self):
		code = (self.fault_code or "").strip().upper()
		if not code or any(ch.isspace() for ch in code):
			frappe.throw(
				_("Fault code {0} must be one word without spaces, for example E-101.").format(
					frappe.bold(self.fault_code)
				),
				exc=FaultCodeFormatError,
				title=_("Invalid Fault Code"),
			)
		self.fault_code = code


@frappe.whitelist()
def get_troubleshooting(fault_code: str) -> dict:
	"""What the service desk reads to the caller first (WO-15): the symptom, typical cause and
	the linked Help Article's content."""
	fault = frappe.get_doc("Fault Code", fault_code)
	fault.check_permission("read")
	result = {
		"fault_code": fault.name,
		"fault_name": fault.fault_name,
		"symptom": fault.symptom,
		"typical_cause": fault.typical_cause,
		"solvable_by_phone": fault.solvable_by_phone,
		"help_article": None,
	}
	if fault.help_article:
		article = frappe.db.get_value(
			"Help Article", fault.help_article, ["name", "title", "content", "route"], as_dict=True
		)
		result["help_article"] = article
	return result
