"""Attacks over HTTP found in the new surface of this session:

- sharing an app document with oneself *with write* (`frappe.share.add`): the roles that may only
  read and share a Customer Care Message, a Follow-up Plan or a Customer Class must not gain write
  on it (aftersales/sharing.py);
- a Help Article's "Solved by Phone" count, by which the search ranks articles, is the server's:
  the desk (who may write articles) cannot set it (aftersales/api/help_article_rules.py);
(The work order's print had stopped escaping what users typed: a second "Service Work Order" key
in hooks.doc_events replaced its `before_print`; test_privacy.TestPrintsShowTypedTextAsText covers it.)
"""

import frappe

from aftersales.integrity import ServerOwnedFieldError
from aftersales.sharing import ShareRightError
from aftersales.tests import work_orders as wo
from aftersales.tests.api import (
	APITestCase,
	call,
	commit,
	post_resource,
	request,
	run_doc_method,
	stored,
)
from aftersales.tests.utils import demo


def shares(doctype: str, name: str) -> list[tuple]:
	commit()
	return sorted(
		(r.user or "", r.read, r.write, r.submit, r.share)
		for r in frappe.get_all(
			"DocShare",
			{"share_doctype": doctype, "share_name": name},
			["user", "read", "write", "submit", "share"],
		)
	)


class TestShareEscalation(APITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		demo()
		suffix = frappe.generate_hash(length=6)
		cls.message = (
			frappe.get_doc(
				{
					"doctype": "Customer Care Message",
					"title": f"Attack care {suffix}",
					"enabled": 0,
					"occasion": "Birthday",
					"channel": "Email",
					"subject": "Happy birthday",
					"message": "Happy birthday from the service team.",
				}
			)
			.insert()
			.name
		)
		cls.plan = (
			frappe.get_doc(
				{
					"doctype": "Follow-up Plan",
					"plan_name": f"Attack share plan {suffix}",
					"enabled": 0,
					"trigger": "Monthly",
					"day_of_month": 1,
					"channel": "Phone",
					"applies_from": "2020-01-01",
					"questions": [{"question": "Are you happy with us?", "weight": 1}],
				}
			)
			.insert()
			.name
		)
		cls.customer_class = (
			frappe.get_doc({"doctype": "Customer Class", "class_name": f"Attack class {suffix}"})
			.insert()
			.name
		)
		commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for doctype, name in (
			("Customer Care Message", cls.message),
			("Follow-up Plan", cls.plan),
			("Customer Class", cls.customer_class),
		):
			frappe.db.delete("DocShare", {"share_doctype": doctype, "share_name": name})
			frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
		commit()
		super().tearDownClass()

	def assertShareRefused(self, user: str, doctype: str, name: str, **rights):
		before_shares = shares(doctype, name)
		before = stored(doctype, name)
		response = call(user, "frappe.share.add", doctype=doctype, name=name, user=user, **rights)
		self.assertRefused(response, ShareRightError, 403)
		self.assertEqual(shares(doctype, name), before_shares)
		self.assertUnchanged(doctype, name, before)

	def test_desk_cannot_give_itself_write_on_a_care_message(self):
		self.assertShareRefused(wo.DESK, "Customer Care Message", self.message, write=1)
		self.assertShareRefused(wo.DESK, "Customer Care Message", self.message, share=0, write=1, submit=0)
		# and so cannot rewrite the text every customer receives
		self.assertPutRefused(
			wo.DESK,
			"Customer Care Message",
			self.message,
			{"message": "Your account is locked: pay at http://evil.example"},
			frappe.PermissionError,
			403,
		)

	def test_desk_and_dispatcher_cannot_give_themselves_a_plan(self):
		for user in (wo.DESK, wo.DISPATCHER):
			self.assertShareRefused(user, "Follow-up Plan", self.plan, write=1)
		before = stored("Follow-up Plan", self.plan)
		doc = frappe.get_doc("Follow-up Plan", self.plan).as_dict(convert_dates_to_str=True)
		self.assertRefused(run_doc_method(wo.DESK, doc, "make_due_follow_ups"), frappe.PermissionError, 403)
		self.assertUnchanged("Follow-up Plan", self.plan, before)

	def test_staff_cannot_give_themselves_a_customer_class(self):
		for user in (wo.DISPATCHER, wo.TECH_EAST, wo.INSPECTOR):
			self.assertShareRefused(user, "Customer Class", self.customer_class, write=1)

	def test_a_share_of_the_rights_one_has_still_works(self):
		# the desk may share what it reads, read-only, with a colleague
		response = call(
			wo.DESK,
			"frappe.share.add",
			doctype="Customer Care Message",
			name=self.message,
			user=wo.DISPATCHER,
		)
		self.assertEqual(response.status, 200, response)
		self.assertIn((wo.DISPATCHER, 1, 0, 0, 0), shares("Customer Care Message", self.message))
		# the manager, who may change the plan, may give the desk write on it
		response = call(
			wo.MANAGER, "frappe.share.add", doctype="Follow-up Plan", name=self.plan, user=wo.DESK, write=1
		)
		self.assertEqual(response.status, 200, response)
		self.assertIn((wo.DESK, 1, 1, 0, 0), shares("Follow-up Plan", self.plan))
		# (the shares go again: the other tests start from none)
		frappe.db.delete("DocShare", {"share_name": ["in", (self.message, self.plan)]})
		commit()


class TestHelpArticleCount(APITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		demo()
		if not frappe.db.exists("Help Category", "Attack"):
			frappe.get_doc({"doctype": "Help Category", "category_name": "Attack"}).insert()
		cls.article = (
			frappe.get_doc(
				{
					"doctype": "Help Article",
					"title": "Attack article " + frappe.generate_hash(length=6),
					"category": "Attack",
					"content": "<p>Unplug the set for a minute.</p>",
					"published": 1,
				}
			)
			.insert()
			.name
		)
		commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for name in frappe.get_all("Help Article", {"title": ["like", "Attack article %"]}, pluck="name"):
			frappe.delete_doc("Help Article", name, ignore_permissions=True, force=True)
		commit()
		super().tearDownClass()

	def test_desk_cannot_raise_the_solved_by_phone_count(self):
		self.assertPutRefused(
			wo.DESK,
			"Help Article",
			self.article,
			{"aftersales_solved_by_phone": 999},
			ServerOwnedFieldError,
			417,
		)
		self.assertPutRefused(
			wo.MANAGER,
			"Help Article",
			self.article,
			{"aftersales_solved_by_phone": 5, "content": "<p>Better now.</p>"},
			ServerOwnedFieldError,
			417,
		)

	def test_desk_cannot_create_an_article_with_a_count(self):
		title = "Attack article " + frappe.generate_hash(length=6)
		response = post_resource(
			wo.DESK,
			"Help Article",
			{"title": title, "category": "Attack", "content": "<p>x</p>", "aftersales_solved_by_phone": 50},
		)
		self.assertRefused(response, ServerOwnedFieldError, 417)
		commit()
		self.assertFalse(frappe.db.exists("Help Article", {"title": title}))

	def test_desk_still_edits_the_article_it_loaded(self):
		frappe.db.set_value("Help Article", self.article, "aftersales_solved_by_phone", 3)
		commit()
		loaded = request(wo.DESK, "GET", f"/api/resource/Help Article/{self.article}").data
		self.assertEqual(loaded["aftersales_solved_by_phone"], 3)
		# the form sends back the count it loaded with the change: saved (Frappe's Help Article also
		# saves its Help Category, which the desk may write for that)
		loaded["content"] = "<p>Unplug the set for two minutes.</p>"
		response = request(wo.DESK, "PUT", f"/api/resource/Help Article/{self.article}", loaded)
		self.assertEqual(response.status, 200, response.text)
		commit()
		stored = frappe.db.get_value(
			"Help Article", self.article, ["content", "aftersales_solved_by_phone"], as_dict=True
		)
		self.assertEqual((stored.content, stored.aftersales_solved_by_phone), (loaded["content"], 3))
		# the server's own recount still writes it
		from aftersales.api.help_search import recount

		recount([self.article])
		self.assertEqual(frappe.db.get_value("Help Article", self.article, "aftersales_solved_by_phone"), 0)


class TestRecordOutcomeInput(APITestCase):
	"""The call list's Record Outcome with scores that are no object: a clear 417, nothing recorded."""

	def test_scores_that_are_not_an_object_are_refused(self):
		from frappe.utils import nowdate

		from aftersales.service import follow_ups

		customer = demo()["customers"][0]
		plan = frappe.get_doc(
			{
				"doctype": "Follow-up Plan",
				"plan_name": "Attack outcome plan " + frappe.generate_hash(length=6),
				"enabled": 0,
				"trigger": "Monthly",
				"day_of_month": 1,
				"channel": "Phone",
				"applies_from": "2020-01-01",
				"questions": [{"question": "Are you happy with us?", "weight": 1}],
			}
		).insert()
		name = follow_ups.make_follow_up(
			plan,
			{
				"customer": customer,
				"scheduled_date": nowdate(),
				"period": "attack-" + frappe.generate_hash(length=6),
			},
		)
		commit()
		try:
			before = stored("Service Follow-up", name)
			for scores in ([5, 5, 5], {"answers": [5]}, "5"):
				response = call(
					wo.DESK,
					"aftersales.service.follow_ups.record_outcome",
					follow_up=name,
					outcome="Satisfied",
					scores=scores,
				)
				self.assertRefused(response, follow_ups.ScoreError, 417)
				self.assertUnchanged("Service Follow-up", name, before)
			# a real answer is still recorded
			row = before["answers"][0]["name"]
			response = call(
				wo.DESK,
				"aftersales.service.follow_ups.record_outcome",
				follow_up=name,
				outcome="Satisfied",
				scores={"answers": {row: {"score": 4}}},
			)
			self.assertEqual(response.status, 200, response)
			commit()
			self.assertEqual(frappe.db.get_value("Service Follow-up", name, "docstatus"), 1)
		finally:
			frappe.db.rollback()
			frappe.db.set_value("Service Follow-up", name, "docstatus", 2)  # so it may be deleted
			frappe.delete_doc("Service Follow-up", name, ignore_permissions=True, force=True)
			frappe.delete_doc("Follow-up Plan", plan.name, ignore_permissions=True, force=True)
			commit()
