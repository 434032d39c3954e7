"""Ledger use cases: post business events, reverse entries. Postings join the caller's unit of
work, so a payment or a shipment and its journal entry commit together or not at all.

Automatic postings are made with the system actor (or anyone holding `ledger.post`); each
source (type + key) posts once: a repeated call returns the entry already posted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.ledger import chart as c
from oms_app.ledger import rules
from oms_app.ledger.books import (  # noqa: F401  (finance's housekeeping, one import for callers)
    add_account,
    close_period,
    delete_account,
    ensure_chart,
    period_of,
    rename_account,
    reopen_period,
    require_open_period,
    set_account_active,
)
from oms_app.ledger.errors import LedgerConflict
from oms_app.ledger.events import LedgerEntryPosted
from oms_app.ledger.facts import (
    ZERO,
    ExpenseFacts,
    GoodsReceivedFacts,
    PaymentFacts,
    RefundFacts,
    ReturnFacts,
    ShipmentFacts,
    StockAdjustmentFacts,
)
from oms_app.ledger.models import JournalEntry, JournalLine, LedgerAccount
from oms_app.ledger.rules import EntryDraft, LineDraft

ORDER_LOCK = 7301  # advisory lock class: one posting at a time per order keeps splits exact


def business_date(moment: datetime) -> date:
    """The Asia/Shanghai (business zone) date of a UTC moment; naive moments are UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(business_zone()).date()


def order_balance(uow, *, order_id: int, account_code: str) -> Decimal:
    """Debits less credits of one account on one order's lines (its sub-ledger)."""
    with uow:
        return uow.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(JournalLine.debit - JournalLine.credit), ZERO))
            .where(JournalLine.order_id == order_id)
            .where(JournalLine.account_code == account_code)
        )


def _lock_order(uow, order_id: int) -> None:
    uow.session.execute(sa.select(sa.func.pg_advisory_xact_lock(ORDER_LOCK, order_id)))


def _posted_id(uow, source_type: str, source_key: str) -> int | None:
    return uow.session.scalar(
        sa.select(JournalEntry.id).where(
            JournalEntry.source_type == source_type, JournalEntry.source_key == str(source_key)
        )
    )


def _insert_entry(uow, draft: EntryDraft, entry_date: date, actor: Actor, reverses) -> int | None:
    """Insert the header; None when the same source was posted meanwhile (ON CONFLICT)."""
    s = uow.session
    entry_id = s.scalar(sa.text("SELECT nextval(pg_get_serial_sequence('journal_entries','id'))"))
    values = dict(
        id=entry_id,
        number=rules.entry_number(entry_date, entry_id),
        entry_date=entry_date,
        period=period_of(entry_date),
        source_type=draft.source_type,
        source_key=draft.source_key,
        order_number=draft.order_number or None,
        memo=draft.memo,
        amount=draft.total,
        reverses_entry_id=reverses,
        created_by=actor.username[:64],
        created_by_id=actor.user_id,
        posted_at=utcnow(),
    )
    stmt = pg_insert(JournalEntry).values(**values)
    stmt = stmt.on_conflict_do_nothing(constraint="uq_journal_entries_source")
    inserted = s.scalar(stmt.returning(JournalEntry.id))
    if inserted is not None:
        uow.add_event(
            LedgerEntryPosted(
                entry_id=entry_id,
                number=values["number"],
                entry_date=entry_date.isoformat(),
                period=values["period"],
                source_type=draft.source_type,
                source_key=draft.source_key,
                order_number=draft.order_number,
                amount=str(draft.total),
                actor=actor.username,
            )
        )
    return inserted


def _post(uow, draft: EntryDraft, entry_date: date, actor: Actor, reverses=None) -> int | None:
    """Write a balanced draft into an open period; the id of the entry (new or already there)."""
    if not draft.lines:
        return None  # nothing of value moved (a free sample, a zero fee)
    require_open_period(uow, period_of(entry_date))
    entry_id = _insert_entry(uow, draft, entry_date, actor, reverses)
    if entry_id is None:
        return _posted_id(uow, draft.source_type, draft.source_key)
    uow.session.execute(
        sa.insert(JournalLine),
        [
            dict(
                entry_id=entry_id,
                line_no=n,
                account_code=line.account_code,
                debit=line.debit,
                credit=line.credit,
                order_id=line.order_id,
                customer_id=line.customer_id,
                cost_centre=line.cost_centre,
            )
            for n, line in enumerate(draft.lines, start=1)
        ],
    )
    uow.commit()
    return entry_id


def post_shipment(uow, *, facts: ShipmentFacts, actor: Actor) -> int | None:
    """Bill a shipped shipment against the order's advance receipts and receivables."""
    require(actor, Permission.LEDGER_POST)
    with uow:
        if (done := _posted_id(uow, "shipment", facts.shipment_number)) is not None:
            return done
        _lock_order(uow, facts.order_id)
        advance = -order_balance(uow, order_id=facts.order_id, account_code=c.ADVANCE_RECEIPTS)
        draft = rules.shipment_entry(facts, advance_balance=advance)
        return _post(uow, draft, business_date(facts.shipped_at), actor)


def post_payment(uow, *, facts: PaymentFacts, actor: Actor) -> int | None:
    """Book money received (or a write-off) against the order's open receivable."""
    require(actor, Permission.LEDGER_POST)
    with uow:
        if (done := _posted_id(uow, "payment", str(facts.payment_id))) is not None:
            return done
        _lock_order(uow, facts.order_id)
        receivable = order_balance(uow, order_id=facts.order_id, account_code=c.RECEIVABLES)
        draft = rules.payment_entry(facts, open_receivable=receivable)
        return _post(uow, draft, business_date(facts.received_at), actor)


def post_refund(uow, *, facts: RefundFacts, actor: Actor) -> int | None:
    """Book money given back: out of the order's advance receipts first, then receivables."""
    require(actor, Permission.LEDGER_POST)
    with uow:
        if (done := _posted_id(uow, "refund", str(facts.refund_id))) is not None:
            return done
        _lock_order(uow, facts.order_id)
        advance = -order_balance(uow, order_id=facts.order_id, account_code=c.ADVANCE_RECEIPTS)
        draft = rules.refund_entry(facts, advance_balance=advance)
        return _post(uow, draft, business_date(facts.refunded_at), actor)


def post_return(uow, *, facts: ReturnFacts, actor: Actor) -> int | None:
    """Reverse the revenue, VAT and cost of returned goods received back."""
    require(actor, Permission.LEDGER_POST)
    with uow:
        if (done := _posted_id(uow, "return", facts.return_number)) is not None:
            return done
        _lock_order(uow, facts.order_id)
        return _post(uow, rules.return_entry(facts), business_date(facts.received_at), actor)


def post_goods_received(uow, *, facts: GoodsReceivedFacts, actor: Actor) -> int | None:
    """Put received goods into stock at standard cost, owed to the supplier."""
    require(actor, Permission.LEDGER_POST)
    with uow:
        if (done := _posted_id(uow, "goods_receipt", facts.receipt_key)) is not None:
            return done
        draft = rules.goods_received_entry(facts)
        return _post(uow, draft, business_date(facts.received_at), actor)


def post_stock_adjustment(uow, *, facts: StockAdjustmentFacts, actor: Actor) -> int | None:
    """Book a stock count's gain or loss."""
    require(actor, Permission.LEDGER_POST)
    with uow:
        if (done := _posted_id(uow, "stock_adjustment", facts.adjustment_key)) is not None:
            return done
        draft = rules.stock_adjustment_entry(facts)
        return _post(uow, draft, business_date(facts.adjusted_at), actor)


def post_expense(uow, *, facts: ExpenseFacts, actor: Actor) -> int:
    """Enter an expense by hand (finance); the same reference posts once."""
    require(actor, Permission.LEDGER_POST)
    if not facts.reference.strip():
        raise ValidationFailed("reference", "ledger.error.reference_required")
    with uow:
        account = uow.session.get(LedgerAccount, facts.expense_account)
        if account is None or account.kind != c.AccountKind.EXPENSE or not account.active:
            raise ValidationFailed(
                "expense_account", "ledger.error.not_expense_account", value=facts.expense_account
            )
        if (done := _posted_id(uow, "expense", facts.reference)) is not None:
            return done
        return _post(uow, rules.expense_entry(facts), facts.entry_date, actor)


def reverse_entry(uow, *, entry_id: int, reason: str, actor: Actor) -> int:
    """Post the mirror of an entry today (entries are never edited); the reversal's id."""
    require(actor, Permission.LEDGER_POST)
    if not reason.strip():
        raise ValidationFailed("reason", "ledger.error.reason_required")
    with uow:
        entry = uow.session.get(JournalEntry, entry_id, with_for_update=True)
        if entry is None:
            raise NotFound(field="entry_id", id=entry_id)
        if entry.reverses_entry_id is not None:
            raise LedgerConflict("reversal_of_reversal", number=entry.number)
        if _posted_id(uow, "reversal", str(entry_id)) is not None:
            raise LedgerConflict("already_reversed", number=entry.number)
        lines = uow.session.scalars(
            sa.select(JournalLine).where(JournalLine.entry_id == entry_id).order_by(JournalLine.id)
        ).all()
        for order_id in sorted({line.order_id for line in lines if line.order_id is not None}):
            _lock_order(uow, order_id)
        drafts = [
            LineDraft(
                ln.account_code, ln.debit, ln.credit, ln.order_id, ln.customer_id, ln.cost_centre
            )
            for ln in lines
        ]
        draft = rules.reversal_entry(
            entry.id, entry.number, drafts, reason.strip(), entry.order_number or ""
        )
        return _post(uow, draft, business_date(utcnow()), actor, reverses=entry.id)
