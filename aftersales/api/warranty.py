import frappe

from aftersales.service.warranty import get_warranty_decision


@frappe.whitelist()
def check_warranty(
	item_code: str | None = None,
	serial_no: str | None = None,
	purchase_date: str | None = None,
	fault_date: str | None = None,
) -> dict:
	"""Warranty status and 三包 remedies for a product, as the service desk sees it at intake."""
	if serial_no and frappe.db.exists("Serial No", serial_no):
		frappe.has_permission("Serial No", "read", serial_no, throw=True)
	elif item_code and frappe.db.exists("Item", item_code):
		frappe.has_permission("Item", "read", item_code, throw=True)
	decision = get_warranty_decision(item_code, serial_no, purchase_date, fault_date or frappe.utils.today())
	return {
		"status": decision.status,
		"warranty_end": decision.warranty_end,
		"basis": decision.basis,
		"days_since_purchase": decision.days_since_purchase,
		"remedies": list(decision.remedies),
	}
