"""Sites that installed an earlier build get the settlement's custom fields (Item and Item Group:
Warranty Paid By). Idempotent: existing fields are left as they are."""

from aftersales.setup.custom_fields import make_custom_fields


def execute():
	make_custom_fields()
