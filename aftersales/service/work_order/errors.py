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


class TechnicianNotMemberError(MissingInformationError):
	"""A technician who is not a member of the order's service point."""


class InvoicedChangeError(frappe.ValidationError):
	"""Labour or chargeable parts changed after the order's Sales Invoice was submitted."""


class FollowUpRequiredError(frappe.ValidationError):
	"""Closing without a satisfied follow-up, by someone who is not an After-Sales Manager."""


class QualityCheckError(frappe.ValidationError):
	"""Passing or failing a quality check without the right role or result."""


class ConsentRequiredError(frappe.ValidationError):
	"""Parts or work beyond what the customer agreed to (the confirmed estimate or a later consent)."""


class PartsChangeError(frappe.ValidationError):
	"""Editing or removing a parts line that was approved or issued, outside the parts actions; or a
	parts action on a line or in a state that does not allow it."""


class PartNotInStockError(frappe.ValidationError):
	"""Issuing more than the warehouse holds (ERPNext's stock may not go negative)."""


class NotAssignedTechnicianError(frappe.PermissionError):
	"""Accepting, declining or checking in on an order by anyone but its assigned technician."""


class TechnicianAnswerError(frappe.ValidationError):
	"""Accepting, declining or checking in when the order's state does not allow it."""


class TechnicianNotAcceptedError(MissingInformationError):
	"""Booking the appointment before the assigned technician accepted the order."""
