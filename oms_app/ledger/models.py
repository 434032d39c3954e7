"""Tables of the ledger: the chart of accounts, journal entries and their lines, and periods.

Entries are immutable once posted; a correction is a reversing entry.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from oms_app.core.db import money_field, utc_field


class LedgerAccount(SQLModel, table=True):
    """An account of the chart (会计科目); the code is its identity and never changes."""

    __tablename__ = "ledger_accounts"

    code: str = Field(primary_key=True, max_length=8)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=96)
    kind: str = Field(max_length=12, description="asset liability equity revenue expense")
    normal_side: str = Field(max_length=6, description="debit or credit")
    active: bool = Field(default=True)
    system: bool = Field(default=False, description="used by automatic postings")
    updated_at: datetime = utc_field(default_now=True)


class JournalEntry(SQLModel, table=True):
    """One balanced posting (记账凭证) for one business event, posted once per source."""

    __tablename__ = "journal_entries"
    __table_args__ = (
        sa.UniqueConstraint("source_type", "source_key", name="uq_journal_entries_source"),
        sa.Index("ix_journal_entries_date", "entry_date", "id"),
        # "reversed by" beside each listed entry: few entries are reversals
        sa.Index(
            "ix_journal_entries_reverses",
            "reverses_entry_id",
            postgresql_where=sa.text("reverses_entry_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=24, unique=True)
    entry_date: date = Field(description="the Asia/Shanghai business date of the event")
    period: str = Field(max_length=7, index=True, description="YYYY-MM of entry_date")
    source_type: str = Field(max_length=24, description="shipment payment refund return ...")
    source_key: str = Field(max_length=64, description="shipment number, payment id, ...")
    order_number: str | None = Field(default=None, max_length=32, index=True)
    memo: str = Field(default="", max_length=300)
    amount: Decimal = money_field(description="total of the debits")
    reverses_entry_id: int | None = Field(default=None, foreign_key="journal_entries.id")
    created_by: str = Field(max_length=64)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    posted_at: datetime = utc_field(default_now=True)


class JournalLine(SQLModel, table=True):
    """One debit or credit of an entry; order and customer make the sub-ledgers."""

    __tablename__ = "journal_lines"
    __table_args__ = (
        sa.CheckConstraint(
            "debit >= 0 AND credit >= 0 AND (debit = 0 OR credit = 0)",
            name="ck_journal_lines_one_side",
        ),
        sa.Index("ix_journal_lines_order_account", "order_id", "account_code"),
        sa.Index("ix_journal_lines_account_entry", "account_code", "entry_id"),
        sa.Index("ix_journal_lines_account_cost_centre", "account_code", "cost_centre"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="journal_entries.id", index=True)
    line_no: int
    account_code: str = Field(foreign_key="ledger_accounts.code", max_length=8)
    debit: Decimal = money_field()
    credit: Decimal = money_field()
    # not foreign keys on purpose: the ledger never reads other areas' tables
    order_id: int | None = Field(default=None)
    customer_id: int | None = Field(default=None, index=True)
    # set on the expense line of an expense entered by hand (and on its reversal); the lines of
    # business events carry none, so they count toward no budget
    cost_centre: str | None = Field(default=None, max_length=32)


class AccountingPeriod(SQLModel, table=True):
    """A month of the books; a closed one accepts no postings until finance reopens it."""

    __tablename__ = "accounting_periods"

    period: str = Field(primary_key=True, max_length=7)
    closed: bool = Field(default=False)
    closed_at: datetime | None = utc_field()
    closed_by: str = Field(default="", max_length=64)
