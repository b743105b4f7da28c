"""Benchmark: a stocktake of N spare parts, from freeze to the posted Stock Reconciliation.

Run from the bench's sites folder with the bench's Python, on a site with the app and its demo data
(it writes items, stock and a stocktake, so use a test site):

	cd frappe-bench/sites && ../env/bin/python ../apps/aftersales/scripts/benchmark_stocktake.py SITE 2000

Prints how long each step took and checks that book = counted for every part afterwards.
"""

import random
import sys
import time

import frappe


def timed(label: str, fn):
	start = time.perf_counter()
	result = fn()
	print(f"{label:<48} {time.perf_counter() - start:8.2f} s")
	return result


def ensure_parts(count: int, company: str, warehouse: str) -> list[str]:
	from aftersales.parts.doctype.spare_part.spare_part import make_spare_part
	from aftersales.setup.demo import ensure_item_group

	group = ensure_item_group("Spare Parts")
	codes = [f"BENCH-PART-{i:05d}" for i in range(count)]
	missing = [c for c in codes if not frappe.db.exists("Item", c)]
	for code in missing:
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_group": group,
				"stock_uom": "Nos",
				"is_stock_item": 1,
			}
		).insert(ignore_permissions=True)
		make_spare_part(code)
	unstocked = [
		c
		for c in codes
		if not frappe.db.get_value("Bin", {"item_code": c, "warehouse": warehouse}, "actual_qty")
	]
	for chunk in range(0, len(unstocked), 200):
		entry = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Receipt",
				"company": company,
				"items": [
					{
						"item_code": c,
						"qty": random.randint(5, 50),
						"basic_rate": random.randint(5, 300),
						"t_warehouse": warehouse,
					}
					for c in unstocked[chunk : chunk + 200]
				],
			}
		)
		entry.insert(ignore_permissions=True)
		entry.submit()
	frappe.db.commit()
	return codes


def main(site: str, count: int) -> None:
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		from aftersales.setup.demo import COMPANY, load

		load()
		warehouse = frappe.db.get_single_value("After-Sales Settings", "spare_parts_warehouse")
		codes = timed(f"prepare {count} parts with stock", lambda: ensure_parts(count, COMPANY, warehouse))
		print(f"{'benchmark parts':<48} {len(codes):8d}")
		frappe.db.set_value("Spare Part", {"item_code": ["not like", "BENCH-PART-%"]}, "disabled", 1)

		doc = frappe.get_doc(
			{"doctype": "Stocktake", "kind": "Annual Full Count", "company": COMPANY, "warehouse": warehouse}
		)
		doc.insert()
		doc.status = "Counting"
		timed("freeze: fill the count sheet with book quantities", doc.save)
		print(f"{'lines on the sheet':<48} {len(doc.items):8d}")

		rng = random.Random(42)
		for row in doc.items:
			row.counted_qty = max(row.book_qty + rng.choice([0, 0, 0, 0, -1, 1, -2]), 0)
			row.counted = 1
			if row.counted_qty != row.book_qty:
				row.reason = "Counting Error"
		timed("enter every count and save", doc.save)
		# the benchmark measures posting, not the approval chain
		frappe.db.set_single_value("After-Sales Settings", "stocktake_approval_value", 10**12)
		frappe.clear_document_cache("After-Sales Settings", "After-Sales Settings")
		doc.status = "Counted"
		timed("submit the count", doc.save)
		doc.reload()
		# approving queues the posting job; here the job is run in this process, as a worker would
		from aftersales.parts.doctype.stocktake import stocktake as controller

		queue = controller.queue_posting
		controller.queue_posting = lambda name: None
		doc.status = "Posting"
		timed("approve (queues the posting)", doc.save)
		controller.queue_posting = queue
		timed("posting job (one Stock Reconciliation)", lambda: controller.post_stocktake(doc.name))
		doc.reload()
		if doc.status != "Posted":
			raise SystemExit(f"not posted: {doc.posting_error}")
		differences = sum(1 for row in doc.items if row.difference_qty)
		print(f"{'lines with a difference posted':<48} {differences:8d}")

		wrong = [
			row.item_code
			for row in doc.items
			if frappe.db.get_value(
				"Bin", {"item_code": row.item_code, "warehouse": row.warehouse}, "actual_qty"
			)
			!= row.counted_qty
		]
		print(f"{'parts whose book differs from the count':<48} {len(wrong):8d}")
		frappe.db.rollback()
		print("(the stocktake was rolled back; the benchmark parts and their stock stay for the next run)")
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
