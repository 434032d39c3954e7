"""Pure rules of the report centre: default periods, kinds, recipients. No I/O."""

from __future__ import annotations

from datetime import date, timedelta

from oms_app.core.errors import ValidationFailed
from oms_app.reports.status import ReportKind

# Progress shown while a run moves through its steps (committed at each one).
PROGRESS_STARTED = 10
PROGRESS_FIGURES = 40
PROGRESS_PDF = 70
PROGRESS_XLSX = 90
PROGRESS_DONE = 100
MAX_RECIPIENTS = 10


def parse_kind(value: str) -> ReportKind:
    """The report kind named by value; refuse an unknown one."""
    try:
        return ReportKind(str(value).strip())
    except ValueError:
        raise ValidationFailed("kind", "error.report.kind", value=value) from None


def default_period(kind: ReportKind, today: date) -> tuple[date, date]:
    """Yesterday, last Monday-Sunday or last calendar month, seen from the business day today."""
    if kind is ReportKind.DAILY_OPERATIONS:
        yesterday = today - timedelta(days=1)
        return yesterday, yesterday
    if kind is ReportKind.WEEKLY_SALES:
        last_sunday = today - timedelta(days=today.weekday() + 1)
        return last_sunday - timedelta(days=6), last_sunday
    last_day = today.replace(day=1) - timedelta(days=1)
    return last_day.replace(day=1), last_day


def is_due(kind: ReportKind, today: date) -> bool:
    """Whether the scheduled report of a kind is made on the business day today."""
    if kind is ReportKind.WEEKLY_SALES:
        return today.weekday() == 0
    if kind is ReportKind.MONTHLY_MANAGEMENT:
        return today.day == 1
    return True


def schedule_key(kind: ReportKind, date_from: date) -> str:
    """The key that makes a scheduled report of one period unique."""
    return f"{kind.value}:{date_from.isoformat()}"


def parse_recipients(text: str) -> list[str]:
    """Addresses from a comma- or semicolon-separated list; refuse one without an @."""
    found = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    for address in found:
        local, _, domain = address.partition("@")
        if not local or "." not in domain or any(ch.isspace() for ch in address):
            raise ValidationFailed("email_to", "error.report.recipient", value=address)
    if len(found) > MAX_RECIPIENTS:
        raise ValidationFailed("email_to", "error.report.too_many_recipients", max=MAX_RECIPIENTS)
    return list(dict.fromkeys(found))


def parse_domains(text: str) -> frozenset[str]:
    """Mail domains from a comma-separated setting ("example.com, @Partner.cn"), lower-cased."""
    parts = (part.strip().lstrip("@").lower() for part in text.replace(";", ",").split(","))
    return frozenset(part for part in parts if part)


def refused_recipients(
    addresses: list[str],
    *,
    user_emails: set[str],
    domains: frozenset[str],
    configured: frozenset[str] = frozenset(),
) -> list[str]:
    """The addresses a report may not go to: neither an enabled user's address, nor in an
    allowed domain, nor set by the operator for the scheduled reports (OMS_REPORT_RECIPIENTS)."""
    refused = []
    for address in addresses:
        lowered = address.strip().lower()
        domain = lowered.rpartition("@")[2]
        if lowered not in user_emails and domain not in domains and lowered not in configured:
            refused.append(address)
    return refused
