"""Serve the bench's sites on 127.0.0.1 only (Frappe's `bench serve` binds every interface).
Requests for a host that is not a site name (such as 127.0.0.1) go to the bench's default site.
Run from the bench's sites directory with the bench's Python:

	cd frappe-bench/sites && ../env/bin/python /path/to/aftersales/scripts/serve.py --port 8000
"""

import argparse
import json
import os
import sys

import frappe.app
from frappe.website import serve as website_serve
from werkzeug.serving import run_simple

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=8000)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--site", help="site for hosts that are not a site name [the bench's default_site]")
args = parser.parse_args()

default_site = args.site
if not default_site and os.path.isfile("common_site_config.json"):
	with open("common_site_config.json") as f:
		default_site = json.load(f).get("default_site")

frappe.app._sites_path = "."
frappe_application = frappe.app.application_with_statics()

# A page that fails (HTTP 500) shows its traceback only to System Users: print it here as well, so the
# browser tests' log says why a portal page failed (scripts/test.sh prints it when they fail)
_handle_page_exception = website_serve.handle_exception


def handle_page_exception(e, endpoint, path, http_status_code):
	if not isinstance(
		e, frappe.PermissionError | frappe.PageDoesNotExistError | frappe.DoesNotExistError | frappe.Redirect
	):
		print(f"PAGE ERROR {path}:\n{frappe.get_traceback()}", file=sys.stderr, flush=True)
	return _handle_page_exception(e, endpoint, path, http_status_code)


website_serve.handle_exception = handle_page_exception


def application(environ, start_response):
	host = environ.get("HTTP_HOST", "").split(":", 1)[0]
	if (
		default_site
		and not environ.get("HTTP_X_FRAPPE_SITE_NAME")
		and not os.path.isfile(os.path.join(host, "site_config.json"))
	):
		environ["HTTP_X_FRAPPE_SITE_NAME"] = default_site
	return frappe_application(environ, start_response)


run_simple(args.host, args.port, application, threaded=True, use_reloader=False)
