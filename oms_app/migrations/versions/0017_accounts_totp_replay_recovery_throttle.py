"""accounts: TOTP secrets encrypted, the last accepted TOTP step, recovery codes; the permanent
lock-out columns go (throttling lives in Redis now)

Existing plaintext TOTP secrets are encrypted here with the key derived from OMS_SECRET_KEY
(security.seal_secret); the downgrade decrypts them again.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 10:40:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from oms_app.accounts import security

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

USERS = sa.table("users", sa.column("id", sa.Integer), sa.column("totp_secret", sa.String))


def _rewrite_secrets(convert) -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(USERS.c.id, USERS.c.totp_secret).where(USERS.c.totp_secret.is_not(None))
    ).all()
    for user_id, stored in rows:
        new = convert(stored)
        if new != stored:
            conn.execute(sa.update(USERS).where(USERS.c.id == user_id).values(totp_secret=new))


def upgrade() -> None:
    op.alter_column(
        "users",
        "totp_secret",
        type_=sqlmodel.sql.sqltypes.AutoString(length=255),
        existing_nullable=True,
    )
    op.add_column("users", sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    op.drop_column("users", "failed_logins")
    op.drop_column("users", "locked_until")
    op.create_table(
        "user_recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_user_recovery_codes_user_id", "user_recovery_codes", ["user_id"])
    _rewrite_secrets(lambda s: s if security.is_sealed(s) else security.seal_secret(s))


def downgrade() -> None:
    _rewrite_secrets(security.reveal_secret)
    op.drop_index("ix_user_recovery_codes_user_id", table_name="user_recovery_codes")
    op.drop_table("user_recovery_codes")
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "users",
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
    )
    op.drop_column("users", "totp_last_step")
    op.alter_column(
        "users",
        "totp_secret",
        type_=sqlmodel.sql.sqltypes.AutoString(length=64),
        existing_nullable=True,
    )
