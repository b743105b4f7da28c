"""Shared helpers for the integration tests (they run inside a site: `bench run-tests`)."""

import frappe


def before_tests() -> None:
	"""`before_tests` hook: complete ERPNext's setup wizard on a fresh test site, as ERPNext's
	own tests expect, and make sure the app's install-time setup is in place."""
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	erpnext_before_tests()
	# the app's own setup may have been undone by other apps' tests on the same site (ERPNext's
	# Service Level Agreement tests delete every agreement): make it again, idempotently
	from aftersales.install import after_install

	after_install()
	outgoing_email_account()
	frappe.db.commit()
	# mails are queued, never sent: in tests Frappe sends a Notification Log's mail at once
	# (`now=frappe.flags.in_test`), and sending commits (EmailQueue.send), which kept whatever the
	# test had written so far on the shared site (24 such commits in one run of the suite)
	frappe.flags.mute_emails = True
	print(f"aftersales: integration tests are running on site {frappe.local.site}")


class CommitInTestError(AssertionError):
	"""A test that keeps its data in its transaction committed it."""


def refuse_commit():
	raise CommitInTestError("the test tried to commit: its data would stay on the shared test site")


def keep_in_transaction(test_case) -> None:
	"""Everything the test does stays in its transaction, rolled back after it (by its tearDown or its
	class). Frappe sends the mails of notifications at once in tests (`now=frappe.flags.in_test`) and
	sending commits (EmailQueue.send), which would leave the test's records on the shared test site:
	mails are muted for the test (queued, not sent), and a commit during it fails the test instead of
	happening. Call it in setUp; the rollback also forgets the refusal."""
	muted = frappe.flags.mute_emails
	frappe.flags.mute_emails = True
	frappe.db.before_commit.add(refuse_commit)
	test_case.addCleanup(setattr, frappe.flags, "mute_emails", muted)


def demo() -> dict:
	"""The demo service centre (idempotent, committed once per site)."""
	from aftersales.setup.demo import load

	if not getattr(frappe.local, "aftersales_demo", None):
		frappe.local.aftersales_demo = load()
	return frappe.local.aftersales_demo


def outgoing_email_account() -> str:
	"""A default outgoing Email Account, so notifications queue their mails (nothing is sent in
	tests: Frappe only queues them).

	Made and committed once before the tests (`before_tests`): Frappe keeps the outgoing account it
	finds for the rest of the process (`frappe.local.outgoing_email_account`). Without one, a test
	that mutes mails got Frappe's placeholder account (no name, no address), which every later test
	then used and failed on when it built a mail; one made inside a test was rolled back after it
	and used all the same."""
	name = frappe.db.get_value("Email Account", {"default_outgoing": 1, "enable_outgoing": 1})
	if name:
		return name
	frappe.local.outgoing_email_account = {}
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


def portal_user_for(customer: str) -> str:
	email = f"portal.{frappe.scrub(customer).replace('_', '.')}@example.com"
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "Zhang",
				"send_welcome_email": 0,
				"user_type": "Website User",
			}
		).insert(ignore_permissions=True)
		user.add_roles("Customer")
	doc = frappe.get_doc("Customer", customer)
	if email not in [row.user for row in doc.get("portal_users", [])]:
		doc.append("portal_users", {"user": email})
		doc.save(ignore_permissions=True)
	return email
