"""ABC classes of spare parts by issued value (REQUIREMENTS SP-2). Pure rules, no database.

Parts are ranked by the value issued over the look-back window, highest first. Walking down the
ranking, a part is class A while the cumulative share *before* it is below the A threshold (so the
part that crosses 80% is still A), B while it is below the B threshold, C after that. Parts that
issued nothing are C. Ties are broken by item code so the result does not depend on input order.
"""

A, B, C = "A", "B", "C"


def classify(issued_value: dict[str, float], a_share: float = 80.0, b_share: float = 95.0) -> dict[str, str]:
	if not 0 < a_share <= b_share <= 100:
		raise ValueError("ABC thresholds must satisfy 0 < A share <= B share <= 100")
	total = sum(v for v in issued_value.values() if v > 0)
	classes = {}
	cumulative = 0.0
	for item, value in sorted(issued_value.items(), key=lambda kv: (-kv[1], kv[0])):
		if value <= 0 or total <= 0:
			classes[item] = C
			continue
		share_before = cumulative / total * 100
		classes[item] = A if share_before < a_share else B if share_before < b_share else C
		cumulative += value
	return classes


def effective_class(override: str | None, computed: str | None) -> str | None:
	"""The manual override wins over the computed class."""
	return override or computed or None


def class_change(current: str | None, override: str | None, computed: str | None) -> dict | None:
	"""The history entry when the effective class moves, else None."""
	effective = effective_class(override, computed)
	if effective == (current or None):
		return None
	return {
		"from_class": current or None,
		"to_class": effective,
		"source": "Manual" if override else "Computed",
	}
