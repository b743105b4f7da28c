from aftersales.portal.survey import get_list_context as get_context  # noqa: F401

no_cache = 1
