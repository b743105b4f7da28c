from aftersales.portal.help_center import get_article_context as get_context  # noqa: F401

no_cache = 1
