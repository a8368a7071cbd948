"""Typed readers for environment variables.

Settings come only from the environment. Each reader fails loudly, naming the variable,
when a value is missing or malformed, so a wrong deployment stops at start-up instead of
misbehaving later.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ImproperlyConfigured):
    """A setting read from the environment is missing or malformed."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        super().__init__(f"Environment variable {name}: {problem}")


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    source = os.environ if environ is None else environ
    return source.get(name)


def env_str(
    name: str, default: str | object | None = _MISSING, *, environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None or value == "":
        if default is _MISSING or default is None:
            raise EnvError(name, "is required but not set")
        return str(default)
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise EnvError(name, f"must be one of true/false/1/0/yes/no/on/off, got {value!r}")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise EnvError(name, f"must be a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise EnvError(name, f"must be at least {minimum}, got {number}")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: tuple[str, ...], *, environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    if value not in choices:
        raise EnvError(name, f"must be one of {', '.join(choices)}, got {value!r}")
    return value
