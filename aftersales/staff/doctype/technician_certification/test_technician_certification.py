# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

"""Certification gates dispatch (AP-2): refused for an uncertified technician when After-Sales
Settings say "Refuse", warned when they say "Warn" (the default), allowed once certified (also by a
parent item group); a training certifies those who passed; expiring certifications are announced
to the technician and their manager once. All in the test's transaction."""

import frappe
from frappe.utils import add_days, nowdate

from aftersales.domain import work_order_flow as flow
from aftersales.integrity import ServerOwnedFieldError
from aftersales.roles import SERVICE_TECHNICIAN
from aftersales.staff import certification as cert
from aftersales.staff.doctype.technician_certification.technician_certification import CertificationError
from aftersales.tests import staff as st
from aftersales.tests import work_orders as wo

CERT_TECH = "certification.tech@aftersales.test"


def certify(employee: str, item_group: str = "Appliances", valid_from=None, valid_until=None, **kw):
	return frappe.get_doc(
		{
			"doctype": "Technician Certification",
			"employee": employee,
			"item_group": item_group,
			"level": "Basic",
			"valid_from": valid_from or add_days(nowdate(), -10),
			"valid_until": valid_until or add_days(nowdate(), 365),
			"evidence": "https://example.com/certificate.pdf",
			**kw,
		}
	).insert()


class CertificationTestCase(st.StaffTestCase):
	def setUp(self):
		super().setUp()
		# a technician of the East point of their own (the demo's may be certified by the demo data)
		self.tech = st.staff(CERT_TECH, "Eli", [SERVICE_TECHNICIAN])
		self.point = self.demo["service_points"][0]
		point = frappe.get_doc("Service Point", self.point)
		if self.tech not in {m.employee for m in point.members}:
			point.append("members", {"employee": self.tech, "post": "Technician"})
			point.save()
		frappe.clear_document_cache("Service Point", self.point)

	def tearDown(self):
		super().tearDown()
		frappe.clear_document_cache("Service Point", self.point)

	def set_mode(self, mode: str):
		frappe.db.set_single_value("After-Sales Settings", "certification_check", mode)

	def assign(self, order):
		order = wo.move(order, flow.ACCEPTED, wo.DISPATCHER, service_point=self.point)
		return wo.move(order, flow.ASSIGNED, wo.DISPATCHER, technician=self.tech)


class TestDispatch(CertificationTestCase):
	def test_default_warns_and_keeps_dispatching(self):
		self.assertEqual(
			frappe.get_meta("After-Sales Settings").get_field("certification_check").default, cert.WARN
		)
		self.set_mode(cert.WARN)
		frappe.clear_messages()
		order = self.assign(wo.new_work_order())
		self.assertEqual(order.technician, self.tech)
		self.assertIn("holds no valid certification", str(frappe.get_message_log()))

	def test_refused_when_uncertified_and_allowed_once_certified(self):
		self.set_mode(cert.REFUSE)
		order = wo.move(wo.new_work_order(), flow.ACCEPTED, wo.DISPATCHER, service_point=self.point)
		self.assertRaises(
			cert.UncertifiedTechnicianError,
			wo.move,
			order,
			flow.ASSIGNED,
			wo.DISPATCHER,
			technician=self.tech,
		)
		# an expired, a future and a revoked certification do not count
		certify(self.tech, valid_from=add_days(nowdate(), -400), valid_until=add_days(nowdate(), -1))
		certify(self.tech, valid_from=add_days(nowdate(), 1))
		certify(self.tech, revoked=1)
		self.assertRaises(
			cert.UncertifiedTechnicianError,
			wo.move,
			order,
			flow.ASSIGNED,
			wo.DISPATCHER,
			technician=self.tech,
		)
		certify(self.tech)
		order = wo.move(order, flow.ASSIGNED, wo.DISPATCHER, technician=self.tech)
		self.assertEqual((order.status, order.technician), (flow.ASSIGNED, self.tech))

	def test_a_parent_item_group_covers_its_children(self):
		self.set_mode(cert.REFUSE)
		certify(self.tech, item_group="All Item Groups")
		order = self.assign(wo.new_work_order())
		self.assertEqual(order.status, flow.ASSIGNED)


class TestCertificationRecord(CertificationTestCase):
	def test_evidence_is_required_and_the_source_is_the_system_s(self):
		self.assertRaises(CertificationError, certify, self.tech, evidence=None)
		self.assertRaises(CertificationError, certify, self.tech, valid_until=add_days(nowdate(), -20))
		frappe.set_user(wo.MANAGER)
		self.assertRaises(ServerOwnedFieldError, certify, self.tech, source="Training", training=None)
		doc = certify(self.tech)
		self.assertEqual((doc.status, doc.source), ("Valid", "Evidence"))

	def test_training_certifies_those_who_passed_and_cancelling_revokes(self):
		peer = st.staff(st.PEER, "Bo", [SERVICE_TECHNICIAN])
		other = st.staff(st.OTHER, "Dan", [SERVICE_TECHNICIAN])
		frappe.set_user(wo.MANAGER)
		training = frappe.get_doc(
			{
				"doctype": "Service Training",
				"topic": "Inverter compressors",
				"plan": "Quarterly",
				"company": self.demo["company"],
				"training_date": add_days(nowdate(), -1),
				"trainer": "Maker's academy",
				"item_groups": [{"item_group": "Appliances"}],
				"pass_mark": 60,
				"certification_level": "Intermediate",
				"certification_months": 12,
				"attendees": [
					{"employee": self.tech, "attended": 1, "test_score": 60},
					{"employee": peer, "attended": 1, "test_score": 59.5},
					{"employee": other, "attended": 0},
				],
			}
		).insert()
		self.assertEqual([row.passed for row in training.attendees], [1, 0, 0])
		training.submit()
		issued = frappe.get_all(
			"Technician Certification",
			{"training": training.name},
			["employee", "valid_until", "level", "source"],
		)
		self.assertEqual(len(issued), 1)
		self.assertEqual(
			(issued[0].employee, str(issued[0].valid_until), issued[0].level, issued[0].source),
			(
				self.tech,
				str(add_days(frappe.utils.add_months(add_days(nowdate(), -1), 12), -1)),
				"Intermediate",
				"Training",
			),
		)
		self.assertTrue(cert.valid_certification(self.tech, "Appliances"))
		training.reload()
		training.cancel()
		self.assertFalse(cert.valid_certification(self.tech, "Appliances"))


class TestExpiry(CertificationTestCase):
	def setUp(self):
		super().setUp()
		self.manager = st.staff(st.LEAD, "Cai", ["Dispatcher"])
		frappe.db.set_value("Employee", self.tech, "reports_to", self.manager)
		frappe.db.set_single_value("After-Sales Settings", "certification_expiry_days", 30)

	def notifications(self, certification: str) -> set[str]:
		return set(
			frappe.get_all(
				"Notification Log",
				{"document_type": "Technician Certification", "document_name": certification},
				pluck="for_user",
			)
		)

	def test_expiring_certifications_notify_the_technician_and_their_manager_once(self):
		soon = certify(self.tech, valid_until=add_days(nowdate(), 10))
		later = certify(self.tech, item_group="Spare Parts", valid_until=add_days(nowdate(), 45))
		self.assertIn(soon.name, cert.notify_expiring())
		# the technician, their Reports To and the manager of their service point
		point_manager = frappe.db.get_value(
			"Employee", frappe.db.get_value("Service Point", self.point, "manager"), "user_id"
		)
		self.assertEqual(self.notifications(soon.name), {CERT_TECH, st.LEAD, point_manager})
		self.assertEqual(self.notifications(later.name), set())
		self.assertEqual(
			str(frappe.db.get_value("Technician Certification", soon.name, "expiry_notified_on")), nowdate()
		)
		# once per expiry date
		self.assertNotIn(soon.name, cert.notify_expiring())
		self.assertEqual(len(frappe.get_all("Notification Log", {"document_name": soon.name})), 3)
		# a new expiry date is announced again when it comes near
		soon.reload()
		soon.valid_until = add_days(nowdate(), 20)
		soon.save()
		self.assertIsNone(soon.expiry_notified_on)
		# 35 days on, the later one is within 30 days
		self.assertIn(later.name, cert.notify_expiring(today=add_days(nowdate(), 35)))

	def test_a_renewed_certification_is_not_announced(self):
		old = certify(self.tech, valid_until=add_days(nowdate(), 5))
		certify(self.tech, valid_from=add_days(nowdate(), -1), valid_until=add_days(nowdate(), 400))
		self.assertNotIn(old.name, cert.notify_expiring())

	def test_statuses_follow_the_calendar(self):
		doc = certify(self.tech, valid_until=add_days(nowdate(), 1))
		cert.refresh_statuses(today=add_days(nowdate(), 2))
		self.assertEqual(frappe.db.get_value("Technician Certification", doc.name, "status"), "Expired")
