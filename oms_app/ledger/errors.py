"""Refusals of the ledger; each code is also the translation key of its message."""

from __future__ import annotations

from oms_app.core.errors import Conflict, DomainError


class UnbalancedEntry(DomainError):
    """Debits and credits of a draft differ: a bug in a rule or a bad amount, never posted."""

    code = "ledger.error.unbalanced"

    def __init__(self, debit: object, credit: object):
        super().__init__(
            f"debits {debit} != credits {credit}",
            field="lines",
            debit=str(debit),
            credit=str(credit),
        )


class PeriodIsClosed(Conflict):
    """The accounting period of the entry's date is closed: nothing may post into it."""

    code = "ledger.error.period_closed"

    def __init__(self, period: str):
        super().__init__(f"period {period} is closed", field="entry_date", period=period)


class LedgerConflict(Conflict):
    """The books are not in a state for this (already reversed, account in use, ...)."""

    def __init__(self, reason: str, **params: object):
        self.code = f"ledger.error.{reason}"
        super().__init__(self.code, field=params.pop("field", None), **params)
