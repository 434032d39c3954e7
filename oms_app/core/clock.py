"""Time: stored in UTC, shown in the user's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, available_timezones

from oms_app.core.errors import ValidationFailed

# Business days the system reasons about: the comparison columns of any period inside them
# (the period before, the same dates last year) are still dates.
EARLIEST_DAY, LATEST_DAY = date(1970, 1, 1), date(2199, 12, 31)


def check_business_day(field: str, day: date | None) -> None:
    """Refuse a day outside EARLIEST_DAY..LATEST_DAY, naming the field."""
    if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationFailed(
            field,
            "error.day.out_of_range",
            earliest=EARLIEST_DAY.isoformat(),
            latest=LATEST_DAY.isoformat(),
        )


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
