"""Template helpers for the negative-list pages: bilingual records, measure names."""

from __future__ import annotations

from typing import Any

from django import template

from onestop.access.services.checker_data import pick as _pick
from onestop.access.services.checker_text import measure_label as _measure_label

register = template.Library()


@register.simple_tag
def pick(text: dict[str, str] | None, language: str) -> str:
    """The Chinese or English text of a bilingual record."""
    return _pick(text, language)


@register.simple_tag
def measure_label(kind: str) -> str:
    return _measure_label(kind)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
