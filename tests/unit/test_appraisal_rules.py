"""Appraisal arithmetic (aftersales/domain/appraisal.py) and lifecycle (appraisal_flow.py)."""

from datetime import date

import pytest

from aftersales.domain import appraisal as rules
from aftersales.domain import appraisal_flow as flow
from aftersales.domain.appraisal import AppraisalRuleError, Band, Grade, KpiRule

# ---------------------------------------------------------------- scoring rules


@pytest.mark.parametrize(
	"value, expected",
	[(0, 0), (45, 50), (90, 100), (120, 100), (-5, 0), (30, 33.33)],
)
def test_linear_to_target_from_zero(value, expected):
	assert KpiRule(rules.LINEAR, target=90, weight=10).score(value) == expected


def test_linear_with_a_floor():
	# 60% scores 0, 90% scores 100: 80% is two thirds of the way
	assert KpiRule(rules.LINEAR, target=90, weight=10, zero_at=60).score(80) == 66.67
	assert KpiRule(rules.LINEAR, target=90, weight=10, zero_at=60).score(50) == 0


@pytest.mark.parametrize("value, expected", [(0, 100), (5, 100), (7.5, 50), (10, 0), (20, 0), (6, 80)])
def test_inverse_falls_from_target_to_twice_the_target(value, expected):
	assert KpiRule(rules.INVERSE, target=5, weight=10).score(value) == expected


def test_inverse_with_zero_target_needs_the_zero_point():
	with pytest.raises(AppraisalRuleError):
		KpiRule(rules.INVERSE, target=0, weight=10).score(1)
	assert KpiRule(rules.INVERSE, target=0, weight=10, zero_at=4).score(1) == 75
	with pytest.raises(AppraisalRuleError):
		KpiRule(rules.INVERSE, target=5, weight=10, zero_at=5).check()


def test_bands_higher_is_better():
	bands = rules.parse_bands("95: 100\n90: 80; 80:60")
	assert bands == (Band(80, 60), Band(90, 80), Band(95, 100))
	rule = KpiRule(rules.BANDS, target=95, weight=10, bands=bands)
	assert [rule.score(v) for v in (100, 95, 94.9, 90, 85, 79.9)] == [100, 100, 80, 80, 60, 0]


def test_bands_lower_is_better():
	rule = KpiRule(
		rules.BANDS,
		target=2,
		weight=10,
		bands=rules.parse_bands("2: 100\n4: 70\n8: 40"),
		lower_is_better=True,
	)
	assert [rule.score(v) for v in (0, 2, 3, 4, 8, 8.1)] == [100, 100, 70, 70, 40, 0]


@pytest.mark.parametrize("text", ["95 100", "a: 1", "95: 120", "90: 10\n90: 20"])
def test_bad_bands_are_refused(text):
	with pytest.raises(AppraisalRuleError):
		rules.parse_bands(text)


def test_bands_round_trip():
	assert rules.format_bands(rules.parse_bands("90: 80\n95: 100\n82.5: 60")) == "82.5: 60\n90: 80\n95: 100"


def test_no_value_is_no_score():
	assert KpiRule(rules.LINEAR, target=90, weight=10).score(None) is None


# ---------------------------------------------------------------- weights


def test_weights_add_up_to_100():
	assert rules.weights_valid([40, 30, 30])
	assert not rules.weights_valid([40, 30, 20])
	assert not rules.weights_valid([110, -10])


def test_weighted_rows_add_up_to_the_total():
	lines, total = rules.weigh([(100, 40), (50, 35), (33.33, 25)])
	assert [w.weighted_score for w in lines] == [40, 17.5, 8.33]
	assert total == 65.83


def test_lines_without_data_are_left_out_and_the_rest_scaled():
	lines, total = rules.weigh([(80, 50), (None, 20), (60, 30)])
	# 50 and 30 carry 62.5% and 37.5%
	assert [w.effective_weight for w in lines] == [62.5, None, 37.5]
	assert [w.weighted_score for w in lines] == [50, None, 22.5]
	assert total == 72.5
	assert rules.weigh([(None, 50), (None, 50)])[1] is None


# ---------------------------------------------------------------- 360 and final score


def test_rater_group_and_360_score():
	superior = rules.rater_score([(80, 50), (60, 30), (100, 20)])  # 40 + 18 + 20
	assert superior == 78
	peers = rules.mean([rules.rater_score([(100, 50), (80, 30), (80, 20)]), rules.rater_score([(60, 100)])])
	assert peers == 75  # (90 + 60) / 2
	lines, total = rules.feedback_score(
		{rules.SUPERIOR: superior, rules.PEER: peers, rules.CUSTOMER: 90, rules.SELF: None},
		{rules.SUPERIOR: 40, rules.PEER: 20, rules.CUSTOMER: 30, rules.SELF: 10},
	)
	# self left out: 40/90, 20/90, 30/90 -> 44.44, 22.22, 33.33 (rounded)
	assert [w.effective_weight for w in lines] == [44.44, 22.22, 33.33, None]
	assert [w.weighted_score for w in lines] == [34.66, 16.67, 30.0, None]
	assert total == 81.33


def test_rating_fraction_to_score():
	assert rules.rating_to_score(0.8) == 80
	assert rules.rating_to_score(0) is None


def test_final_score_and_grade():
	lines, final = rules.final_score(82.5, 70, 75, 30)
	assert [w.weighted_score for w in lines] == [57.75, 22.5]
	assert final == 80.25
	assert rules.grade_for(final, rules.DEFAULT_GRADES).grade == "B"
	assert rules.grade_for(90, rules.DEFAULT_GRADES).grade == "A"
	assert rules.grade_for(89.99, rules.DEFAULT_GRADES).grade == "B"
	assert rules.grade_for(0, rules.DEFAULT_GRADES).grade == "D"
	assert rules.grade_for(None, rules.DEFAULT_GRADES) is None
	# without 360 input the KPI part is the whole score
	assert rules.final_score(82.5, 70, None, 30)[1] == 82.5


@pytest.mark.parametrize(
	"grades",
	[
		[],
		[Grade("A", 90), Grade("A", 0)],
		[Grade("A", 90), Grade("B", 90), Grade("C", 0)],
		[Grade("A", 90), Grade("B", 10)],
		[Grade("A", 0, bonus_percent=5, deduction_percent=5)],
		[Grade("A", 120), Grade("B", 0)],
	],
)
def test_bad_grade_bands_are_refused(grades):
	with pytest.raises(AppraisalRuleError):
		rules.check_grades(grades)


def test_default_grades_are_valid():
	rules.check_grades(rules.DEFAULT_GRADES)


def test_half_up_rounding():
	assert rules.money_round(2.675) == 2.68
	assert rules.money_round(0.125) == 0.13
	assert rules.amount_for(5, 6543.21) == 327.16


# ---------------------------------------------------------------- periods


def test_periods():
	assert rules.period_bounds(rules.MONTH, date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
	assert rules.period_bounds(rules.MONTH, date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))
	assert rules.period_bounds(rules.YEAR, date(2026, 5, 5)) == (date(2026, 1, 1), date(2026, 12, 31))
	assert rules.previous_month(date(2026, 1, 1)) == (date(2025, 12, 1), date(2025, 12, 31))
	assert rules.previous_month(date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))
	assert rules.period_label(rules.MONTH, date(2026, 3, 1)) == "2026-03"
	assert rules.period_label(rules.YEAR, date(2026, 1, 1)) == "2026"


# ---------------------------------------------------------------- lifecycle


def test_every_state_is_reachable_and_final_is_submitted():
	reachable, frontier = {flow.DRAFT}, [flow.DRAFT]
	while frontier:
		for nxt in flow.FLOW.next_states(frontier.pop()):
			if nxt not in reachable:
				reachable.add(nxt)
				frontier.append(nxt)
	assert reachable == set(flow.STATES)
	assert flow.FLOW.doc_status == {flow.FINAL: 1, flow.CANCELLED: 2}


def test_only_parties_move_it_and_only_the_manager_cancels():
	for t in flow.TRANSITIONS:
		if t.roles != flow.MANAGER:
			assert t.condition in (flow.IS_APPRAISER, flow.IS_EMPLOYEE), t
	assert flow.FLOW.roles_for(flow.FINAL, flow.CANCELLED) == set(flow.MANAGER)
	for old, new in flow.MOVERS:
		assert flow.FLOW.is_allowed(old, new)


# ---------------------------------------------------------------- the DocTypes say the same


def _options(doctype: str, fieldname: str) -> list[str]:
	from .metadata import load_doctypes

	field = next(f for f in load_doctypes()[doctype]["fields"] if f["fieldname"] == fieldname)
	return [o for o in field["options"].split("\n") if o]


def test_doctype_options_are_the_rules():
	assert _options("Service Appraisal Template KPI", "indicator") == list(rules.APPRAISAL_INDICATORS)
	for doctype in ("Service Appraisal Template KPI", "Service Appraisal KPI"):
		assert _options(doctype, "scoring_rule") == list(rules.SCORING_RULES)
		assert _options(doctype, "scope") == list(rules.SCOPES)
	assert _options("Service Appraisal", "status") == list(flow.STATES)
	assert _options("Service Appraisal", "period_type") == list(rules.PERIOD_TYPES)
	assert _options("Service Appraisal Rater Score", "rater_type") == list(rules.RATER_TYPES)
	assert _options("Service Appraisal Feedback", "rater_type") == list(rules.FEEDBACK_RATERS)
	# every post of a service point can be appraised, and so can the point's manager
	posts = _options("Service Point Member", "post")
	assert _options("Service Appraisal Template", "post") == [*posts, "Service Point Manager"]
	assert _options("Service Appraisal", "post") == [*posts, "Service Point Manager"]
