# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""One person's statement of a posted Service Settlement: the jobs they did or managed, each with
its base, share and amount, and what they are paid and how (print: Settlement Statement, bilingual).
Made and submitted by the settlement, cancelled with it; an engineer reads only their own
(aftersales/settlement/permissions.py)."""

from frappe.model.document import Document

from aftersales.integrity import FieldRules, capture, verify

# the whole statement is the settlement's
FIELD_RULES = FieldRules(
	server=(
		"settlement",
		"employee",
		"user",
		"company",
		"from_date",
		"to_date",
		"posting_date",
		"paid_by",
		"journal_entry",
		"additional_salary",
		"currency",
		"as_engineer",
		"as_manager",
		"total_amount",
	),
	server_columns={"lines": "*"},
)


class SettlementStatement(Document):
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		verify(self, FIELD_RULES)
