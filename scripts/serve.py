"""Serve the bench's sites on 127.0.0.1 only (Frappe's `bench serve` binds every interface).
Run from the bench's sites directory with the bench's Python:

	cd frappe-bench/sites && ../env/bin/python /path/to/aftersales/scripts/serve.py --port 8000
"""

import argparse

import frappe.app
from werkzeug.serving import run_simple

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=8000)
parser.add_argument("--host", default="127.0.0.1")
args = parser.parse_args()

frappe.app._sites_path = "."
run_simple(args.host, args.port, frappe.app.application_with_statics(), threaded=True, use_reloader=False)
