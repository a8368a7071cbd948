"""Validation of an edition file (format ``onestop.negative-list/1``), row by row.

``edition_validate(data)`` returns the list of every problem found, each naming its place in
the file (``items.3.industries.0.code``); an empty list means the file can be imported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from onestop.access.models import Coverage, Measure, Scope
from onestop.core.errors import FieldError

FORMAT = "onestop.negative-list/1"
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
SHARE_FIELDS = ("max_foreign_share", "min_chinese_share", "max_single_foreign_share")
CODE = re.compile(r"^([A-T]|\d{2,4})$")


class _Errors:
    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, where: str, message: str, code: str = "invalid") -> None:
        self.items.append(FieldError(where, message, code))


def _text(errors: _Errors, value: Any, where: str, *, required: bool = True) -> None:
    """A bilingual text: {"zh": ..., "en": ...}, both non-empty."""
    if value is None and not required:
        return
    if not isinstance(value, dict):
        errors.add(where, _("Give the text in Chinese and English (zh, en)."), "bilingual")
        return
    for lang in ("zh", "en"):
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            errors.add(f"{where}.{lang}", _("This text is missing."), "required")


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def parse_share(value: Any) -> Decimal | None:
    """A share in percent, 0-100, or None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        share = Decimal(str(value))
    except InvalidOperation:
        return None
    return share if Decimal(0) <= share <= Decimal(100) else None


def _shares(errors: _Errors, row: dict[str, Any], where: str) -> None:
    for name in SHARE_FIELDS:
        if row.get(name) is not None and parse_share(row[name]) is None:
            errors.add(
                f"{where}.{name}", _("A share is a number from 0 to 100 (percent)."), "share"
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


def _measure(errors: _Errors, value: Any, where: str) -> None:
    if value not in Measure.values:
        errors.add(
            where,
            _("Unknown measure %(value)s; use one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(Measure.values)},
            "measure",
        )


def _edition(errors: _Errors, edition: Any) -> None:
    if not isinstance(edition, dict):
        errors.add("edition", _("The edition's header is missing."), "required")
        return
    if not isinstance(edition.get("code"), str) or not SLUG.match(edition["code"]):
        errors.add("edition.code", _("Give a short code of lower-case letters, digits and -."))
    if edition.get("scope") not in Scope.values:
        errors.add("edition.scope", _("The scope is national or ftz."), "scope")
    _text(errors, edition.get("title"), "edition.title")
    _text(errors, edition.get("decree"), "edition.decree")
    effective = parse_date(edition.get("effective"))
    if effective is None:
        errors.add("edition.effective", _("Give the date in force as YYYY-MM-DD."), "date")
    if edition.get("repeal") is not None:
        repeal = parse_date(edition["repeal"])
        if repeal is None:
            errors.add("edition.repeal", _("Give the repeal date as YYYY-MM-DD."), "date")
        elif effective is not None and repeal <= effective:
            errors.add(
                "edition.repeal", _("The repeal date must come after the date in force."), "date"
            )
    for name in ("promulgated",):
        if edition.get(name) is not None and parse_date(edition[name]) is None:
            errors.add(f"edition.{name}", _("Give the date as YYYY-MM-DD."), "date")
    notes = edition.get("notes", [])
    if not isinstance(notes, list):
        errors.add("edition.notes", _("The general notes are a list."))
        notes = []
    for n, note in enumerate(notes):
        where = f"edition.notes.{n}"
        if not isinstance(note, dict) or not SLUG.match(str(note.get("key", ""))):
            errors.add(f"{where}.key", _("Each general note needs a machine key."), "required")
            continue
        if note.get("kind") not in {"rule", "information"}:
            errors.add(f"{where}.kind", _("The kind of a note is rule or information."))
        _text(errors, note.get("text"), f"{where}.text")


def _question(errors: _Errors, question: Any, where: str, sub_keys: set[str]) -> None:
    if not isinstance(question, dict):
        errors.add(where, _("The clarifying question is missing."), "required")
        return
    if not SLUG.match(str(question.get("key", ""))):
        errors.add(f"{where}.key", _("The question needs a machine key."), "required")
    _text(errors, question.get("text"), f"{where}.text")
    options = question.get("options")
    if not isinstance(options, list) or len(options) < 2:
        errors.add(f"{where}.options", _("A question needs at least two options."), "required")
        return
    seen: set[str] = set()
    for n, option in enumerate(options):
        at = f"{where}.options.{n}"
        value = option.get("value") if isinstance(option, dict) else None
        if not isinstance(value, str) or not value or value in seen:
            errors.add(f"{at}.value", _("Each option needs its own value."), "duplicate")
            continue
        seen.add(value)
        _text(errors, option.get("label"), f"{at}.label")
        applies = option.get("applies")
        if applies is not None and applies != "item" and applies not in sub_keys:
            errors.add(
                f"{at}.applies",
                _("An option applies to the item, to one of its sub-measures, or to nothing."),
            )


def _industries(errors: _Errors, rows: Any, where: str, known: set[str]) -> bool:
    """Check the codes; True when some code is only partly covered."""
    if not isinstance(rows, list) or not rows:
        errors.add(where, _("List at least one industry code."), "required")
        return False
    partial, seen = False, set()
    for n, row in enumerate(rows):
        at = f"{where}.{n}"
        code = row.get("code") if isinstance(row, dict) else None
        if not isinstance(code, str) or not CODE.match(code) or code not in known:
            errors.add(
                f"{at}.code",
                _("%(code)s is not a GB/T 4754-2017 code.") % {"code": code},
                "unknown_industry",
            )
        elif code in seen:
            errors.add(f"{at}.code", _("%(code)s is listed twice.") % {"code": code}, "duplicate")
        seen.add(code)
        coverage = row.get("coverage") if isinstance(row, dict) else None
        if coverage not in Coverage.values:
            errors.add(f"{at}.coverage", _("The coverage is full or partial."))
        partial = partial or coverage == Coverage.PARTIAL
    return partial


def _item(errors: _Errors, item: Any, where: str, known: set[str]) -> None:
    if not isinstance(item, dict):
        errors.add(where, _("An item must be an object."))
        return
    if not SLUG.match(str(item.get("key", ""))):
        errors.add(f"{where}.key", _("Each item needs a machine key."), "required")
    _text(errors, item.get("section"), f"{where}.section")
    _text(errors, item.get("summary"), f"{where}.summary")
    _measure(errors, item.get("measure"), f"{where}.measure")
    _shares(errors, item, where)
    if not isinstance(item.get("uncertain", False), bool):
        errors.add(f"{where}.uncertain", _("Uncertain is true or false."))
    if item.get("uncertain"):
        _text(errors, item.get("uncertain_note"), f"{where}.uncertain_note")
    sub_keys: set[str] = set()
    for n, sub in enumerate(item.get("sub_measures") or []):
        at = f"{where}.sub_measures.{n}"
        key = sub.get("key") if isinstance(sub, dict) else None
        if not isinstance(key, str) or not SLUG.match(key) or key in sub_keys:
            errors.add(f"{at}.key", _("Each sub-measure needs its own key."), "duplicate")
            continue
        sub_keys.add(key)
        _text(errors, sub.get("subject"), f"{at}.subject")
        _measure(errors, sub.get("measure"), f"{at}.measure")
        _shares(errors, sub, at)
    for n, requirement in enumerate(item.get("requirements") or []):
        _text(errors, requirement, f"{where}.requirements.{n}")
    partial = _industries(errors, item.get("industries"), f"{where}.industries", known)
    if partial or sub_keys or item.get("question"):
        _question(errors, item.get("question"), f"{where}.question", sub_keys)


def edition_validate(data: Any, *, known_codes: Iterable[str]) -> list[FieldError]:
    """Every problem in an edition file; ``known_codes`` are the loaded GB/T 4754 codes."""
    errors = _Errors()
    if not isinstance(data, dict):
        errors.add("__all__", _("An edition file is a JSON object."))
        return errors.items
    if data.get("format") != FORMAT:
        errors.add(
            "format", _("This is not an edition file (format %(format)s).") % {"format": FORMAT}
        )
    _edition(errors, data.get("edition"))
    items = data.get("items")
    if not isinstance(items, list) or not items:
        errors.add("items", _("The edition has no items."), "required")
        return errors.items
    known = set(known_codes)
    numbers: set[int] = set()
    for n, item in enumerate(items):
        number = item.get("number") if isinstance(item, dict) else None
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            errors.add(f"items.{n}.number", _("An item number is a whole number from 1."))
        elif number in numbers:
            errors.add(
                f"items.{n}.number",
                _("Item number %(number)s is used twice.") % {"number": number},
                "duplicate",
            )
        else:
            numbers.add(number)
        _item(errors, item, f"items.{n}", known)
    return errors.items
