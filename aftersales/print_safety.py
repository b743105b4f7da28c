"""What a user typed is printed as text, never as HTML (hooks doc_events `before_print`).

Frappe's Standard print format writes Data, Small Text and Text values into the page as they are
(`frappe.utils.formatters.format_value` only turns newlines into <br>), and its input filter lets
through any value that parses as JSON (`sanitize_html` returns `"<script>…"` unchanged), as well
as everything written by `db_set`, imports and patches. So a `<script>` in a return request's
description ran in /printview. Before any print format renders, the document's text values (and
those of its child rows) become escaped `Markup`: the Standard format prints them as text, and
the app's own Jinja formats, which escape with `| e`, leave them as they are (escaping Markup is a
no-op), so nothing is escaped twice. Rich text (Text Editor) is sanitised instead. The document is
not saved afterwards: only the printed copy changes.
"""

import html

import frappe
from markupsafe import Markup, escape

PLAIN_TEXT = {
	"Data",
	"Small Text",
	"Text",
	"Long Text",
	"Read Only",
	"Select",
	"Attach",
	"Attach Image",
	"Signature",
	"Phone",
}
RICH_TEXT = {"Text Editor", "HTML Editor", "Markdown Editor"}


def typed_text(value) -> Markup:
	"""A value a user typed, as text inside HTML: escaped exactly once, line breaks kept as <br>.
	Frappe stores most typed text already escaped (its input filter), other paths store it raw
	(values that parse as JSON, db_set, imports): both are unescaped first, so the reader sees the
	text as typed, never markup and never "&amp;lt;". Also the Jinja filter `typed_text` (hooks
	`jinja`) of the app's notification mails."""
	if value is None:
		return Markup("")
	text = html.unescape(str(value)).replace("\r\n", "\n")
	return Markup(str(escape(text)).replace("\n", "<br>"))


def escape_values(doc) -> None:
	for df in doc.meta.fields:
		value = doc.get(df.fieldname)
		if not isinstance(value, str) or isinstance(value, Markup) or not value:
			continue
		if df.fieldtype in PLAIN_TEXT:
			doc.set(df.fieldname, typed_text(value))
		elif df.fieldtype in RICH_TEXT:
			doc.set(df.fieldname, Markup(frappe.utils.sanitize_html(value, always_sanitize=True)))


def escape_for_print(doc, method=None, *args, **kwargs) -> None:
	"""doc_events `before_print` of the app's DocTypes."""
	escape_values(doc)
	for row in doc.get_all_children():
		escape_values(row)
