"""The benchmark generator's plan (aftersales/benchmarks/plan.py): counts, and order stories that
only take steps of the shipped workflow."""

import random
from collections import Counter
from datetime import datetime, timedelta

import pytest

from aftersales.benchmarks import plan as planning
from aftersales.domain import work_order_flow as flow

NOW = datetime(2026, 11, 30, 12, 0)
ALLOWED = {(t.state, t.next_state) for t in flow.TRANSITIONS}


def test_defaults_at_a_million_orders_are_the_chains():
	plan = planning.make_plan()
	assert (plan.customers, plan.serial_nos, plan.service_points, plan.technicians, plan.parts) == (
		100_000,
		300_000,
		20,
		200,
		20_000,
	)
	assert plan.open_orders == 100_000
	assert (plan.complaints, plan.returns) == (20_000, 10_000)


def test_counts_scale_with_orders_and_can_be_overridden():
	plan = planning.make_plan(100_000, parts=5000)
	assert (plan.customers, plan.serial_nos, plan.parts) == (10_000, 30_000, 5000)
	small = planning.make_plan(10)
	assert small.customers == 100 and small.parts == 500
	with pytest.raises(ValueError):
		planning.make_plan(1000, colour="red")
	with pytest.raises(ValueError):
		planning.make_plan(1000, technicians=5)


def test_received_moments_are_sorted_in_working_hours_and_grow():
	rng = random.Random(1)
	moments = planning.received_moments(rng, 20_000, NOW, 3 * 365)
	assert moments == sorted(moments)
	assert all(NOW - timedelta(days=3 * 365 + 1) <= m < NOW for m in moments)
	assert all(planning.DAY_START <= m.time() < planning.DAY_END for m in moments)
	first_year = sum(1 for m in moments if m < NOW - timedelta(days=2 * 365))
	last_year = sum(1 for m in moments if m >= NOW - timedelta(days=365))
	assert last_year > first_year * 1.2


def stories(count=20_000, **overrides):
	plan = planning.make_plan(count, **overrides)
	rng = random.Random(7)
	moments = planning.received_moments(rng, count, NOW, plan.days)
	return plan, [
		planning.order_story(rng, planning.pick(rng, planning.ORDER_TYPES), m, NOW, plan) for m in moments
	]


def test_every_step_of_a_story_is_a_workflow_transition_in_time_order():
	_plan, all_stories = stories()
	for story in all_stories:
		assert story.log[0][:2] == (flow.NEW, None)
		for (previous_state, _p, previous_at), (state, came_from, at) in zip(
			story.log, story.log[1:], strict=False
		):
			assert came_from == previous_state
			assert (previous_state, state) in ALLOWED
			assert previous_at < at <= NOW


def test_states_cover_the_workflow_and_the_open_backlog_is_about_the_plans():
	plan, all_stories = stories()
	states = Counter(story.status for story in all_stories)
	assert set(states) == set(flow.STATES) - {flow.AWAITING_CONSENT} or set(states) == set(flow.STATES)
	open_orders = sum(n for state, n in states.items() if state not in flow.SLA_FULFILLED)
	assert 0.6 * plan.open_orders < open_orders < 1.4 * plan.open_orders
	assert states[flow.CLOSED] > len(all_stories) / 2
	assert Counter(s.order_type for s in all_stories).keys() == {"Repair", "Installation", "Maintenance"}


def test_follow_ups_match_the_deliveries():
	_plan, all_stories = stories()
	for story in all_stories:
		deliveries = [t for s, _p, t in story.log if s == flow.DELIVERED]
		assert [d for d, _done, _outcome in story.follow_ups] == deliveries
		if story.status == flow.CLOSED and not story.solved_by_phone:
			assert story.follow_ups[-1][2] == "Satisfied"
		if story.status in (flow.DELIVERED, flow.FOLLOW_UP):
			assert story.follow_ups[-1][1] is None


def test_working_hours_after_skips_the_night():
	assert planning.working_hours_after(datetime(2026, 1, 5, 19, 0), 2) == datetime(2026, 1, 6, 9, 0)
	assert planning.working_hours_after(datetime(2026, 1, 5, 6, 0), 2) == datetime(2026, 1, 5, 10, 0)
	assert planning.working_hours_after(datetime(2026, 1, 5, 8, 0), 24) == datetime(2026, 1, 6, 20, 0)


def test_zipf_weights_are_cumulative_and_skewed():
	weights = planning.zipf_weights(1000)
	assert weights == sorted(weights)
	assert weights[99] / weights[-1] > 0.6  # the top 10% of parts carry most of the use
