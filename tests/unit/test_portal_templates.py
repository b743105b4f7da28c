"""Static checks of the portal's page templates (aftersales/www/, aftersales/templates/portal/):
Frappe renders web pages without autoescape, so every value a template prints must be escaped or be
one of the template's own literals; and every text a template translates has its Chinese."""

import re
from pathlib import Path

from . import translations

APP = Path(__file__).resolve().parents[2] / "aftersales"
TEMPLATES = sorted([*APP.glob("www/**/*.html"), *APP.glob("templates/portal/*.html")])

EXPRESSION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
ESCAPED = re.compile(r"\|\s*(e|typed_text|tojson)\s*$")
STRING = r"""(["'])(?:\\.|(?!\1).)*\1"""
# _("Code") or, for a word the app means in its own sense, _("Code", context="Portal Verification")
TRANSLATED_LITERAL = re.compile(rf"""^_\(\s*{STRING}(?:\s*,\s*context\s*=\s*(["'])[\w .-]*\2)?\s*\)$""")
# 'active' if x else '' -- only the template's own strings can come out
# a call of the survey macros (templates/portal/survey_macros.html, scanned here like every
# template): each value they print is escaped inside the macro
MACRO_CALL = re.compile(r"^survey\.(stars|overall_and_send|thanks)\(")
LITERAL_CHOICE = re.compile(r"""^(["'])[\w ;,.-]*\1 if [^{}]+?( else (["'])[\w ;,.-]*\3)?$""")
# printed as they are, and why that is safe
ALLOWED = {
	"super()",  # the parent template's block
	"route",  # layout.html: the portal menu's own routes
	"label",  # layout.html: the portal menu's translated labels
	"body",  # help-center/article.html: the article, through frappe's sanitize_html
	"score.field",  # survey/order.html: the three score field names of the page's context
	"n",  # survey/order.html: the stars 1..5
	"money(part.amount)",  # the money macros escape their output
	"money(order.labour_amount)",
	"money(order.chargeable_amount)",
	"money(estimate.labour_amount)",
	"money(estimate.total)",
	"money(0)",
	"('?q=' ~ (q | urlencode)) if q else ''",  # url-encoded: no quote or angle bracket survives
	"('&q=' ~ (q | urlencode)) if q else ''",
}
TRANSLATE_CALL = re.compile(rf"_\(\s*{STRING}")


def expressions():
	for path in TEMPLATES:
		for match in EXPRESSION.finditer(path.read_text()):
			yield path.relative_to(APP), " ".join(match.group(1).split())


def test_there_are_portal_templates():
	assert len(TEMPLATES) >= 15


def test_every_printed_value_is_escaped_or_the_templates_own():
	unsafe = [
		(str(path), expr)
		for path, expr in expressions()
		if not (
			ESCAPED.search(expr)
			or TRANSLATED_LITERAL.match(expr)
			or LITERAL_CHOICE.match(expr)
			or MACRO_CALL.match(expr)
			or expr in ALLOWED
		)
	]
	assert unsafe == []


def test_every_translated_text_has_chinese():
	table = translations.load_csv("zh")
	texts = set()
	for path in TEMPLATES:
		for match in re.finditer(r"""_\(\s*(["'])((?:\\.|(?!\1).)*)\1""", path.read_text()):
			texts.add(match.group(2))
	missing = sorted(t for t in texts if not table.get(t, "").strip())
	assert missing == [], "add these to aftersales/translations/zh.csv:\n" + "\n".join(missing)


def test_the_checks_catch_an_unescaped_value():
	assert not ESCAPED.search("order.symptoms")
	assert not LITERAL_CHOICE.match("order.symptoms if x else ''")
	assert LITERAL_CHOICE.match("'active' if g == group else ''")
	assert TRANSLATED_LITERAL.match('_("Help Center")')
	assert TRANSLATED_LITERAL.match('_("Code", context="Portal Verification")')
	assert not TRANSLATED_LITERAL.match('_("Code", context=order.name)')
	assert not TRANSLATED_LITERAL.match('_("Invoice {0}").format(order.name)')
