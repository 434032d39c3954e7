"""Who a report may be mailed to: enabled users of the system, allowed domains, and the
operator's own list for the scheduled reports. Checked when a report is asked for and again
when it is sent (a user disabled since, or the allowed domains narrowed)."""

from __future__ import annotations

from oms_app.accounts import queries as account_queries
from oms_app.core.config import get_settings
from oms_app.core.errors import ValidationFailed
from oms_app.reports import rules


def refused_recipients(uow, addresses: list[str]) -> list[str]:
    """The addresses a report may not go to now; in the caller's unit of work."""
    settings = get_settings()
    return rules.refused_recipients(
        addresses,
        user_emails=account_queries.enabled_user_emails(uow, addresses=addresses),
        domains=rules.parse_domains(settings.report_allowed_domains),
        configured=frozenset(a.lower() for a in rules.parse_recipients(settings.report_recipients)),
    )


def require_allowed_recipients(uow, addresses: list[str]) -> None:
    """Refuse a report request naming an address outside the system and the allowed domains."""
    if refused := refused_recipients(uow, addresses):
        raise ValidationFailed("email_to", "error.report.recipient_not_allowed", value=refused[0])
