"""users.my_warehouse: the warehouse the floor screens (board, picking, packing, waves,
receiving) open on for each user

Revision ID: 0021_my_warehouse
Revises: 0020_change_requests
Create Date: 2026-12-03 14:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_my_warehouse"
down_revision = "0020_change_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("my_warehouse", sa.String(length=16), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_column("users", "my_warehouse")
