"""Users, roles, permissions, sessions and API keys."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from oms_app.core.db import utc_field


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    display_name: str = Field(max_length=120)
    email: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=255)
    locale: str = Field(default="zh_CN", max_length=8)
    tz: str = Field(default="Asia/Shanghai", max_length=64)
    # The warehouse code the floor screens open on for this user ("" = ask each time).
    my_warehouse: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    is_active: bool = Field(default=True)
    # Encrypted (Fernet, key derived from OMS_SECRET_KEY): see security.seal_secret.
    totp_secret: str | None = Field(default=None, max_length=255)
    totp_enabled: bool = Field(default=False)
    # The last accepted TOTP time step: a code of this step or an older one is refused.
    totp_last_step: int | None = Field(default=None, sa_type=sa.BigInteger)
    customer_id: int | None = Field(default=None, foreign_key="customers.id")
    created_at: datetime = utc_field(default_now=True)
    last_login_at: datetime | None = utc_field()


class Role(SQLModel, table=True):
    __tablename__ = "roles"

    code: str = Field(primary_key=True, max_length=32)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)


class PermissionRow(SQLModel, table=True):
    __tablename__ = "permissions"

    code: str = Field(primary_key=True, max_length=64)


class RolePermission(SQLModel, table=True):
    __tablename__ = "role_permissions"

    role_code: str = Field(foreign_key="roles.code", primary_key=True, max_length=32)
    permission_code: str = Field(foreign_key="permissions.code", primary_key=True, max_length=64)


class UserRole(SQLModel, table=True):
    __tablename__ = "user_roles"

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    role_code: str = Field(foreign_key="roles.code", primary_key=True, max_length=32)


class UserSession(SQLModel, table=True):
    """A signed-in browser. Only the token's hash is stored."""

    __tablename__ = "user_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = utc_field(default_now=True)
    last_seen_at: datetime = utc_field(default_now=True)
    expires_at: datetime = utc_field(default_now=True)
    second_factor_ok: bool = Field(default=False)
    revoked_at: datetime | None = utc_field()


class ApiKey(SQLModel, table=True):
    """A machine credential. The key is shown once; only its hash is kept."""

    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="users.id")
    created_at: datetime = utc_field(default_now=True)
    last_used_at: datetime | None = utc_field()
    revoked_at: datetime | None = utc_field()


class RecoveryCode(SQLModel, table=True):
    """A one-time code that stands in for a TOTP code at log-in; only its argon2 hash is kept."""

    __tablename__ = "user_recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    code_hash: str = Field(max_length=255)
    created_at: datetime = utc_field(default_now=True)
    used_at: datetime | None = utc_field()
