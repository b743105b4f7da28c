__version__ = "0.1.0"


def _install() -> None:
	# Frappe's Workflow Actions read each state from the cached Workflow, not one query per
	# transition after every save (aftersales/workflow_actions.py); its Notifications are
	# evaluated from the document cache (aftersales/notification_lookup.py); a new document's
	# template asks the metadata whether its DocType is a Single (aftersales/new_doc_lookup.py)
	# Each replaces a Frappe 15 function in place with one that gives Frappe's answer from a cache
	# Frappe clears itself; their tests compare them with Frappe's own functions on Frappe 15. On
	# another major version (where Frappe's code may differ) Frappe's own functions stay.
	try:
		import frappe
	except ImportError:  # packaging without the bench
		return
	if not str(getattr(frappe, "__version__", "")).startswith("15."):
		return
	from aftersales import new_doc_lookup, notification_lookup, workflow_actions

	workflow_actions.install()
	notification_lookup.install()
	new_doc_lookup.install()


_install()
