"""Where a settlement's money goes, always through ERPNext documents (never GL rows directly):

- one Journal Entry per settlement: the fee expense debited with the total owed, each employee's
  payable credited (party type Employee) with their share; the accounts per company are set in
  After-Sales Settings (Settlement Accounts);
- with Frappe HR installed and the setting on, an engineer's share becomes a draft Additional
  Salary (paid with the next payroll) instead of a Journal Entry line.
"""

import frappe
from frappe import _

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain.settlement import journal_rows
from aftersales.settlement.errors import PayrollNotAvailableError, SettlementAccountError


def hrms_installed() -> bool:
	return "hrms" in frappe.get_installed_apps()


def pays_engineers_through_payroll() -> bool:
	settings = get_settings()
	return bool(settings.get("engineer_share_as_additional_salary")) and hrms_installed()


def accounts_for(company: str) -> frappe._dict:
	row = next((r for r in get_settings().get("settlement_accounts") or [] if r.company == company), None)
	if not row:
		frappe.throw(
			_("Set the settlement accounts of {0} in After-Sales Settings (Settlement Accounts).").format(
				frappe.bold(company)
			),
			exc=SettlementAccountError,
			title=_("Accounts Missing"),
		)
	return frappe._dict(
		expense_account=row.expense_account,
		payable_account=row.payable_account,
		cost_center=row.cost_center or frappe.get_cached_value("Company", company, "cost_center"),
	)


# ------------------------------------------------------------------------------ settings


def validate_settings(settings, method=None) -> None:
	"""doc_events After-Sales Settings validate: usable accounts, one row per company, payroll only
	with Frappe HR."""
	seen = set()
	for row in settings.get("settlement_accounts") or []:
		if row.company in seen:
			throw_account(
				_("Row {0}: {1} has settlement accounts in an earlier row.").format(row.idx, row.company)
			)
		seen.add(row.company)
		expense = frappe.db.get_value(
			"Account", row.expense_account, ["company", "root_type", "is_group"], as_dict=True
		)
		if (
			not expense
			or expense.company != row.company
			or expense.root_type != "Expense"
			or expense.is_group
		):
			throw_account(
				_("Row {0}: {1} is not an expense account of {2} that can be posted to.").format(
					row.idx, frappe.bold(row.expense_account), row.company
				)
			)
		payable = frappe.db.get_value(
			"Account", row.payable_account, ["company", "account_type", "is_group"], as_dict=True
		)
		if (
			not payable
			or payable.company != row.company
			or payable.account_type != "Payable"
			or payable.is_group
		):
			throw_account(
				_("Row {0}: {1} is not a Payable account of {2} that can be posted to.").format(
					row.idx, frappe.bold(row.payable_account), row.company
				)
			)
		if row.cost_center and frappe.db.get_value("Cost Center", row.cost_center, "company") != row.company:
			throw_account(
				_("Row {0}: cost center {1} is not of {2}.").format(
					row.idx, frappe.bold(row.cost_center), row.company
				)
			)
	if settings.get("engineer_share_as_additional_salary"):
		if not hrms_installed():
			frappe.throw(
				_(
					"Paying the engineer's share through payroll needs Frappe HR (hrms), which is not installed."
				),
				exc=PayrollNotAvailableError,
				title=_("Frappe HR Missing"),
			)
		component = settings.get("additional_salary_component")
		if not component or not frappe.db.exists("Salary Component", component):
			frappe.throw(
				_("Choose the Salary Component the engineer's share is paid as."),
				exc=PayrollNotAvailableError,
				title=_("Salary Component Missing"),
			)


def throw_account(message: str) -> None:
	frappe.throw(message, exc=SettlementAccountError, title=_("Invalid Settlement Account"))


# ------------------------------------------------------------------------------ documents


def make_journal_entry(settlement, owed: list[tuple[str, float]]) -> str | None:
	"""ONE Journal Entry for what `owed` lists (employee, amount); None when nothing is owed."""
	rows = journal_rows(owed)
	if not rows:
		return None
	accounts = accounts_for(settlement.company)
	entry = frappe.new_doc("Journal Entry")
	entry.update(
		{
			"voucher_type": "Journal Entry",
			"company": settlement.company,
			"posting_date": settlement.posting_date,
			"user_remark": _(
				"Service Settlement {0}: engineers' and managers' shares of jobs closed up to {1}"
			).format(settlement.name, frappe.format(settlement.to_date, {"fieldtype": "Date"})),
		}
	)
	for row in rows:
		line = {
			"debit_in_account_currency": row.debit,
			"credit_in_account_currency": row.credit,
			"cost_center": accounts.cost_center,
		}
		if row.party is None:
			line["account"] = accounts.expense_account
		else:
			line.update(account=accounts.payable_account, party_type="Employee", party=row.party)
		entry.append("accounts", line)
	entry.flags.ignore_permissions = True
	entry.insert()
	entry.submit()
	return entry.name


def make_additional_salary(settlement, employee: str, amount: float) -> str:
	"""A draft Additional Salary for the engineer's share (Frappe HR only); payroll submits it."""
	if not hrms_installed():
		frappe.throw(
			_("Paying the engineer's share through payroll needs Frappe HR (hrms), which is not installed."),
			exc=PayrollNotAvailableError,
		)
	salary = frappe.get_doc(
		{
			"doctype": "Additional Salary",
			"employee": employee,
			"company": settlement.company,
			"salary_component": get_settings().additional_salary_component,
			"amount": amount,
			"payroll_date": settlement.to_date,
			"currency": settlement.currency,
			"overwrite_salary_structure_amount": 0,
			"ref_doctype": "Service Settlement",
			"ref_docname": settlement.name,
		}
	)
	salary.flags.ignore_permissions = True
	salary.insert()
	return salary.name


def withdraw_additional_salary(name: str | None) -> None:
	"""Cancelling a settlement withdraws its Additional Salaries: a draft is deleted, a submitted
	one (payroll took it) cancelled, which ERPNext refuses once a salary slip uses it."""
	if not name or not hrms_installed() or not frappe.db.exists("Additional Salary", name):
		return
	salary = frappe.get_doc("Additional Salary", name)
	salary.flags.ignore_permissions = True
	if salary.docstatus == 0:
		salary.delete(ignore_permissions=True)
	elif salary.docstatus == 1:
		salary.cancel()
