from aftersales.portal.returns import get_context as get_context

no_cache = 1
