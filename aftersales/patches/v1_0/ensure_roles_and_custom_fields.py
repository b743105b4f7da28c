"""Sites that installed an earlier build get the roles and custom fields the install makes now.
Idempotent: both helpers skip what already exists."""

from aftersales.setup.custom_fields import make_custom_fields
from aftersales.setup.roles import create_roles


def execute():
	create_roles()
	make_custom_fields()
