"""The one error a rule can raise when it is saved: what is wrong and where."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass
class RuleError(Exception):
    """A rule was refused. ``line``/``column`` are 1-based positions in the rule text."""

    code: str  # syntax, unknown_field, type, unsupported, too_long, too_deep, too_big
    message: str | Promise
    line: int = 1
    column: int = 1

    def __post_init__(self) -> None:
        self.line = self.line if isinstance(self.line, int) and self.line > 0 else 1
        self.column = self.column if isinstance(self.column, int) and self.column > 0 else 1

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"

    @property
    def position(self) -> str:
        return f"{self.line}:{self.column}"
