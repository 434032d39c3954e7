"""Typed domain errors. Each `code` is also the translation key of its message."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the user can understand: code (translation key), optional field and params."""

    code = "error.generic"
    status_code = 422

    def __init__(self, message: str = "", *, field: str | None = None, **params: Any):
        self.field = field
        self.params = params
        super().__init__(message or self.code)

    def as_dict(self, translate=None) -> dict[str, Any]:
        message = translate(self.code, **self.params) if translate else str(self)
        return {"code": self.code, "field": self.field, "message": message, "params": self.params}


class ValidationFailed(DomainError):
    code = "error.invalid"

    def __init__(self, field: str, reason: str, **params: Any):
        self.code = reason
        super().__init__(reason, field=field, **params)


class NotFound(DomainError):
    code = "error.not_found"
    status_code = 404


class PermissionDenied(DomainError):
    code = "error.permission_denied"
    status_code = 403


class AuthenticationFailed(DomainError):
    code = "error.auth.invalid_credentials"
    status_code = 401


class AccountLocked(DomainError):
    code = "error.auth.locked"
    status_code = 423


class SecondFactorRequired(DomainError):
    code = "error.auth.totp_required"
    status_code = 401


class SecondFactorIncorrect(SecondFactorRequired):
    """A code was given but is wrong or already used (a missing one is SecondFactorRequired)."""

    code = "error.auth.totp_incorrect"


class IllegalTransition(DomainError):
    code = "error.illegal_transition"
    status_code = 409

    def __init__(self, current: str, action: str):
        super().__init__(f"cannot {action} from {current}", current=current, action=action)


class ValidationErrors(DomainError):
    """Several field errors at once (a form or an API body), so the user fixes all in one go."""

    code = "error.invalid"

    def __init__(self, errors: list[ValidationFailed]):
        self.errors = errors
        first = errors[0] if errors else None
        super().__init__(first.code if first else self.code, field=first.field if first else None)


class Conflict(DomainError):
    code = "error.conflict"
    status_code = 409


class FourEyesRefused(PermissionDenied):
    """Whoever made or changed a thing may not also decide on it (the four-eyes rule).

    The code names the reason (`error.approval.own_order`, `error.return.own_request`, ...).
    """

    def __init__(self, code: str, *, field: str, **params: Any):
        self.code = code
        super().__init__(code, field=field, **params)
