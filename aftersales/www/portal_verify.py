from aftersales.portal.accounts import get_verify_context as get_context  # noqa: F401

no_cache = 1
