"""The errors of claims and settlements, one class per case (tests assert the class)."""

import frappe


class MakerSetupError(frappe.ValidationError):
	"""A maker's agreement cannot be used: wrong price list or claim item."""


class ClaimPriceMissingError(frappe.ValidationError):
	"""A part used in warranty has no price in the maker's agreed price list."""


class NothingToClaimError(frappe.ValidationError):
	pass


class ClaimedTwiceError(frappe.ValidationError):
	"""An order is claimed by another submitted batch already."""


class StaleLinesError(frappe.ValidationError):
	"""The orders or their figures changed since the lines were collected."""


class ClaimRejectionError(frappe.ValidationError):
	pass


class ClaimSettledError(frappe.ValidationError):
	"""A claim batch whose orders are settled cannot be cancelled before their settlement."""


class SettlementStateError(frappe.ValidationError):
	pass


class ApprovalError(frappe.PermissionError):
	"""Posting a settlement the After-Sales Manager has not approved, or without the role."""


class SettledTwiceError(frappe.ValidationError):
	"""An order is settled by another submitted settlement already."""


class PayeeMissingError(frappe.ValidationError):
	"""A share is owed to nobody: an order without an engineer, a service point without a manager."""


class SettlementAccountError(frappe.ValidationError):
	"""The settings have no usable accounts for the company."""


class PayrollNotAvailableError(frappe.ValidationError):
	"""Paying the engineer's share through payroll needs Frappe HR (hrms)."""


class InvalidPeriodError(frappe.ValidationError):
	pass


class CancellationBlockedError(frappe.ValidationError):
	"""An ERPNext document made by a claim or settlement will not be cancelled."""
