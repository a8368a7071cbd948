"""Who may change the market-access data.

The negative lists and the classification are public to read. Adding or replacing an edition
changes what the access checker answers everyone, so only city administrators import editions
(in the back office; the CLI and the shipped-data loader run without an actor).
"""

from __future__ import annotations

from typing import Any

from onestop.core.permissions import is_city_admin


def can_import_edition(user: Any) -> bool:
    """Import a negative-list edition file (create or replace an edition)."""
    return is_city_admin(user)
