"""Next period's demand for a spare part (REQUIREMENTS SP-4): a plain, explainable method.

    recent level  = average usage of the last `recent` periods
    seasonal index = usage in the same period last year / average period last year,
                    kept between 0.5 and 2 so that one odd month does not dominate
                    (1 when a year of history is not known or last year used nothing)
    forecast      = recent level x seasonal index

Example: 10, 12, 14 used in the last three months (level 12); the same month last year used 30
while last year averaged 20 a month (index 1.5): the forecast is 18.
"""

from dataclasses import dataclass

MIN_INDEX, MAX_INDEX = 0.5, 2.0


@dataclass(frozen=True)
class Forecast:
	quantity: float
	recent_level: float
	seasonal_index: float


def forecast_next(history: list[float], periods_per_year: int = 12, recent: int = 3) -> Forecast:
	"""`history` is usage per period, oldest first, ending with the last complete period."""
	if recent < 1 or periods_per_year < 1:
		raise ValueError("recent and periods_per_year must be at least 1")
	if not history:
		return Forecast(0.0, 0.0, 1.0)
	window = history[-recent:]
	level = sum(window) / len(window)
	index = 1.0
	if len(history) >= periods_per_year:
		# the period being forecast is one year after history[-periods_per_year]
		last_year = history[-periods_per_year:]
		average = sum(last_year) / periods_per_year
		if average > 0:
			index = min(max(last_year[0] / average, MIN_INDEX), MAX_INDEX)
	return Forecast(round(level * index, 2), round(level, 2), round(index, 3))
