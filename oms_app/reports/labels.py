"""Words and number formats of the report files, from the reports catalogue."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from oms_app.core.clock import format_local
from oms_app.core.i18n import translate

SCHEDULED_LOCALE = "zh_CN"


def label(key: str, locale: str, **params: object) -> str:
    """A report word in the locale ("report.<key>" in assets/locales/reports)."""
    return translate(f"report.{key}", locale, **params)


def money(value: str | Decimal | None) -> str:
    """An amount with thousands separators and two places; "—" when there is none."""
    return "—" if value is None else f"¥{Decimal(value):,.2f}"


def rate(value: str | Decimal | None) -> str:
    """A ratio (0.1234) as a percentage with one place."""
    return "—" if value is None else f"{Decimal(value) * 100:.1f}%"


def hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} h"


def figure(value, kind: str) -> str:
    """A KPI value written by its kind (money, count, rate, hours)."""
    if kind == "money":
        return money(value)
    if kind == "rate":
        return rate(value)
    if kind == "hours":
        return hours(value)
    return "—" if value is None else f"{int(value):,}"


def generated_at(iso: str, tz: str = "Asia/Shanghai") -> str:
    return format_local(datetime.fromisoformat(iso), tz)
