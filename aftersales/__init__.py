__version__ = "0.1.0"


def _install() -> None:
	# Frappe's Workflow Actions read each state from the cached Workflow, not one query per
	# transition after every save (aftersales/workflow_actions.py)
	try:
		import frappe  # noqa: F401
	except ImportError:  # packaging without the bench
		return
	from aftersales.workflow_actions import install

	install()


_install()
