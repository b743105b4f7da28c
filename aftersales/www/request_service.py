from aftersales.portal.request_service import get_context as get_context

no_cache = 1
