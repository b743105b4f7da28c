"""Factories of the portal tests: two portal customers (the demo's Zhang Wei and Li Na, through
aftersales.tests.utils.portal_user_for), what they bought, and a photo as the browser sends it."""

import base64
import io

import frappe
from frappe.utils import add_days, nowdate
from PIL import Image

from aftersales.tests import work_orders as wo
from aftersales.tests.utils import demo, portal_user_for

TV = "TV-55-U8"
PART = "SP-WASHER-BEARING"


def portal_users() -> tuple[str, str]:
	"""(Zhang Wei's portal user, Li Na's portal user), with the Customer role (committed: the tests
	roll back what they do, and the HTTP requests see only what is committed)."""
	data = demo()
	users = portal_user_for(data["customers"][0]), portal_user_for(data["customers"][1])
	frappe.db.commit()
	return users


def photo(colour=(200, 30, 30), fmt: str = "PNG", name: str = "front.png") -> dict:
	"""A small image as the portal's form sends it: a base64 data URL (with GPS-like EXIF when JPEG)."""
	buffer = io.BytesIO()
	Image.new("RGB", (24, 16), colour).save(buffer, format=fmt)
	kind = "png" if fmt == "PNG" else "jpeg"
	return {"name": name, "data": f"data:image/{kind};base64," + base64.b64encode(buffer.getvalue()).decode()}


def sell(customer: str, days: int = -30, serial: bool = True, qty: float = 2) -> frappe._dict:
	"""A submitted Delivery Note to `customer`, `days` from today: a serial-numbered TV (when
	`serial`) and `qty` bearing kits, received into the Stores warehouse the day before. Returns the
	note's name, its rows and the TV's serial number."""
	data = demo()
	company = data["company"]
	from aftersales.setup.demo import ensure_serial_no, ensure_warehouse

	stores = ensure_warehouse(company, "Stores")
	posting_date = add_days(nowdate(), days)
	lines = [{"item_code": PART, "qty": qty, "rate": 67.2, "basic_rate": 48}]
	serial_no = None
	if serial:
		serial_no = "TV55U8-T" + frappe.generate_hash(length=6).upper()
		ensure_serial_no(TV, serial_no, company, posting_date)
		lines.insert(0, {"item_code": TV, "qty": 1, "rate": 3999, "basic_rate": 2800, "serial_no": serial_no})
	receipt = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": company,
			"set_posting_time": 1,
			"posting_date": add_days(posting_date, -1),
			"items": [
				{
					"item_code": line["item_code"],
					"qty": line["qty"],
					"t_warehouse": stores,
					"basic_rate": line["basic_rate"],
					"serial_no": line.get("serial_no"),
					"use_serial_batch_fields": 1 if line.get("serial_no") else 0,
				}
				for line in lines
			],
		}
	).insert(ignore_permissions=True)
	receipt.submit()
	note = frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"customer": customer,
			"company": company,
			"set_posting_time": 1,
			"posting_date": posting_date,
			"currency": frappe.get_cached_value("Company", company, "default_currency"),
			"selling_price_list": frappe.db.get_single_value("After-Sales Settings", "price_list"),
			"items": [
				{
					"item_code": line["item_code"],
					"qty": line["qty"],
					"rate": line["rate"],
					"warehouse": stores,
					"serial_no": line.get("serial_no"),
					"use_serial_batch_fields": 1 if line.get("serial_no") else 0,
				}
				for line in lines
			],
		}
	).insert(ignore_permissions=True)
	note.submit()
	return frappe._dict(name=note.name, serial_no=serial_no, rows=[row.name for row in note.items])


def product_key(note, serial: bool = True) -> str:
	"""The portal's key of the note's TV (by its serial number) or, without one, of its bearing kits."""
	if serial and note.serial_no:
		return "|".join(("Delivery Note", note.name, note.rows[0], note.serial_no))
	return "|".join(("Delivery Note", note.name, note.rows[-1], ""))


def request_service(user: str, note=None, **kw) -> dict:
	"""The portal's Request Service as `user` (in this process)."""
	from aftersales.portal.request_service import create_service_request

	values = {
		"order_type": "Repair",
		"symptoms": "No picture after a power cut",
		"address_text": "1 Test Road, Shanghai",
		"preferred_time": "Saturday morning",
	}
	if note:
		values["product"] = product_key(note)
	values.update(kw)
	with wo.as_user(user):
		return create_service_request(**values)


def order_awaiting_consent(order_name: str, in_warranty: bool = True):
	"""Walk a portal order to Awaiting Customer Consent: dispatched, started, estimate confirmed for
	one hour, then a part and more hours found."""
	order = frappe.get_doc("Service Work Order", order_name)
	order = wo.start_work(order)
	wo.confirm_estimate(order, 0 if in_warranty else 200, hours=1)
	with wo.as_user(wo.TECH_EAST):
		doc = frappe.get_doc("Service Work Order", order.name)
		doc.append("parts", {"item_code": "SP-TV-BACKLIGHT", "qty": 1})
		doc.save()
	return wo.move(doc, "Awaiting Customer Consent", wo.TECH_EAST, estimated_hours=3)
