"""The app's roles get what they need on ERPNext's masters (setup/permissions.py). Idempotent."""

from aftersales.setup.permissions import add_master_permissions


def execute():
	add_master_permissions()
