"""Load the catalogue data file (``data/procedures_beijing.json``) and the finder's
configuration (``data/finder.json``) through the services. Idempotent: a second run writes
nothing. Used by ``onestop import-catalogue`` and by the demo loader.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

from django.db import transaction

from onestop.catalogue.content import version_content
from onestop.catalogue.models import PublicService
from onestop.catalogue.services import journey_save, service_save
from onestop.core.models import Agency, User
from onestop.core.services import agency_create

DATA_DIR = Path(__file__).resolve().parent / "data"
PROCEDURES_FILE = DATA_DIR / "procedures_beijing.json"
FINDER_FILE = DATA_DIR / "finder.json"


def read_json(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _agencies(data: dict[str, Any], actor: User | None, tally: Counter[str]) -> dict[str, Agency]:
    known = {a.code: a for a in Agency.objects.all()}
    for record in data["agencies"]:
        if record["id"] not in known:
            known[record["id"]] = agency_create(
                actor=actor,
                code=record["id"],
                name_zh=record["name_zh"],
                name_en=record["name_en"],
                level=record.get("level", ""),
            )
            tally["agencies created"] += 1
    return known


def catalogue_import(
    *,
    actor: User | None,
    procedures: dict[str, Any] | None = None,
    finder: dict[str, Any] | None = None,
) -> Counter[str]:
    """Import every procedure as a service version and every journey. Returns a tally."""
    data = procedures or read_json(PROCEDURES_FILE)
    config = finder or read_json(FINDER_FILE)
    corrections = config.get("corrections", {})
    aliases = corrections.get("document_aliases", {})
    satisfies = corrections.get("satisfies", {})
    acts = {act["id"]: act for act in data["legal_acts"]}
    compiled = dt.date.fromisoformat(data["meta"]["compiled"])
    tally: Counter[str] = Counter()
    records = {record["id"]: record for record in data["procedures"]}
    order = TopologicalSorter(
        {
            pid: [
                *[p for p in record.get("prerequisites", []) if p in records],
                *[
                    c["id"]
                    for c in record.get("conditional_prerequisites", [])
                    if c["id"] in records
                ],
                *satisfies.get(pid, []),
            ]
            for pid, record in records.items()
        }
    ).static_order()
    with transaction.atomic():
        agencies = _agencies(data, actor, tally)
        for pid in order:
            record = records[pid]
            content = version_content(record, acts=acts, aliases=aliases, satisfies=satisfies)
            _service, changed = service_save(
                actor=actor,
                identifier=pid,
                agency=agencies[record["agency"]["agency_id"]],
                content=content,
                valid_from=compiled,
                change_note="Imported from procedures_beijing.json",
            )
            tally["services changed" if changed else "services unchanged"] += 1
        services = {s.identifier: s for s in PublicService.objects.all()}
        for position, (code, journey) in enumerate(data["journeys"].items()):
            extra = config["journeys"].get(code, {})
            candidates = [
                {
                    "service": services[c["procedure_id"]],
                    "requirement": c["requirement"],
                    "condition_en": c.get("applies_when", ""),
                }
                for c in journey["procedures"]
            ]
            _journey, changed = journey_save(
                actor=actor,
                code=code,
                candidates=candidates,
                name_zh=journey["name_zh"],
                name_en=journey["name_en"],
                notes_en=journey.get("notes", ""),
                questions=[
                    {"key": key, **config["questions"][key]} for key in extra.get("questions", [])
                ],
                fixed=extra.get("fixed", {}),
                includes=extra.get("includes", []),
                checks=extra.get("checks", []),
                position=position,
            )
            tally["journeys changed" if changed else "journeys unchanged"] += 1
    return tally


def load_catalogue(ctx: Any) -> None:
    """Demo loader step (``onestop.demo.services.DEMO_STEPS``): import the catalogue."""
    tally = catalogue_import(actor=None)
    for what, n in tally.items():
        outcome = "unchanged" if what.endswith("unchanged") else "created"
        for _ in range(n):
            ctx.count("catalogue", outcome)
