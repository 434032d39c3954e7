"""Credentials: argon2 password hashes, random tokens stored as hashes, TOTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
from datetime import datetime
from functools import lru_cache

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from oms_app.core.config import get_settings

_HASHER = PasswordHasher()
TOTP_ISSUER = "OMS"
TOTP_INTERVAL = 30
# Every Fernet token starts with its version byte 0x80, base64url-encoded as "gAAAAA".
_SEALED_PREFIX = "gAAAAA"
_HKDF_INFO = b"oms-app totp-secret v1"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Verifying against this keeps unknown usernames as slow as wrong passwords.
DUMMY_HASH = hash_password("not-a-real-password")


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_totp_secret() -> str:
    return pyotp.random_base32()


def verify_totp(secret: str, code: str) -> bool:
    code = (code or "").strip().replace(" ", "")
    return bool(secret) and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


def totp_step_of(secret: str, code: str, now: datetime) -> int | None:
    """The time step (30-s window, one either side) whose code this is, or None."""
    code = (code or "").strip().replace(" ", "")
    if not secret or not code.isdigit() or len(code) != 6:
        return None
    totp, current = pyotp.TOTP(secret), int(now.timestamp()) // TOTP_INTERVAL
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * TOTP_INTERVAL), code):
            return step
    return None


@lru_cache(maxsize=4)
def _fernet(signing_key: str) -> Fernet:
    """A Fernet key derived from OMS_SECRET_KEY with HKDF (never the signing key itself)."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        signing_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def is_sealed(stored: str | None) -> bool:
    return bool(stored) and stored.startswith(_SEALED_PREFIX)


def seal_secret(secret: str, *, signing_key: str | None = None) -> str:
    """Encrypt a TOTP secret for storage."""
    key = signing_key or get_settings().signing_key()
    return _fernet(key).encrypt(secret.encode()).decode()


def reveal_secret(stored: str | None, *, signing_key: str | None = None) -> str:
    """The TOTP secret behind a stored value; a legacy plaintext value is returned as it is.

    A value sealed under another OMS_SECRET_KEY reveals nothing, so no code can match it.
    """
    if not stored:
        return ""
    if not is_sealed(stored):
        return stored
    try:
        key = signing_key or get_settings().signing_key()
        return _fernet(key).decrypt(stored.encode()).decode()
    except InvalidToken:
        return ""


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """One-time codes in the form `abcde-fghjk` (50 bits each)."""
    return [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(count)
    ]


def normalize_recovery_code(code: str) -> str:
    """What the user typed, as generated: lower case, no spaces, one dash in the middle."""
    plain = "".join(ch for ch in (code or "").lower() if ch.isalnum())
    return f"{plain[:5]}-{plain[5:]}" if len(plain) == 10 else ""


def totp_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def qr_data_uri(text: str) -> str:
    """A PNG QR code as a data: URI, ready for an <img>."""
    import qrcode  # with Pillow about 6 MiB: loaded at the first two-factor enrolment only

    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
