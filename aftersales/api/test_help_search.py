"""KB-1: the desk's Help Article search (words in Chinese and English, fault code, item group, the
caller's rights) and the articles' "solved by phone" counts."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from aftersales.api.help_search import HelpSearchError, recount, search_help_articles, search_words
from aftersales.domain import work_order_flow as flow
from aftersales.tests import work_orders as wo
from aftersales.tests.utils import demo, keep_in_transaction, portal_user_for


def make_article(title: str, content: str, category: str = "Troubleshooting", published: int = 1) -> str:
	if not frappe.db.exists("Help Category", {"category_name": category}):
		frappe.get_doc({"doctype": "Help Category", "category_name": category}).insert()
	return (
		frappe.get_doc(
			{
				"doctype": "Help Article",
				"title": title,
				"content": content,
				"category": frappe.db.get_value("Help Category", {"category_name": category}),
				"published": published,
			}
		)
		.insert()
		.name
	)


def make_fault(code: str, article: str, item_group: str) -> str:
	frappe.get_doc(
		{
			"doctype": "Fault Code",
			"fault_code": code,
			"fault_name": code,
			"item_group": item_group,
			"symptom": "Test symptom",
			"help_article": article,
		}
	).insert()
	return code


class TestHelpSearch(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		demo()

	def setUp(self):
		keep_in_transaction(self)
		self.fridge = make_article(
			"冰箱不制冷怎么办", "<p>先检查温控器是否调到0档，再看压缩机是否运转。Fridge not cooling.</p>"
		)
		self.washer = make_article("洗衣机排水故障 E21", "<p>清洗排水过滤器。Washer drain filter.</p>")
		self.noise = make_article("冰箱噪音大", "<p>调整底脚使冰箱放平。</p>")
		self.hidden = make_article("冰箱制冷剂泄漏（内部）", "<p>内部资料</p>", published=0)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def names(self, **kwargs):
		return [r["name"] for r in search_help_articles(**kwargs)]

	def test_words_are_split_and_chinese_runs_count_by_their_pieces(self):
		self.assertEqual(search_words("冰箱 不制冷, E21"), (["冰箱", "不制冷", "E21"], []))
		words, pieces = search_words("冰箱不制冷")
		self.assertEqual(words, ["冰箱不制冷"])
		self.assertEqual(pieces, ["冰箱", "箱不", "不制", "制冷"])
		self.assertEqual(search_words("洗衣机，排水。")[0], ["洗衣机", "排水"])

	def test_chinese_words_find_and_rank_published_articles(self):
		found = self.names(text="冰箱 制冷")
		self.assertEqual(found[0], self.fridge, "both words in the title rank first")
		self.assertIn(self.noise, found)  # 冰箱 only
		self.assertNotIn(self.washer, found)
		self.assertNotIn(self.hidden, found, "unpublished articles are not offered")
		# no spaces: the run's two-character pieces still find the article that says it
		self.assertEqual(self.names(text="冰箱制冷")[0], self.fridge)
		self.assertEqual(self.names(text="压缩机"), [self.fridge])  # a word in the text only
		found = self.names(text="drain FILTER")  # English, any case
		self.assertIn(self.washer, found)
		self.assertNotIn(self.fridge, found)
		self.assertEqual(self.names(text="100%_"), [])  # LIKE wildcards are plain characters
		self.assertRaises(HelpSearchError, search_help_articles)

	def test_the_fault_code_and_the_item_group_rank_their_articles_first(self):
		for group, parent in (("_AS Kitchen", "All Item Groups"), ("_AS Fridges", "_AS Kitchen")):
			frappe.get_doc(
				{
					"doctype": "Item Group",
					"item_group_name": group,
					"parent_item_group": parent,
					"is_group": 1,
				}
			).insert()
		make_fault("_AS-FR-NOISE", self.noise, "_AS Kitchen")
		make_fault("_AS-FR-COOL", self.fridge, "Services")
		found = self.names(text="冰箱", fault_code="_AS-FR-COOL")
		self.assertEqual(found[0], self.fridge)
		# a product of a subgroup finds the articles of fault codes for the group above it
		found = self.names(text="冰箱", item_group="_AS Fridges")
		self.assertEqual(found[0], self.noise)
		self.assertEqual(self.names(item_group="_AS Fridges"), [self.noise])
		self.assertNotIn(self.washer, self.names(item_group="_AS Fridges"))

	def test_the_callers_rights_apply(self):
		other = make_article("冰箱门封条更换", "<p>门封条</p>", category="_AS Internal")
		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": wo.DESK,
				"allow": "Help Category",
				"for_value": frappe.db.get_value("Help Category", {"category_name": "Troubleshooting"}),
				"apply_to_all_doctypes": 1,
			}
		).insert()
		frappe.set_user(wo.DESK)
		found = self.names(text="冰箱")
		self.assertIn(self.fridge, found)
		self.assertNotIn(other, found, "an article of a category the user may not read")
		frappe.set_user("Administrator")
		self.assertIn(other, self.names(text="冰箱"))
		# a portal customer has no desk rights on Help Articles
		frappe.set_user(portal_user_for(demo()["customers"][0]))
		self.assertRaises(frappe.PermissionError, search_help_articles, text="冰箱")

	def test_an_article_counts_the_orders_solved_by_phone_with_it(self):
		article = frappe.db.get_value("Fault Code", "TV-NOSIGNAL", "help_article")
		recount([article])  # the count as the orders stored so far make it (a run before may have left some)
		before = frappe.db.get_value("Help Article", article, "aftersales_solved_by_phone") or 0
		order = wo.new_work_order(fault_code="TV-NOSIGNAL")
		self.assertEqual(frappe.db.get_value("Help Article", article, "aftersales_solved_by_phone"), before)
		wo.move(order, flow.CLOSED, wo.DESK, phone_solution="Switched the input to HDMI 1")
		self.assertEqual(
			frappe.db.get_value("Help Article", article, "aftersales_solved_by_phone"), before + 1
		)
		result = next(r for r in search_help_articles(fault_code="TV-NOSIGNAL") if r["name"] == article)
		self.assertEqual(result["solved_by_phone"], before + 1)

	def test_an_article_due_for_review_tells_the_after_sales_manager(self):
		frappe.db.set_value("Help Article", self.fridge, "aftersales_review_date", nowdate())
		frappe.db.set_value("Help Article", self.noise, "aftersales_review_date", add_days(nowdate(), 30))
		alert = frappe.get_doc("Notification", "Help Article Review Due")
		due = [doc.name for doc in alert.get_documents_for_today()]
		self.assertIn(self.fridge, due)
		self.assertNotIn(self.noise, due)
		alert.send(frappe.get_doc("Help Article", self.fridge))
		self.assertTrue(
			frappe.db.exists(
				"Notification Log", {"document_name": self.fridge, "for_user": "manager@aftersales.demo"}
			)
		)
		result = next(r for r in search_help_articles(text="冰箱") if r["name"] == self.fridge)
		self.assertTrue(result["review_due"])
