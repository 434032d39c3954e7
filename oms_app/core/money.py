"""Money is Decimal with two places, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
DEFAULT_CURRENCY = "CNY"
_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€"}


def to_money(value: Decimal | int | str) -> Decimal:
    """Parse and round to cents; floats are refused so no binary fraction sneaks in."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    try:
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as err:
        raise ValueError(f"not an amount: {value!r}") from err


def format_money(amount: Decimal, currency: str = DEFAULT_CURRENCY) -> str:
    return f"{_SYMBOLS.get(currency, currency + ' ')}{to_money(amount):,.2f}"
