"""Service appraisal arithmetic (REQUIREMENTS AP-3..AP-5): how a KPI value becomes a score, how
scores are weighted into the KPI part, the 360 part and the final score, which grade that is and
what the grade recommends. The Frappe layer (aftersales/staff/) fetches the values and stores the
results; everything that turns numbers into numbers is here, free of the database.

Conventions:
- every score lies on 0..100, 100 best;
- each step is rounded half up to two decimals (`money_round`), and a total is the sum of its rounded
  parts, so the rows printed on an appraisal add up to the total printed under them;
- an indicator, a rater group or a part without data is left out and the weights of the others are
  scaled up to 100% (nobody is rewarded or punished for work they had none of); the scaled weight is
  what the row shows.

Pure Python: no Frappe import.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# ---------------------------------------------------------------- scoring rules

LINEAR = "Linear to Target"
BANDS = "Bands"
INVERSE = "Inverse (Lower is Better)"
SCORING_RULES = (LINEAR, BANDS, INVERSE)

SUPERIOR, PEER, CUSTOMER, SELF = "Superior", "Peer", "Customer", "Self"
RATER_TYPES = (SUPERIOR, PEER, CUSTOMER, SELF)
# raters who fill in a Service Appraisal Feedback (customers answer the follow-up visit instead)
FEEDBACK_RATERS = (SUPERIOR, PEER, SELF)

MONTH, YEAR = "Month", "Year"
PERIOD_TYPES = (MONTH, YEAR)

WEIGHT_TOLERANCE = 0.001
MAX_SCORE = 100.0


class AppraisalRuleError(ValueError):
	"""A template or input the rules cannot work with; the message is shown to the user (the Frappe
	layer translates it; the arguments fill its {0} placeholders)."""

	def __init__(self, message: str, *args):
		super().__init__(message)
		self.message = message
		self.args_ = args


def money_round(value: float | Decimal | None, places: int = 2) -> float | None:
	"""Half up (2.675 -> 2.68), not to the nearest binary float as `round` does."""
	if value is None:
		return None
	exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
	return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def clip(score: float) -> float:
	return min(MAX_SCORE, max(0.0, score))


@dataclass(frozen=True)
class Band:
	threshold: float
	score: float


def parse_bands(text: str | None) -> tuple[Band, ...]:
	"""Bands written one per line (or separated by ";") as `threshold: score`, e.g. "95: 100".
	Sorted by threshold; scores within 0..100; thresholds unique."""
	bands = []
	for part in (text or "").replace(";", "\n").splitlines():
		part = part.strip()
		if not part:
			continue
		threshold, sep, score = part.partition(":")
		if not sep:
			raise AppraisalRuleError("Write each band as threshold: score, e.g. 95: 100 (not {0}).", part)
		try:
			band = Band(float(threshold), float(score))
		except ValueError:
			raise AppraisalRuleError(
				"Write each band as threshold: score, e.g. 95: 100 (not {0}).", part
			) from None
		if not 0 <= band.score <= MAX_SCORE:
			raise AppraisalRuleError("A band's score must lie between 0 and 100 (not {0}).", part)
		bands.append(band)
	thresholds = [b.threshold for b in bands]
	if len(set(thresholds)) != len(thresholds):
		raise AppraisalRuleError("Two bands have the same threshold.")
	return tuple(sorted(bands, key=lambda b: b.threshold))


def format_bands(bands: Iterable[Band]) -> str:
	return "\n".join(f"{_number(b.threshold)}: {_number(b.score)}" for b in bands)


def _number(value: float) -> str:
	return str(int(value)) if float(value).is_integer() else str(value)


def linear_score(value: float, target: float, zero_at: float = 0.0) -> float:
	"""0 at `zero_at`, 100 at `target`, a straight line between, clipped to 0..100. With
	`zero_at` above `target` the line falls: lower is better."""
	if target == zero_at:
		raise AppraisalRuleError("The target and the value that scores 0 must differ.")
	return clip((value - zero_at) * MAX_SCORE / (target - zero_at))


def inverse_zero_at(target: float, zero_at: float | None) -> float:
	"""Where a lower-is-better indicator scores 0: as given, else at twice the target."""
	if zero_at is not None:
		if zero_at <= target:
			raise AppraisalRuleError(
				"For a lower-is-better indicator the value that scores 0 must lie above the target."
			)
		return zero_at
	if target <= 0:
		raise AppraisalRuleError(
			"A lower-is-better indicator with a target of 0 needs the value that scores 0."
		)
	return 2 * target


def band_score(value: float, bands: Sequence[Band], lower_is_better: bool = False) -> float:
	"""Higher is better: the score of the highest band whose threshold the value reaches (a value
	below every band scores 0). Lower is better: the score of the lowest band whose threshold the
	value stays within (a value above every band scores 0)."""
	if not bands:
		raise AppraisalRuleError("The Bands rule needs at least one band.")
	if lower_is_better:
		within = [b for b in bands if value <= b.threshold]
		return within[0].score if within else 0.0
	reached = [b for b in bands if value >= b.threshold]
	return reached[-1].score if reached else 0.0


@dataclass(frozen=True)
class KpiRule:
	"""How one indicator is scored: a rule, its target, where it scores 0 (linear rules) and the
	bands (Bands rule)."""

	rule: str
	target: float
	weight: float
	zero_at: float | None = None
	bands: tuple[Band, ...] = ()
	lower_is_better: bool = False

	def check(self) -> None:
		if self.rule not in SCORING_RULES:
			raise AppraisalRuleError("Unknown scoring rule {0}.", self.rule)
		if self.rule == LINEAR:
			if self.target <= (self.zero_at or 0):
				raise AppraisalRuleError(
					"For a linear rule the target must lie above the value that scores 0."
				)
		elif self.rule == INVERSE:
			inverse_zero_at(self.target, self.zero_at)
		elif not self.bands:
			raise AppraisalRuleError("The Bands rule needs at least one band.")

	def score(self, value: float | None) -> float | None:
		"""The indicator's score on 0..100, rounded; None when there is no value (no data)."""
		if value is None:
			return None
		self.check()
		if self.rule == LINEAR:
			raw = linear_score(value, self.target, self.zero_at or 0.0)
		elif self.rule == INVERSE:
			raw = linear_score(value, self.target, inverse_zero_at(self.target, self.zero_at))
		else:
			raw = band_score(value, self.bands, self.lower_is_better)
		return money_round(raw)


# ---------------------------------------------------------------- weights


def weights_valid(weights: Iterable[float]) -> bool:
	values = [w or 0 for w in weights]
	return all(0 <= w <= 100 for w in values) and abs(sum(values) - 100) < WEIGHT_TOLERANCE


@dataclass(frozen=True)
class Weighted:
	"""One weighted line: its score (None = no data), the weight it was given, the weight it carries
	after lines without data were left out, and its share of the total."""

	score: float | None
	weight: float
	effective_weight: float | None
	weighted_score: float | None


def weigh(lines: Sequence[tuple[float | None, float]]) -> tuple[list[Weighted], float | None]:
	"""(score, weight) lines -> the weighted lines and their total (None when no line has data).
	Lines without a score are left out and the other weights scaled up to 100."""
	with_data = sum(weight for score, weight in lines if score is not None and weight)
	result, total = [], Decimal(0)
	for score, weight in lines:
		if score is None or not weight or not with_data:
			result.append(Weighted(score, weight, None if score is None else 0.0, None))
			continue
		effective = money_round(Decimal(repr(float(weight))) * 100 / Decimal(repr(float(with_data))))
		weighted = money_round(Decimal(repr(float(score))) * Decimal(repr(effective)) / 100)
		total += Decimal(repr(weighted))
		result.append(Weighted(score, weight, effective, weighted))
	return result, (money_round(total) if with_data else None)


# ---------------------------------------------------------------- 360 input


def rater_score(ratings: Sequence[tuple[float | None, float]]) -> float | None:
	"""One rater's score: the criteria ratings (0..100) weighted by the criteria weights."""
	_lines, total = weigh(ratings)
	return total


def mean(values: Iterable[float | None]) -> float | None:
	present = [Decimal(repr(float(v))) for v in values if v is not None]
	if not present:
		return None
	return money_round(sum(present) / len(present))


def feedback_score(
	group_scores: Mapping[str, float | None], group_weights: Mapping[str, float]
) -> tuple[list[Weighted], float | None]:
	"""The 360 score: each rater group's score (the mean of its raters) weighted by the template's
	360 weights (superior, peer, customer, self); groups without input are left out."""
	return weigh([(group_scores.get(group), group_weights.get(group, 0)) for group in RATER_TYPES])


def rating_to_score(rating: float | None) -> float | None:
	"""A Frappe Rating (stored as a fraction of the stars, 0..1) on the 0..100 scale; 0 = not rated."""
	if not rating:
		return None
	return money_round(Decimal(repr(float(rating))) * 100)


# ---------------------------------------------------------------- final score and grade


def final_score(
	kpi_score: float | None, kpi_weight: float, feedback: float | None, feedback_weight: float
) -> tuple[list[Weighted], float | None]:
	"""KPI part and 360 part weighted by the template (e.g. 70 / 30)."""
	return weigh([(kpi_score, kpi_weight), (feedback, feedback_weight)])


@dataclass(frozen=True)
class Grade:
	grade: str
	min_score: float
	bonus_percent: float = 0.0
	deduction_percent: float = 0.0
	promotion: bool = False
	training: bool = False


def check_grades(grades: Sequence[Grade]) -> None:
	if not grades:
		raise AppraisalRuleError("Add at least one grade band.")
	names = [g.grade for g in grades]
	if len(set(names)) != len(names):
		raise AppraisalRuleError("Each grade may appear only once.")
	minimums = [g.min_score for g in grades]
	if len(set(minimums)) != len(minimums):
		raise AppraisalRuleError("Two grade bands start at the same score.")
	if any(not 0 <= m <= MAX_SCORE for m in minimums):
		raise AppraisalRuleError("A grade band must start between 0 and 100.")
	if min(minimums) != 0:
		raise AppraisalRuleError("The lowest grade band must start at 0, so that every score has a grade.")
	for g in grades:
		if g.bonus_percent and g.deduction_percent:
			raise AppraisalRuleError("Grade {0} recommends both a bonus and a deduction.", g.grade)
		if g.bonus_percent < 0 or g.deduction_percent < 0:
			raise AppraisalRuleError("Grade {0}: bonus and deduction are positive percentages.", g.grade)


def grade_for(score: float | None, grades: Sequence[Grade]) -> Grade | None:
	"""The band with the highest minimum the score reaches (A >= 90, B >= 75, ...)."""
	if score is None:
		return None
	reached = [g for g in grades if score >= g.min_score]
	return max(reached, key=lambda g: g.min_score) if reached else None


DEFAULT_GRADES = (
	Grade("A", 90, bonus_percent=10, promotion=True),
	Grade("B", 75, bonus_percent=5),
	Grade("C", 60),
	Grade("D", 0, deduction_percent=5, training=True),
)


# ---------------------------------------------------------------- periods


def period_bounds(period_type: str, day: date) -> tuple[date, date]:
	"""The month or year holding `day`: (first day, last day)."""
	if period_type == MONTH:
		start = day.replace(day=1)
		following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
		return start, following - timedelta(days=1)
	if period_type == YEAR:
		return date(day.year, 1, 1), date(day.year, 12, 31)
	raise AppraisalRuleError("Unknown period {0}.", period_type)


def previous_month(today: date) -> tuple[date, date]:
	"""The month that ended before `today`'s month (the monthly job runs after month end)."""
	return period_bounds(MONTH, today.replace(day=1) - timedelta(days=1))


def period_label(period_type: str, start: date) -> str:
	return f"{start.year}-{start.month:02d}" if period_type == MONTH else str(start.year)


def amount_for(percent: float, base: float) -> float:
	"""A bonus or deduction of `percent` on a base pay."""
	return money_round(Decimal(repr(float(base))) * Decimal(repr(float(percent))) / 100) or 0.0


# ---------------------------------------------------------------- indicators an appraisal can use

OWN_WORK, SERVICE_POINT, COMPANY = "Own Work", "Service Point", "Company"
SCOPES = (OWN_WORK, SERVICE_POINT, COMPANY)


@dataclass(frozen=True)
class AppraisalIndicator:
	"""An indicator a template can score. `kpi` names the KPI module's indicator
	(aftersales/kpi/definitions.py) it reads; None for the few the appraisal counts itself
	(aftersales/staff/kpi_source.py): per-person work the KPI module does not group by."""

	label: str
	kpi: str | None
	higher_is_better: bool = True


APPRAISAL_INDICATORS = {
	i.label: i
	for i in (
		AppraisalIndicator("Orders Closed", "closed"),
		AppraisalIndicator("2-Hour Appointment Rate", "appointment_rate"),
		AppraisalIndicator("Average Response Time (Working Hours)", "response_time", higher_is_better=False),
		AppraisalIndicator("On-site Completion Rate", "on_site_completion_rate"),
		AppraisalIndicator("First-time Fix Rate", "first_time_fix_rate"),
		AppraisalIndicator("Rework Rate", "rework_rate", higher_is_better=False),
		AppraisalIndicator("Resolution Rate", "resolution_rate"),
		AppraisalIndicator("Average Repair Duration (Hours)", "repair_hours", higher_is_better=False),
		AppraisalIndicator("Satisfaction Rate", "satisfied_rate"),
		AppraisalIndicator("Average Follow-up Score (of 5)", "satisfaction_score"),
		AppraisalIndicator("Complaints per 100 Orders", "complaint_rate", higher_is_better=False),
		AppraisalIndicator("Complaints Closed before Deadline", "complaints_in_time_rate"),
		AppraisalIndicator("SLA Breach Rate", "sla_breach_rate", higher_is_better=False),
		AppraisalIndicator("Parts Sales", None),
		AppraisalIndicator("Follow-ups Made", None),
		AppraisalIndicator("Quality Checks Made", None),
		AppraisalIndicator("Parts Issues Made", None),
	)
}
