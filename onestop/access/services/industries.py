"""Import the GB/T 4754 industry classification: validated whole, then upserted in one transaction.

``industries_import(rows=...)`` takes the rows of a CSV file shaped like
``onestop/access/data/gbt4754_2017.csv`` (columns code, level, parent, name_zh, name_en,
name_en_source, note). Any invalid row rejects the whole import, with one error per problem
naming the row; nothing is written. A valid import creates the new codes, updates the changed
ones, leaves the rest alone and never deletes; one audit row records the import, and an import
that changes nothing writes nothing at all.
Pinyin (full and initials) and jieba's search words are computed here, once, for the search.
"""

from __future__ import annotations

import csv
import functools
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onestop.access.models import IndustryClass, IndustryLevel
from onestop.core.audit import audit_record
from onestop.core.errors import FieldError, ValidationFailed
from onestop.core.models import User

SHIPPED_CSV = Path(__file__).resolve().parent.parent / "data" / "gbt4754_2017.csv"
COLUMNS = ("code", "level", "parent", "name_zh", "name_en", "name_en_source", "note")
REQUIRED_COLUMNS = ("code", "level", "name_zh")
DATA_FIELDS = ("level", "name_zh", "name_en", "name_en_source", "note")
SEARCH_FIELDS = ("pinyin", "pinyin_initials", "search_words")

# Level -> (code pattern, level of the parent or None).
LEVELS: dict[str, tuple[re.Pattern[str], str | None]] = {
    IndustryLevel.SECTION: (re.compile(r"[A-T]"), None),
    IndustryLevel.DIVISION: (re.compile(r"\d{2}"), IndustryLevel.SECTION),
    IndustryLevel.GROUP: (re.compile(r"\d{3}"), IndustryLevel.DIVISION),
    IndustryLevel.CLASS: (re.compile(r"\d{4}"), IndustryLevel.GROUP),
}
LEVEL_ORDER = list(LEVELS)
MAX_LENGTHS = {"name_zh": 200, "name_en": 300, "name_en_source": 40}

_CJK = re.compile(r"[\u3400-\u9fff]")
_ASCII_WORD = re.compile(r"[a-z]+")


# ----- search helpers (also used by the selectors for queries) ----------------------------


def pinyin_syllables(text: str) -> list[str]:
    """Tone-less, lower-case pinyin syllables of the Chinese characters in ``text``."""
    from pypinyin import Style, lazy_pinyin

    return [s for s in lazy_pinyin(text, style=Style.NORMAL) if _ASCII_WORD.fullmatch(s)]


def jieba_words(text: str) -> list[str]:
    """jieba's search-engine segmentation of ``text``: words that contain a Chinese character."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    seen: dict[str, None] = {}
    for word in jieba.cut_for_search(text):
        word = word.strip()
        if word and _CJK.search(word):
            seen.setdefault(word, None)
    return list(seen)


@functools.lru_cache(maxsize=4096)
def _search_fields(name_zh: str) -> tuple[str, str, str]:
    syllables = pinyin_syllables(name_zh)
    return (
        " ".join(syllables),
        "".join(s[0] for s in syllables),
        " ".join(jieba_words(name_zh)),
    )


def search_fields(name_zh: str) -> dict[str, str]:
    """What the search needs of a Chinese name: pinyin ("can yin ye"), initials ("cyy") and
    jieba's words ("餐饮 餐饮业"). Cached: re-importing the same names costs nothing."""
    pinyin, initials, words = _search_fields(name_zh)
    return {"pinyin": pinyin, "pinyin_initials": initials, "search_words": words}


# ----- validation -------------------------------------------------------------------------


@dataclass(frozen=True)
class IndustryRow:
    number: int  # 1 = the first data row
    code: str
    level: str
    parent: str
    name_zh: str
    name_en: str
    name_en_source: str
    note: str


def _clean(raw: Mapping[str, str | None], number: int) -> IndustryRow:
    def value(name: str) -> str:
        return (raw.get(name) or "").strip()

    return IndustryRow(
        number=number,
        code=value("code").upper(),
        level=value("level").lower(),
        parent=value("parent").upper(),
        name_zh=value("name_zh"),
        name_en=value("name_en"),
        name_en_source=value("name_en_source"),
        note=value("note"),
    )


def _row_error(row: IndustryRow, column: str, message: object, code: str) -> FieldError:
    return FieldError(f"rows.{row.number}.{column}", str(message), code)


def _check_row(row: IndustryRow, levels: Mapping[str, str]) -> list[FieldError]:
    """Problems of one row. ``levels`` maps every known code (file and table) to its level."""
    errors: list[FieldError] = []
    if row.level not in LEVELS:
        errors.append(
            _row_error(
                row,
                "level",
                _("Unknown level “%(level)s”: use section, division, group or class.")
                % {"level": row.level},
                "invalid_level",
            )
        )
        return errors
    pattern, parent_level = LEVELS[row.level]
    if not pattern.fullmatch(row.code):
        errors.append(
            _row_error(
                row,
                "code",
                _("The code “%(code)s” is not a valid %(level)s code.")
                % {"code": row.code, "level": IndustryLevel(row.level).label},
                "invalid_code",
            )
        )
    if parent_level is None:
        if row.parent:
            errors.append(
                _row_error(row, "parent", _("A section has no parent."), "unexpected_parent")
            )
    elif not row.parent:
        errors.append(_row_error(row, "parent", _("Give the parent code."), "required"))
    elif levels.get(row.parent) != parent_level:
        errors.append(
            _row_error(
                row,
                "parent",
                _("The parent “%(parent)s” is not a known %(level)s.")
                % {"parent": row.parent, "level": IndustryLevel(parent_level).label},
                "unknown_parent",
            )
        )
    elif row.level != IndustryLevel.DIVISION and not row.code.startswith(row.parent):
        errors.append(
            _row_error(
                row,
                "parent",
                _("The code “%(code)s” does not start with its parent's code “%(parent)s”.")
                % {"code": row.code, "parent": row.parent},
                "parent_mismatch",
            )
        )
    if not row.name_zh:
        errors.append(_row_error(row, "name_zh", _("Give the Chinese name."), "required"))
    if row.name_en and not row.name_en_source:
        errors.append(
            _row_error(
                row,
                "name_en_source",
                _("Say where the English name comes from."),
                "required",
            )
        )
    for column, limit in MAX_LENGTHS.items():
        if len(getattr(row, column)) > limit:
            errors.append(
                _row_error(
                    row,
                    column,
                    _("At most %(limit)d characters.") % {"limit": limit},
                    "too_long",
                )
            )
    return errors


def _validate(raw_rows: Iterable[Mapping[str, str | None]]) -> list[IndustryRow]:
    rows = [_clean(raw, number) for number, raw in enumerate(raw_rows, start=1)]
    if not rows:
        raise ValidationFailed(
            [FieldError("rows", _("The file has no rows."), "empty")],
        )
    errors: list[FieldError] = []
    known = dict(IndustryClass.objects.values_list("code", "level"))
    first_row: dict[str, int] = {}
    for row in rows:
        if not row.code:
            continue
        if row.code in first_row:
            errors.append(
                _row_error(
                    row,
                    "code",
                    _("The code “%(code)s” is already in row %(row)d.")
                    % {"code": row.code, "row": first_row[row.code]},
                    "duplicate_code",
                )
            )
        else:
            first_row[row.code] = row.number
            known[row.code] = row.level
    for row in rows:
        for column in ("code", "level"):
            if not getattr(row, column):
                errors.append(_row_error(row, column, _("This column is empty."), "required"))
        if row.code and row.level:
            errors.extend(_check_row(row, known))
    if errors:
        raise ValidationFailed(
            errors,
            message=ngettext(
                "The classification was not imported: %(count)d problem in the file.",
                "The classification was not imported: %(count)d problems in the file.",
                len(errors),
            )
            % {"count": len(errors)},
        )
    return rows


# ----- the import -------------------------------------------------------------------------


@dataclass
class IndustryImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + self.unchanged


def _import_stand_in() -> IndustryClass:
    """What the audit row is about: the classification as a whole (never saved)."""
    whole = IndustryClass(
        code="*",
        name_zh="国民经济行业分类 GB/T 4754",
        name_en="Industrial classification for national economic activities, GB/T 4754",
    )
    whole.pk = "gbt4754"
    return whole


def industries_import(
    *,
    rows: Iterable[Mapping[str, str | None]],
    actor: User | None = None,
    source: str = "",
) -> IndustryImportReport:
    """Validate every row, then create or update the classes, all or nothing.

    Raises ValidationFailed (one error per problem, field ``rows.<n>.<column>``) and writes
    nothing when any row is invalid. One audit row for the whole import.
    """
    valid = _validate(rows)
    report = IndustryImportReport()
    with transaction.atomic():
        existing = {c.code: c for c in IndustryClass.objects.select_for_update()}
        by_level = sorted(valid, key=lambda r: LEVEL_ORDER.index(r.level))
        for level in LEVEL_ORDER:
            to_create: list[IndustryClass] = []
            to_update: list[IndustryClass] = []
            for row in (r for r in by_level if r.level == level):
                values: dict[str, object] = {name: getattr(row, name) for name in DATA_FIELDS}
                values.update(search_fields(row.name_zh))
                parent = existing[row.parent] if row.parent else None
                current = existing.get(row.code)
                if current is None:
                    current = IndustryClass(code=row.code, parent=parent, **values)
                    to_create.append(current)
                    report.created.append(row.code)
                elif current.parent_id != (parent.pk if parent else None) or any(
                    getattr(current, name) != value for name, value in values.items()
                ):
                    current.parent = parent
                    for name, value in values.items():
                        setattr(current, name, value)
                    to_update.append(current)
                    report.updated.append(row.code)
                else:
                    report.unchanged += 1
            IndustryClass.objects.bulk_create(to_create)
            _read_back_new_pks(to_create)
            existing.update((created.code, created) for created in to_create)
            if to_update:
                IndustryClass.objects.bulk_update(
                    to_update, ["parent", *DATA_FIELDS, *SEARCH_FIELDS]
                )
        if not (report.created or report.updated):
            return report  # nothing changed: nothing written, not even an audit row
        audit_record(
            actor=actor,
            action="industries.import",
            obj=_import_stand_in(),
            changes={
                "source": source,
                "rows": report.total,
                "created": len(report.created),
                "updated": report.updated[:200],
                "unchanged": report.unchanged,
            },
        )
        # This process sees the change at once (even inside the transaction); the others
        # notice it when they next re-check the table (see selectors.industries).
        _invalidate_search_index()
        transaction.on_commit(_invalidate_search_index)
    return report


def _read_back_new_pks(created: list[IndustryClass]) -> None:
    """Databases whose bulk insert does not return the new primary keys: read them back."""
    missing = [obj for obj in created if obj.pk is None]
    if missing:
        ids = dict(
            IndustryClass.objects.filter(code__in=[o.code for o in missing]).values_list(
                "code", "pk"
            )
        )
        for obj in missing:
            obj.pk = ids[obj.code]


def _invalidate_search_index() -> None:
    from onestop.access.selectors.industries import industry_index_invalidate

    industry_index_invalidate()


def read_csv(path: Path) -> list[dict[str, str | None]]:
    """The rows of a classification CSV file (UTF-8, with or without a byte-order mark)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationFailed(
                [
                    FieldError(
                        "columns",
                        _("Columns missing from the file: %(columns)s.")
                        % {"columns": ", ".join(missing)},
                        "missing_columns",
                    )
                ]
            )
        return list(reader)


def industries_import_file(
    *, path: Path = SHIPPED_CSV, actor: User | None = None
) -> IndustryImportReport:
    """Import a CSV file (default: the shipped GB/T 4754-2017 table)."""
    return industries_import(rows=read_csv(path), actor=actor, source=path.name)
