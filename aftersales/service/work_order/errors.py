"""Errors a Service Work Order raises; tests assert these classes."""

import frappe


class WorkOrderTransitionError(frappe.ValidationError):
	"""A status change the lifecycle does not allow."""


class MissingInformationError(frappe.ValidationError):
	"""A status change that needs information the order does not have yet."""


class ReasonRequiredError(MissingInformationError):
	pass


class SignatureRequiredError(MissingInformationError):
	pass


class InvoiceRequiredError(MissingInformationError):
	pass


class FollowUpRequiredError(frappe.ValidationError):
	"""Closing without a satisfied follow-up, by someone who is not an After-Sales Manager."""


class QualityCheckError(frappe.ValidationError):
	"""Passing or failing a quality check without the right role or result."""


class ConsentRequiredError(frappe.ValidationError):
	"""Chargeable parts beyond the customer-confirmed estimate."""


class PartsChangeError(frappe.ValidationError):
	"""Editing or removing a parts line that was approved or issued, outside the parts actions."""


class PartNotInStockError(frappe.ValidationError):
	"""Issuing more than the warehouse holds (ERPNext's stock may not go negative)."""
