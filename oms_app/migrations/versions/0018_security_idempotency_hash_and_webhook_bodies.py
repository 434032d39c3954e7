"""security: idempotency keys keep the hash of the request that used them first; the webhook
delivery log keeps no receiver answers and no connection error details

A key stored before this revision has an empty hash and replays as before. Logged failures lose
the receiver's answer excerpt (`HTTP 500: <body>` becomes `HTTP 500`) and connection errors,
whose texts told open ports from closed ones, become one generic text.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 10:30:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

CONNECTION_FAILED = "could not reach the receiver"


def upgrade() -> None:
    op.add_column(
        "idempotency_keys",
        sa.Column(
            "request_hash",
            sqlmodel.sql.sqltypes.AutoString(length=64),
            nullable=False,
            server_default="",
        ),
    )
    empty_logged_answers()


def empty_logged_answers() -> None:
    """Drop receiver answers and connection error details from the delivery log."""
    op.execute(
        "UPDATE webhook_deliveries SET last_error = 'HTTP ' || last_status_code "
        "WHERE last_status_code IS NOT NULL AND last_error <> ''"
    )
    op.execute(
        sa.text(
            "UPDATE webhook_deliveries SET last_error = :generic WHERE last_status_code IS NULL "
            "AND last_error NOT IN ('', 'subscription deactivated')"
        ).bindparams(generic=CONNECTION_FAILED)
    )


def downgrade() -> None:
    op.drop_column("idempotency_keys", "request_hash")
