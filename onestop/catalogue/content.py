"""Plain-data helpers: a procedure record of the data file as version content, and keys.

No database access here: ``services`` stores what these functions return.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pypinyin import Style, lazy_pinyin

VERSION_FIELDS = (
    "kind", "title_zh", "title_en", "description_zh", "description_en", "agency_note",
    "legal_basis", "documents", "output_zh", "output_en", "fee_cny", "fee_note",
    "statutory_limit", "committed_limit", "waiting_period", "online", "counter_visits",
    "channel_note", "applies_when_zh", "applies_when_en", "rule", "prerequisites",
    "satisfies", "uncertain", "uncertain_notes", "sources",
)  # fmt: skip
LIMIT_KEYS = ("value", "unit", "note", "uncertain", "sources")


def document_key(name_zh: str, aliases: dict[str, str]) -> str:
    """Documents with the same key are asked for once in a plan."""
    name = re.sub(r"\s+", "", name_zh)
    return aliases.get(name, name)


def _limit(raw: dict[str, Any] | None) -> dict[str, Any]:
    if not raw:
        return {}
    return {k: raw[k] for k in LIMIT_KEYS if k in raw}


def _fee(raw: dict[str, Any]) -> Decimal | None:
    amount = raw.get("amount_cny")
    return None if amount is None else Decimal(str(amount)).quantize(Decimal("0.01"))


def version_content(
    record: dict[str, Any],
    *,
    acts: dict[str, dict[str, Any]],
    aliases: dict[str, str],
    satisfies: dict[str, list[str]],
) -> dict[str, Any]:
    """A ``procedures[]`` record of procedures_beijing.json as ServiceVersion field values."""
    legal_basis = []
    for basis in record.get("legal_basis", []):
        act = acts.get(basis["act_id"], {})
        legal_basis.append(
            {
                "act_id": basis["act_id"],
                "act_zh": act.get("name_zh", ""),
                "act_en": act.get("name_en", ""),
                "articles": list(basis.get("articles", [])),
                "link": basis.get("link", ""),
                "note": basis.get("note", ""),
                "uncertain": bool(basis.get("uncertain") or act.get("uncertain")),
            }
        )
    documents = [
        {
            "key": document_key(doc["name_zh"], aliases),
            "name_zh": doc["name_zh"],
            "name_en": doc["name_en"],
            "format": doc.get("format", ""),
            "issued_by": doc.get("issued_by", ""),
            "obtainable_from_other_agency": bool(doc.get("obtainable_from_other_agency")),
            "note": doc.get("note", ""),
            "uncertain": bool(doc.get("uncertain")),
        }
        for doc in record.get("documents", [])
    ]
    channels = record.get("channels", {})
    applies = record.get("applies_when", {})
    prerequisites = list(record.get("prerequisites", []))
    for extra in record.get("conditional_prerequisites", []):
        if extra["id"] not in prerequisites:
            prerequisites.append(extra["id"])
    rule = applies.get("rule_hint", "") or ""
    return {
        "kind": record.get("kind", ""),
        "title_zh": record["name_zh"],
        "title_en": record["name_en"],
        "description_zh": record.get("summary_zh", ""),
        "description_en": record.get("summary", ""),
        "agency_note": record.get("agency_note", ""),
        "legal_basis": legal_basis,
        "documents": documents,
        "output_zh": record.get("output", {}).get("name_zh", ""),
        "output_en": record.get("output", {}).get("name_en", ""),
        "fee_cny": _fee(record.get("fees", {})),
        "fee_note": record.get("fees", {}).get("note", ""),
        "statutory_limit": _limit(record.get("statutory_time_limit")),
        "committed_limit": _limit(record.get("committed_time_limit")),
        "waiting_period": _limit(record.get("waiting_period")),
        "online": channels.get("online", ""),
        "counter_visits": channels.get("counter_visits"),
        "channel_note": channels.get("note", ""),
        "applies_when_zh": applies.get("text_zh", ""),
        "applies_when_en": applies.get("text", ""),
        "rule": "" if rule.strip() == "true" else rule,
        "prerequisites": prerequisites,
        "satisfies": list(satisfies.get(record["id"], [])),
        "uncertain": bool(record.get("uncertain")),
        "uncertain_notes": record.get("uncertain_notes", ""),
        "sources": list(record.get("sources", [])),
    }


def search_text(*parts: str) -> str:
    """What a search matches: the texts, their pinyin (full, joined and spaced) and initials."""
    words = [p for p in parts if p]
    out = [w.lower() for w in words]
    for word in words:
        if re.search(r"[\u4e00-\u9fff]", word):
            syllables = lazy_pinyin(word)
            out.append("".join(syllables).lower())
            out.append(" ".join(syllables).lower())
            out.append("".join(lazy_pinyin(word, style=Style.FIRST_LETTER)).lower())
    return "\n".join(out)
