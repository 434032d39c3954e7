"""cost centres: journal lines carry the cost centre of an expense entered by hand, so budget
actuals match by expense account and cost centre

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 04:45:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "journal_lines",
        sa.Column("cost_centre", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    )
    op.create_index(
        "ix_journal_lines_account_cost_centre",
        "journal_lines",
        ["account_code", "cost_centre"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_journal_lines_account_cost_centre", table_name="journal_lines")
    op.drop_column("journal_lines", "cost_centre")
