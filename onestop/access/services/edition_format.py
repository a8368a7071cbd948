"""Validation of an edition file (format ``onestop.negative-list/1``), row by row.

``edition_validate(data)`` returns the list of every problem found, each naming its place in
the file (``items.3.industries.0.code``); an empty list means the file can be imported.

Every value the import stores is checked against the model field it goes to (type, range,
length, decimals: the limits are read from the fields), so a file that passes is stored whole.
The parts stored as JSON (successor, notes, interpretation, sub-measures, requirements,
question, transition, source) are checked for their shape. Each object has a known set of
fields (``*_FIELDS``) and any other field is an error: a misspelt name (``max_foreign_shares``)
would otherwise be dropped without a word. Only ``source`` is free-form (texts and lists of
texts), and the header may carry descriptive fields that are not stored. The items are checked
in ``edition_items``, single values by the helpers of ``edition_checks``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from onestop.access.models import Edition, Scope
from onestop.access.services.edition_checks import (
    Errors,
    absent,
    an_object,
    boolean,
    given,
    key_limit,
    machine_key,
    max_length,
    parse_date,
    parse_share,
    plain_text,
    text,
    unique,
    unknown_fields,
    unstorable,
)
from onestop.access.services.edition_items import items_check
from onestop.core.errors import FieldError

__all__ = ["FORMAT", "edition_validate", "parse_date", "parse_share"]

FORMAT = "onestop.negative-list/1"
NOTE_KINDS = ("rule", "information")

TOP_FIELDS = ("format", "source", "edition", "items")
EDITION_FIELDS = (
    "code",
    "scope",
    "title",
    "decree",
    "promulgated",
    "effective",
    "repeal",
    "repeal_uncertain",
    "superseded_by",
    "notes",
    "interpretation",
    # descriptive, not stored
    "issuing_authorities",
    "published",
    "repeals",
    "item_count",
)
SUCCESSOR_FIELDS = ("edition", "decree", "effective", "uncertain")
NOTE_FIELDS = ("key", "kind", "text")
URL_SCHEMES = ("http://", "https://")


# ----- the header ----------------------------------------------------------------------------


def _dates(errors: Errors, edition: dict[str, Any]) -> None:
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
    if edition.get("promulgated") is not None and parse_date(edition["promulgated"]) is None:
        errors.add("edition.promulgated", _("Give the date as YYYY-MM-DD."), "date")


def _successor(errors: Errors, value: Any) -> None:
    where = "edition.superseded_by"
    if absent(value):
        return
    if not an_object(
        errors,
        value,
        where,
        SUCCESSOR_FIELDS,
        _("The successor is an object (edition, decree, effective, uncertain), not %(given)s."),
    ):
        return
    name = value.get("edition")
    if not isinstance(name, str) or not name.strip():
        errors.add(
            f"{where}.edition",
            _("Name the successor edition as a text (for example “2021”), not %(given)s.")
            % {"given": given(name)},
            "required",
        )
    text(errors, value.get("decree"), f"{where}.decree", required=False)
    if value.get("effective") is not None and parse_date(value["effective"]) is None:
        errors.add(f"{where}.effective", _("Give the date as YYYY-MM-DD."), "date")
    boolean(errors, value.get("uncertain"), f"{where}.uncertain")


def _notes(errors: Errors, notes: Any) -> None:
    if notes is None:
        return
    if not isinstance(notes, list):
        errors.add("edition.notes", _("The general notes are a list."))
        return
    keys: set[str] = set()
    for n, note in enumerate(notes):
        where = f"edition.notes.{n}"
        if not an_object(
            errors,
            note,
            where,
            NOTE_FIELDS,
            _("A general note is an object (key, kind, text), not %(given)s."),
        ):
            continue
        if machine_key(errors, note.get("key"), f"{where}.key", key_limit()):
            unique(errors, note["key"], keys, f"{where}.key")
        if note.get("kind") not in NOTE_KINDS:
            errors.add(f"{where}.kind", _("The kind of a note is rule or information."))
        text(errors, note.get("text"), f"{where}.text")


def _edition(errors: Errors, edition: Any) -> None:
    if edition is None:
        errors.add("edition", _("The edition's header is missing."), "required")
        return
    if not an_object(
        errors,
        edition,
        "edition",
        EDITION_FIELDS,
        _("The edition's header is an object, not %(given)s."),
    ):
        return
    machine_key(errors, edition.get("code"), "edition.code", max_length(Edition, "code"))
    if edition.get("scope") not in Scope.values:
        errors.add("edition.scope", _("The scope is national or ftz."), "scope")
    text(errors, edition.get("title"), "edition.title", column=(Edition, "title"))
    text(errors, edition.get("decree"), "edition.decree", column=(Edition, "decree"))
    _dates(errors, edition)
    boolean(errors, edition.get("repeal_uncertain"), "edition.repeal_uncertain")
    _successor(errors, edition.get("superseded_by"))
    _notes(errors, edition.get("notes"))
    text(errors, edition.get("interpretation"), "edition.interpretation", required=False)


def _source(errors: Errors, source: Any) -> None:
    """Where the data comes from: free-form, but only texts and lists of texts."""
    if absent(source):
        return
    if not isinstance(source, dict):
        errors.add(
            "source",
            _("The source is an object of texts and lists of texts, not %(given)s.")
            % {"given": given(source)},
            "type",
        )
        return
    for name, value in source.items():
        where = f"source.{name}"
        if name == "urls" and not isinstance(value, list):
            errors.add(
                where,
                _(
                    "Give the addresses as a list of links starting with http:// or "
                    "https://, not %(given)s."
                )
                % {"given": given(value)},
                "type",
            )
        elif isinstance(value, list):
            for n, entry in enumerate(value):
                if not isinstance(entry, str):
                    plain_text(errors, entry, f"{where}.{n}")
                elif name == "urls" and not entry.startswith(URL_SCHEMES):
                    errors.add(
                        f"{where}.{n}",
                        _("A link starts with http:// or https://, not %(given)s.")
                        % {"given": given(entry)},
                        "url",
                    )
        elif not isinstance(value, str):
            errors.add(
                where,
                _("Give a text or a list of texts here, not %(given)s.") % {"given": given(value)},
                "type",
            )


def edition_validate(data: Any, *, known_codes: Iterable[str]) -> list[FieldError]:
    """Every problem in an edition file; ``known_codes`` are the loaded GB/T 4754 codes."""
    errors = Errors()
    if not isinstance(data, dict):
        errors.add("__all__", _("An edition file is a JSON object."))
        return errors.items
    unstorable(errors, data)
    unknown_fields(errors, data, "", TOP_FIELDS)
    if data.get("format") != FORMAT:
        errors.add(
            "format", _("This is not an edition file (format %(format)s).") % {"format": FORMAT}
        )
    _source(errors, data.get("source"))
    _edition(errors, data.get("edition"))
    items = data.get("items")
    if items is not None and not isinstance(items, list):
        errors.add(
            "items",
            _("The items are a list of objects, not %(given)s.") % {"given": given(items)},
            "type",
        )
        return errors.items
    if not items:
        errors.add("items", _("The edition has no items."), "required")
        return errors.items
    items_check(errors, items, known=set(known_codes))
    return errors.items
