# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class FollowupPlanItemGroup(Document):
	pass
