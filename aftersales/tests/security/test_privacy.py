"""Privacy through the HTTP API (issue 10, D), organised by threat: each attack is made with the
attacking user's own API key, as a browser console or a script would, and must be refused or come
back without the other party's data; a control shows that the rightful reader still gets it.

The rules: record-level hooks of each DocType (work orders, complaints, returns, corrective
actions), aftersales/privacy.py for their child tables and files, aftersales/query_guard.py in
front of Frappe's list endpoints, permlevel 1 for internal fields, aftersales/print_safety.py and
the escaped print formats."""

import json

import frappe
from frappe.desk.form.assign_to import add as assign_to

from aftersales.query_guard import HiddenFieldQueryError, UnsafeQueryError
from aftersales.returns.doctype.return_request.test_return_request import ReturnTestCase
from aftersales.roles import SERVICE_TECHNICIAN
from aftersales.tests import work_orders as wo
from aftersales.tests.api import APITestCase, call, commit, get_resource, give_back_stock, request
from aftersales.tests.complaints import ComplaintTestCase
from aftersales.tests.utils import demo, portal_user_for

ORDER = "Service Work Order"
COMPLAINT = "Customer Complaint"
SCRIPT = "<script>alert(1)</script>"


def make_user(email: str, roles: list[str]) -> str:
	"""The user with `roles` (given again every time: uninstalling the app deletes its roles, and a
	site's test users outlive that)."""
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	missing = [role for role in roles if role not in frappe.get_roles(email)]
	if missing:
		user.add_roles(*missing)
	return email


def names(response) -> set[str]:
	"""Record names in a list response of frappe.client.get_list or frappe.desk.reportview.get."""
	data = response.data or []
	if isinstance(data, dict):  # reportview.get: {"keys": [...], "values": [[...]]}
		keys = data.get("keys") or []
		rows = [dict(zip(keys, values, strict=False)) for values in data.get("values") or []]
	else:
		rows = data
	return {row.get("name") or row.get("parent") for row in rows if isinstance(row, dict)}


def parents(response) -> set[str]:
	return {row.get("parent") for row in (response.data or []) if isinstance(row, dict)}


def east_order():
	"""An order of Zhang Wei dispatched to the East service point and its technician."""
	return wo.dispatch(wo.new_work_order())


class TestAssignmentMatchesTheUserWhole(ComplaintTestCase, APITestCase):
	"""techx@ must not read the complaints assigned to atechx@ (`_assign like '%techx@…%'`)."""

	def setUp(self):
		super().setUp()
		self.techx = make_user("techx@aftersales.test", [SERVICE_TECHNICIAN])
		self.atechx = make_user("atechx@aftersales.test", [SERVICE_TECHNICIAN])
		self.complaint = self.register(subject="Assigned to atechx only", owner_user=self.atechx)
		commit()

	def test_list_count_and_document_are_refused_to_a_suffix_of_the_assignee(self):
		self.assertIn(self.atechx, json.loads(frappe.db.get_value(COMPLAINT, self.complaint.name, "_assign")))
		filters = {"name": self.complaint.name}
		listed = call(self.techx, "frappe.client.get_list", doctype=COMPLAINT, filters=filters)
		self.assertEqual(listed.status, 200, listed)
		self.assertNotIn(self.complaint.name, names(listed))
		report = call(
			self.techx, "frappe.desk.reportview.get", doctype=COMPLAINT, fields=["name"], filters=filters
		)
		self.assertNotIn(self.complaint.name, names(report))
		counted = call(self.techx, "frappe.client.get_count", doctype=COMPLAINT, filters=filters)
		self.assertEqual(counted.data, 0, counted)
		self.assertRefused(get_resource(self.techx, COMPLAINT, self.complaint.name), status=403)
		# the assignee reads it
		self.assertIn(
			self.complaint.name,
			names(call(self.atechx, "frappe.client.get_list", doctype=COMPLAINT, filters=filters)),
		)
		self.assertEqual(get_resource(self.atechx, COMPLAINT, self.complaint.name).status, 200)


class TestChildTablesFollowTheirParent(ComplaintTestCase, APITestCase):
	"""Child rows listed directly (frappe.client.get_list / frappe.desk.reportview.get with the
	parent DocType) belong to parents the user may read."""

	def test_west_technician_lists_no_rows_of_an_east_order(self):
		order = east_order()
		commit()
		rows = frappe.get_all("Service Work Order Log", {"parent": order.name}, pluck="name")
		self.assertTrue(rows)
		filters = {"parent": order.name}
		for method, args in (
			("frappe.client.get_list", {"parent": ORDER}),
			("frappe.desk.reportview.get_list", {"parent_doctype": ORDER}),
		):
			leaked = call(
				wo.TECH_WEST,
				method,
				doctype="Service Work Order Log",
				fields=["name", "parent", "note", "user"],
				filters=filters,
				**args,
			)
			self.assertEqual(leaked.status, 200, leaked)
			self.assertEqual(parents(leaked), set(), leaked)
			own = call(
				wo.TECH_EAST,
				method,
				doctype="Service Work Order Log",
				fields=["name", "parent"],
				filters=filters,
				**args,
			)
			self.assertEqual(parents(own), {order.name}, own)

	def test_customer_lists_no_measures_of_another_customers_complaint(self):
		complaint = self.register(
			measures=[
				{
					"measure": "Refund Zhang Wei 300 yuan",
					"owner_user": wo.MANAGER,
					"due_date": frappe.utils.add_days(frappe.utils.nowdate(), 7),
				}
			],
		)
		li_na = portal_user_for(self.demo["customers"][1])
		zhang = portal_user_for(self.demo["customers"][0])
		commit()
		leaked = call(
			li_na,
			"frappe.client.get_list",
			doctype="Customer Complaint Measure",
			parent=COMPLAINT,
			fields=["parent", "measure"],
			filters={"parent": complaint.name},
		)
		self.assertEqual(parents(leaked), set(), leaked)
		self.assertNotIn("Refund Zhang Wei", leaked.text)
		own = call(
			zhang,
			"frappe.client.get_list",
			doctype="Customer Complaint Measure",
			parent=COMPLAINT,
			fields=["parent", "measure"],
			filters={"parent": complaint.name},
		)
		self.assertEqual(parents(own), {complaint.name}, own)


class TestLinkSearchKeepsRecordRules(ComplaintTestCase, APITestCase):
	"""search_link with ignore_user_permissions=1 skipped every permission check."""

	def test_search_does_not_list_other_service_points_orders_or_other_customers_records(self):
		order = east_order()
		li_na = portal_user_for(self.demo["customers"][1])
		complaint = self.register(subject="Zhang Wei complains about noise")
		commit()
		for user, doctype, name in (
			(wo.TECH_WEST, ORDER, order.name),
			(li_na, ORDER, order.name),
			(li_na, COMPLAINT, complaint.name),
		):
			for method in ("frappe.desk.search.search_link", "frappe.desk.search.search_widget"):
				found = call(user, method, doctype=doctype, txt=name, ignore_user_permissions=1)
				self.assertEqual(found.status, 200, found)
				self.assertNotIn(name, found.text, (user, method))
				self.assertNotIn("138-0013 8001", found.text)
		found = call(wo.TECH_EAST, "frappe.desk.search.search_link", doctype=ORDER, txt=order.name)
		self.assertIn(order.name, found.text)


class TestFilesFollowTheirDocument(APITestCase):
	def attach(self, order, is_private=0):
		"""A file the service desk attached to the order (uploaded by Administrator here, so that
		no attacker is its owner)."""
		tag = frappe.generate_hash(length=8)
		return frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"serial-plate-{tag}.txt",
				"content": f"serial plate {tag}".encode(),
				"attached_to_doctype": ORDER,
				"attached_to_name": order.name,
				"is_private": is_private,
			}
		).insert(ignore_permissions=True)

	def test_west_technician_neither_lists_nor_reads_an_east_orders_file(self):
		order = east_order()
		file = self.attach(order, is_private=1)
		commit()
		filters = [["attached_to_name", "=", order.name]]
		listed = request(
			wo.TECH_WEST, "GET", "/api/resource/File", filters=filters, fields=["name", "file_url"]
		)
		self.assertEqual(listed.status, 200, listed)
		self.assertNotIn(file.name, listed.text)
		self.assertNotIn(file.file_url, listed.text)
		self.assertRefused(get_resource(wo.TECH_WEST, "File", file.name), status=403)
		self.assertNotEqual(request(wo.TECH_WEST, "GET", file.file_url).status, 200)
		# the order's own technician does
		listed = request(wo.TECH_EAST, "GET", "/api/resource/File", filters=filters)
		self.assertIn(file.name, listed.text)

	def test_a_public_upload_to_an_order_is_made_private(self):
		order = east_order()
		file = self.attach(order, is_private=0)
		commit()
		file.reload()
		self.assertEqual((file.is_private, file.file_url.startswith("/private/files/")), (1, True))
		self.assertNotEqual(request(None, "GET", file.file_url).status, 200)
		self.assertRefused(get_resource(wo.TECH_WEST, "File", file.name), status=403)


class TestCountsAreNoOracle(ComplaintTestCase, APITestCase):
	"""frappe.client.get_count counted with no permission at all."""

	def test_customer_counts_only_own_orders_and_complaints(self):
		order = wo.new_work_order(symptoms="Burn marks near the power board")
		self.register(subject="Rude technician at Zhang Wei's home")
		li_na = portal_user_for(self.demo["customers"][1])
		commit()
		for doctype, filters in (
			(ORDER, {"customer": self.demo["customers"][0], "symptoms": ["like", "%Burn marks%"]}),
			(ORDER, {"name": order.name}),
			(COMPLAINT, {"customer": self.demo["customers"][0]}),
		):
			counted = call(li_na, "frappe.client.get_count", doctype=doctype, filters=filters)
			self.assertEqual(counted.status, 200, counted)
			self.assertEqual(counted.data, 0, (doctype, filters))
		counted = call(wo.DESK, "frappe.client.get_count", doctype=ORDER, filters={"name": order.name})
		self.assertEqual(counted.data, 1)

	def test_internal_fields_cannot_be_probed_by_filter(self):
		order = wo.new_work_order()
		frappe.db.set_value(ORDER, order.name, "margin", 1234)
		zhang = portal_user_for(self.demo["customers"][0])
		commit()
		for method in ("frappe.client.get_count", "frappe.client.get_list", "frappe.desk.reportview.get"):
			probe = call(zhang, method, doctype=ORDER, filters={"name": order.name, "margin": [">", 1000]})
			self.assertRefused(probe, HiddenFieldQueryError, status=403)
		probe = call(zhang, "frappe.client.get_list", doctype=ORDER, fields=["name"], order_by="margin desc")
		self.assertRefused(probe, HiddenFieldQueryError, status=403)
		# the REST list route too, with the API key and with a session
		filters = json.dumps([["margin", ">", 1000]])
		for route in (f"/api/resource/{ORDER}", f"/api/v2/document/{ORDER}"):
			self.assertRefused(
				request(zhang, "GET", route, filters=filters), HiddenFieldQueryError, status=403
			)
		staff = request(wo.DESK, "GET", f"/api/resource/{ORDER}", filters=filters)
		self.assertEqual(staff.status, 200, staff)


class TestCorrectiveActionFollowsItsSource(ComplaintTestCase, APITestCase):
	def test_technician_who_may_not_read_the_complaint_may_not_read_its_action(self):
		from aftersales.complaints.doctype.corrective_action.corrective_action import make_corrective_action

		problem = f"Seal leaked twice at Zhang Wei's ({frappe.generate_hash(length=8)})"
		complaint = self.register(category="Parts Quality", subject=problem)
		with wo.as_user(wo.DESK):
			action = make_corrective_action(complaint.name, COMPLAINT)
			action.deadline = frappe.utils.add_days(frappe.utils.nowdate(), 14)
			action.insert()
		commit()
		self.assertRefused(get_resource(wo.TECH_WEST, "Corrective Action", action.name), status=403)
		for method in ("frappe.client.get_list", "frappe.desk.reportview.get"):
			listed = call(wo.TECH_WEST, method, doctype="Corrective Action", fields=["name", "problem"])
			self.assertNotIn(action.name, names(listed))
			self.assertNotIn(problem, listed.text)
		# once the complaint is assigned to the technician, the action follows
		assign_to({"assign_to": [wo.TECH_WEST], "doctype": COMPLAINT, "name": complaint.name})
		commit()
		self.assertEqual(get_resource(wo.TECH_WEST, "Corrective Action", action.name).status, 200)


class TestInternalFieldsAreStaffOnly(ComplaintTestCase, APITestCase):
	"""Costs, margin, valuation and root cause sit on permlevel 1: the customer never reads them."""

	def test_customer_reads_own_order_without_costs(self):
		order = wo.new_work_order()
		internal = {"parts_cost": 420, "labour_cost": 60, "total_cost": 480, "margin": 120, "revenue": 600}
		frappe.db.set_value(
			ORDER, order.name, {**internal, "claimable_amount": 480, "qc_remarks": "Reseated cable"}
		)
		zhang = portal_user_for(self.demo["customers"][0])
		commit()
		seen = get_resource(zhang, ORDER, order.name)
		self.assertEqual(seen.status, 200, seen)
		for fieldname in (*internal, "claimable_amount", "qc_remarks"):
			self.assertFalse(seen.data.get(fieldname), fieldname)  # absent, or Frappe's empty 0
		self.assertNotIn("Reseated cable", seen.text)
		listed = call(
			zhang,
			"frappe.client.get_list",
			doctype=ORDER,
			fields=["name", "margin", "parts_cost"],
			filters={"name": order.name},
		)
		self.assertEqual(listed.status, 200, listed)
		self.assertTrue(all("margin" not in row and "parts_cost" not in row for row in listed.data), listed)
		staff = get_resource(wo.DESK, ORDER, order.name)
		self.assertEqual((staff.data["margin"], staff.data["qc_remarks"]), (120, "Reseated cable"))

	def test_customer_reads_no_part_valuation(self):
		order = wo.request_part(wo.start_work(wo.new_work_order()), "SP-TV-BACKLIGHT")
		row = order.parts[0].name
		frappe.db.set_value("Service Work Order Part", row, "valuation_rate", 85)
		zhang = portal_user_for(self.demo["customers"][0])
		commit()
		seen = get_resource(zhang, ORDER, order.name)
		self.assertEqual(seen.status, 200, seen)
		self.assertFalse(seen.data["parts"][0].get("valuation_rate"))
		rows = call(
			zhang,
			"frappe.client.get_list",
			doctype="Service Work Order Part",
			parent=ORDER,
			fields=["name", "valuation_rate"],
			filters={"parent": order.name},
		)
		self.assertTrue(rows.data and all("valuation_rate" not in r for r in rows.data), rows)
		self.assertEqual(get_resource(wo.STOCK, ORDER, order.name).data["parts"][0]["valuation_rate"], 85)

	def test_customer_reads_no_root_cause_nor_prints_it(self):
		complaint = self.register()
		frappe.db.set_value(
			COMPLAINT,
			complaint.name,
			{
				"root_cause": "Dispatcher double-booked",
				"analysis": "Overlapping slots",
				"review_note": "Poor",
			},
		)
		zhang = portal_user_for(self.demo["customers"][0])
		commit()
		seen = get_resource(zhang, COMPLAINT, complaint.name)
		self.assertEqual(seen.status, 200, seen)
		self.assertNotIn("Dispatcher double-booked", seen.text)
		printed = request(
			zhang,
			"GET",
			"/printview",
			doctype=COMPLAINT,
			name=complaint.name,
			format="Complaint Handling Report",
		)
		self.assertEqual(printed.status, 200, printed)
		self.assertIn(complaint.name, printed.text)
		for secret in ("Dispatcher double-booked", "Overlapping slots"):
			self.assertNotIn(secret, printed.text)
		staff = request(
			wo.DESK,
			"GET",
			"/printview",
			doctype=COMPLAINT,
			name=complaint.name,
			format="Complaint Handling Report",
		)
		self.assertIn("Dispatcher double-booked", staff.text)


class TestPrintsShowTypedTextAsText(ReturnTestCase, APITestCase):
	"""A <script> typed into a text field must print as text, whatever path stored it."""

	def assertPrintsEscaped(self, doctype, name, print_format, user=wo.DESK):
		printed = request(user, "GET", "/printview", doctype=doctype, name=name, format=print_format)
		self.assertEqual(printed.status, 200, printed)
		self.assertNotIn(SCRIPT, printed.text, print_format)
		self.assertNotIn("<img src=x", printed.text, print_format)
		self.assertIn("&lt;script&gt;", printed.text, print_format)

	def test_work_order_formats(self):
		order = wo.new_work_order()
		frappe.db.set_value(
			ORDER,
			order.name,
			{
				"symptoms": SCRIPT,
				"customer_name": "<img src=x onerror=alert(1)>",
				"work_summary": SCRIPT,
				"delivery_explanation": SCRIPT,
				"signed_by": SCRIPT,
			},
		)
		commit()
		for print_format in ("Service Work Order Ticket", "Service Delivery Sign-off", "Standard"):
			self.assertPrintsEscaped(ORDER, order.name, print_format)

	def test_return_request_standard_format(self):
		note = self.deliver(qty=1)
		self.addCleanup(give_back_stock, note.name)
		request_ = self.request(note, qty=1)
		frappe.db.set_value(
			"Return Request", request_.name, {"description": SCRIPT, "override_reason": SCRIPT}
		)
		frappe.db.set_value("Return Request Item", request_.items[0].name, "serial_no", SCRIPT)
		commit()
		self.assertPrintsEscaped("Return Request", request_.name, "Standard")

	def test_typed_json_string_is_not_stored_as_markup_that_prints(self):
		"""Frappe's input filter skips values that parse as JSON: the print must still escape."""
		order = wo.new_work_order()
		commit()
		response = request(
			wo.DESK, "PUT", f"/api/resource/{ORDER}/{order.name}", {"symptoms": json.dumps(SCRIPT)}
		)
		self.assertEqual(response.status, 200, response)
		self.assertPrintsEscaped(ORDER, order.name, "Service Work Order Ticket")


class TestComplaintPrint(ComplaintTestCase, APITestCase):
	def test_complaint_handling_report_escapes_text_and_sanitises_rich_text(self):
		complaint = self.register()
		frappe.db.set_value(
			COMPLAINT,
			complaint.name,
			{
				"subject": SCRIPT,
				"description": f"<p>Noise</p>{SCRIPT}",
				"root_cause": SCRIPT,
				"handling_report": SCRIPT,
			},
		)
		commit()
		printed = request(
			wo.MANAGER,
			"GET",
			"/printview",
			doctype=COMPLAINT,
			name=complaint.name,
			format="Complaint Handling Report",
		)
		self.assertEqual(printed.status, 200, printed)
		self.assertNotIn(SCRIPT, printed.text)
		self.assertIn("<p>Noise</p>", printed.text)


class TestSqlThroughGroupByIsRefused(APITestCase):
	"""Frappe 15.79.0 runs a UNION SELECT passed as group_by (or a sub-query as order_by)."""

	INJECTIONS = (
		("group_by", "`tabService Work Order`.name union select name from `tabUser`"),
		("group_by", "name union all select concat(name, api_key) from tabUser"),
		("order_by", "(select 1 from `tabUser` where name = 'Administrator') desc"),
		("group_by", "name, (select 1)"),
	)

	def setUp(self):
		self.customer = portal_user_for(demo()["customers"][1])
		commit()

	def test_framework_alone_would_run_it(self):
		"""The precondition: Frappe's own list query executes the UNION (here, as Administrator,
		without the app's guard in front of it)."""
		# no order matches the filter, so every row that comes back is the UNION's (users)
		rows = frappe.get_list(
			ORDER,
			fields=["name"],
			filters={"name": "no such order"},
			group_by=self.INJECTIONS[0][1],
			order_by="",
			limit=500,
		)
		self.assertIn("Administrator", {row.name for row in rows})

	def test_every_list_endpoint_refuses_it(self):
		for clause, value in self.INJECTIONS:
			for method in (
				"frappe.desk.reportview.get",
				"frappe.desk.reportview.get_list",
				"frappe.desk.reportview.get_count",
				"frappe.client.get_list",
			):
				response = call(self.customer, method, doctype=ORDER, fields=["name"], **{clause: value})
				self.assertRefused(response, UnsafeQueryError, status=417)
				self.assertNotIn("Administrator", response.text)
			response = request(self.customer, "GET", f"/api/resource/{ORDER}", **{clause: value})
			self.assertRefused(response, UnsafeQueryError, status=417)
			self.assertNotIn("Administrator", response.text)
		export = call(
			wo.DESK,
			"frappe.desk.reportview.export_query",
			doctype=ORDER,
			fields=["`tabService Work Order`.`name`"],
			file_format_type="CSV",
			group_by=self.INJECTIONS[0][1],
		)
		self.assertRefused(export, UnsafeQueryError, status=417)
		saved = call(
			wo.DESK,
			"frappe.desk.reportview.save_report",
			name="Privacy Test Report",
			doctype=ORDER,
			report_settings={"fields": [["name", ORDER]], "group_by": {"group_by": self.INJECTIONS[0][1]}},
		)
		self.assertRefused(saved, UnsafeQueryError, status=417)
		self.assertFalse(frappe.db.exists("Report", "Privacy Test Report"))

	def test_plain_group_by_and_order_by_still_work(self):
		order = wo.new_work_order()
		commit()
		response = call(
			wo.DESK,
			"frappe.desk.reportview.get",
			doctype=ORDER,
			fields=["`tabService Work Order`.`status`"],
			group_by="`tabService Work Order`.`status`",
			order_by="`tabService Work Order`.`status` asc",
			filters={"name": order.name},
		)
		self.assertEqual(response.status, 200, response)
		self.assertEqual(response.data["values"][0][0], order.status)
		listed = call(
			wo.DESK,
			"frappe.client.get_list",
			doctype=ORDER,
			filters={"name": order.name},
			group_by="status",
			order_by="modified desc",
		)
		self.assertEqual(names(listed), {order.name})
