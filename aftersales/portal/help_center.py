"""Help Center (KB-1, WO-15): the published Help Articles, by product group (the Fault Codes that
point to them) and category, searchable in any language the articles are written in (Chinese
included: a plain substring match, which MariaDB's full-text search would not do for Chinese).
"Did this solve it? No" opens Request Service with the fault code and its symptom filled in.

Help Articles are public knowledge (Frappe publishes them at /kb as well); of a Fault Code only the
code, name, symptom and product group are shown."""

import re

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce
from frappe.utils import cstr, strip_html
from frappe.utils.html_utils import sanitize_html

ZH_BLOCK = re.compile(r"<div lang=\"zh\">(.*?)</div>", re.DOTALL)
ZH_HEADING = re.compile(r"<h\d[^>]*>(.*?)</h\d>", re.DOTALL)
MAX_TERMS = 5


def like(term: str) -> str:
	return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_terms(q) -> list[str]:
	return [t for t in cstr(q).split() if t][:MAX_TERMS]


def find_articles(q: str | None = None, group: str | None = None) -> list[dict]:
	article = frappe.qb.DocType("Help Article")
	fault = frappe.qb.DocType("Fault Code")
	query = (
		frappe.qb.from_(article)
		.left_join(fault)
		.on((fault.help_article == article.name) & (fault.disabled == 0))
		.select(article.name, article.title, article.category, article.content)
		.distinct()
		.where(article.published == 1)
		.orderby(article.title)
		.limit(100)
	)
	for term in search_terms(q):
		pattern = like(term)
		query = query.where(
			article.title.like(pattern)
			| article.content.like(pattern)
			| Coalesce(fault.fault_name, "").like(pattern)
			| Coalesce(fault.symptom, "").like(pattern)
			| Coalesce(fault.fault_code, "").like(pattern)
		)
	if group:
		query = query.where(fault.item_group == group)
	rows = query.run(as_dict=True)
	faults = fault_codes([r.name for r in rows])
	for row in rows:
		row.snippet = snippet(row.content)
		row.title = title_in_language(row.title, row.content)
		row.faults = faults.get(row.name, [])
		row.url = f"/help-center/{row.name}"
		row.category_name = (
			frappe.db.get_value("Help Category", row.category, "category_name") if row.category else None
		)
		del row["content"]
	return rows


def fault_codes(articles: list[str]) -> dict[str, list[dict]]:
	found = {}
	if not articles:
		return found
	for row in frappe.get_all(
		"Fault Code",
		{"help_article": ["in", articles], "disabled": 0},
		["name", "fault_name", "symptom", "item_group", "help_article", "solvable_by_phone"],
		order_by="name",
	):
		found.setdefault(row.help_article, []).append(row)
	return found


def reader_reads_chinese() -> bool:
	return (frappe.local.lang or "en").startswith("zh")


def split_languages(content: str | None) -> tuple[str, str]:
	"""An article written in both languages keeps its Chinese part in <div lang="zh">: (Chinese, rest)."""
	content = content or ""
	return "".join(ZH_BLOCK.findall(content)), ZH_BLOCK.sub("", content)


def in_language(content: str | None) -> str:
	"""The whole article, the reader's language first."""
	chinese, rest = split_languages(content)
	return chinese + rest if reader_reads_chinese() else rest + chinese


def title_in_language(title: str, content: str | None) -> str:
	chinese, _rest = split_languages(content)
	heading = ZH_HEADING.search(chinese)
	return strip_html(heading.group(1)).strip() if heading and reader_reads_chinese() else title


def snippet(content: str | None, length: int = 140) -> str:
	"""The start of the article in the reader's language (without the Chinese title)."""
	chinese, rest = split_languages(content)
	part = ZH_HEADING.sub("", chinese) if reader_reads_chinese() and chinese else rest
	text = " ".join(strip_html(part or rest).split())
	return text if len(text) <= length else text[:length].rstrip() + "…"


def product_groups() -> list[str]:
	return sorted(
		{g for g in frappe.get_all("Fault Code", {"disabled": 0}, pluck="item_group", distinct=True) if g}
	)


def get_context(context) -> None:
	context.no_cache = 1
	context.show_sidebar = frappe.session.user != "Guest"
	context.title = _("Help Center")
	context.q = cstr(frappe.form_dict.q)[:100]
	context.group = cstr(frappe.form_dict.group)[:140]
	context.groups = product_groups()
	context.articles = find_articles(context.q, context.group)


def get_article_context(context) -> None:
	name = cstr(frappe.form_dict.name)[:140]
	article = frappe.db.get_value(
		"Help Article", {"name": name, "published": 1}, ["name", "title", "category", "content"], as_dict=True
	)
	if not article:
		raise frappe.PageDoesNotExistError
	context.no_cache = 1
	context.show_sidebar = frappe.session.user != "Guest"
	context.title = title_in_language(article.title, article.content)
	context.parents = [{"route": "help-center", "title": _("Help Center")}]
	context.article = article
	context.body = sanitize_html(in_language(article.content))
	context.faults = fault_codes([article.name]).get(article.name, [])
	fault = context.faults[0].name if context.faults else ""
	context.request_url = "/request-service" + (f"?fault_code={fault}" if fault else "")
