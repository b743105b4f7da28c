"""The desk's search of the knowledge base (KB-1): published Help Articles found from a Service Work
Order by its fault code, its product's item group and words, Chinese included, best first.

MariaDB's full-text index does not split Chinese into words, so the words are matched with LIKE on
the title and the content: the query is split at spaces and punctuation (Chinese punctuation too),
and a Chinese run of four or more characters also counts by its two-character pieces, so that
"冰箱不制冷" finds an article that says "冰箱……不制冷" or "制冷". A word in the title weighs more than
one in the text; the article of the order's fault code and articles of fault codes for the
product's item group (or a group above it) rank first. One query ranks, a second applies the
caller's permissions, whatever the number of articles.

Each Help Article shows how many orders it helped close on the phone (`aftersales_solved_by_phone`,
kept by `count_phone_solutions` whenever an order is solved by phone) and when the service team
should review it (`aftersales_review_date`)."""

import re

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Count, Max
from frappe.utils import cint, cstr, getdate, nowdate
from pypika.terms import Case, ValueWrapper

from aftersales.portal.help_center import like, snippet, title_in_language

MAX_WORDS = 8
SPLIT = re.compile(r"[\s,.;:!?()\[\]{}\"'，。；：！？、（）【】《》“”‘’·…]+")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
WEIGHTS = {"title": 3, "content": 1, "piece_title": 2, "piece_content": 1, "fault_code": 20, "item_group": 5}


class HelpSearchError(frappe.ValidationError):
	pass


def search_words(text: str | None) -> tuple[list[str], list[str]]:
	"""(words, pieces): the query's words, and the two-character pieces of its long Chinese runs."""
	words, pieces = [], []
	for word in SPLIT.split(cstr(text).strip()):
		if not word or word in words:
			continue
		words.append(word)
		if len(word) >= 4 and all(CJK.match(ch) for ch in word):
			pieces += [word[i : i + 2] for i in range(len(word) - 1) if word[i : i + 2] not in pieces]
	return words[:MAX_WORDS], pieces[: MAX_WORDS * 2]


def _match(field, term: str, weight: int):
	return Case().when(field.like(like(term)), weight).else_(0)


@frappe.whitelist()
def search_help_articles(
	text: str | None = None, fault_code: str | None = None, item_group: str | None = None, limit: int = 20
) -> list[dict]:
	"""Published Help Articles the caller may read, best first: the fault code's article, articles
	of fault codes for the item group (or a parent group), and articles with the words."""
	frappe.has_permission("Help Article", "read", throw=True)
	words, pieces = search_words(text)
	if not (words or fault_code or item_group):
		frappe.throw(_("Enter words, a fault code or an item group to search."), exc=HelpSearchError)
	limit = min(max(cint(limit) or 20, 1), 50)

	article = frappe.qb.DocType("Help Article")
	fault = frappe.qb.DocType("Fault Code")
	group = frappe.qb.DocType("Item Group")
	# per article: is it the fault code's, and is it an article of a fault code for the item group
	bounds = (
		frappe.db.get_value("Item Group", item_group, ["lft", "rgt"], as_dict=True) if item_group else None
	)
	group_match = (
		(group.lft <= bounds.lft) & (group.rgt >= bounds.rgt)
		if bounds
		else ValueWrapper(0) == ValueWrapper(1)
	)
	faults = (
		frappe.qb.from_(fault)
		.left_join(group)
		.on(group.name == fault.item_group)
		.select(
			fault.help_article,
			Max(Case().when(fault.name == cstr(fault_code), 1).else_(0)).as_("is_fault"),
			Max(Case().when(group_match, 1).else_(0)).as_("is_group"),
		)
		.where(fault.disabled == 0)
		.where(fault.help_article.isnotnull())
		.groupby(fault.help_article)
	).as_("faults")

	word_score = ValueWrapper(0)
	for word in words:
		word_score = word_score + _match(article.title, word, WEIGHTS["title"])
		word_score = word_score + _match(article.content, word, WEIGHTS["content"])
	for piece in pieces:
		word_score = word_score + _match(article.title, piece, WEIGHTS["piece_title"])
		word_score = word_score + _match(article.content, piece, WEIGHTS["piece_content"])
	fault_score = Coalesce(faults.is_fault, 0) * WEIGHTS["fault_code"]
	group_score = Coalesce(faults.is_group, 0) * WEIGHTS["item_group"]
	score = word_score + fault_score + group_score

	query = (
		frappe.qb.from_(article)
		.left_join(faults)
		.on(faults.help_article == article.name)
		.select(
			article.name,
			article.title,
			article.category,
			article.content,
			article.route,
			article.aftersales_review_date.as_("review_date"),
			article.aftersales_solved_by_phone.as_("solved_by_phone"),
			word_score.as_("word_score"),
			score.as_("score"),
		)
		.where(article.published == 1)
		.orderby(score, order=frappe.qb.desc)
		.orderby(article.aftersales_solved_by_phone, order=frappe.qb.desc)
		.orderby(article.title)
		.limit(limit)
	)
	# words, when given, must be found; otherwise the fault code's or the group's articles
	if words:
		query = query.where(word_score > 0)
	else:
		query = query.where((Coalesce(faults.is_fault, 0) + Coalesce(faults.is_group, 0)) > 0)
	rows = query.run(as_dict=True)

	readable = set(
		frappe.get_list(
			"Help Article", filters={"name": ["in", [r.name for r in rows] or [""]]}, pluck="name"
		)
	)
	today = getdate(nowdate())
	results = []
	for row in rows:
		if row.name not in readable:
			continue
		results.append(
			{
				"name": row.name,
				"title": title_in_language(row.title, row.content),
				"snippet": snippet(row.content),
				"category": row.category,
				"solved_by_phone": cint(row.solved_by_phone),
				"review_date": row.review_date,
				"review_due": bool(row.review_date and getdate(row.review_date) <= today),
				"score": cint(row.score),
				"portal_url": f"/help-center/{row.name}",
			}
		)
	return results


# ---------------------------------------------------------------- solved-by-phone counts


def count_phone_solutions(doc, method=None) -> None:
	"""`on_update` of Service Work Order: when an order is (or stops being) solved by phone, its
	article's count is made again from the orders."""
	before = doc.get_doc_before_save()
	articles = {doc.help_article if doc.solved_by_phone else None}
	if before and before.solved_by_phone:
		articles.add(before.help_article)
	if before and before.solved_by_phone == doc.solved_by_phone and before.help_article == doc.help_article:
		return
	recount([a for a in articles if a])


def recount(articles: list[str] | None = None) -> None:
	"""Each article's number of orders closed on the phone with it (all articles when None)."""
	order = frappe.qb.DocType("Service Work Order")
	query = (
		frappe.qb.from_(order)
		.select(order.help_article, Count(order.name).as_("orders"))
		.where(order.solved_by_phone == 1)
		.where(order.status != "Cancelled")
		.where(order.help_article.isnotnull())
		.groupby(order.help_article)
	)
	if articles is not None:
		if not articles:
			return
		query = query.where(order.help_article.isin(articles))
	counts = dict(query.run())
	names = articles if articles is not None else frappe.get_all("Help Article", pluck="name")
	for name in names:
		if frappe.db.exists("Help Article", name):
			frappe.db.set_value(
				"Help Article",
				name,
				"aftersales_solved_by_phone",
				cint(counts.get(name)),
				update_modified=False,
			)
