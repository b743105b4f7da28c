import frappe
from frappe.utils import add_days, flt, nowdate

from aftersales.parts.analytics import notify_below_warning_line, recompute_abc_classes, update_stock_status
from aftersales.parts.doctype.spare_part.spare_part import SparePartItemError, make_spare_part
from aftersales.tests.parts import PartsTestCase


class TestSparePart(PartsTestCase):
	def test_one_click_from_an_item_and_never_twice(self):
		name = self.make_part("_AS-PART-1")
		self.assertEqual(make_spare_part("_AS-PART-1"), name)
		duplicate = frappe.get_doc({"doctype": "Spare Part", "item_code": "_AS-PART-1"})
		self.assertRaises(frappe.DuplicateEntryError, duplicate.insert)

	def test_non_stock_item_is_refused(self):
		self.assertRaises(SparePartItemError, make_spare_part, self.demo_labour_item())

	def demo_labour_item(self):
		return frappe.get_single("After-Sales Settings").labour_item

	def test_abc_classes_from_issued_value_with_override_kept(self):
		settings = frappe.get_single("After-Sales Settings")
		settings.abc_lookback_months = 3
		settings.save()
		# issued value over the 3-month look-back window: 800 / 150 / 40 / 10 of 1000
		for code, issued in (("_AS-ABC-1", 80), ("_AS-ABC-2", 15), ("_AS-ABC-3", 4), ("_AS-ABC-4", 1)):
			self.make_part(code, qty=100, rate=10, posting_date=add_days(nowdate(), -60))
			self.move(code, issued, source=self.warehouse, posting_date=add_days(nowdate(), -30))
		# an issue before the window does not count
		self.make_part("_AS-ABC-5", qty=100, rate=10, posting_date=add_days(nowdate(), -150))
		self.move("_AS-ABC-5", 90, source=self.warehouse, posting_date=add_days(nowdate(), -120))

		classes = recompute_abc_classes()
		self.assertEqual(
			[classes[c] for c in ("_AS-ABC-1", "_AS-ABC-2", "_AS-ABC-3", "_AS-ABC-4", "_AS-ABC-5")],
			["A", "B", "C", "C", "C"],
		)
		self.assertAlmostEqual(flt(frappe.db.get_value("Spare Part", "_AS-ABC-1", "issued_value")), 800)

		part = frappe.get_doc("Spare Part", "_AS-ABC-4")
		part.class_override, part.override_reason = "A", "Safety-critical part"
		part.save()
		recompute_abc_classes()
		part.reload()
		self.assertEqual((part.abc_class, part.computed_class), ("A", "C"))
		self.assertEqual(
			[(r.from_class or "", r.to_class, r.source) for r in part.class_history],
			[("", "C", "Computed"), ("C", "A", "Manual")],
		)

	def test_warning_line_raises_erpnext_material_request(self):
		code = "_AS-WARN-1"
		part = frappe.get_doc("Spare Part", self.make_part(code, qty=5))
		part.append("warning_lines", {"warehouse": self.warehouse, "warning_level": 10, "reorder_qty": 20})
		part.save()
		reorder = frappe.get_all(
			"Item Reorder",
			{"parent": code},
			["warehouse", "warehouse_reorder_level", "warehouse_reorder_qty"],
		)
		self.assertEqual(
			[(r.warehouse, r.warehouse_reorder_level, r.warehouse_reorder_qty) for r in reorder],
			[(self.warehouse, 10, 20)],
		)

		from erpnext.stock.reorder_item import reorder_item

		frappe.db.set_single_value("Stock Settings", "auto_indent", 1)
		before = frappe.db.count("Material Request Item", {"item_code": code})
		reorder_item()
		requests = frappe.get_all(
			"Material Request Item", {"item_code": code, "warehouse": self.warehouse}, ["qty", "parent"]
		)
		self.assertEqual(len(requests), before + 1)
		self.assertEqual(flt(requests[-1].qty), 20)
		self.assertEqual(
			frappe.db.get_value("Material Request", requests[-1].parent, "material_request_type"), "Purchase"
		)

		update_stock_status()
		self.assertIn(code, notify_below_warning_line())

		# removing the warning line removes the Item's reorder row
		part.reload()
		part.warning_lines = []
		part.save()
		self.assertFalse(frappe.get_all("Item Reorder", {"parent": code}))
