"""Bad input through the HTTP API (issue 10, E): text past its column, dates and numbers that are
not, a Check that is neither 0 nor 1, Links to records that do not exist. Each is tried by a user
who may edit the record, through `/api/resource` and `frappe.client`, and must be refused with
HTTP 417, the guard's error class and a message naming the field, with nothing written.

The guard is one doc event for every DocType of the app and its child tables
(aftersales/input_guard.py; the rules in aftersales/domain/field_values.py)."""

import json

import frappe

from aftersales.input_guard import (
	InvalidValueError,
	LinkNotFoundError,
	ValueTooLongError,
	app_modules,
	fetched_links,
)
from aftersales.tests import work_orders as wo
from aftersales.tests.api import APITestCase, call, commit, post_resource, put_resource, stored
from aftersales.tests.utils import demo

ORDER = "Service Work Order"
CHINESE_90_KB = "屏幕不亮" * 7500  # 30,000 characters, 90,000 bytes in utf8mb4


class BadInputTestCase(APITestCase):
	def setUp(self):
		self.order = wo.new_work_order()
		commit()
		self.before = stored(ORDER, self.order.name)

	def assertRefusedUnchanged(self, response, exc, label: str):
		"""417 with the guard's class, a message that names the field, and the order as it was."""
		self.assertRefused(response, exc, status=417)
		self.assertIn(label, messages(response), response)
		self.assertUnchanged(ORDER, self.order.name, self.before)

	def put(self, values: dict, user: str = wo.DESK):
		return put_resource(user, ORDER, self.order.name, values)

	def count(self, doctype: str = ORDER, **filters) -> int:
		commit()
		return frappe.db.count(doctype, filters)


def messages(response) -> str:
	"""The texts of the messages Frappe sent with the error (`_server_messages`)."""
	raw = response.json.get("_server_messages") or "[]"
	return " ".join(json.loads(m).get("message", "") for m in json.loads(raw))


class TestTooLong(BadInputTestCase):
	def test_100_000_characters_in_a_small_text(self):
		response = self.put({"symptoms": "x" * 100_000})
		self.assertRefusedUnchanged(response, ValueTooLongError, "Symptoms")
		self.assertIn("65535", messages(response))

	def test_90_kb_of_chinese_in_symptoms(self):
		"""30,000 characters: few enough for a character count, too many bytes for TEXT."""
		self.assertRefusedUnchanged(self.put({"symptoms": CHINESE_90_KB}), ValueTooLongError, "Symptoms")

	def test_a_long_data_field(self):
		"""A varchar(140) counts characters; the message does not echo the value back."""
		response = self.put({"signed_by": "张" * 141})
		self.assertRefusedUnchanged(response, ValueTooLongError, "Signed By")
		self.assertNotIn("张" * 141, response.text)

	def test_text_that_grows_when_its_html_is_escaped(self):
		"""Frappe escapes HTML before writing: 20,000 "<b>&" fit as typed, not once escaped."""
		response = self.put({"symptoms": "<i>&</i>" * 8000})  # 64,000 bytes, more once "&" is "&amp;"
		self.assertRefusedUnchanged(response, ValueTooLongError, "Symptoms")

	def test_a_child_row_names_its_table_and_row(self):
		rows = [r.as_dict(convert_dates_to_str=True) for r in self.order.self_checks]
		rows.append({"check_item": "Screen", "remark": "x" * 141})
		response = self.put({"self_checks": rows})
		self.assertRefusedUnchanged(response, ValueTooLongError, "Remark")
		self.assertIn(f"row {len(rows)}", messages(response))

	def test_through_frappe_client_insert(self):
		"""A new order: refused, and no order made."""
		before = self.count()
		doc = {"doctype": ORDER, **new_order_values(), "symptoms": CHINESE_90_KB}
		response = call(wo.DESK, "frappe.client.insert", doc=doc)
		self.assertRefused(response, ValueTooLongError, status=417)
		self.assertEqual(self.count(), before)

	def test_in_another_doctype(self):
		"""Fault Code (a master), as the manager who keeps them."""
		before = self.count("Fault Code")
		response = post_resource(
			wo.MANAGER,
			"Fault Code",
			{"fault_code": "TEST-LONG", "fault_name": "Long", "symptom": "x" * 70_000},
		)
		self.assertRefused(response, ValueTooLongError, status=417)
		self.assertIn("Symptom", messages(response))
		self.assertEqual(self.count("Fault Code"), before)


class TestNotOfItsType(BadInputTestCase):
	def test_a_date_that_is_not_a_date(self):
		self.assertRefusedUnchanged(
			self.put({"purchase_date": "yesterday-ish"}), InvalidValueError, "Purchase Date"
		)

	def test_a_date_that_does_not_exist(self):
		self.assertRefusedUnchanged(self.put({"fault_date": "2026-02-30"}), InvalidValueError, "Fault Date")

	def test_a_datetime_that_is_not_one(self):
		self.assertRefusedUnchanged(self.put({"received_on": "soon"}), InvalidValueError, "Received On")

	def test_definitely_in_a_check(self):
		self.assertRefusedUnchanged(self.put({"is_important": "definitely"}), InvalidValueError, "Important")

	def test_abc_in_a_float_is_not_stored_as_0(self):
		self.assertRefusedUnchanged(self.put({"mileage": "abc"}), InvalidValueError, "Mileage")

	def test_a_number_past_its_column(self):
		self.assertRefusedUnchanged(self.put({"mileage": 1e13}), InvalidValueError, "Mileage")

	def test_a_check_in_a_child_row(self):
		rows = [r.as_dict(convert_dates_to_str=True) for r in self.order.self_checks]
		rows.append({"check_item": "Screen", "done": "definitely"})
		self.assertRefusedUnchanged(self.put({"self_checks": rows}), InvalidValueError, "Done")

	def test_through_frappe_client_save(self):
		doc = frappe.get_doc(ORDER, self.order.name).as_dict(convert_dates_to_str=True)
		doc["purchase_date"] = "yesterday-ish"
		response = call(wo.DESK, "frappe.client.save", doc=doc)
		self.assertRefused(response, InvalidValueError, status=417)
		self.assertUnchanged(ORDER, self.order.name, self.before)

	def test_through_frappe_client_set_value(self):
		response = call(
			wo.DESK,
			"frappe.client.set_value",
			doctype=ORDER,
			name=self.order.name,
			fieldname="mileage",
			value="abc",
		)
		self.assertRefusedUnchanged(response, InvalidValueError, "Mileage")

	def test_a_new_order_with_a_bad_date_is_not_made(self):
		before = self.count()
		response = post_resource(wo.DESK, ORDER, {**new_order_values(), "purchase_date": "yesterday-ish"})
		self.assertRefused(response, InvalidValueError, status=417)
		self.assertEqual(self.count(), before)

	def test_in_a_complaint(self):
		before = self.count("Customer Complaint")
		response = post_resource(
			wo.DESK,
			"Customer Complaint",
			{
				"subject": "Late technician",
				"channel": "Hotline",
				"category": "Service Attitude",
				"severity": "Normal",
				"customer": demo()["customers"][0],
				"complainant": "Zhang Wei",
				"description": "The technician came two hours late.",
				"received_at": "last tuesday",
			},
		)
		self.assertRefused(response, InvalidValueError, status=417)
		self.assertIn("Received At", messages(response))
		self.assertEqual(self.count("Customer Complaint"), before)

	def test_good_values_in_text_form_still_save(self):
		"""What a form or a script sends as text is stored as the column's type."""
		response = self.put({"mileage": "12.5", "is_important": "1", "purchase_date": "2026-01-05 00:00:00"})
		self.assertEqual(response.status, 200, response)
		after = stored(ORDER, self.order.name)
		self.assertEqual((after["mileage"], after["is_important"]), (12.5, 1))
		self.assertEqual(after["purchase_date"], "2026-01-05")


class TestLinksThatDoNotExist(BadInputTestCase):
	"""Frappe 15 does not check a Link from which other fields are fetched (fetch_from) when its
	target is missing: customer, technician and fault code are such links."""

	def test_the_links_checked_are_those_frappe_fetches_from(self):
		"""`fetched_links` reads each DocType's fields once: the same fields as Frappe's own methods
		give, for every DocType of the app and its child tables."""
		for doctype in frappe.get_all("DocType", {"module": ("in", list(app_modules()))}, pluck="name"):
			meta = frappe.get_meta(doctype)
			frappes = [
				df.fieldname
				for df in meta.get_link_fields() + meta.get("fields", {"fieldtype": "Dynamic Link"})
				if meta.get_fields_to_fetch(df.fieldname) and (df.fieldtype != "Link" or df.options)
			]
			self.assertEqual([df.fieldname for df in fetched_links(meta)], frappes, doctype)
		self.assertIn("customer", [df.fieldname for df in fetched_links(frappe.get_meta(ORDER))])

	def test_a_customer_that_does_not_exist(self):
		self.assertRefusedUnchanged(self.put({"customer": "No Such Customer"}), LinkNotFoundError, "Customer")

	def test_a_new_order_for_a_customer_that_does_not_exist(self):
		before = self.count()
		response = post_resource(wo.DESK, ORDER, {**new_order_values(), "customer": "No Such Customer"})
		self.assertRefused(response, LinkNotFoundError, status=417)
		self.assertEqual(self.count(), before)

	def test_a_fault_code_that_does_not_exist(self):
		self.assertRefusedUnchanged(
			self.put({"fault_code": "NO-SUCH-FAULT"}), LinkNotFoundError, "Fault Code"
		)

	def test_a_technician_that_does_not_exist(self):
		"""The dispatcher assigns, on an accepted order."""
		order = wo.move(self.order, "Accepted", wo.DISPATCHER, service_point=demo()["service_points"][0])
		commit()
		self.before = stored(ORDER, order.name)
		response = self.put({"technician": "HR-EMP-NOBODY"}, user=wo.DISPATCHER)
		self.assertRefusedUnchanged(response, LinkNotFoundError, "Technician")

	def test_a_part_that_does_not_exist_in_a_child_row(self):
		"""The technician asks for a part on an order in progress; the part's item fetches its name."""
		order = wo.start_work(self.order)
		commit()
		self.before = stored(ORDER, order.name)
		rows = [r.as_dict(convert_dates_to_str=True) for r in order.parts]
		rows.append({"item_code": "NO-SUCH-PART", "qty": 1})
		response = self.put({"parts": rows}, user=wo.TECH_EAST)
		self.assertRefusedUnchanged(response, LinkNotFoundError, "Item")
		self.assertIn(f"row {len(rows)}", messages(response))


def new_order_values() -> dict:
	data = demo()
	return {
		"company": data["company"],
		"order_type": "Repair",
		"channel": "Phone",
		"customer": data["customers"][0],
		"phone": "138-0013 8001",
		"item_code": "TV-55-U8",
		"fault_code": "TV-NOPIC",
		"symptoms": "Sound but no picture",
	}
