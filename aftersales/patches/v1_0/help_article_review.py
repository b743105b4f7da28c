"""KB-1: Help Articles get a review date and a "solved by phone" count (custom fields), the service
desk and the manager may write them, and the counts are made from the orders solved by phone so far.
Idempotent."""

from aftersales.api.help_search import recount
from aftersales.setup.custom_fields import make_custom_fields
from aftersales.setup.permissions import add_master_permissions


def execute():
	make_custom_fields()
	add_master_permissions()
	recount()
