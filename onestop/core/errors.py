"""Domain errors with stable machine codes. Pages show them as messages, the API as problem+json."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass
class FieldError:
    field: str
    message: str | Promise
    code: str = "invalid"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": str(self.message), "code": self.code}


@dataclass
class DomainError(Exception):
    """A rule of the domain refused the request. ``code`` is stable; ``message`` is translated."""

    code: str
    message: str | Promise
    status: int = 400
    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ValidationFailed(DomainError):
    """One or more fields are invalid."""

    def __init__(self, errors: list[FieldError], message: str | Promise | None = None) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__(
            code="validation_failed",
            message=message or _("Some of the information given is not valid."),
            status=422,
            errors=errors,
        )


class Conflict(DomainError):
    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(code=code, message=message, status=409)


def field_errors_from_django(exc: object) -> list[FieldError]:
    """Turn a django ValidationError (dict or list form) into FieldErrors."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    assert isinstance(exc, ValidationError)
    result: list[FieldError] = []
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                field_name = "__all__" if name == NON_FIELD_ERRORS else name
                message = error.message % error.params if error.params else error.message
                result.append(FieldError(field_name, str(message), error.code or "invalid"))
    else:
        for error in exc.error_list:
            message = error.message % error.params if error.params else error.message
            result.append(FieldError("__all__", str(message), error.code or "invalid"))
    return result
