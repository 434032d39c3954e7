"""Second factors on the database: one-time acceptance of TOTP steps and recovery codes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from oms_app.accounts import security
from oms_app.accounts.models import RecoveryCode, User


def accept_totp(session, user: User, code: str, now: datetime) -> bool:
    """Accept a TOTP code once: its time step must be newer than the last accepted one.

    The conditional UPDATE claims the step atomically, so two parallel uses of one code (or of
    an older one) cannot both pass: the second waits for the first's row lock, then matches
    no row.
    """
    step = security.totp_step_of(security.reveal_secret(user.totp_secret), code, now)
    if step is None:
        return False
    claimed = session.execute(
        sa.update(User)
        .where(
            User.id == user.id,
            sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .returning(User.id)
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is None:
        return False
    if not security.is_sealed(user.totp_secret):  # a legacy plaintext secret: seal it now
        user.totp_secret = security.seal_secret(user.totp_secret)
    return True


def accept_recovery_code(session, user_id: int, code: str, now: datetime) -> bool:
    """Accept an unused recovery code of this user once, and spend it."""
    typed = security.normalize_recovery_code(code)
    if not typed:
        return False
    rows = session.execute(
        sa.select(RecoveryCode.id, RecoveryCode.code_hash).where(
            RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
        )
    ).all()
    for row_id, code_hash in rows:
        if security.verify_password(code_hash, typed):
            spent = session.execute(
                sa.update(RecoveryCode)
                .where(RecoveryCode.id == row_id, RecoveryCode.used_at.is_(None))
                .values(used_at=now)
                .returning(RecoveryCode.id)
                .execution_options(synchronize_session=False)
            ).first()
            return spent is not None
    return False


def looks_like_recovery_code(code: str) -> bool:
    return bool(security.normalize_recovery_code(code)) and not code.strip().isdigit()


def replace_recovery_codes(session, user_id: int) -> list[str]:
    """Drop the user's recovery codes and store new ones (hashed); the codes, shown once."""
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = security.new_recovery_codes()
    session.add_all(
        RecoveryCode(user_id=user_id, code_hash=security.hash_password(code)) for code in codes
    )
    return codes


def recovery_codes_left(session, user_id: int) -> int:
    return session.scalar(
        sa.select(sa.func.count()).where(
            RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
        )
    )


def drop_second_factor(session, user: User) -> None:
    """Forget the user's TOTP secret, its last step and recovery codes (an admin's reset)."""
    user.totp_enabled, user.totp_secret, user.totp_last_step = False, None, None
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
