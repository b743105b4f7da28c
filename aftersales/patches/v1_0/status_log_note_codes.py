"""Status-log notes the app wrote before issue 16 were stored as text in the writer's language
(English, or Chinese for a Chinese-speaking user). Rows that match one of the app's notes get its
English message and values (note_code, note_args), so every reader sees them in their own language.
Idempotent: rows that have a note_code, or that match no known note (typed ones), are left alone."""

import os
import re

import frappe
from frappe.translate import get_translation_dict_from_file

from aftersales.service.work_order.status_notes import MESSAGES, status_note


def execute():
	if not frappe.db.has_column("Service Work Order Log", "note_code"):
		return
	zh = chinese()
	english_of = {}
	for source, target in zh.items():
		english_of.setdefault(target, source)
	patterns = [(message, pattern(message)) for message in MESSAGES]
	patterns += [(message, pattern(zh[message])) for message in MESSAGES if zh.get(message)]
	log = frappe.qb.DocType("Service Work Order Log")
	rows = (
		frappe.qb.from_(log)
		.select(log.name, log.note)
		.where(log.note.isnotnull() & (log.note != ""))
		.where(log.note_code.isnull() | (log.note_code == ""))
	).run(as_dict=True)
	for row in rows:
		for message, regex in patterns:
			match = regex.fullmatch(row.note.strip())
			if match:
				values = [english_of.get(v, v) for v in indexed_values(message, regex, match)]
				frappe.db.set_value(
					"Service Work Order Log", row.name, status_note(message, *values), update_modified=False
				)
				break


def chinese() -> dict[str, str]:
	path = os.path.join(frappe.get_app_path("aftersales"), "translations", "zh.csv")
	return get_translation_dict_from_file(path, "zh", "aftersales")


def pattern(text: str) -> re.Pattern:
	"""`Follow-up {0}: {1}` -> a regex with a named group per placeholder, in the text's order."""
	parts = re.split(r"\{(\d)\}", text)
	regex = ""
	for i, part in enumerate(parts):
		regex += re.escape(part) if i % 2 == 0 else f"(?P<p{part}>.+?)"
	return re.compile(regex, re.S)


def indexed_values(message: str, regex: re.Pattern, match: re.Match) -> list[str]:
	"""The placeholders' values in {0}, {1}, … order (a translation may put them in another)."""
	count = len(set(re.findall(r"\{(\d)\}", message)))
	return [match.group(f"p{i}").strip() for i in range(count)]
