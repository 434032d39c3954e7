"""payments: four eyes on money going out; a refund or a write-off is proposed by one finance
user and released (or declined) by another

payment_refunds carries both kinds: `kind`, the order it concerns (a write-off has no payment
until it is released), who released or declined it, when and why. Existing refunds get their
order from their payment. The downgrade drops the proposals that moved no money.

Revision ID: 0019_money_release
Revises: 0018
Create Date: 2026-12-03 14:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0019_money_release"
down_revision = "0018"
branch_labels = None
depends_on = None

TABLE = "payment_refunds"


def _text(name: str, length: int, default: str) -> sa.Column:
    return sa.Column(
        name,
        sqlmodel.sql.sqltypes.AutoString(length=length),
        nullable=False,
        server_default=default,
    )


def upgrade() -> None:
    op.add_column(TABLE, _text("kind", 16, "refund"))
    op.add_column(TABLE, sa.Column("order_id", sa.Integer(), nullable=True))
    op.add_column(TABLE, _text("order_number", 32, ""))
    op.add_column(TABLE, sa.Column("released_by_id", sa.Integer(), nullable=True))
    op.add_column(TABLE, _text("released_by_name", 64, ""))
    op.add_column(TABLE, _text("decision_reason", 300, ""))
    op.add_column(TABLE, sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
    op.alter_column(TABLE, "payment_id", existing_type=sa.Integer(), nullable=True)
    op.create_foreign_key("payment_refunds_order_id_fkey", TABLE, "orders", ["order_id"], ["id"])
    op.create_index("ix_payment_refunds_order_id", TABLE, ["order_id"])
    op.create_index("ix_payment_refunds_outcome", TABLE, ["outcome"])
    op.execute(
        """UPDATE payment_refunds r SET order_id = p.order_id, order_number = p.order_number
        FROM payments p WHERE p.id = r.payment_id"""
    )


def downgrade() -> None:
    op.execute(
        """DELETE FROM payment_refunds
        WHERE payment_id IS NULL OR outcome IN ('proposed', 'declined', 'withdrawn')"""
    )
    op.drop_index("ix_payment_refunds_outcome", table_name=TABLE)
    op.drop_index("ix_payment_refunds_order_id", table_name=TABLE)
    op.drop_constraint("payment_refunds_order_id_fkey", TABLE, type_="foreignkey")
    op.alter_column(TABLE, "payment_id", existing_type=sa.Integer(), nullable=False)
    for column in (
        "decided_at",
        "decision_reason",
        "released_by_name",
        "released_by_id",
        "order_number",
        "order_id",
        "kind",
    ):
        op.drop_column(TABLE, column)
