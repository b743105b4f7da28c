from datetime import date, datetime

import pytest

from aftersales.domain import complaint_flow as complaints
from aftersales.domain.returns import (
	COMPANY,
	CUSTOMER,
	GROUNDS,
	add_working_days,
	freight_payer,
	return_deadline,
	returnable_qty,
)

MONDAY = date(2026, 11, 30)
WEEKEND = {date(2026, 12, 5), date(2026, 12, 6)}


def test_working_days_skip_holidays_and_weekly_offs():
	assert return_deadline(MONDAY, 7, WEEKEND) == date(2026, 12, 9)
	assert return_deadline(MONDAY, 7, WEEKEND | {date(2026, 12, 2)}) == date(2026, 12, 10)
	assert add_working_days(MONDAY, 0, WEEKEND) == MONDAY


def test_working_days_refuse_negative():
	with pytest.raises(ValueError):
		add_working_days(MONDAY, -1, set())


@pytest.mark.parametrize("ground", GROUNDS)
def test_freight_follows_the_ground(ground):
	assert freight_payer(ground) == (CUSTOMER if ground == "Customer's Own Reason" else COMPANY)


def test_unknown_ground_is_refused():
	with pytest.raises(ValueError):
		freight_payer("Changed my mind")


def test_returnable_quantity():
	assert returnable_qty(5, 3) == 2
	assert returnable_qty(5, 7) == 0


def test_complaint_tiers():
	assert complaints.starting_tier("Safety-critical") == complaints.MANAGEMENT
	assert complaints.starting_tier("Serious") == complaints.DESK
	assert complaints.next_tier(complaints.DESK) == complaints.TECHNICAL_LEAD
	assert complaints.next_tier(complaints.TECHNICAL_LEAD) == complaints.MANAGEMENT
	assert complaints.next_tier(complaints.MANAGEMENT) is None


def test_complaint_deadline_and_overdue():
	start = datetime(2026, 11, 24, 9, 0)
	deadline = complaints.deadline(start, 4)
	assert deadline == datetime(2026, 11, 24, 13, 0)
	assert not complaints.is_overdue(deadline, deadline)
	assert complaints.is_overdue(deadline, datetime(2026, 11, 24, 13, 1))


def test_only_the_manager_closes_a_complaint():
	assert complaints.FLOW.roles_for(complaints.RESOLVED, complaints.CLOSED) == {"After-Sales Manager"}
	assert complaints.FLOW.is_allowed(complaints.SOLUTION_PROPOSED, complaints.INVESTIGATING)
	assert not complaints.FLOW.is_allowed(complaints.OPEN, complaints.CLOSED)


def test_complaint_assignment_matches_the_user_whole():
	"""techx@ is not assigned the complaints of atechx@ (the `_assign` JSON list, issue 10 D)."""
	import re

	from aftersales.domain.privacy import assigned_like_pattern, is_assigned

	stored = '["atechx@example.com", "desk@example.com"]'
	assert is_assigned(stored, "atechx@example.com")
	assert not is_assigned(stored, "techx@example.com")
	assert not is_assigned("not json", "techx@example.com") and not is_assigned(None, "x")

	def like(pattern: str, value: str) -> bool:
		"""SQL LIKE, with backslash as its escape character."""
		regex, chars = "", iter(pattern)
		for char in chars:
			if char == "\\":
				regex += re.escape(next(chars))
			else:
				regex += {"%": ".*", "_": "."}.get(char, re.escape(char))
		return re.fullmatch(regex, value, re.S) is not None

	assert like(assigned_like_pattern("atechx@example.com"), stored)
	assert not like(assigned_like_pattern("techx@example.com"), stored)
	# LIKE wildcards in a user id are literal: tech_x@ does not match techAx@
	assert not like(assigned_like_pattern("tech_x@example.com"), '["techAx@example.com"]')
	assert like(assigned_like_pattern("tech_x@example.com"), '["tech_x@example.com"]')
