"""Translated messages for the validation errors pydantic reports in API input."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def translate_pydantic_error(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"string_too_short"}:
        return _("Must be at least %(min)s characters.") % {"min": ctx.get("min_length", "?")}
    if kind in {"string_too_long"}:
        return _("Must be at most %(max)s characters.") % {"max": ctx.get("max_length", "?")}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Must be a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing"}:
        return _("Must be a number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Must be true or false.")
    if kind in {"greater_than_equal", "greater_than"}:
        limit = ctx.get("ge", ctx.get("gt", "?"))
        return _("Must be at least %(limit)s.") % {"limit": limit}
    if kind in {"less_than_equal", "less_than"}:
        limit = ctx.get("le", ctx.get("lt", "?"))
        return _("Must be at most %(limit)s.") % {"limit": limit}
    if kind in {"date_parsing", "date_from_datetime_parsing", "date_type"}:
        return _("Must be a date written as YYYY-MM-DD.")
    if kind in {"literal_error", "enum"}:
        return _("Must be one of: %(allowed)s.") % {"allowed": ctx.get("expected", "")}
    if kind in {"string_type"}:
        return _("Must be text.")
    if kind in {"json_invalid"}:
        return _("The request body is not valid JSON.")
    if kind in {"value_error", "assertion_error"}:
        return str(ctx.get("error") or error.get("msg") or _("This value is not valid."))
    return _("This value is not valid.")
