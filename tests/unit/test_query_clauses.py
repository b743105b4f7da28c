"""GROUP BY / ORDER BY clauses the app lets through to Frappe's list queries (issue 10 D)."""

import pytest

from aftersales.domain.privacy import parse_columns

ORDER = "Service Work Order"


@pytest.mark.parametrize(
	"clause, columns",
	[
		("status", [(None, "status")]),
		("`status`", [(None, "status")]),
		("`tabService Work Order`.`status`", [(ORDER, "status")]),
		("`tabService Work Order`.status, customer", [(ORDER, "status"), (None, "customer")]),
		("", []),
		(None, []),
	],
)
def test_plain_columns_pass(clause, columns):
	assert parse_columns(clause) == columns


@pytest.mark.parametrize(
	"clause",
	[
		"`tabService Work Order`.name union select name from `tabUser`",
		"name union all select concat(name, api_key) from tabUser",
		"name, (select 1)",
		"sleep(1)",
		"name -- comment",
		"name desc",  # a direction belongs to ORDER BY only
		"'literal'",
		"`tabService Work Order`.`status`; drop table x",
		"status`",
	],
)
def test_anything_else_is_refused(clause):
	assert parse_columns(clause) is None


def test_order_by_allows_a_direction():
	assert parse_columns("`tabService Work Order`.`modified` desc, name ASC", allow_direction=True) == [
		(ORDER, "modified"),
		(None, "name"),
	]
	assert (
		parse_columns("(select 1 from `tabUser` where name = 'Administrator') desc", allow_direction=True)
		is None
	)
	assert parse_columns("modified desc desc", allow_direction=True) is None
