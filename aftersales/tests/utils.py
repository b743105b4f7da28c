"""Shared helpers for the integration tests (they run inside a site: `bench run-tests`)."""

import frappe


def before_tests() -> None:
	"""`before_tests` hook: complete ERPNext's setup wizard on a fresh test site, as ERPNext's
	own tests expect, then load the demo service centre the integration tests build on."""
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	erpnext_before_tests()
	print(f"aftersales: integration tests are running on site {frappe.local.site}")


def demo() -> dict:
	"""The demo service centre (idempotent, committed once per site)."""
	from aftersales.setup.demo import load

	if not getattr(frappe.local, "aftersales_demo", None):
		frappe.local.aftersales_demo = load()
	return frappe.local.aftersales_demo


def outgoing_email_account() -> str:
	"""A default outgoing Email Account, so notifications queue their mails (nothing is sent in
	tests: Frappe only queues them)."""
	name = frappe.db.get_value("Email Account", {"default_outgoing": 1, "enable_outgoing": 1})
	if name:
		return name
	return (
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "After-Sales Test Outgoing",
				"email_id": "service@aftersales.demo",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"no_smtp_authentication": 1,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)
