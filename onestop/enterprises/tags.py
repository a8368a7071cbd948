"""Tags an enterprise can carry in the register (recognitions and circumstances).

Stored on ``Enterprise.tags`` as ",high_tech,specialised," (sorted, with a leading and a trailing
comma) so SQL can test one tag with ``tags LIKE '%,high_tech,%'``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language

#: code -> (Chinese name, English name)
TAGS: dict[str, tuple[str, str]] = {
    "high_tech": ("高新技术企业", "High-tech enterprise"),
    "specialised": ("专精特新企业", "Specialised and sophisticated SME"),
    "tech_sme": ("科技型中小企业", "Technology-based SME"),
    "zhongguancun": ("中关村企业", "Zhongguancun enterprise"),
    "gazelle": ("瞪羚企业", "Gazelle enterprise"),
    "hard_hit": ("受疫情影响较大", "Hard hit by the pandemic"),
    "cultural": ("文化企业", "Cultural enterprise"),
    "foreign_trade": ("外贸企业", "Foreign-trade enterprise"),
}


def tags_to_db(tags: Iterable[str]) -> str:
    """``["specialised", "high_tech"]`` -> ",high_tech,specialised," ("" for no tags)."""
    cleaned = sorted({t.strip() for t in tags if t and t.strip()})
    return f",{','.join(cleaned)}," if cleaned else ""


def tags_from_db(value: str) -> list[str]:
    return [t for t in (value or "").split(",") if t]


def tag_name(code: str, language: str | None = None) -> str:
    names = TAGS.get(code)
    if names is None:
        return code
    language = language or get_language() or "zh-hans"
    return names[1] if language.startswith("en") else names[0]
