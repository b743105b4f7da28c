"""Browser tests of the customer portal: headless Chromium from the system (Debian's `chromium`),
driven by Playwright for Python with `executable_path` set to it, so nothing is downloaded.

They need a running site with the demo data (scripts/test.sh serves the test site on 127.0.0.1 and
sets PORTAL_BASE_URL). Without Playwright, the browser or a base URL every test is skipped with the
reason.

	PORTAL_BASE_URL   the site, e.g. http://127.0.0.1:8011 (required)
	CHROMIUM          the browser [/usr/bin/chromium]
	PORTAL_SCREENSHOTS  a folder to save the pages' screenshots in (docs/screenshots to refresh them)
"""

import http.cookiejar
import json
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

BASE_URL = os.environ.get("PORTAL_BASE_URL", "").rstrip("/")
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = os.environ.get("PORTAL_SCREENSHOTS")
PASSWORD = "aftersales-demo"
ZHANG = "zhang.wei@example.com"
LI_NA = "li.na@example.com"


def missing() -> str | None:
	try:
		import playwright.sync_api  # noqa: F401
	except ImportError:
		return "Playwright for Python is not installed (pip install playwright)"
	if not os.path.exists(CHROMIUM):
		return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
	if not BASE_URL:
		return "PORTAL_BASE_URL is not set (scripts/test.sh serves the test site and sets it)"
	return None


@pytest.fixture(scope="session")
def browser():
	reason = missing()
	if reason:
		pytest.skip(reason)
	from playwright.sync_api import sync_playwright

	with sync_playwright() as p:
		# root (as in CI) cannot use Chromium's sandbox
		browser = p.chromium.launch(
			executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
		)
		yield browser
		browser.close()


def new_page(browser, phone: bool = True, lang: str = "en"):
	viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
	context = browser.new_context(viewport=viewport, device_scale_factor=2 if phone else 1, locale=lang)
	page = context.new_page()
	page.set_default_timeout(20000)
	return page


def log_in(page, user: str) -> None:
	page.goto(BASE_URL + "/login")
	page.fill("#login_email", user)
	page.fill("#login_password", PASSWORD)
	page.click(".btn-login")
	page.wait_for_url("**/service-orders", timeout=30000)


def desk_log_in(page, user: str) -> str:
	"""Log a staff user into the desk; returns the path Frappe sent them to after login."""
	page.goto(BASE_URL + "/login")
	page.fill("#login_email", user)
	page.fill("#login_password", PASSWORD)
	page.click(".btn-login")
	page.wait_for_url("**/app/**", timeout=60000)
	page.wait_for_function("() => window.frappe && frappe.boot && frappe.boot.user && window.cur_page")
	return urllib.parse.urlparse(page.url).path


def open_form(page, doctype: str, name: str) -> None:
	"""Open a document in the desk and wait until its form has run its scripts (buttons drawn)."""
	page.goto(f"{BASE_URL}/app/{doctype.lower().replace(' ', '-')}/{urllib.parse.quote(name)}")
	page.wait_for_function(
		"""([doctype, name]) => window.cur_frm && cur_frm.doctype === doctype && cur_frm.doc.name === name
			&& cur_frm.page && cur_frm.page.wrapper.is(':visible')""",
		arg=[doctype, name],
	)
	page.wait_for_timeout(800)  # the refresh handlers' server calls (boot map is local)


def shot(page, name: str, full_page: bool = True) -> None:
	"""Save the page as `name`.png in PORTAL_SCREENSHOTS (lists: the first screen only)."""
	if SCREENSHOTS:
		Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
		page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=full_page)


class Staff:
	"""A desk user's session on the site's HTTP API (standard library only), for the staff's steps."""

	def __init__(self, user: str):
		self.opener = urllib.request.build_opener(
			urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
		)
		self.call("POST", "/api/method/login", {"usr": user, "pwd": PASSWORD})

	def call(self, method: str, path: str, body: dict | None = None, **query):
		url = BASE_URL + urllib.parse.quote(path, safe="/")
		if query:
			url += "?" + urllib.parse.urlencode(
				{k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in query.items()}
			)
		data = json.dumps(body).encode() if body is not None else None
		request = urllib.request.Request(
			url,
			data=data,
			method=method,
			headers={"Content-Type": "application/json", "Accept": "application/json"},
		)
		try:
			with self.opener.open(request, timeout=60) as response:
				payload = json.loads(response.read() or b"{}")
		except urllib.error.HTTPError as e:
			raise AssertionError(f"{method} {path}: HTTP {e.code} {e.read()[:1500]!r}") from e
		return payload.get("data", payload.get("message"))

	def order(self, name: str) -> dict:
		return self.call("GET", f"/api/resource/Service Work Order/{name}")

	def move(self, name: str, status: str, **fields) -> dict:
		return self.call("PUT", f"/api/resource/Service Work Order/{name}", {**fields, "status": status})

	def order_method(self, name: str, method: str, **args):
		"""A work order's whitelisted method (the technician's accept_assignment, check_in, ...)."""
		return self.call(
			"POST",
			"/api/method/run_doc_method",
			{"dt": "Service Work Order", "dn": name, "method": method, "args": args},
		)
