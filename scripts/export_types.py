"""Regenerate the `# begin: auto-generated types` block of every controller from its DocType JSON
(what Frappe does on save in developer mode; hooks.py sets export_python_type_annotations).
Run from the bench's sites folder with the bench's Python, on a site that has the app:

	cd frappe-bench/sites && ../env/bin/python ../apps/aftersales/scripts/export_types.py SITE
"""

import json
import sys
from pathlib import Path

import frappe
from frappe.types.exporter import TypeExporter

APP = Path(__file__).resolve().parents[1] / "aftersales"

frappe.init(site=sys.argv[1], sites_path=".")
frappe.connect()
try:
	for path in sorted(APP.glob("*/doctype/*/*.json")):
		if path.stem != path.parent.name:
			continue
		doc = frappe.get_doc(json.loads(path.read_text()))
		exporter = TypeExporter(doc)
		# Frappe looks for `class <name without spaces>(`; controller classes also drop hyphens
		exporter.doctype = doc.name.replace("-", "")
		exporter.export_types()
		print("types:", doc.name)
finally:
	frappe.destroy()
