"""Install and uninstall are symmetric: what after_install makes, before_uninstall removes.
DocTypes, Notifications, Reports and Print Formats of the app's modules are removed by Frappe."""

from aftersales.parts.supplier_scoring import ensure_spare_part_supplier_scorecards, remove_scoring_setup
from aftersales.service.work_order.sla import delete_service_level_agreements, ensure_service_level_agreement
from aftersales.setup.app import app_doctypes
from aftersales.setup.custom_fields import delete_custom_fields, make_custom_fields
from aftersales.setup.permissions import add_master_permissions, remove_master_permissions
from aftersales.setup.portal_menu import remove_portal_menu
from aftersales.setup.roles import (
	clear_home_pages,
	create_roles,
	delete_roles,
	set_default_workspaces,
	set_home_pages,
)
from aftersales.setup.workflows import delete_workflows, ensure_workflow_masters


def after_install() -> None:
	# before Frappe syncs the Workflow fixtures, which name these states and actions
	ensure_workflow_masters()
	create_roles()
	set_home_pages()
	set_default_workspaces()
	make_custom_fields()
	add_master_permissions()
	ensure_service_level_agreement()
	# supplier evaluation on ERPNext's Supplier Scorecard: the app's variables, criteria and scorecards
	ensure_spare_part_supplier_scorecards()


def before_uninstall() -> None:
	doctypes = app_doctypes()
	delete_service_level_agreements()
	remove_scoring_setup()
	delete_workflows(doctypes)
	delete_custom_fields(doctypes)
	remove_master_permissions()
	remove_portal_menu()
	clear_home_pages()
	delete_roles(doctypes)
