"""After-sales roles land on the After-Sales workspace on sites installed before it was set
(issue 16). Idempotent: a role's or user's own choice is kept."""

from aftersales.setup.roles import set_default_workspaces, set_home_pages


def execute():
	set_home_pages()
	set_default_workspaces()
