"""Time: stored in UTC, shown in the user's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_zone(moment: datetime | None, tz_name: str) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # columns are timestamptz; naive only from hand-made values
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(tz_name))


def format_local(moment: datetime | None, tz_name: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    local = to_zone(moment, tz_name)
    return local.strftime(fmt) if local else ""


def is_known_zone(tz_name: str) -> bool:
    return tz_name in available_timezones()


def business_zone() -> ZoneInfo:
    """The company's zone: order numbers, price-list dates and 'today' follow it."""
    from oms_app.core.config import get_settings

    return ZoneInfo(get_settings().default_tz)
