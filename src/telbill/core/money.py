"""Exact money.

Contract:
- ``Money`` is an amount in euro cents, held as a ``Decimal`` with at most two decimals. It refuses floats
  and anything with sub-cent digits: sub-cent values exist only as plain ``Decimal`` intermediates.
- ``round_half_up`` is THE rounding function of telbill: half away from zero to the cent. Every place that
  turns an exact intermediate into money calls it (and is documented in docs/algorithms/).
- ``allocate`` splits an amount by weights without losing or creating a cent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, InvalidOperation

from telbill.core.errors import TelbillError

CENT = Decimal("0.01")
CURRENCY = "EUR"
_ZERO = Decimal("0.00")
# Products are taken in a context that never rounds: a product has at most the digits of both operands, far
# below the largest precision, so Decimal multiplies exactly (no half-even rounding to 28 digits first).
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
_new = object.__new__
_set = object.__setattr__  # Money is frozen: its one field is set this way, as the dataclass itself does


def to_decimal(value: object, field: str | None = None) -> Decimal:
    """Decimal from an exact representation (Decimal, int or str). Floats are refused: 0.1 is not 0.1."""
    if type(value) is Decimal and value.is_finite():
        return value  # the common case, first
    if isinstance(value, bool):
        raise TelbillError("money.type", f"{value!r} is a bool, not an amount", field=field)
    if isinstance(value, float):
        raise TelbillError(
            "money.float", f'{value!r} is a float; write amounts as strings such as "13.50"', field=field
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise TelbillError("money.syntax", f"{value!r} is not a number", field=field) from None
    else:
        raise TelbillError("money.type", f"{value!r} ({type(value).__name__}) is not an amount", field=field)
    if not result.is_finite():
        raise TelbillError("money.syntax", f"{value!r} is not a finite number", field=field)
    return result


def round_half_up(value: Decimal) -> Decimal:
    """The one rounding function: half away from zero, to the cent (3.745 → 3.75, -3.745 → -3.75)."""
    if isinstance(value, float):
        raise TelbillError("money.float", f"{value!r} is a float")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True, order=True)
class Money:
    amount: Decimal

    def __init__(self, amount: Decimal) -> None:
        # Written by hand (the dataclass still gives eq, order, hash, repr, replace and frozenness): an amount
        # already held in cents, the common case, costs a type test and one comparison of exponents.
        if type(amount) is not Decimal or not amount.same_quantum(CENT):
            amount = _in_cents(amount)
        _set(self, "amount", amount)

    @classmethod
    def _cents(cls, amount: Decimal) -> Money:
        """Money from a Decimal already known to be in cents (a sum or difference of Money): no check."""
        return _of_cents(amount)

    @classmethod
    def of(cls, value: object, field: str | None = None) -> Money:
        """Money from an exact value that must already be in cents."""
        return cls(to_decimal(value, field))

    @classmethod
    def rounded(cls, value: Decimal) -> Money:
        """Money from an exact intermediate, through the one rounding function."""
        return cls(round_half_up(value))

    @classmethod
    def zero(cls) -> Money:
        return cls(_ZERO)

    def __add__(self, other: Money) -> Money:
        if type(other) is not Money:
            other = _money(other)
        return _of_cents(self.amount + other.amount)

    def __sub__(self, other: Money) -> Money:
        if type(other) is not Money:
            other = _money(other)
        return _of_cents(self.amount - other.amount)

    def __neg__(self) -> Money:
        return _of_cents(-self.amount)

    def times(self, factor: Decimal | int) -> Money:
        """Multiply by an exact factor and round half-up to the cent."""
        product = _EXACT.multiply(self.amount, to_decimal(factor))  # exact: see _EXACT
        return Money(round_half_up(product))

    def is_zero(self) -> bool:
        return self.amount == 0

    def is_negative(self) -> bool:
        return self.amount < 0

    def __str__(self) -> str:
        return f"{self.amount:.2f}"


def _in_cents(value: object) -> Decimal:
    """The checked path of ``Money(value)``: an exact value without digits below the cent, as a Decimal in cents."""
    exact = value if type(value) is Decimal else to_decimal(value)
    if not exact.is_finite() or exact != exact.quantize(CENT, rounding=ROUND_DOWN):
        raise TelbillError("money.sub_cent", f"{exact} has digits below the cent; round it first")
    return exact.quantize(CENT)


def _of_cents(amount: Decimal) -> Money:
    """Money from a sum, difference or negation of amounts in cents: cents again, unless Decimal had to round a
    sum beyond 28 digits (then quantize refuses it, as the checked path would)."""
    money = _new(Money)
    _set(money, "amount", amount if amount.same_quantum(CENT) else amount.quantize(CENT))
    return money


def _money(value: object) -> Money:
    if not isinstance(value, Money):
        raise TelbillError("money.type", f"{value!r} is not Money")
    return value


def total(amounts: Iterable[Money]) -> Money:
    result = _ZERO
    for amount in amounts:
        if type(amount) is not Money:
            amount = _money(amount)
        result += amount.amount
    return _of_cents(result)


def allocate(amount: Money, weights: Sequence[Decimal | int]) -> tuple[Money, ...]:
    """Split ``amount`` in proportion to ``weights``; the parts add up to ``amount`` exactly.

    Largest-remainder method: each part is first rounded down to the cent, then the cents left over go one
    by one to the parts with the largest remainders (earliest first on ties), so the result is stable.
    """
    exact = [to_decimal(w) for w in weights]
    if not exact or any(w < 0 for w in exact) or sum(exact) == 0:
        raise TelbillError("money.weights", "weights must be non-negative with a positive sum")
    whole = sum(exact)
    sign = -1 if amount.is_negative() else 1
    magnitude = abs(amount.amount)
    shares = [magnitude * w / whole for w in exact]
    floors = [s.quantize(CENT, rounding=ROUND_DOWN) for s in shares]
    leftover_cents = int((magnitude - sum(floors)) / CENT)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for index in by_remainder[:leftover_cents]:
        floors[index] += CENT
    return tuple(Money(sign * part) for part in floors)
