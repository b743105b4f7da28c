"""FV-5: the customer file's fields on Customer (class, birthday, contact preferences, opt-out)."""

from aftersales.setup.custom_fields import make_custom_fields


def execute():
	make_custom_fields()
