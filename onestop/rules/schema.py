"""The declared fields a rule may read: the whitelist, with a type and a label for each."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise


class FieldType(enum.StrEnum):
    BOOL = "bool"
    NUMBER = "number"
    STRING = "string"
    DATE = "date"  # written in rules as an ISO string literal: profile.founded < '2020-01-01'
    STRING_LIST = "list<string>"  # 'catering' in profile.activities


@dataclass(frozen=True)
class FieldSpec:
    """One field rules may read.

    ``path`` is how rules write it (``profile.foreign_share``); ``column`` is the ORM lookup
    path the SQL compiler uses (defaults to the part after the root, ``foreign_share``);
    ``choices`` (optional) are the allowed string values, checked at save time;
    ``value_label`` (optional) names a value for people (``"62"`` -> "Catering (62)").
    ``list_storage`` says how the SQL side stores a list field: ``"commas"`` for text like
    ",a,b," (screened with a parameterised ``LIKE '%,a,%'``); empty: not screenable in SQL.
    """

    path: str
    type: FieldType
    label: str | Promise
    column: str = ""
    choices: tuple[str, ...] = ()
    value_label: Callable[[str], str] | None = field(default=None, compare=False, hash=False)
    list_storage: str = ""
    # A figure of one year in a series (``revenue_2020``): the series' name and the year, so
    # explanations can say "operating revenue fell 22 % from 2019 to 2020".
    measure: str | Promise = ""
    year: int = 0

    @property
    def lookup(self) -> str:
        return self.column or self.path.split(".", 1)[-1].replace(".", "__")


@dataclass(frozen=True)
class RuleSchema:
    """A named set of fields. Limits bound how big a rule may be."""

    name: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    max_length: int = 2000
    max_nodes: int = 200
    max_depth: int = 24
    max_products: int = 6  # at most this many * and / in one rule (keeps numbers finite)

    @classmethod
    def of(cls, name: str, specs: Iterable[FieldSpec], **limits: int) -> RuleSchema:
        return cls(name=name, fields={spec.path: spec for spec in specs}, **limits)

    def get(self, path: str) -> FieldSpec | None:
        return self.fields.get(path)
