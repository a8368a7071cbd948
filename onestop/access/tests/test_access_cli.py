"""``onestop access-check``: the verdict on the command line."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from onestop.access.tests.negative_list_fixtures import access_data, access_world  # noqa: F401


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("access_check", *args, stdout=out)
    return out.getvalue()


def test_prints_the_verdict_and_its_basis(access_data: Any) -> None:  # noqa: F811
    text = _run(
        "--industry",
        "8810",
        "--foreign-share",
        "50",
        "--answer",
        "performing_arts=yes",
        "--date",
        "2021-06-01",
        "--lang",
        "en",
    )
    assert text.startswith("No, not allowed as proposed")
    assert "#33" in text and "at most 49 %" in text
    assert "Decree No. 32" in text
    chinese = _run("--industry", "6210", "--foreign-share", "100", "--date", "2021-06-01")
    assert "准入" in chinese or "负面清单" in chinese


def test_ftz_and_json(access_data: Any) -> None:  # noqa: F811
    text = _run(
        "--industry", "2311", "--foreign-share", "60", "--ftz", "--date", "2021-06-01", "--json"
    )
    assert '"allowed": "yes"' in text and '"code": "ftz-2020"' in text


def test_refuses_bad_input(access_data: Any) -> None:  # noqa: F811
    with pytest.raises(CommandError, match="8769"):
        _run("--industry", "8769", "--foreign-share", "70")
    with pytest.raises(CommandError, match="single_share"):
        _run("--industry", "6210", "--foreign-share", "30", "--single-share", "40")
    with pytest.raises(CommandError, match="film=no"):
        _run("--industry", "6210", "--foreign-share", "30", "--answer", "film")
