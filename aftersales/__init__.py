__version__ = "0.1.0"


def _install() -> None:
	# Frappe's Workflow Actions read each state from the cached Workflow, not one query per
	# transition after every save (aftersales/workflow_actions.py); its Notifications are
	# evaluated from the document cache (aftersales/notification_lookup.py); a new document's
	# template asks the metadata whether its DocType is a Single (aftersales/new_doc_lookup.py)
	try:
		import frappe  # noqa: F401
	except ImportError:  # packaging without the bench
		return
	from aftersales import new_doc_lookup, notification_lookup, workflow_actions

	workflow_actions.install()
	notification_lookup.install()
	new_doc_lookup.install()


_install()
