"""outbox: the stream entry id XADD returned and when the entry was confirmed in the stream,
so events Redis lost in a crash are found and republished

Rows published before this revision have no stream id to look up: they count as confirmed.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 10:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "outbox", sa.Column("stream_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
    )
    op.add_column("outbox", sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE outbox SET confirmed_at = published_at WHERE published_at IS NOT NULL")
    op.create_index(
        "ix_outbox_unconfirmed",
        "outbox",
        ["published_at"],
        unique=False,
        postgresql_where=sa.text("published_at IS NOT NULL AND confirmed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_unconfirmed", table_name="outbox")
    op.drop_column("outbox", "confirmed_at")
    op.drop_column("outbox", "stream_id")
