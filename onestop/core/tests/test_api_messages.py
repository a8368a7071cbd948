"""Messages for invalid API input: counted words agree with their number, limits read as people
write them."""

from __future__ import annotations

import pytest
from django.utils import translation

from onestop.core.api_messages import translate_pydantic_error


@pytest.mark.parametrize(
    ("error", "english"),
    [
        ({"type": "too_short", "ctx": {"min_length": 1}}, "Give at least 1 item."),
        ({"type": "too_short", "ctx": {"min_length": 2}}, "Give at least 2 items."),
        ({"type": "too_long", "ctx": {"max_length": 1}}, "Give at most 1 item."),
        ({"type": "too_long", "ctx": {"max_length": 20}}, "Give at most 20 items."),
        ({"type": "less_than_equal", "ctx": {"le": 100.0}}, "Must be at most 100."),
        ({"type": "less_than_equal", "ctx": {"le": 49.5}}, "Must be at most 49.5."),
        ({"type": "greater_than_equal", "ctx": {"ge": 0.0}}, "Must be at least 0."),
        ({"type": "greater_than", "ctx": {"gt": 3}}, "Must be more than 3."),
    ],
)
def test_english_messages(error, english):
    with translation.override("en"):
        assert translate_pydantic_error(error) == english


def test_chinese_messages():
    with translation.override("zh-hans"):
        assert translate_pydantic_error({"type": "too_short", "ctx": {"min_length": 1}}) == (
            "至少提供 1 项。"
        )
        assert translate_pydantic_error({"type": "less_than_equal", "ctx": {"le": 100.0}}) == (
            "不能大于 100。"
        )
