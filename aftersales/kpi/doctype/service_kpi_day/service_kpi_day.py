# Copyright (c) 2026, aftersales developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceKPIDay(Document):
	"""One day of one company's work order KPIs, written and read by aftersales.kpi.summary only (in
	bulk, as a cache of the Service KPI report): never created or edited as a document."""

	pass
