"""Demo steps of the SME register, support policies and applications."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from onestop.demo.services import DemoContext


def load_register(ctx: DemoContext) -> None:
    """The SME register: figures by year, sizes, a realistic synthetic population."""


def load_policies(ctx: DemoContext) -> None:
    """Beijing's 2020 support policies as rules, and a first matching run."""


def load_applications(ctx: DemoContext) -> None:
    """Sample applications and cases for the officers' queues."""
