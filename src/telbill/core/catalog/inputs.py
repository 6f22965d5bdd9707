"""Order inputs: a quantity and named parameters, parsed with errors that name the field."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money, to_decimal


@dataclass(frozen=True, slots=True)
class Order:
    """One basket entry: an item code, an optional quantity, and parameters as text (key, value) pairs."""

    code: str
    quantity: Decimal | None = None
    params: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.quantity is not None:
            quantity = to_decimal(self.quantity, f"{self.code}.quantity")
            # 50.000000 (as a database returns it) and 50 are the same quantity: keep the plain form
            plain = quantity.quantize(1) if quantity == quantity.to_integral_value() else quantity.normalize()
            object.__setattr__(self, "quantity", plain)
        names = [name for name, _ in self.params]
        if len(set(names)) != len(names):
            raise TelbillError("order.duplicate_param", f"{self.code}: a parameter is given twice: {names}")

    def param(self, name: str) -> str | None:
        return next((value for key, value in self.params if key == name), None)

    def field(self, name: str) -> str:
        return f"{self.code}.{name}"


def require_param(order: Order, name: str) -> str:
    value = order.param(name)
    if value is None:
        raise TelbillError(
            "order.missing_param",
            f"{order.code} needs the parameter {name}=…",
            ErrorKind.NEEDS_INPUT,
            order.field(name),
        )
    return value


def money_param(order: Order, name: str) -> Money:
    raw = require_param(order, name)
    value = to_decimal(raw, order.field(name))
    if value < 0:
        raise TelbillError("order.negative", f"{name}={raw} is negative", field=order.field(name))
    try:
        return Money.of(value)
    except TelbillError:
        raise TelbillError(
            "order.sub_cent", f"{name}={raw} has digits below the cent", field=order.field(name)
        ) from None


def decimal_param(order: Order, name: str, default: Decimal | None = None) -> Decimal:
    raw = order.param(name)
    if raw is None:
        if default is not None:
            return default
        raw = require_param(order, name)
    value = to_decimal(raw, order.field(name))
    if value < 0:
        raise TelbillError("order.negative", f"{name}={raw} is negative", field=order.field(name))
    return value


def whole_quantity(order: Order, default: int | None = 1, name: str = "quantity") -> int:
    """A positive whole quantity (lines, copies, days, pages)."""
    quantity = order.quantity
    if quantity is None:
        if default is None:
            raise TelbillError(
                "order.missing_quantity",
                f"{order.code} needs a quantity ({order.code}=N)",
                ErrorKind.NEEDS_INPUT,
                order.field(name),
            )
        return default
    if quantity <= 0 or quantity != quantity.to_integral_value():
        raise TelbillError(
            "order.quantity",
            f"{order.code}={quantity}: the quantity must be a whole number above 0",
            field=order.field(name),
        )
    return int(quantity)


def positive_quantity(order: Order) -> Decimal:
    """A positive quantity that may have decimals (metres, minutes, hours)."""
    if order.quantity is None:
        raise TelbillError(
            "order.missing_quantity",
            f"{order.code} needs a quantity ({order.code}=N)",
            ErrorKind.NEEDS_INPUT,
            order.field("quantity"),
        )
    if order.quantity <= 0:
        raise TelbillError(
            "order.quantity",
            f"{order.code}={order.quantity}: the quantity must be above 0",
            field=order.field("quantity"),
        )
    return order.quantity
