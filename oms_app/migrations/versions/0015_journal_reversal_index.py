"""journal: an index on the entry a reversal reverses, so listing the journal with its
"reversed by" column does not scan every entry per row (a deep page took a minute)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_journal_entries_reverses",
        "journal_entries",
        ["reverses_entry_id"],
        unique=False,
        postgresql_where=sa.text("reverses_entry_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_journal_entries_reverses", table_name="journal_entries")
