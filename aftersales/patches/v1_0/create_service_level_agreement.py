"""Sites installed before work orders existed get the default Service Level Agreement for Service
Work Order and the Sales Invoice link field. Idempotent."""

from aftersales.service.work_order.sla import ensure_service_level_agreement
from aftersales.setup.custom_fields import make_custom_fields


def execute():
	make_custom_fields()
	ensure_service_level_agreement()
