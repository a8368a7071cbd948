"""Warm-ups: run once in the server's master before it forks its workers."""

from __future__ import annotations

import logging

import pytest

from onestop.access.services import checker_data as checker_data_module
from onestop.core import warmup


@pytest.fixture
def registered(monkeypatch):
    names: list = []
    monkeypatch.setattr(warmup, "_registered", names)
    return names


def test_registered_warm_ups_run_once_each_in_order(registered):
    seen: list[str] = []

    def first() -> None:
        seen.append("first")

    def second() -> None:
        seen.append("second")

    warmup.register(first)
    warmup.register(second)
    warmup.register(first)  # registering twice runs it once
    assert warmup.run_all() == []
    assert seen == ["first", "second"]


def test_a_failing_warm_up_is_named_and_the_others_still_run(registered, caplog):
    seen: list[str] = []

    def broken() -> None:
        raise RuntimeError("database not ready")

    def fine() -> None:
        seen.append("fine")

    warmup.register(broken)
    warmup.register(fine)
    with caplog.at_level(logging.WARNING, logger="onestop.core.warmup"):
        failed = warmup.run_all()
    assert failed == ["test_a_failing_warm_up_is_named_and_the_others_still_run.<locals>.broken"]
    assert seen == ["fine"]
    assert "database not ready" in caplog.text


def test_the_access_checker_snapshot_is_warmed():
    assert checker_data_module.checker_data in warmup._registered


@pytest.mark.django_db
def test_warming_builds_the_checker_snapshot(monkeypatch):
    checker_data_module.checker_data_invalidate()
    assert checker_data_module._cache.data is None
    assert warmup.run_all() == []
    assert checker_data_module._cache.data is not None
