# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""One person's statement of a posted Service Settlement: the jobs they did or managed, each with
its base, share and amount, and what they are paid and how (print: Settlement Statement, bilingual).
Made and submitted by the settlement, cancelled with it; an engineer reads only their own
(aftersales/settlement/permissions.py)."""

from frappe.model.document import Document

from aftersales.integrity import FieldRules, capture, verify
from aftersales.settlement.amendment import refuse_update_after_submit

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
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales.settlement.doctype.settlement_statement_line.settlement_statement_line import (
			SettlementStatementLine,
		)

		additional_salary: DF.Data | None
		amended_from: DF.Link | None
		as_engineer: DF.Currency
		as_manager: DF.Currency
		company: DF.Link | None
		currency: DF.Link | None
		employee: DF.Link
		employee_name: DF.Data | None
		from_date: DF.Date | None
		journal_entry: DF.Link | None
		lines: DF.Table[SettlementStatementLine]
		naming_series: DF.Literal["SST-.YYYY.-"]
		paid_by: DF.Literal["Journal Entry", "Additional Salary"]
		posting_date: DF.Date | None
		settlement: DF.Link
		to_date: DF.Date | None
		total_amount: DF.Currency
		user: DF.Link | None

	# end: auto-generated types
	def before_validate(self):
		capture(self, FIELD_RULES)

	def validate(self):
		verify(self, FIELD_RULES)

	def before_update_after_submit(self):
		refuse_update_after_submit(self)
