"""Names of the app's roles (no Frappe import, so pure code and static checks can use them).
Warehouse work uses ERPNext's Stock User / Stock Manager, customers ERPNext's Customer."""

AFTER_SALES_MANAGER = "After-Sales Manager"
SERVICE_DESK_AGENT = "Service Desk Agent"
DISPATCHER = "Dispatcher"
SERVICE_TECHNICIAN = "Service Technician"
QUALITY_INSPECTOR = "Quality Inspector"

ROLES = (AFTER_SALES_MANAGER, SERVICE_DESK_AGENT, DISPATCHER, SERVICE_TECHNICIAN, QUALITY_INSPECTOR)
