"""The building blocks of the edition-file checks (``edition_format``).

Each check looks at one value of the file and, when it is wrong, adds a FieldError that names
its place (``items.3.number``), says what was found and what is allowed. Limits come from the
model field the value is stored in (``max_length``, integer range, decimal places), never from
numbers repeated here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

from onestop.access.models import Item
from onestop.core.errors import FieldError

# A machine key: lower-case letters, digits, - and _ (its length is checked separately).
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SHARE_FIELDS = ("max_foreign_share", "min_chinese_share", "max_single_foreign_share")
# Characters a JSON string may carry that neither database stores: NUL, and lone UTF-16
# surrogates (``"\ud800"``); they cannot even be written back out as UTF-8.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _printable(text: str) -> str:
    return UNSTORABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


class Errors:
    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, where: str, message: str, code: str = "invalid") -> None:
        self.items.append(FieldError(_printable(where), message, code))


# ----- limits, from the model fields -------------------------------------------------------


def max_length(model: type[models.Model], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, models.CharField) and field.max_length is not None
    return field.max_length


def integer_range(model: type[models.Model], name: str) -> tuple[int, int]:
    """The values an integer column holds on every database (SQLite is wider than PostgreSQL)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.IntegerField)
    low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
    return int(low), int(high)


def decimal_places(model: type[models.Model], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, models.DecimalField) and field.decimal_places is not None
    return int(field.decimal_places)


# ----- describing what the file holds ------------------------------------------------------


def given(value: Any) -> str:
    """The value found, for a message ("..., not a list")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        number = str(value)
        return number if len(number) <= 20 else number[:19] + "…"
    if isinstance(value, str):
        short = value if len(value) <= 30 else value[:29] + "…"
        return _("the text “%(text)s”") % {"text": _printable(short)}
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("an object")
    return type(value).__name__


def absent(value: Any) -> bool:
    """Not given: missing, null or ``{}`` (what the import stores for an optional object)."""
    return value is None or (isinstance(value, dict) and not value)


def key_limit() -> int:
    """Machine keys stored as JSON (notes, questions, sub-measures) are held to the item's."""
    return max_length(Item, "key")


def unique(errors: Errors, key: str, seen: set[str], where: str) -> None:
    if key in seen:
        errors.add(where, _("The key %(key)s is used twice.") % {"key": key}, "duplicate")
    seen.add(key)


# ----- one value -----------------------------------------------------------------------------


def unknown_fields(errors: Errors, row: dict[str, Any], where: str, allowed: Iterable[str]) -> None:
    """A field the format does not have is an error: a misspelt name would be lost silently."""
    names = tuple(allowed)
    for name in row:
        if name not in names:
            errors.add(
                f"{where}.{name}" if where else name,
                _("This field is not part of the format; the fields here are: %(allowed)s.")
                % {"allowed": ", ".join(names)},
                "unknown_field",
            )


def an_object(
    errors: Errors, value: Any, where: str, allowed: Iterable[str], expected: str
) -> bool:
    """Whether ``value`` is a JSON object; its fields not in ``allowed`` are errors too.
    ``expected`` (translated, with ``%(given)s``) says what belongs here when it is not."""
    if not isinstance(value, dict):
        errors.add(where, expected % {"given": given(value)}, "type")
        return False
    unknown_fields(errors, value, where, allowed)
    return True


def length(errors: Errors, value: str, where: str, limit: int) -> bool:
    if len(value) <= limit:
        return True
    errors.add(
        where,
        _("This text is %(length)s characters long; at most %(limit)s are allowed.")
        % {"length": len(value), "limit": limit},
        "too_long",
    )
    return False


def plain_text(errors: Errors, value: Any, where: str) -> None:
    """A text (a JSON string), possibly empty."""
    if not isinstance(value, str):
        errors.add(
            where,
            _("This must be a text (a JSON string), not %(given)s.") % {"given": given(value)},
            "type",
        )


def text(
    errors: Errors,
    value: Any,
    where: str,
    *,
    required: bool = True,
    column: tuple[type[models.Model], str] | None = None,
) -> None:
    """A bilingual text: {"zh": ..., "en": ...}, both non-empty. With ``column=(Model, name)``
    each must fit its column (``name_zh``, ``name_en``)."""
    if not required and absent(value):
        return
    if not isinstance(value, dict):
        errors.add(
            where,
            _("Give the text in Chinese and English as an object (zh, en), not %(given)s.")
            % {"given": given(value)},
            "bilingual",
        )
        return
    unknown_fields(errors, value, where, ("zh", "en"))
    for lang in ("zh", "en"):
        part, at = value.get(lang), f"{where}.{lang}"
        if part is None or (isinstance(part, str) and not part.strip()):
            errors.add(at, _("This text is missing."), "required")
        elif not isinstance(part, str):
            plain_text(errors, part, at)
        elif column is not None:
            model, name = column
            length(errors, part, at, max_length(model, f"{name}_{lang}"))


def machine_key(errors: Errors, value: Any, where: str, limit: int) -> bool:
    """A key such as ``film`` or ``national-2020``, at most ``limit`` characters."""
    if not isinstance(value, str) or not SLUG.match(value):
        errors.add(
            where,
            _(
                "Give a machine key: lower-case letters, digits, - and _, starting with a "
                "letter or a digit; not %(given)s."
            )
            % {"given": given(value)},
            "required" if value is None or value == "" else "invalid",
        )
        return False
    return length(errors, value, where, limit)


def whole_number(errors: Errors, value: Any, where: str, low: int, high: int) -> bool:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.add(
            where,
            _("Give a whole number from %(low)s to %(high)s, not %(given)s.")
            % {"low": low, "high": high, "given": given(value)},
            "number",
        )
        return False
    return True


def boolean(errors: Errors, value: Any, where: str) -> None:
    """true or false; missing or null means false."""
    if value is not None and not isinstance(value, bool):
        errors.add(
            where, _("Give true or false, not %(given)s.") % {"given": given(value)}, "boolean"
        )


def parse_date(value: Any) -> dt.date | None:
    """A date written YYYY-MM-DD, or None when it is not one."""
    if not isinstance(value, str) or not DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def parse_share(value: Any) -> Decimal | None:
    """A share in percent, 0-100 (a JSON number), or None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    share = Decimal(str(value))
    return share if Decimal(0) <= share <= Decimal(100) else None


def shares(errors: Errors, row: dict[str, Any], where: str) -> None:
    """The shares of an item or a sub-measure, as precise as the item's columns."""
    for name in SHARE_FIELDS:
        value = row.get(name)
        if value is None:
            continue
        share, places = parse_share(value), decimal_places(Item, name)
        if share is None or share != share.quantize(Decimal(1).scaleb(-places)):
            errors.add(
                f"{where}.{name}",
                _(
                    "A share is a number from 0 to 100 (percent) with at most %(places)s "
                    "decimals, not %(given)s."
                )
                % {"places": places, "given": given(value)},
                "share",
            )
    cap, floor = (
        parse_share(row.get("max_foreign_share")),
        parse_share(row.get("min_chinese_share")),
    )
    if cap is not None and floor is not None and cap + floor > 100:
        errors.add(
            f"{where}.min_chinese_share",
            _("The Chinese floor and the foreign cap add up to more than 100 %."),
            "share",
        )


def unstorable(errors: Errors, data: Any) -> None:
    """Every text or field name holding NUL or a lone surrogate, wherever it is in the file
    (stored or not: the whole file is hashed as UTF-8)."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, where = stack.pop()
        names: list[Any] = []
        if isinstance(value, dict):
            names = list(value)
            children = [
                (child, f"{where}.{name}" if where else name) for name, child in value.items()
            ]
        elif isinstance(value, list):
            children = [(child, f"{where}.{n}") for n, child in enumerate(value)]
        else:
            children = []
        bad_name = any(isinstance(name, str) and UNSTORABLE.search(name) for name in names)
        if bad_name or (isinstance(value, str) and UNSTORABLE.search(value)):
            errors.add(
                where or "__all__",
                _(
                    "This text or a field name in it holds a character that cannot be stored "
                    "(NUL or a lone surrogate); remove it."
                ),
                "unstorable",
            )
        stack.extend(reversed(children))
