from aftersales.portal.help_center import get_context as get_context

no_cache = 1
