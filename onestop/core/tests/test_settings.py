"""Settings come only from the environment, and a wrong value stops start-up naming the variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from onestop.env import EnvError, env_bool, env_choice, env_int, env_list, env_str

# Variables that settings.py reads; the subprocesses start from a clean slate of these.
SETTINGS_VARIABLES = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DB_CONN_MAX_AGE",
    "TIME_ZONE",
    "STATIC_ROOT",
    "LOG_LEVEL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "AXES_FAILURE_LIMIT",
    "AXES_PROXY_COUNT",
    "DEFAULT_FROM_EMAIL",
}


def clean_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in SETTINGS_VARIABLES
        and not key.startswith(("ONESTOP_", "EMAIL_"))
        and key != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="onestop.settings",
        ONESTOP_VAR_DIR=str(tmp_path / "var"),
    )
    env.update(overrides)
    return env


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
names = [
    "DEBUG", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "SECRET_KEY",
]
values = {name: str(getattr(s, name, None)) for name in names}
values["DB_ENGINE"] = s.DATABASES["default"]["ENGINE"]
values["DB_NAME"] = str(s.DATABASES["default"]["NAME"])
print(json.dumps(values))
"""


def onestop_command() -> list[str]:
    """The installed `onestop` console script (or `python -m onestop` where it is missing)."""
    script = Path(sys.executable).with_name("onestop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "onestop"]


def start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Load the settings in a fresh interpreter, as `onestop` does at start-up."""
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


LONG_KEY = "k" * 64


# ----- the typed readers ------------------------------------------------------------------


def test_env_error_is_improperly_configured_and_names_the_variable():
    error = EnvError("SOME_VAR", "is broken")
    assert isinstance(error, ImproperlyConfigured)
    assert error.name == "SOME_VAR"
    assert "SOME_VAR" in str(error)


def test_env_str_required_and_default():
    with pytest.raises(EnvError, match=r"SECRET_KEY: is required"):
        env_str("SECRET_KEY", environ={})
    with pytest.raises(EnvError, match="SECRET_KEY"):
        env_str("SECRET_KEY", environ={"SECRET_KEY": ""})
    assert env_str("X", "fallback", environ={}) == "fallback"
    assert env_str("X", "fallback", environ={"X": "set"}) == "set"


@pytest.mark.parametrize("raw", ["ten", "1.5", "0x10", " "])
def test_env_int_rejects_non_numbers_naming_the_variable(raw):
    if raw.strip() == "":
        assert env_int("WEB_CONCURRENCY", 3, environ={"WEB_CONCURRENCY": raw}) == 3
        return
    with pytest.raises(EnvError, match=r"WEB_CONCURRENCY: must be a whole number"):
        env_int("WEB_CONCURRENCY", 3, environ={"WEB_CONCURRENCY": raw})


def test_env_int_minimum():
    assert env_int("N", 7, minimum=1, environ={"N": "2"}) == 2
    with pytest.raises(EnvError, match="AXES_FAILURE_LIMIT: must be at least 1, got 0"):
        env_int("AXES_FAILURE_LIMIT", 5, minimum=1, environ={"AXES_FAILURE_LIMIT": "0"})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("YES", True), ("on", True), ("0", False), ("off", False)],
)
def test_env_bool_accepts_the_usual_spellings(raw, expected):
    assert env_bool("FLAG", not expected, environ={"FLAG": raw}) is expected


def test_env_bool_rejects_anything_else():
    with pytest.raises(EnvError, match="SECURE_SSL_REDIRECT: must be one of true/false"):
        env_bool("SECURE_SSL_REDIRECT", True, environ={"SECURE_SSL_REDIRECT": "maybe"})
    assert env_bool("SECURE_SSL_REDIRECT", True, environ={}) is True


def test_env_choice():
    assert env_choice("ONESTOP_ENV", "demo", ("demo", "production"), environ={}) == "demo"
    with pytest.raises(EnvError, match="ONESTOP_ENV: must be one of demo, production, got 'prod'"):
        env_choice("ONESTOP_ENV", "demo", ("demo", "production"), environ={"ONESTOP_ENV": "prod"})


def test_env_list_splits_and_trims():
    assert env_list("HOSTS", ["a"], environ={}) == ["a"]
    assert env_list("HOSTS", ["a"], environ={"HOSTS": " x.org, ,y.org ,"}) == ["x.org", "y.org"]
    assert env_list("HOSTS", ["a"], environ={"HOSTS": ""}) == []


# ----- start-up in a fresh process ------------------------------------------------------


def test_demo_mode_starts_with_no_configuration(tmp_path):
    first = start(clean_env(tmp_path))
    assert first.returncode == 0, first.stderr
    values = json.loads(first.stdout)
    assert values["DEBUG"] == "False"
    assert values["DB_ENGINE"] == "django.db.backends.sqlite3"
    assert values["DB_NAME"] == str((tmp_path / "var" / "onestop.sqlite3").resolve())
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    # The generated key is kept, so sessions survive a restart.
    second = json.loads(start(clean_env(tmp_path)).stdout)
    assert second["SECRET_KEY"] == values["SECRET_KEY"] == key_file.read_text().strip()


def test_production_turns_on_https_protections(tmp_path):
    result = start(
        clean_env(tmp_path, ONESTOP_ENV="production", SECRET_KEY=LONG_KEY, ALLOWED_HOSTS="x.org")
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["ALLOWED_HOSTS"] == "['x.org']"
    assert values["SESSION_COOKIE_SECURE"] == values["CSRF_COOKIE_SECURE"] == "True"
    assert values["SECURE_SSL_REDIRECT"] == "True"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31_536_000
    assert values["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.parametrize(
    ("variables", "named", "reason"),
    [
        ({"ONESTOP_ENV": "production", "ALLOWED_HOSTS": "x.org"}, "SECRET_KEY", "required"),
        (
            {"ONESTOP_ENV": "production", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x.org"},
            "SECRET_KEY",
            "at least 50 characters",
        ),
        ({"ONESTOP_ENV": "production", "SECRET_KEY": LONG_KEY}, "ALLOWED_HOSTS", "required"),
        (
            {
                "ONESTOP_ENV": "production",
                "SECRET_KEY": LONG_KEY,
                "ALLOWED_HOSTS": "x.org",
                "ONESTOP_DEBUG": "true",
            },
            "ONESTOP_DEBUG",
            "must be off",
        ),
        ({"ONESTOP_ENV": "staging"}, "ONESTOP_ENV", "must be one of"),
        ({"DATABASE_URL": "nosuchdb://somewhere/x"}, "DATABASE_URL", "not a valid database URL"),
        ({"DATABASE_URL": "postgres://u@h:notaport/db"}, "DATABASE_URL", "not a valid"),
        ({"AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT", "at least 1"),
        ({"DB_CONN_MAX_AGE": "forever"}, "DB_CONN_MAX_AGE", "whole number"),
    ],
    ids=[
        "no-secret-key",
        "short-secret-key",
        "no-allowed-hosts",
        "debug-in-production",
        "unknown-env",
        "unknown-database-scheme",
        "bad-database-port",
        "axes-limit",
        "conn-max-age",
    ],
)
def test_bad_configuration_stops_start_up_naming_the_variable(tmp_path, variables, named, reason):
    result = start(clean_env(tmp_path, **variables))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert f"Environment variable {named}: " in last_line
    assert reason in last_line
