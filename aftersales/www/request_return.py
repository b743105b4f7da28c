from aftersales.portal.returns import get_new_context as get_context  # noqa: F401

no_cache = 1
