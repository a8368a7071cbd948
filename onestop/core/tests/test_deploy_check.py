"""Django's deployment checklist passes with production settings: no warnings at all."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from onestop.core.tests.test_settings import LONG_KEY, clean_env, onestop_command


def deploy_check(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    env = clean_env(
        tmp_path,
        ONESTOP_ENV="production",
        SECRET_KEY=LONG_KEY + os.urandom(8).hex(),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        **variables,
    )
    return subprocess.run(
        [*onestop_command(), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variables", "check_id"),
    [({"SECURE_HSTS_SECONDS": "0"}, "security.W004"), ({"SECURE_SSL_REDIRECT": "no"}, "W008")],
)
def test_the_check_would_catch_a_weakened_setting(tmp_path, variables, check_id):
    """The test above could fail: turning a protection off makes the same check fail."""
    result = deploy_check(tmp_path, **variables)
    assert result.returncode != 0
    assert check_id in result.stdout + result.stderr


def test_production_collects_static_files_with_every_referenced_file_present(tmp_path):
    """The hashed-manifest storage fails on any url() in the CSS that points at a missing file
    (it once did, on GOV.UK's crest, which we do not ship)."""
    static_root = tmp_path / "static"
    env = clean_env(
        tmp_path,
        ONESTOP_ENV="production",
        SECRET_KEY=LONG_KEY + os.urandom(8).hex(),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'static.sqlite3'}",
        STATIC_ROOT=str(static_root),
    )
    result = subprocess.run(
        [*onestop_command(), "collectstatic", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (static_root / "staticfiles.json").read_text()
    assert "vendor/onestop.css" in manifest
    assert "core/init.js" in manifest
