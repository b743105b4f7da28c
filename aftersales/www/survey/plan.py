from aftersales.portal.survey import get_plan_context

no_cache = 1


def get_context(context):
	return get_plan_context(context)
