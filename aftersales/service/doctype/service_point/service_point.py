# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ServicePointWarehouseError(frappe.ValidationError):
	pass


class DuplicateMemberError(frappe.ValidationError):
	pass


class ServicePoint(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales.service.doctype.service_point_member.service_point_member import ServicePointMember

		address: DF.SmallText | None
		branch: DF.Link | None
		company: DF.Link
		disabled: DF.Check
		manager: DF.Link | None
		manager_name: DF.Data | None
		members: DF.Table[ServicePointMember]
		phone: DF.Data | None
		service_point_name: DF.Data
		territory: DF.Link | None
		warehouse: DF.Link

	# end: auto-generated types
	def validate(self):
		self.validate_warehouse()
		self.validate_members()

	def validate_warehouse(self):
		warehouse = frappe.db.get_value("Warehouse", self.warehouse, ["company", "is_group"], as_dict=True)
		if not warehouse:
			return  # the Link validation reports a missing warehouse
		if warehouse.is_group:
			frappe.throw(
				_(
					"Warehouse {0} is a group warehouse; a service point needs a warehouse that holds stock."
				).format(frappe.bold(self.warehouse)),
				exc=ServicePointWarehouseError,
				title=_("Invalid Warehouse"),
			)
		if warehouse.company != self.company:
			frappe.throw(
				_("Warehouse {0} belongs to company {1}, not {2}.").format(
					frappe.bold(self.warehouse), frappe.bold(warehouse.company), frappe.bold(self.company)
				),
				exc=ServicePointWarehouseError,
				title=_("Invalid Warehouse"),
			)

	def validate_members(self):
		seen = set()
		for row in self.members:
			if row.employee in seen:
				frappe.throw(
					_("Row {0}: employee {1} is listed more than once.").format(
						row.idx, frappe.bold(row.employee)
					),
					exc=DuplicateMemberError,
					title=_("Duplicate Member"),
				)
			seen.add(row.employee)

	def member_users(self) -> list[str]:
		return [row.user_id for row in self.members if row.user_id]


def get_service_points_of_user(user: str | None = None) -> list[str]:
	"""Service points where `user` is a member or the manager (through their Employee)."""
	user = user or frappe.session.user
	employees = frappe.get_all("Employee", filters={"user_id": user}, pluck="name")
	if not employees:
		return []
	member = frappe.qb.DocType("Service Point Member")
	point = frappe.qb.DocType("Service Point")
	as_member = (
		frappe.qb.from_(member).select(member.parent).where(member.employee.isin(employees)).distinct().run()
	)
	as_manager = frappe.qb.from_(point).select(point.name).where(point.manager.isin(employees)).run()
	return sorted({row[0] for row in (*as_member, *as_manager)})
