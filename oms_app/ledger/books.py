"""Finance's housekeeping of the books: the chart of accounts and the accounting periods."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from oms_app.audit import service as audit
from oms_app.core.clock import utcnow
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.ledger import chart as c
from oms_app.ledger.errors import LedgerConflict, PeriodIsClosed
from oms_app.ledger.events import LedgerPeriodClosed, LedgerPeriodReopened
from oms_app.ledger.models import AccountingPeriod, JournalLine, LedgerAccount

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def period_of(day: date) -> str:
    return f"{day:%Y-%m}"


def parse_period(period: str) -> str:
    """A 'YYYY-MM' period, or a field error."""
    if not PERIOD.match(period or ""):
        raise ValidationFailed("period", "ledger.error.bad_period", value=period)
    return period


def ensure_chart(uow) -> int:
    """Add the standard accounts that are missing (idempotent; finance's names are kept)."""
    with uow:
        rows = [
            dict(
                code=spec.code,
                name_zh=spec.name_zh,
                name_en=spec.name_en,
                kind=spec.kind.value,
                normal_side=spec.normal_side.value,
                active=True,
                system=spec.code in c.SYSTEM_ACCOUNTS,
                updated_at=utcnow(),
            )
            for spec in c.STANDARD_CHART
        ]
        stmt = pg_insert(LedgerAccount).values(rows).on_conflict_do_nothing()
        added = uow.session.execute(stmt.returning(LedgerAccount.code)).all()
        uow.commit()
        return len(added)


def _account_for_update(uow, code: str) -> LedgerAccount:
    account = uow.session.get(LedgerAccount, code, with_for_update=True)
    if account is None:
        raise NotFound(field="code", code=code)
    return account


def _names(name_zh: str, name_en: str) -> tuple[str, str]:
    zh, en = name_zh.strip(), name_en.strip()
    if not zh or len(zh) > 64:
        raise ValidationFailed("name_zh", "ledger.error.bad_name")
    if not en or len(en) > 96:
        raise ValidationFailed("name_en", "ledger.error.bad_name")
    return zh, en


def rename_account(uow, *, code: str, name_zh: str, name_en: str, actor: Actor) -> dict:
    """Give an account new Chinese and English names; its code never changes."""
    require(actor, Permission.LEDGER_POST)
    zh, en = _names(name_zh, name_en)
    with uow:
        account = _account_for_update(uow, code)
        before = (account.name_zh, account.name_en)
        account.name_zh, account.name_en, account.updated_at = zh, en, utcnow()
        audit.record(
            uow,
            actor=actor,
            action="ledger.account_renamed",
            entity="ledger_account",
            entity_id=code,
            before=" / ".join(before),
            after=f"{zh} / {en}",
        )
        uow.commit()
        return account_view(account)


def set_account_active(uow, *, code: str, active: bool, actor: Actor) -> dict:
    """Hide an account from manual entry (or show it again); system accounts stay active."""
    require(actor, Permission.LEDGER_POST)
    with uow:
        account = _account_for_update(uow, code)
        if not active and account.system:
            raise LedgerConflict("system_account", code=code, field="code")
        account.active, account.updated_at = active, utcnow()
        audit.record(
            uow,
            actor=actor,
            action="ledger.account_active",
            entity="ledger_account",
            entity_id=code,
            active=active,
        )
        uow.commit()
        return account_view(account)


def add_account(
    uow, *, code: str, name_zh: str, name_en: str, actor: Actor, kind: str = ""
) -> dict:
    """Open a new account (a sub-account such as 660201 or a standard one we lack)."""
    require(actor, Permission.LEDGER_POST)
    if not re.fullmatch(r"[1-6]\d{3,7}", code or ""):
        raise ValidationFailed("code", "ledger.error.bad_code", value=code)
    zh, en = _names(name_zh, name_en)
    kinds = {k.value: k for k in c.AccountKind}
    if kind and kind not in kinds:
        raise ValidationFailed("kind", "ledger.error.bad_kind", value=kind)
    account_kind = kinds[kind] if kind else c.kind_of_code(code)
    with uow:
        if uow.session.get(LedgerAccount, code) is not None:
            raise LedgerConflict("code_taken", code=code, field="code")
        account = LedgerAccount(
            code=code,
            name_zh=zh,
            name_en=en,
            kind=account_kind.value,
            normal_side=c.NORMAL_SIDE[account_kind].value,
        )
        uow.session.add(account)
        audit.record(
            uow,
            actor=actor,
            action="ledger.account_added",
            entity="ledger_account",
            entity_id=code,
            name=f"{zh} / {en}",
        )
        uow.commit()
        return account_view(account)


def delete_account(uow, *, code: str, actor: Actor) -> None:
    """Remove an account nothing was ever posted to (posted ones can only be deactivated)."""
    require(actor, Permission.LEDGER_POST)
    with uow:
        account = _account_for_update(uow, code)
        posted = uow.session.scalar(sa.select(sa.exists().where(JournalLine.account_code == code)))
        if posted or account.system:
            raise LedgerConflict("account_in_use", code=code, field="code")
        uow.session.delete(account)
        audit.record(
            uow,
            actor=actor,
            action="ledger.account_deleted",
            entity="ledger_account",
            entity_id=code,
        )
        uow.commit()


def account_view(account: LedgerAccount) -> dict:
    return {
        "code": account.code,
        "name_zh": account.name_zh,
        "name_en": account.name_en,
        "kind": account.kind,
        "normal_side": account.normal_side,
        "active": account.active,
        "system": account.system,
    }


def require_open_period(uow, period: str) -> None:
    """Refuse postings into a closed period; the shared row lock waits out a closing in flight."""
    s = uow.session
    s.execute(pg_insert(AccountingPeriod).values(period=period).on_conflict_do_nothing())
    closed = s.scalar(
        sa.select(AccountingPeriod.closed)
        .where(AccountingPeriod.period == period)
        .with_for_update(read=True)
    )
    if closed:
        raise PeriodIsClosed(period)


def _period_for_update(uow, period: str) -> AccountingPeriod:
    s = uow.session
    s.execute(pg_insert(AccountingPeriod).values(period=period).on_conflict_do_nothing())
    return s.scalar(
        sa.select(AccountingPeriod).where(AccountingPeriod.period == period).with_for_update()
    )


def close_period(uow, *, period: str, actor: Actor) -> dict:
    """Close a month: from now on nothing posts into it (corrections go into an open month)."""
    require(actor, Permission.LEDGER_POST)
    parse_period(period)
    with uow:
        row = _period_for_update(uow, period)
        if row.closed:
            raise LedgerConflict("period_already_closed", period=period, field="period")
        row.closed, row.closed_at, row.closed_by = True, utcnow(), actor.username[:64]
        audit.record(
            uow,
            actor=actor,
            action="ledger.period_closed",
            entity="accounting_period",
            entity_id=period,
        )
        uow.add_event(LedgerPeriodClosed(period=period, actor=actor.username))
        uow.commit()
        return period_view(row)


def reopen_period(uow, *, period: str, reason: str, actor: Actor) -> dict:
    """Open a closed month again (finance, with a reason kept in the audit log)."""
    require(actor, Permission.LEDGER_POST)
    parse_period(period)
    if not reason.strip():
        raise ValidationFailed("reason", "ledger.error.reason_required")
    with uow:
        row = _period_for_update(uow, period)
        if not row.closed:
            raise LedgerConflict("period_not_closed", period=period, field="period")
        row.closed, row.closed_at, row.closed_by = False, None, ""
        audit.record(
            uow,
            actor=actor,
            action="ledger.period_reopened",
            entity="accounting_period",
            entity_id=period,
            reason=reason.strip(),
        )
        uow.add_event(LedgerPeriodReopened(period=period, actor=actor.username, reason=reason))
        uow.commit()
        return period_view(row)


def period_view(row: AccountingPeriod) -> dict:
    return {
        "period": row.period,
        "closed": row.closed,
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
        "closed_by": row.closed_by,
    }
