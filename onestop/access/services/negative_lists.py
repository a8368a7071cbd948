"""Import a negative-list edition: validated whole, then written in one transaction.

Re-importing the same edition code replaces its items; a second run of the same file writes
nothing at all (not even an audit row). On any error nothing is written: the edition in force
is untouched.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.access.models import Edition, IndustryClass, Item, ItemIndustry
from onestop.access.permissions import can_import_edition
from onestop.access.services.edition_format import edition_validate, parse_date, parse_share
from onestop.core.audit import audit_record
from onestop.core.errors import ValidationFailed
from onestop.core.models import User
from onestop.core.permissions import require

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data" / "negative_lists"
SHIPPED_EDITIONS = (
    "negative_list_national_2020.json",
    "negative_list_ftz_2020.json",
    "negative_list_ftz_2021.json",
    "negative_list_national_2021.json",
    "negative_list_national_2024.json",
)


def _hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _edition_fields(head: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    return {
        "scope": head["scope"],
        "title_zh": head["title"]["zh"],
        "title_en": head["title"]["en"],
        "decree_zh": head["decree"]["zh"],
        "decree_en": head["decree"]["en"],
        "promulgated": parse_date(head.get("promulgated")),
        "effective": parse_date(head["effective"]),
        "repeal": parse_date(head.get("repeal")),
        "repeal_uncertain": bool(head.get("repeal_uncertain", False)),
        "superseded_by": head.get("superseded_by") or {},
        "notes": head.get("notes") or [],
        "interpretation": head.get("interpretation") or {},
        "source": data.get("source") or {},
    }


def _item(edition: Edition, row: dict[str, Any]) -> Item:
    note = row.get("uncertain_note") or {}
    return Item(
        edition=edition,
        number=row["number"],
        key=row["key"],
        section_zh=row["section"]["zh"],
        section_en=row["section"]["en"],
        measure=row["measure"],
        max_foreign_share=parse_share(row.get("max_foreign_share")),
        min_chinese_share=parse_share(row.get("min_chinese_share")),
        max_single_foreign_share=parse_share(row.get("max_single_foreign_share")),
        summary_zh=row["summary"]["zh"],
        summary_en=row["summary"]["en"],
        sub_measures=row.get("sub_measures") or [],
        requirements=row.get("requirements") or [],
        question=row.get("question") or {},
        transition=row.get("transition") or {},
        national_number=row.get("national_number"),
        uncertain=bool(row.get("uncertain", False)),
        uncertain_note_zh=note.get("zh", ""),
        uncertain_note_en=note.get("en", ""),
        compiler_note=row.get("compiler_note", ""),
    )


@dataclass(frozen=True)
class EditionImport:
    edition: Edition
    outcome: str  # created, updated, unchanged


@transaction.atomic
def edition_import(*, actor: User | None, data: Any) -> EditionImport:
    """Create or replace the edition described by ``data`` (format onestop.negative-list/1).

    Raises ValidationFailed listing every problem (field ``items.<n>.<field>``); writes nothing
    then. A person (``actor``) must be allowed to import editions; ``actor=None`` is the CLI
    and the shipped-data loader.
    """
    if actor is not None:
        require(can_import_edition(actor))
    known = IndustryClass.objects.values_list("code", flat=True)
    errors = edition_validate(data, known_codes=known)
    if errors:
        raise ValidationFailed(errors, _("The edition file was not imported: it has errors."))
    head = data["edition"]
    digest = _hash(data)
    edition = Edition.objects.select_for_update().filter(code=head["code"]).first()
    if edition is not None and edition.content_hash == digest:
        return EditionImport(edition=edition, outcome="unchanged")  # nothing written
    created = edition is None
    if edition is None:
        edition = Edition(code=head["code"])
    for name, value in _edition_fields(head, data).items():
        setattr(edition, name, value)
    edition.content_hash = digest
    edition.save()
    if not created:
        edition.items.all().delete()
    items = Item.objects.bulk_create([_item(edition, row) for row in data["items"]])
    links = [
        ItemIndustry(item=item, code=link["code"], coverage=link["coverage"])
        for item, row in zip(items, data["items"], strict=True)
        for link in row["industries"]
    ]
    ItemIndustry.objects.bulk_create(links)
    audit_record(
        actor=actor,
        action="access.edition_import",
        obj=edition,
        changes={"created" if created else "replaced": True, "items": len(items)},
    )
    # Now for this process (the snapshot is rebuilt from this transaction's view), and again
    # after commit, in case another thread rebuilt it from the old rows meanwhile.
    _invalidate_checker_cache()
    transaction.on_commit(_invalidate_checker_cache)
    return EditionImport(edition=edition, outcome="created" if created else "updated")


def _invalidate_checker_cache() -> None:
    from onestop.access.services.checker_data import checker_data_invalidate

    checker_data_invalidate()


def edition_import_file(*, actor: User | None, path: Path) -> EditionImport:
    with path.open(encoding="utf-8") as handle:
        return edition_import(actor=actor, data=json.load(handle))


def editions_import_shipped(*, actor: User | None = None) -> list[EditionImport]:
    """The editions shipped in onestop/access/data/negative_lists/."""
    return [edition_import_file(actor=actor, path=SHIPPED_DIR / name) for name in SHIPPED_EDITIONS]
