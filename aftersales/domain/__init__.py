"""Pure after-sales rules: no Frappe import, no database. Controllers call these."""
