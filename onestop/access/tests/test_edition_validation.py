"""The edition-file checks: every value the import stores is checked against the column or the
shape it goes to, so a wrong value is a field-named error and nothing is written, never a
database error or a page that crashes later."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from onestop.access.models import Edition, IndustryClass, Item
from onestop.access.services.edition_format import edition_validate
from onestop.access.services.negative_lists import SHIPPED_DIR, SHIPPED_EDITIONS, edition_import
from onestop.access.tests.negative_list_fixtures import access_data, access_world  # noqa: F401
from onestop.access.tests.test_edition_import import _national
from onestop.core.errors import ValidationFailed
from onestop.core.models import AuditEntry

Change = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Change:
    """Set ``value`` at ``path`` (``items.7.transition``) in the file."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def _snapshot() -> tuple[Any, ...]:
    return (
        sorted(Edition.objects.values_list("code", "content_hash", "interpretation")),
        sorted(Item.objects.values_list("id", "summary_en")),
        AuditEntry.objects.count(),
    )


def _refused(data: Any, language: str = "en") -> dict[str, str]:
    """Import ``data``; it must be refused whole. Its errors, field -> message."""
    before = _snapshot()
    with translation.override(language), pytest.raises(ValidationFailed) as caught:
        edition_import(actor=None, data=data)
    assert _snapshot() == before
    return {error.field: str(error.message) for error in caught.value.errors}


def _changed(change: Change) -> dict[str, Any]:
    """The national file with ``change``, and a valid change that must not land with it."""
    data = copy.deepcopy(_national())
    data["items"][3]["summary"]["en"] = "CHANGED"
    change(data)
    return data


def test_the_shipped_editions_pass(access_data: Any) -> None:  # noqa: F811
    known = list(IndustryClass.objects.values_list("code", flat=True))
    for name in SHIPPED_EDITIONS:
        data = json.loads((SHIPPED_DIR / name).read_text(encoding="utf-8"))
        assert edition_validate(data, known_codes=known) == [], name


LONG = "x" * 400


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        # interpretation: a bilingual object, not a text (the detail page crashed on it)
        (
            _set("edition.interpretation", "Chinese control is 51 %"),
            "edition.interpretation",
            "zh, en",
        ),
        (
            _set("edition.interpretation", {"zh": "中方控股"}),
            "edition.interpretation.en",
            "missing",
        ),
        # lengths, from the columns
        (_set("edition.code", "national-" + "x" * 32), "edition.code", "at most 40"),
        (_set("edition.title.en", LONG), "edition.title.en", "at most 300"),
        (_set("edition.decree.zh", LONG), "edition.decree.zh", "at most 200"),
        (_set("items.4.section.en", LONG), "items.4.section.en", "at most 200"),
        (_set("items.4.key", "k" * 61), "items.4.key", "at most 60"),
        # item numbers: whole numbers the column holds
        (_set("items.2.number", "3"), "items.2.number", "from 1 to 2147483647"),
        (_set("items.2.number", 2**31), "items.2.number", "2147483648"),
        (_set("items.2.number", 3.5), "items.2.number", "whole number"),
        (_set("items.2.number", True), "items.2.number", "not true"),
        (_set("items.2.national_number", "abc"), "items.2.national_number", "whole number"),
        (_set("items.2.national_number", 10**30), "items.2.national_number", "2147483647"),
        (_set("items.2.national_number", 0), "items.2.national_number", "from 1"),
        # sub-measures and requirements: lists of the right elements
        (_set("items.0.sub_measures", 5), "items.0.sub_measures", "list of objects"),
        (_set("items.0.sub_measures", {"key": "x"}), "items.0.sub_measures", "not an object"),
        (_set("items.0.sub_measures.0", "seeds"), "items.0.sub_measures.0", "an object"),
        (
            _set("items.0.sub_measures.0.requirements", "x"),
            "items.0.sub_measures.0.requirements",
            "list",
        ),
        (_set("items.7.requirements", "Chinese control"), "items.7.requirements", "list of texts"),
        (_set("items.7.requirements.0", "Chinese control"), "items.7.requirements.0", "zh, en"),
        (_set("items.7.requirements.0.zh", 5), "items.7.requirements.0.zh", "not 5"),
        # the successor, the transition and the source: their shapes
        (_set("edition.superseded_by", "2021"), "edition.superseded_by", "an object"),
        (_set("edition.superseded_by.edition", 2021), "edition.superseded_by.edition", "as a text"),
        (
            _set("edition.superseded_by.effective", "soon"),
            "edition.superseded_by.effective",
            "YYYY",
        ),
        (
            _set("edition.superseded_by.uncertain", "yes"),
            "edition.superseded_by.uncertain",
            "true or false",
        ),
        (_set("edition.superseded_by.decree", "No. 47"), "edition.superseded_by.decree", "zh, en"),
        (_set("items.7.transition", "2022"), "items.7.transition", "(year, text)"),
        (_set("items.7.transition.year", "2022"), "items.7.transition.year", "from 1000 to 9999"),
        (_set("items.7.transition.text", None), "items.7.transition.text", "zh, en"),
        (_set("source", "the official gazette"), "source", "an object"),
        (_set("source.caveats", 5), "source.caveats", "a text or a list of texts"),
        (_set("source.urls", "http://example.org/"), "source.urls", "a list of links"),
        (_set("source.urls.1", "javascript:alert(1)"), "source.urls.1", "http://"),
        (_set("source.urls.1", None), "source.urls.1", "not null"),
    ],
)
def test_a_value_that_does_not_fit_is_refused_by_name(
    change: Change,
    field: str,
    words: str,
    access_data: Any,  # noqa: F811
) -> None:
    fields = _refused(_changed(change))
    assert field in fields, fields
    assert words in fields[field]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_set("edition.repeal_uncertain", "yes"), "edition.repeal_uncertain"),
        (_set("edition.effective", "20200723"), "edition.effective"),
        (_set("edition.notes.0.kind", ["rule"]), "edition.notes.0.kind"),
        (_set("edition.notes.1.key", "unlisted_national_treatment"), "edition.notes.1.key"),
        (_set("edition.notes.0", "a note"), "edition.notes.0"),
        (_set("edition", "national-2020"), "edition"),
        (_set("items", {"1": {}}), "items"),
        (_set("items.3", "fishing"), "items.3"),
        (_set("items.4.uncertain_note", "not sure"), "items.4.uncertain_note"),
        (_set("items.8.uncertain_note", None), "items.8.uncertain_note"),
        (_set("items.8.uncertain", "yes"), "items.8.uncertain"),
        (_set("items.4.compiler_note", None), "items.4.compiler_note"),
        (_set("items.4.max_foreign_share", 33.333), "items.4.max_foreign_share"),
        (_set("items.4.max_foreign_share", float("nan")), "items.4.max_foreign_share"),
        (_set("items.4.max_foreign_share", "50"), "items.4.max_foreign_share"),
        (_set("items.4.max_foreign_shares", 50), "items.4.max_foreign_shares"),
        (
            _set("items.0.sub_measures.0.max_foreign_shares", 50),
            "items.0.sub_measures.0.max_foreign_shares",
        ),
        (_set("items.0.sub_measures.0.key", "item"), "items.0.sub_measures.0.key"),
        (_set("items.4.key", "fishing"), "items.4.key"),
        (_set("items.30.question", "A cinema chain?"), "items.30.question"),
        (
            _set("items.30.question.options.0.applies", ["item"]),
            "items.30.question.options.0.applies",
        ),
        (_set("items.30.question.options.0", "yes"), "items.30.question.options.0"),
        (_set("items.30.industries.0", "8760"), "items.30.industries.0"),
        (_set("items.4.summary.en", "no\x00thing"), "items.4.summary.en"),
        (_set("edition.repeals", "the 2019 edition \ud800"), "edition.repeals"),
        (_set("editon", {}), "editon"),
    ],
    ids=[
        "repeal_uncertain not a boolean",
        "date not written YYYY-MM-DD",
        "note kind a list",
        "note key twice",
        "note not an object",
        "header not an object",
        "items not a list",
        "item not an object",
        "uncertainty note a text",
        "uncertain without a note",
        "uncertain not a boolean",
        "compiler's note null",
        "share more precise than the column",
        "share not a number (NaN)",
        "share a text",
        "misspelt item field",
        "misspelt sub-measure field",
        "sub-measure key item",
        "item key twice",
        "question a text",
        "option applies to a list",
        "option not an object",
        "industry row not an object",
        "NUL in a text",
        "lone surrogate in a descriptive field",
        "misspelt top-level field",
    ],
)
def test_other_values_that_would_fail_later_are_refused(
    change: Change,
    field: str,
    access_data: Any,  # noqa: F811
) -> None:
    fields = _refused(_changed(change))
    assert field in fields, fields


def test_a_new_edition_with_a_bad_value_is_not_created(access_data: Any) -> None:  # noqa: F811
    data = _national()
    data["edition"]["code"] = "national-2099"
    data["edition"]["interpretation"] = "Chinese control is 51 %"
    assert "edition.interpretation" in _refused(data)
    assert not Edition.objects.filter(code="national-2099").exists()


def test_the_messages_say_what_was_found_and_are_translated(
    access_data: Any,  # noqa: F811
) -> None:
    data = _changed(_set("items.0.sub_measures", 5))
    data["edition"]["code"] = "n" * 41
    fields = _refused(data)
    assert fields["items.0.sub_measures"] == "The sub-measures are a list of objects, not 5."
    assert fields["edition.code"] == ("This text is 41 characters long; at most 40 are allowed.")
    fields = _refused(data, "zh-hans")
    assert fields["edition.code"] == "该文本长 41 个字符，最多允许 40 个字符。"  # noqa: RUF001
    assert "5" in fields["items.0.sub_measures"]
    assert "列表" in fields["items.0.sub_measures"]


def test_values_at_the_limits_of_the_columns_are_stored(access_data: Any) -> None:  # noqa: F811
    data = _national()
    code = "national-" + "x" * 31  # 40 characters
    data["edition"]["code"] = code
    data["edition"]["title"]["zh"] = "标" * 300
    data["edition"]["decree"]["en"] = "d" * 200
    data["items"][4]["section"]["zh"] = "节" * 200
    data["items"][4]["number"] = 2**31 - 1
    data["items"][4]["national_number"] = 2**31 - 1
    data["items"][4]["max_foreign_share"] = 33.33
    data["items"][7]["transition"]["year"] = 9999
    edition_import(actor=None, data=data)
    edition = Edition.objects.get(code=code)
    assert len(edition.title_zh) == 300
    item = edition.items.get(number=2**31 - 1)
    assert item.national_number == 2**31 - 1
    assert str(item.max_foreign_share) == "33.33"
    assert len(item.section_zh) == 200


def _askers(data: dict[str, Any]) -> list[int]:
    return [n for n, item in enumerate(data["items"]) if item.get("question")]


def test_items_share_a_question_key_only_when_they_ask_the_same(
    access_data: Any,  # noqa: F811
) -> None:
    data = _national()
    first, second = _askers(data)[:2]
    asked = data["items"][first]["question"]
    data["items"][second]["question"]["key"] = asked["key"]
    fields = _refused(data)
    number = data["items"][first]["number"]
    assert fields[f"items.{second}.question.key"] == (
        f"Item {number} already asks a different question with the key {asked['key']}: give "
        "this question its own key, or ask the same question (the same text and options)."
    )
    assert "问题" in _refused(data, "zh-hans")[f"items.{second}.question.key"]

    # The same question (its options may apply to each item's own parts) is one answer for both.
    same = copy.deepcopy(asked)
    for option in same["options"]:
        option["applies"] = "item" if option.get("applies") else None
    data["items"][second]["question"] = same
    assert (
        edition_validate(data, known_codes=IndustryClass.objects.values_list("code", flat=True))
        == []
    )
