from aftersales.portal.orders import get_detail_context as get_context  # noqa: F401

no_cache = 1
