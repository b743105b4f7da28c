"""Stocktake arithmetic (REQUIREMENTS ST-2, ST-3). Pure rules, no database.

The count is compared with the book quantity *at the freeze* (when the count sheet was made), not
with today's: goods issued or received between the freeze and the posting were not on the shelf
when counted, or were counted in the book already. The posting therefore adjusts *today's*
quantity by the difference found:

    difference = counted - book at freeze
    post       = current quantity + difference

A naive posting of the counted quantity would undo every movement since the freeze.
"""

from dataclasses import dataclass


class CountError(ValueError):
	pass


@dataclass(frozen=True)
class Line:
	item_code: str
	warehouse: str
	book_qty: float
	counted_qty: float | None
	valuation_rate: float = 0.0

	@property
	def difference(self) -> float:
		if self.counted_qty is None:
			raise CountError(f"{self.item_code} in {self.warehouse} has not been counted")
		return self.counted_qty - self.book_qty

	@property
	def difference_value(self) -> float:
		return self.difference * self.valuation_rate


def qty_to_post(current_qty: float, line: Line) -> float:
	target = current_qty + line.difference
	if target < 0:
		raise CountError(
			f"{line.item_code} in {line.warehouse}: today's stock {current_qty} plus the difference "
			f"{line.difference} would be negative"
		)
	return target


def totals(lines: list[Line]) -> dict[str, float]:
	gain = sum(line.difference_value for line in lines if line.difference > 0)
	loss = -sum(line.difference_value for line in lines if line.difference < 0)
	return {"gain_value": gain, "loss_value": loss, "net_value": gain - loss}
