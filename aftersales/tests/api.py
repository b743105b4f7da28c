"""Calls through the HTTP API, as a browser console or a script would make them, for the tests that
try to cheat (aftersales/tests/security/).

Each request goes through Frappe's own WSGI application in its own thread, with its own database
connection and the user's API key (`Authorization: token key:secret`), exactly as a logged-in user
reaches `/api/resource` and `/api/method` from outside. So the request sees only what is committed:
`commit()` the records an attack needs before making it, and read the outcome after `commit()`
again (the test's transaction would otherwise keep its older snapshot).
"""

import json
from typing import Any

import frappe
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt, get_test_client, now_datetime

_KEYS: dict[str, tuple[str, str]] = {}
CLIENT = get_test_client(use_cookies=False)  # each request carries its own token, never a session


def commit() -> None:
	"""Make the test's records visible to the request threads, and start a fresh snapshot."""
	frappe.db.commit()


def api_token(user: str) -> str:
	"""`key:secret` of the user's API key, made once per site (and committed)."""
	if user not in _KEYS:
		doc = frappe.get_doc("User", user)
		if not doc.api_key:
			doc.api_key = frappe.generate_hash(length=15)
		secret = frappe.generate_hash(length=15)
		doc.api_secret = secret
		doc.flags.ignore_permissions = True
		doc.save()
		commit()
		_KEYS[user] = (doc.api_key, secret)
	key, secret = _KEYS[user]
	return f"{key}:{secret}"


class Response:
	"""Status, JSON body and the exception class name Frappe reports (`exc_type`)."""

	def __init__(self, raw):
		self.status = raw.status_code
		self.text = raw.get_data(as_text=True)
		try:
			self.json = json.loads(self.text) if self.text else {}
		except ValueError:
			self.json = {}
		self.exc_type = None
		if isinstance(self.json, dict):
			# /api/method and /api/resource answer `exc_type`; /api/v2 a list of `errors` with a `type`
			errors = self.json.get("errors") or [{}]
			self.exc_type = self.json.get("exc_type") or (
				errors[0].get("type") if isinstance(errors[0], dict) else None
			)

	@property
	def data(self) -> Any:
		return self.json.get("data", self.json.get("message"))

	def __repr__(self):
		return f"<HTTP {self.status} {self.exc_type or ''} {self.text[:300]}>"


def request(user: str | None, http_method: str, path: str, body: dict | None = None, **params) -> Response:
	headers = {"Authorization": f"token {api_token(user)}"} if user else {}
	kwargs: dict[str, Any] = {"headers": headers}
	if body is not None:
		kwargs["json"] = json.loads(json.dumps(body, default=str))  # dates as the desk sends them
	if params:
		kwargs["query_string"] = {
			k: (json.dumps(v, default=str) if isinstance(v, dict | list) else v) for k, v in params.items()
		}
	target = getattr(CLIENT, http_method.lower())
	return Response(make_request(target=target, args=(path,), kwargs=kwargs, site=frappe.local.site))


def call(user: str | None, endpoint: str, /, **kwargs) -> Response:
	"""POST /api/method/<endpoint> with form arguments (dicts and lists sent as JSON)."""
	body = {k: (json.dumps(v, default=str) if isinstance(v, dict | list) else v) for k, v in kwargs.items()}
	return request(user, "POST", f"/api/method/{endpoint}", body)


def get_resource(user: str, doctype: str, name: str) -> Response:
	return request(user, "GET", f"/api/resource/{doctype}/{name}")


def put_resource(user: str, doctype: str, name: str, values: dict) -> Response:
	return request(user, "PUT", f"/api/resource/{doctype}/{name}", values)


def post_resource(user: str, doctype: str, values: dict) -> Response:
	return request(user, "POST", f"/api/resource/{doctype}", values)


def run_doc_method(user: str, doc: dict, method: str, **args) -> Response:
	"""What the desk's form buttons call: the method runs on the copy of the document in `doc`."""
	return call(user, "run_doc_method", docs=doc, method=method, args=args)


def stored(doctype: str, name: str) -> dict:
	"""The document as stored (children included), for comparing before and after an attack."""
	commit()
	return frappe.get_doc(doctype, name).as_dict(convert_dates_to_str=True)


def ledger_state(company: str | None = None) -> dict:
	"""Stock ledger rows, stock entries and bins, to show that an attack moved no stock."""
	commit()
	sle = frappe.qb.DocType("Stock Ledger Entry")
	bins = frappe.qb.DocType("Bin")
	return {
		"ledger_rows": frappe.db.count("Stock Ledger Entry"),
		"stock_entries": frappe.db.count("Stock Entry", {"docstatus": 1}),
		"cancelled_entries": frappe.db.count("Stock Entry", {"docstatus": 2}),
		"ledger_qty": flt(
			frappe.qb.from_(sle).select(frappe.query_builder.functions.Sum(sle.actual_qty)).run()[0][0]
		),
		"bins": sorted(
			(r[0], r[1], flt(r[2]))
			for r in frappe.qb.from_(bins).select(bins.item_code, bins.warehouse, bins.actual_qty).run()
		),
	}


def give_back_stock(delivery_note: str) -> None:
	"""Cancel a committed test delivery and its invoice, so the demo stock is there for the next run."""
	frappe.set_user("Administrator")
	frappe.db.rollback()
	invoices = frappe.get_all(
		"Sales Invoice Item", {"delivery_note": delivery_note, "docstatus": 1}, pluck="parent", distinct=True
	)
	for invoice in invoices:
		frappe.get_doc("Sales Invoice", invoice).cancel()
	frappe.get_doc("Delivery Note", delivery_note).cancel()
	commit()


# documents that cancel the ERPNext documents they made when they are cancelled themselves
# (journal entries, statements, claim invoices and credit notes): given back first, newest first
OWNING_DOCTYPES = ("Service Settlement", "Warranty Claim Batch")


def give_back_all_stock(since) -> None:
	"""Cancel, newest first, every stock-moving document (and invoice, journal entry) submitted since
	`since`, so the demo stock and ledgers on the test site are the same after a run of committed
	tests as before it."""
	frappe.set_user("Administrator")
	frappe.db.rollback()
	for doctype in OWNING_DOCTYPES:
		for name in frappe.get_all(
			doctype, {"docstatus": 1, "creation": [">=", since]}, pluck="name", order_by="creation desc"
		):
			doc = frappe.get_doc(doctype, name)
			doc.flags.ignore_permissions = True
			doc.cancel()
	documents = []
	for doctype in ("Sales Invoice", "Delivery Note", "Stock Entry", "Journal Entry"):
		for name, creation in frappe.get_all(
			doctype, {"docstatus": 1, "creation": [">=", since]}, ["name", "creation"], as_list=True
		):
			documents.append((creation, doctype, name))
	for _creation, doctype, name in sorted(documents, reverse=True):
		doc = frappe.get_doc(doctype, name)
		doc.flags.ignore_permissions = True
		doc.cancel()
	commit()


class APITestCase(FrappeTestCase):
	"""Base of the attack tests: the records they attack are committed (the request threads see
	only committed data), so each test makes its own and asserts only on those. What they moved in
	stock is given back when the class is done."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.started = now_datetime()  # the site's time zone, as `creation` is written

	@classmethod
	def tearDownClass(cls):
		give_back_all_stock(cls.started)
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def assertRefused(self, response: Response, exc: type[Exception] | None = None, status=(403, 417)):
		"""The server said no: a 403 or 417 (never a 500 or a 200), with the expected error class."""
		statuses = (status,) if isinstance(status, int) else status
		self.assertIn(response.status, statuses, response)
		if exc is not None:
			self.assertEqual(response.exc_type, exc.__name__, response)

	def assertPutRefused(self, user: str, doctype: str, name: str, values: dict, exc=None, status=(403, 417)):
		"""PUT `values` as `user`: refused, and the document exactly as it was."""
		before = stored(doctype, name)
		response = put_resource(user, doctype, name, values)
		self.assertRefused(response, exc, status)
		self.assertUnchanged(doctype, name, before)
		return response

	def assertUnchanged(self, doctype: str, name: str, before: dict, ignore: tuple[str, ...] = ()):
		after = stored(doctype, name)
		for key in ignore:
			before.pop(key, None)
			after.pop(key, None)
		self.assertEqual(after, before)
