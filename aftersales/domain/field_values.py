"""What a field may hold, decided from the raw value a client sent, before Frappe coerces it.

Frappe turns what it cannot read into something else without a word ("abc" in a Float becomes 0,
"definitely" in a Check becomes 0) or hands it to MariaDB, which refuses it with an error the API
reports as HTTP 500 (a date such as "yesterday-ish", 100,000 characters in a TEXT column). These
rules read the value the way the column will store it and say what is wrong; the Frappe layer
(`aftersales.input`) words the message and refuses the save.

Columns are described by the definition Frappe gives them on MariaDB (`get_definition` of
`frappe.database.schema`, from the field type, its length and precision): "varchar(140)",
"text", "longtext", "int(11)", "bigint(20)", "decimal(21,9)", "date", "datetime(6)", "time(6)".
A varchar holds that many characters; TEXT columns hold bytes, and utf8mb4 spends 1 to 4 bytes on
a character (3 on a Chinese one): a Small Text holds 65,535 bytes, about 21,800 Chinese characters.

Pure Python: no Frappe import.
"""

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, localcontext

# Bytes a TEXT-family column holds (MariaDB's limits; utf8mb4 text is measured in bytes)
TEXT_BYTES = {
	"tinytext": 2**8 - 1,
	"text": 2**16 - 1,
	"mediumtext": 2**24 - 1,
	"longtext": 2**32 - 1,
	"json": 2**32 - 1,  # an alias of LONGTEXT on MariaDB
}
# Signed ranges of the integer columns
INT_RANGE = {
	"tinyint": (-(2**7), 2**7 - 1),
	"smallint": (-(2**15), 2**15 - 1),
	"mediumint": (-(2**23), 2**23 - 1),
	"int": (-(2**31), 2**31 - 1),
	"bigint": (-(2**63), 2**63 - 1),
}

# The kinds of problem (`BadValue.kind`); the Frappe layer has a message for each
NOT_CHECK = "not_check"
NOT_WHOLE_NUMBER = "not_whole_number"
NOT_NUMBER = "not_number"
OUT_OF_RANGE = "out_of_range"
NOT_DATE = "not_date"
NOT_DATETIME = "not_datetime"
NOT_TIME = "not_time"
TOO_MANY_CHARACTERS = "too_many_characters"
TOO_MANY_BYTES = "too_many_bytes"
NOT_TEXT = "not_text"
LENGTH_PROBLEMS = (TOO_MANY_CHARACTERS, TOO_MANY_BYTES)

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
WHOLE_NUMBER = re.compile(r"[+-]?\d+")
DATE = r"(\d{4})-(\d{2})-(\d{2})"
TIME = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"
DATE_ONLY = re.compile(DATE)
DATE_AND_TIME = re.compile(DATE + r"(?:[ T]" + TIME + ")?")
TIME_ONLY = re.compile(TIME)


class BadValue(ValueError):
	"""A value the column cannot hold. `kind` is one of the constants above; `limit` and `size`
	are set for OUT_OF_RANGE (the bounds) and the length problems (capacity and size)."""

	def __init__(self, kind: str, limit=None, size=None):
		super().__init__(kind)
		self.kind = kind
		self.limit = limit
		self.size = size


@dataclass(frozen=True)
class Column:
	type: str  # "varchar", "text", "int", "decimal", "date", ...
	size: tuple[int, ...] = ()  # (140,) for varchar(140), (21, 9) for decimal(21,9)


def parse_column(definition: str | None) -> Column | None:
	"""A column definition as Frappe writes it: "varchar(140)", "decimal(21,9)", "text"."""
	match = re.fullmatch(r"\s*(\w+)\s*(?:\(([\d,\s]+)\))?.*", definition or "")
	if not match:
		return None
	size = tuple(int(n) for n in match.group(2).split(",")) if match.group(2) else ()
	return Column(match.group(1).lower(), size)


def is_empty(value) -> bool:
	return value is None or (isinstance(value, str) and not value.strip())


def clean(fieldtype: str, column: Column | None, value):
	"""The value as the column will store it (numbers as numbers, dates and times as ISO strings),
	or BadValue. Empty values, and values that are already dates or numbers of the right kind,
	come back as they are."""
	if fieldtype == "Check":
		return clean_check(value)
	if column is None or value is None:
		return value
	if column.type in ("varchar", "char") or column.type in TEXT_BYTES:
		check_length(value, column)
		return value
	if is_empty(value):
		return value
	if column.type in INT_RANGE:
		return clean_int(value, column)
	if column.type == "decimal":
		return clean_decimal(value, column)
	if column.type == "date":
		return clean_date(value)
	if column.type == "datetime":
		return clean_datetime(value)
	if column.type == "time":
		return clean_time(value)
	return value


def clean_check(value) -> int:
	"""0 or 1, as JSON, Python or a form sends them; anything else is not a yes/no."""
	if value is None or value == "":
		return 0
	if isinstance(value, bool):
		return int(value)
	if isinstance(value, int | float | Decimal) and value in (0, 1):
		return int(value)
	if isinstance(value, str) and value.strip() in ("0", "1"):
		return int(value.strip())
	raise BadValue(NOT_CHECK)


def to_number(value) -> int | float | Decimal:
	"""A number given as a number or as plain decimal text ("12", "-0.5", "1e3"). No thousands
	separators (is "1,5" one and a half or fifteen?), no "nan" or "inf"."""
	if isinstance(value, bool):
		number = int(value)
	elif isinstance(value, int | Decimal):
		number = value
	elif isinstance(value, float):
		number = value
	elif isinstance(value, str) and NUMBER.fullmatch(value.strip()):
		text = value.strip()
		number = int(text) if WHOLE_NUMBER.fullmatch(text) else float(text)
	else:
		raise BadValue(NOT_NUMBER)
	if isinstance(number, float | Decimal) and not math.isfinite(number):
		raise BadValue(NOT_NUMBER)
	return number


def clean_int(value, column: Column) -> int:
	try:
		number = to_number(value)
	except BadValue:
		raise BadValue(NOT_WHOLE_NUMBER) from None
	if number != int(number):
		raise BadValue(NOT_WHOLE_NUMBER)
	number = int(number)
	low, high = INT_RANGE[column.type]
	if not low <= number <= high:
		raise BadValue(OUT_OF_RANGE, limit=(low, high))
	return number


def decimal_bounds(column: Column) -> tuple[Decimal, Decimal]:
	"""decimal(21,9) holds up to 12 digits before the point: |x| <= 999999999999.999999999."""
	precision, scale = (*column.size, 0)[:2] if column.size else (10, 0)
	largest = Decimal(10) ** (precision - scale) - Decimal(10) ** -scale
	return -largest, largest


def clean_decimal(value, column: Column) -> int | float | Decimal:
	number = to_number(value)
	low, high = decimal_bounds(column)
	scale = column.size[1] if len(column.size) > 1 else 0
	exact = Decimal(str(number))
	with localcontext() as context:
		context.prec = 100
		# MariaDB rounds to the column's scale: what rounds past the bound does not fit
		if abs(exact) > high + 1 or not low <= round(exact, scale) <= high:
			raise BadValue(OUT_OF_RANGE, limit=(low, high))
	return float(number) if isinstance(value, str) else number


def _time_parts(hour, minute, second, fraction) -> time:
	microsecond = int((fraction or "0").ljust(6, "0"))
	return time(int(hour), int(minute), int(second or 0), microsecond)


def clean_date(value) -> date | datetime | str:
	"""A date as "YYYY-MM-DD" (a time after it is dropped); date objects as they are."""
	if isinstance(value, date):  # datetime is a date too
		return value
	match = DATE_AND_TIME.fullmatch(value.strip()) if isinstance(value, str) else None
	if not match:
		raise BadValue(NOT_DATE)
	try:
		day = date(*(int(n) for n in match.group(1, 2, 3)))
		if match.group(4):
			_time_parts(*match.group(4, 5, 6, 7))
	except ValueError:
		raise BadValue(NOT_DATE) from None
	return day.isoformat()


def clean_datetime(value) -> date | datetime | str:
	"""A date and time as "YYYY-MM-DD HH:MM:SS[.ffffff]" (or "T" between them; a date alone is
	midnight). No time zone: the site stores its own local time."""
	if isinstance(value, date):
		return value
	match = DATE_AND_TIME.fullmatch(value.strip()) if isinstance(value, str) else None
	if not match:
		raise BadValue(NOT_DATETIME)
	try:
		day = date(*(int(n) for n in match.group(1, 2, 3)))
		moment = _time_parts(*match.group(4, 5, 6, 7)) if match.group(4) else time()
	except ValueError:
		raise BadValue(NOT_DATETIME) from None
	return datetime.combine(day, moment).isoformat(sep=" ")


def clean_time(value) -> time | timedelta | str:
	"""A time of day as "HH:MM[:SS[.ffffff]]"; time and timedelta objects as they are."""
	if isinstance(value, time | timedelta):
		return value
	match = TIME_ONLY.fullmatch(value.strip()) if isinstance(value, str) else None
	if not match:
		raise BadValue(NOT_TIME)
	try:
		return _time_parts(*match.groups()).isoformat()
	except ValueError:
		raise BadValue(NOT_TIME) from None


def text_size(value, column: Column) -> int:
	"""Characters for a varchar, utf8mb4 bytes for a TEXT column."""
	text = value if isinstance(value, str) else str(value)
	if column.type in TEXT_BYTES:
		try:
			return len(text.encode("utf-8"))
		except UnicodeEncodeError:  # a lone surrogate ("\ud800" in JSON) has no UTF-8 form
			raise BadValue(NOT_TEXT) from None
	return len(text)


def capacity(column: Column) -> int | None:
	if column.type in TEXT_BYTES:
		return TEXT_BYTES[column.type]
	if column.type in ("varchar", "char") and column.size:
		return column.size[0]
	return None


def check_length(value, column: Column) -> None:
	limit = capacity(column)
	size = text_size(value, column)
	if limit is not None and size > limit:
		kind = TOO_MANY_BYTES if column.type in TEXT_BYTES else TOO_MANY_CHARACTERS
		raise BadValue(kind, limit=limit, size=size)


def preview(value, length: int = 40) -> str:
	"""A short, one-line form of a rejected value for the message."""
	text = value if isinstance(value, str) else repr(value)
	text = " ".join(text.split())
	return text if len(text) <= length else text[: length - 1] + "…"
