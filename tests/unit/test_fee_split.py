import pytest

from aftersales.domain.fee_split import Shares, split_fee


@pytest.mark.parametrize(
	"shares, valid",
	[
		(Shares(25, 50, 25), True),
		(Shares(50, 50, 0), True),
		(Shares(33.33, 33.33, 33.34), True),
		(Shares(30, 50, 25), False),  # 105
		(Shares(25, 50, 24.99), False),
		(Shares(-20, 120, 0), False),  # adds up, but a share is outside 0..100
	],
)
def test_shares_must_add_up_to_100(shares, valid):
	assert shares.is_valid() is valid


def test_split_keeps_the_total_exact():
	parts = split_fee(100.01, Shares(33.33, 33.33, 33.34))
	assert round(sum(parts), 2) == 100.01
	assert parts == (33.34, 33.33, 33.34)


def test_split_seed_example():
	# seed 004: in warranty 25% mall / 50% engineer / 25% manager
	assert split_fee(200, Shares(25, 50, 25)) == (50, 100, 50)


def test_split_refuses_invalid_shares():
	with pytest.raises(ValueError):
		split_fee(100, Shares(10, 10, 10))
