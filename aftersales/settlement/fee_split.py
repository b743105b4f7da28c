"""The dated history of the fee-split shares (Fee Split Version), so that a job is settled on the
shares in force when it closed, whatever the settings say today.

Every save of After-Sales Settings that changes a share records a version valid from that moment
(hooks: doc_events "After-Sales Settings" on_update). The first change also records the shares the
app used until then, valid from the beginning; a site that never changed them has no version and
settles on the settings as they are.
"""

import frappe
from frappe.utils import get_datetime, now_datetime

from aftersales.aftersales.doctype.after_sales_settings.after_sales_settings import get_settings
from aftersales.domain.fee_split import Shares
from aftersales.domain.settlement import FeeSplitVersion, version_in_force
from aftersales.integrity import server_action

SHARE_FIELDS = (
	"in_warranty_company_share",
	"in_warranty_technician_share",
	"in_warranty_manager_share",
	"out_of_warranty_company_share",
	"out_of_warranty_technician_share",
	"out_of_warranty_manager_share",
)
BEGINNING = "2000-01-01 00:00:00"


def share_values(doc) -> tuple[float, ...]:
	return tuple(float(doc.get(f) or 0) for f in SHARE_FIELDS)


def record_version(settings, method=None) -> str | None:
	"""doc_events After-Sales Settings on_update: a new version when a share changed."""
	current = share_values(settings)
	latest = frappe.get_all(
		"Fee Split Version", fields=["name", *SHARE_FIELDS], order_by="valid_from desc", limit=1
	)
	if latest:
		if share_values(latest[0]) == current:
			return None
	else:
		before = settings.get_doc_before_save()
		previous = share_values(before) if before else current
		if previous == current:
			return None
		insert_version(previous, BEGINNING)
	return insert_version(current, now_datetime())


def insert_version(values: tuple[float, ...], valid_from) -> str:
	version = frappe.get_doc(
		{
			"doctype": "Fee Split Version",
			"valid_from": valid_from,
			"recorded_by": frappe.session.user,
			**dict(zip(SHARE_FIELDS, values, strict=True)),
		}
	)
	server_action(version, "fee split history")
	version.insert(ignore_permissions=True)
	return version.name


def as_domain(row) -> FeeSplitVersion:
	return FeeSplitVersion(
		name=row.name,
		valid_from=get_datetime(row.valid_from),
		in_warranty=Shares(
			row.in_warranty_company_share, row.in_warranty_technician_share, row.in_warranty_manager_share
		),
		out_of_warranty=Shares(
			row.out_of_warranty_company_share,
			row.out_of_warranty_technician_share,
			row.out_of_warranty_manager_share,
		),
	)


def all_versions() -> list[FeeSplitVersion]:
	rows = frappe.get_all("Fee Split Version", fields=["name", "valid_from", *SHARE_FIELDS])
	return [as_domain(row) for row in rows]


class SharesLookup:
	"""The version in force at a moment, the history read once per settlement."""

	def __init__(self):
		self.versions = all_versions()

	def at(self, when) -> FeeSplitVersion:
		version = version_in_force(self.versions, get_datetime(when))
		if version:
			return version
		settings = get_settings()  # no history yet: the shares have never changed
		return FeeSplitVersion(
			name=None,
			valid_from=get_datetime(BEGINNING),
			in_warranty=settings.fee_shares(in_warranty=True),
			out_of_warranty=settings.fee_shares(in_warranty=False),
		)
