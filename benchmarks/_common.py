"""What every benchmark script shares: Django on a throw-away SQLite database, and percentiles.

The leading underscore keeps `make bench` from running this file as a benchmark.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on_temporary_sqlite(directory: str) -> dict[str, str]:
    """Point Django at a new SQLite file in ``directory``, set it up and migrate.

    Returns the environment it set, for scripts that start a server process with it.
    """
    env = {
        "DJANGO_SETTINGS_MODULE": "onestop.settings",
        "DATABASE_URL": f"sqlite:///{Path(directory) / 'bench.sqlite3'}",
        "ONESTOP_VAR_DIR": directory,
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return env


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` 0.95 is the p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
