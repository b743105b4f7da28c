from aftersales.service.work_order.notify import mail_context


def get_context(context):
	# a customer who reads Chinese gets the Chinese text alone (customer_lang)
	return mail_context(context)
