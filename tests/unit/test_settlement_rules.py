"""Settlement rules (aftersales/domain/settlement.py): claims, bases, shares in force, payees and
the Journal Entry's lines."""

from datetime import datetime

import pytest

from aftersales.domain import settlement as rules
from aftersales.domain.fee_split import Shares

SEED = Shares(25, 50, 25)  # seed 004, in warranty
OUT = Shares(50, 50, 0)  # seed 004, out of warranty


def test_money_rounds_half_up_to_the_cent():
	assert rules.money(2.675) == 2.68  # round() gives 2.67: 2.675 is 2.67499999… as a float
	assert rules.money(-2.675) == -2.68
	assert rules.money(None) == 0


def test_claim_is_parts_at_the_agreed_price_plus_hours_at_the_agreed_rate():
	value = rules.claim_value(
		[rules.ClaimPart("SP-A", 2, 33.335), rules.ClaimPart("SP-B", 1, 10)],
		labour_hours=1.5,
		labour_rate=60.05,
	)
	assert value.parts_amount == 76.67  # 66.67 (each line rounded) + 10
	assert value.labour_amount == 90.08  # 90.075 half up
	assert value.amount == 166.75


@pytest.mark.parametrize(
	"args, base",
	[
		((rules.OUT_OF_WARRANTY, 450.0, 120.5), 329.5),
		((rules.OUT_OF_WARRANTY, 100.0, 130.0), 0.0),  # never below zero
		((rules.IN_WARRANTY, 999.0, 120.0, 215.25), 215.25),  # the claim, not the revenue
		((rules.IN_WARRANTY, 0, 0, 215.25, True), 0.0),  # rejected by the maker
	],
)
def test_base(args, base):
	assert rules.settlement_base(*args) == base


def version(name, day, inside, outside):
	return rules.FeeSplitVersion(name, datetime(2031, 3, day), inside, outside)


def test_shares_in_force_when_the_order_closed():
	versions = [version("v2", 15, Shares(30, 40, 30), OUT), version("v1", 1, SEED, OUT)]
	assert rules.version_in_force(versions, datetime(2031, 3, 14, 23, 59)).name == "v1"
	assert rules.version_in_force(versions, datetime(2031, 3, 15)).name == "v2"
	assert rules.version_in_force(versions, datetime(2031, 4, 1)).name == "v2"
	# before the history starts: its first version (the shares the app was using)
	assert rules.version_in_force(versions, datetime(2030, 1, 1)).name == "v1"
	assert rules.version_in_force([], datetime(2031, 1, 1)) is None
	assert versions[0].shares(rules.IN_WARRANTY) == Shares(30, 40, 30)
	assert versions[0].shares(rules.OUT_OF_WARRANTY) == OUT


def test_split_adds_up_to_the_base_and_reverses_exactly():
	parts = rules.split(215.25, SEED)
	assert parts == rules.Split(53.81, 107.63, 53.81)  # 107.625 and 53.8125 half up
	assert rules.money(parts.company + parts.technician + parts.manager) == 215.25
	assert parts.negated() == rules.Split(-53.81, -107.63, -53.81)


def test_payees_add_up_what_each_person_earns_as_engineer_and_manager():
	lines = [
		rules.Line("SWO-1", "EMP-A", "EMP-M", rules.Split(53.81, 107.63, 53.81)),
		rules.Line("SWO-2", "EMP-B", "EMP-M", rules.Split(164.75, 164.75, 0)),
		rules.Line("SWO-3", "EMP-M", "EMP-M", rules.Split(10, 20, 10)),  # the manager did the job
		rules.Line("SWO-4", "EMP-A", "EMP-M", rules.Split(53.81, 107.63, 53.81).negated()),
	]
	found = {p.employee: p for p in rules.payees(lines)}
	assert list(found) == ["EMP-A", "EMP-M", "EMP-B"]
	assert (found["EMP-A"].as_engineer, found["EMP-A"].amount) == (0, 0)
	assert (found["EMP-M"].as_engineer, found["EMP-M"].as_manager, found["EMP-M"].amount) == (20, 10, 30)
	assert found["EMP-B"].amount == 164.75
	assert found["EMP-B"].orders == {"SWO-2"}


def test_a_share_owed_to_nobody_is_refused():
	with pytest.raises(rules.MissingPayeeError) as caught:
		rules.payees([rules.Line("SWO-9", "EMP-A", None, rules.Split(25, 50, 25))])
	assert (caught.value.order, caught.value.role) == ("SWO-9", "manager")
	# no manager share, no manager needed
	assert rules.payees([rules.Line("SWO-9", "EMP-A", None, rules.Split(50, 50, 0))])[0].amount == 50


def test_journal_rows_balance():
	rows = rules.journal_rows([("EMP-A", 107.63), ("EMP-B", 164.75), ("EMP-C", 0), ("EMP-D", -20)])
	assert rows[0] == rules.JournalRow(None, 252.38, 0)
	assert rows[1:] == [
		rules.JournalRow("EMP-A", 0, 107.63),
		rules.JournalRow("EMP-B", 0, 164.75),
		rules.JournalRow("EMP-D", 20, 0),
	]
	assert rules.money(sum(r.debit for r in rows)) == rules.money(sum(r.credit for r in rows))
	# only a reversal: the expense is credited back
	assert rules.journal_rows([("EMP-A", -10)]) == [
		rules.JournalRow(None, 0, 10),
		rules.JournalRow("EMP-A", 10, 0),
	]
	assert rules.journal_rows([("EMP-A", 0)]) == []
