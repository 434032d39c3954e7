"""Read side of the audit log: filtered, sorted and paged in SQL; shown in the reader's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from oms_app.audit.models import AuditEntry
from oms_app.core.clock import check_business_day, format_local
from oms_app.core.errors import ValidationFailed
from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require

A = AuditEntry
SORTS = {"at": A.at, "actor": A.actor_name, "action": A.action, "entity": A.entity}
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class AuditFilter:
    """What the audit list is narrowed to; empty fields do not narrow it."""

    who: str = ""  # the acting username, exactly (case-insensitive)
    action: str = ""  # an action ("customer.updated") or its area ("customer")
    entity: str = ""  # customer, product, change_request, user, ...
    entity_id: str = ""
    date_from: date | None = None  # a day in the reader's zone, inclusive
    date_to: date | None = None  # a day in the reader's zone, inclusive


def _utc_start(day: date, tz: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _conditions(flt: AuditFilter, tz: str) -> list:
    check_business_day("date_from", flt.date_from)
    check_business_day("date_to", flt.date_to)
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise ValidationFailed("date_to", "error.date.order", start=flt.date_from.isoformat())
    where: list = []
    if flt.who.strip():
        where.append(sa.func.lower(A.actor_name) == flt.who.strip().lower())
    if action := flt.action.strip():
        where.append(A.action == action if "." in action else A.action.startswith(action + "."))
    if flt.entity.strip():
        where.append(A.entity == flt.entity.strip())
    if flt.entity_id.strip():
        where.append(A.entity_id == flt.entity_id.strip())
    if flt.date_from:
        where.append(A.at >= _utc_start(flt.date_from, tz))
    if flt.date_to:
        where.append(A.at < _utc_start(flt.date_to + timedelta(days=1), tz))
    return where


def changes_of(detail: dict) -> list[dict]:
    """The {"old", "new"} entries of a detail as rows: field, old, new."""
    return [
        {"field": k, "old": v.get("old", ""), "new": v.get("new", "")}
        for k, v in (detail or {}).items()
        if isinstance(v, dict) and "new" in v
    ]


def _row(e: AuditEntry, tz: str) -> dict:
    detail = dict(e.detail or {})
    changes = changes_of(detail)
    return {
        "id": e.id,
        "at": format_local(e.at, tz, "%Y-%m-%d %H:%M:%S"),
        "actor": e.actor_name,
        "action": e.action,
        "entity": e.entity,
        "entity_id": e.entity_id,
        "changes": changes,
        "summary": "; ".join(f"{c['field']}: {c['old']} → {c['new']}" for c in changes),
        "notes": "; ".join(f"{k}={v}" for k, v in detail.items() if not isinstance(v, dict)),
    }


def list_audit_entries(uow, *, actor: Actor, request: PageRequest, flt: AuditFilter) -> dict:
    """A page of audit entries, newest first by default, with times in the reader's zone."""
    require(actor, Permission.AUDIT_VIEW)
    stmt = sa.select(A).where(*_conditions(flt, actor.tz))
    with uow:
        rows, total = run_page(uow.session, stmt, request, SORTS, "at", A.id.desc())
        return {"rows": [_row(e, actor.tz) for (e,) in rows], "total": total}


def export_audit_entries(
    uow, *, actor: Actor, flt: AuditFilter, sort: str = "at", descending: bool = True
) -> list[dict]:
    """Every entry the filter matches (at most EXPORT_LIMIT), in the list's sort."""
    require(actor, Permission.AUDIT_VIEW)
    column = SORTS.get(sort) or SORTS["at"]
    order = column.desc() if descending else column.asc()
    stmt = (
        sa.select(A)
        .where(*_conditions(flt, actor.tz))
        .order_by(order, A.id.desc())
        .limit(EXPORT_LIMIT)
    )
    with uow:
        return [_row(e, actor.tz) for e in uow.session.scalars(stmt)]
