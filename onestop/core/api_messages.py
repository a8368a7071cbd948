"""Translated messages for the validation errors pydantic reports in API input.

pydantic's own messages are English only; clients get these instead, in the request's language.
The pydantic error ``type`` is kept as the stable ``code`` next to the message.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _number(value: Any) -> Any:
    """A float limit with nothing after the point as a whole number: "at most 100", not 100.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def translate_pydantic_error(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is not accepted here.")
    if kind == "string_too_short":
        count = int(ctx.get("min_length", 1))
        return ngettext(
            "Must be at least %(min)s character.", "Must be at least %(min)s characters.", count
        ) % {"min": count}
    if kind == "string_too_long":
        count = int(ctx.get("max_length", 1))
        return ngettext(
            "Must be at most %(max)s character.", "Must be at most %(max)s characters.", count
        ) % {"max": count}
    if kind == "too_short":
        count = int(ctx.get("min_length", 1))
        return ngettext("Give at least %(min)s item.", "Give at least %(min)s items.", count) % {
            "min": count
        }
    if kind == "too_long":
        count = int(ctx.get("max_length", 1))
        return ngettext("Give at most %(max)s item.", "Give at most %(max)s items.", count) % {
            "max": count
        }
    if kind == "string_pattern_mismatch":
        return _("This value does not have the expected form.")
    if kind in {"int_parsing", "int_type", "int_from_float", "int_parsing_size"}:
        return _("Must be a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}:
        return _("Must be a number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Must be true or false.")
    if kind in {"greater_than_equal", "greater_than"}:
        limit = _number(ctx.get("ge", ctx.get("gt", "?")))
        if kind == "greater_than":
            return _("Must be more than %(limit)s.") % {"limit": limit}
        return _("Must be at least %(limit)s.") % {"limit": limit}
    if kind in {"less_than_equal", "less_than"}:
        limit = _number(ctx.get("le", ctx.get("lt", "?")))
        if kind == "less_than":
            return _("Must be less than %(limit)s.") % {"limit": limit}
        return _("Must be at most %(limit)s.") % {"limit": limit}
    if kind in {"date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}:
        return _("Must be a date written as YYYY-MM-DD.")
    if kind == "date_type":
        return _("Must be a date written as YYYY-MM-DD.")
    if kind in {"datetime_parsing", "datetime_from_date_parsing", "datetime_type"}:
        return _("Must be a date and time, e.g. 2025-01-31T09:30:00+08:00.")
    if kind in {"literal_error", "enum"}:
        return _("Must be one of: %(allowed)s.") % {"allowed": ctx.get("expected", "")}
    if kind in {"string_type", "string_sub_type", "string_unicode"}:
        return _("Must be text.")
    if kind in {"model_type", "model_attributes_type", "dict_type", "dataclass_type"}:
        return _("Must be a JSON object.")
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Must be a list.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind in {"url_parsing", "url_type", "url_scheme"}:
        return _("Must be a web address.")
    if kind in {"uuid_parsing", "uuid_type"}:
        return _("Must be a UUID.")
    if kind in {"value_error", "assertion_error"}:
        return str(ctx.get("error") or error.get("msg") or _("This value is not valid."))
    return _("This value is not valid.")
