"""The items of an edition file (``edition_format``): each checked against the Item columns
and the shapes of its parts stored as JSON (sub-measures, requirements, question, transition).
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext as _

from onestop.access.models import Coverage, Item, Measure
from onestop.access.services.edition_checks import (
    SHARE_FIELDS,
    Errors,
    absent,
    an_object,
    boolean,
    given,
    integer_range,
    key_limit,
    machine_key,
    max_length,
    plain_text,
    shares,
    text,
    unique,
    unknown_fields,
    whole_number,
)

CODE = re.compile(r"^([A-T]|\d{2,4})$")
YEARS = (1000, 9999)  # a transition's year, four digits like the years of the dates
ITEM_FIELDS = (
    "number",
    "key",
    "section",
    "summary",
    "measure",
    *SHARE_FIELDS,
    "uncertain",
    "uncertain_note",
    "sub_measures",
    "requirements",
    "question",
    "transition",
    "national_number",
    "compiler_note",
    "industries",
)
SUB_MEASURE_FIELDS = ("key", "subject", "measure", *SHARE_FIELDS, "requirements", "exceptions")
QUESTION_FIELDS = ("key", "text", "options")
OPTION_FIELDS = ("value", "label", "applies")
TRANSITION_FIELDS = ("year", "text")
INDUSTRY_FIELDS = ("code", "coverage")


def _measure(errors: Errors, value: Any, where: str) -> None:
    if value not in Measure.values:
        errors.add(
            where,
            _("Unknown measure %(value)s; use one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(Measure.values)},
            "measure",
        )


def _question(errors: Errors, question: Any, where: str, sub_keys: set[str]) -> None:
    if absent(question):
        errors.add(where, _("The clarifying question is missing."), "required")
        return
    if not an_object(
        errors,
        question,
        where,
        QUESTION_FIELDS,
        _("The clarifying question is an object (key, text, options), not %(given)s."),
    ):
        return
    machine_key(errors, question.get("key"), f"{where}.key", key_limit())
    text(errors, question.get("text"), f"{where}.text")
    options = question.get("options")
    if not isinstance(options, list) or len(options) < 2:
        errors.add(f"{where}.options", _("A question needs at least two options."), "required")
        return
    seen: set[str] = set()
    for n, option in enumerate(options):
        at = f"{where}.options.{n}"
        if not an_object(
            errors,
            option,
            at,
            OPTION_FIELDS,
            _("An option is an object (value, label, applies), not %(given)s."),
        ):
            continue
        value = option.get("value")
        if not isinstance(value, str) or not value or value in seen:
            errors.add(f"{at}.value", _("Each option needs its own value."), "duplicate")
        else:
            seen.add(value)
        text(errors, option.get("label"), f"{at}.label")
        applies = option.get("applies")
        if applies is not None and not (
            isinstance(applies, str) and (applies == "item" or applies in sub_keys)
        ):
            errors.add(
                f"{at}.applies",
                _("An option applies to the item, to one of its sub-measures, or to nothing."),
            )


def _industries(errors: Errors, rows: Any, where: str, known: set[str]) -> bool:
    """Check the codes; True when some code is only partly covered."""
    if not isinstance(rows, list) or not rows:
        errors.add(where, _("List at least one industry code."), "required")
        return False
    partial, seen = False, set()
    for n, row in enumerate(rows):
        at = f"{where}.{n}"
        if not an_object(
            errors,
            row,
            at,
            INDUSTRY_FIELDS,
            _("An industry row is an object (code, coverage), not %(given)s."),
        ):
            continue
        code = row.get("code")
        if not isinstance(code, str) or not CODE.match(code) or code not in known:
            errors.add(
                f"{at}.code",
                _("%(code)s is not a GB/T 4754-2017 code.") % {"code": code},
                "unknown_industry",
            )
        elif code in seen:
            errors.add(f"{at}.code", _("%(code)s is listed twice.") % {"code": code}, "duplicate")
        seen.add(code)
        coverage = row.get("coverage")
        if coverage not in Coverage.values:
            errors.add(f"{at}.coverage", _("The coverage is full or partial."))
        partial = partial or coverage == Coverage.PARTIAL
    return partial


def _requirements(errors: Errors, value: Any, where: str) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        errors.add(
            where,
            _("The requirements are a list of texts in Chinese and English, not %(given)s.")
            % {"given": given(value)},
            "type",
        )
        return
    for n, requirement in enumerate(value):
        text(errors, requirement, f"{where}.{n}")


def _sub_measures(errors: Errors, value: Any, where: str) -> set[str]:
    """Check the sub-measures; their keys (the valid ones)."""
    keys: set[str] = set()
    if value is None:
        return keys
    if not isinstance(value, list):
        errors.add(
            where,
            _("The sub-measures are a list of objects, not %(given)s.") % {"given": given(value)},
            "type",
        )
        return keys
    for n, sub in enumerate(value):
        at = f"{where}.{n}"
        if not isinstance(sub, dict):
            errors.add(
                at,
                _("A sub-measure is an object (%(fields)s), not %(given)s.")
                % {"fields": ", ".join(SUB_MEASURE_FIELDS), "given": given(sub)},
                "type",
            )
            continue
        unknown_fields(errors, sub, at, SUB_MEASURE_FIELDS)
        key = sub.get("key")
        if machine_key(errors, key, f"{at}.key", key_limit()) and isinstance(key, str):
            if key == "item":
                errors.add(
                    f"{at}.key",
                    _("The key item stands for the item itself; give the sub-measure another."),
                    "reserved",
                )
            elif key in keys:
                errors.add(f"{at}.key", _("Each sub-measure needs its own key."), "duplicate")
            else:
                keys.add(key)
        text(errors, sub.get("subject"), f"{at}.subject")
        _measure(errors, sub.get("measure"), f"{at}.measure")
        shares(errors, sub, at)
        _requirements(errors, sub.get("requirements"), f"{at}.requirements")
        text(errors, sub.get("exceptions"), f"{at}.exceptions", required=False)
    return keys


def _transition(errors: Errors, value: Any, where: str) -> None:
    if absent(value):
        return
    if not an_object(
        errors,
        value,
        where,
        TRANSITION_FIELDS,
        _("The transition is an object (year, text), not %(given)s."),
    ):
        return
    if value.get("year") is not None:
        whole_number(errors, value["year"], f"{where}.year", *YEARS)
    text(errors, value.get("text"), f"{where}.text")


def _number(errors: Errors, value: Any, where: str, name: str) -> None:
    """A number stored in ``Item.<name>``: from 1 to what the column holds."""
    low, high = integer_range(Item, name)
    whole_number(errors, value, where, max(low, 1), high)


def _item(errors: Errors, item: Any, where: str, known: set[str]) -> None:
    if not an_object(errors, item, where, ITEM_FIELDS, _("An item is an object, not %(given)s.")):
        return
    _number(errors, item.get("number"), f"{where}.number", "number")
    if item.get("national_number") is not None:
        _number(errors, item["national_number"], f"{where}.national_number", "national_number")
    machine_key(errors, item.get("key"), f"{where}.key", max_length(Item, "key"))
    text(errors, item.get("section"), f"{where}.section", column=(Item, "section"))
    text(errors, item.get("summary"), f"{where}.summary")
    _measure(errors, item.get("measure"), f"{where}.measure")
    shares(errors, item, where)
    boolean(errors, item.get("uncertain"), f"{where}.uncertain")
    text(
        errors,
        item.get("uncertain_note"),
        f"{where}.uncertain_note",
        required=item.get("uncertain") is True,
    )
    if "compiler_note" in item:
        plain_text(errors, item["compiler_note"], f"{where}.compiler_note")
    sub_keys = _sub_measures(errors, item.get("sub_measures"), f"{where}.sub_measures")
    _requirements(errors, item.get("requirements"), f"{where}.requirements")
    _transition(errors, item.get("transition"), f"{where}.transition")
    partial = _industries(errors, item.get("industries"), f"{where}.industries", known)
    if partial or sub_keys or not absent(item.get("question")):
        _question(errors, item.get("question"), f"{where}.question", sub_keys)


def _question_asked(question: dict[str, Any]) -> str:
    """What a question asks: its text and its options' values and labels (not ``applies``,
    which names the asking item's own sub-measures)."""
    options = [
        [option.get("value"), option.get("label")]
        for option in question.get("options") or []
        if isinstance(option, dict)
    ]
    return json.dumps([question.get("text"), options], sort_keys=True, ensure_ascii=False)


def _shared_question(
    errors: Errors, item: dict[str, Any], where: str, asked: dict[str, tuple[Any, str]]
) -> None:
    """Items may share a question (one answer serves both) only if they ask the same one:
    the checker asks it once, with the first item's text and options."""
    question = item.get("question")
    if not isinstance(question, dict) or not isinstance(question.get("key"), str):
        return
    key, what = question["key"], _question_asked(question)
    first = asked.setdefault(key, (item.get("number"), what))
    if first[1] != what:
        errors.add(
            where,
            _(
                "Item %(number)s already asks a different question with the key %(key)s: "
                "give this question its own key, or ask the same question (the same text "
                "and options)."
            )
            % {"number": first[0], "key": key},
            "duplicate",
        )


def items_check(errors: Errors, items: list[Any], *, known: set[str]) -> None:
    """Every item, then the numbers and keys that must differ from item to item."""
    numbers: set[int] = set()
    keys: set[str] = set()
    questions: dict[str, tuple[Any, str]] = {}  # question key -> (first asker's number, what)
    for n, item in enumerate(items):
        _item(errors, item, f"items.{n}", known)
        if not isinstance(item, dict):
            continue
        _shared_question(errors, item, f"items.{n}.question.key", questions)
        number, key = item.get("number"), item.get("key")
        if isinstance(number, int) and not isinstance(number, bool):
            if number in numbers:
                errors.add(
                    f"items.{n}.number",
                    _("Item number %(number)s is used twice.") % {"number": number},
                    "duplicate",
                )
            numbers.add(number)
        if isinstance(key, str):
            unique(errors, key, keys, f"items.{n}.key")
