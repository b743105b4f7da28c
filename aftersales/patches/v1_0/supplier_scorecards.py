"""Supplier evaluation (SP-7): the app's Supplier Scorecard Variables and Criteria, and a scorecard
for every supplier of spare parts that has none. Idempotent: variables and criteria are brought up
to date, existing scorecards are left as the site set them."""

from aftersales.parts.supplier_scoring import ensure_spare_part_supplier_scorecards


def execute():
	ensure_spare_part_supplier_scorecards()
