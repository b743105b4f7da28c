from aftersales.portal.complaints import get_list_context as get_context  # noqa: F401

no_cache = 1
