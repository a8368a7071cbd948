"""Beijing's 16 districts by GB/T 2260 code (data/districts.json, copied with its source)."""

from __future__ import annotations

import json
from pathlib import Path

_DATA = json.loads((Path(__file__).parent / "data" / "districts.json").read_text("utf-8"))

#: code -> (Chinese name, English name), e.g. "110105" -> ("朝阳区", "Chaoyang District")
DISTRICTS: dict[str, tuple[str, str]] = {
    row["code"]: (row["name_zh"], row["name_en"]) for row in _DATA["districts"]
}


def district_name(code: str, language: str | None = None) -> str:
    """The district's name in ``language`` (active language when None); the code if unknown."""
    from django.utils.translation import get_language

    names = DISTRICTS.get(code)
    if names is None:
        return code
    language = language or get_language() or "zh-hans"
    return names[1] if language.startswith("en") else names[0]
