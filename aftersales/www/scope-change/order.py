from aftersales.portal.consent import get_context as get_context

no_cache = 1
