"""Our own typed rule tree. Every node knows its result type and where it starts in the text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Union

from onestop.rules.schema import FieldSpec, FieldType

Scalar = Union[bool, int, float, str, dt.date]  # noqa: UP007 (used at run time)

COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
ARITHMETIC = ("+", "-", "*", "/")
# Numbers in rules: at most this big, and 0 or at least this small in magnitude, so
# that no computation within the rule limits overflows or underflows a double.
MAX_MAGNITUDE = 1e15
MIN_MAGNITUDE = 1e-9


@dataclass(frozen=True)
class Pos:
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Field:
    spec: FieldSpec
    pos: Pos

    @property
    def type(self) -> FieldType:
        return self.spec.type


@dataclass(frozen=True)
class Literal:
    value: Scalar
    type: FieldType
    pos: Pos


@dataclass(frozen=True)
class ListLiteral:
    items: tuple[Literal, ...]
    item_type: FieldType
    pos: Pos


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /  (``/`` by zero gives a missing value)
    left: Value
    right: Value
    pos: Pos
    type: FieldType = FieldType.NUMBER


@dataclass(frozen=True)
class Neg:
    operand: Value
    pos: Pos
    type: FieldType = FieldType.NUMBER


Value = Union[Field, Literal, Arith, Neg]  # noqa: UP007


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >=
    left: Value
    right: Value
    pos: Pos


@dataclass(frozen=True)
class InList:
    """``value in [a, b]`` (``item`` a value, ``options`` a literal list)."""

    item: Value
    options: ListLiteral
    pos: Pos


@dataclass(frozen=True)
class Contains:
    """``'catering' in profile.activities`` (a literal in a list field)."""

    item: Literal
    container: Field
    pos: Pos


@dataclass(frozen=True)
class Truth:
    """A bool field used on its own as a condition: ``profile.employs_staff``."""

    field: Field
    pos: Pos


@dataclass(frozen=True)
class Const:
    """``true`` or ``false`` as a whole condition."""

    value: bool
    pos: Pos


@dataclass(frozen=True)
class Not:
    operand: Condition
    pos: Pos


@dataclass(frozen=True)
class And:
    parts: tuple[Condition, ...]
    pos: Pos


@dataclass(frozen=True)
class Or:
    parts: tuple[Condition, ...]
    pos: Pos


Clause = Union[Compare, InList, Contains, Truth, Const]  # noqa: UP007
Condition = Union[Clause, Not, And, Or]  # noqa: UP007
CLAUSES = (Compare, InList, Contains, Truth, Const)


def fields_of(node: object) -> list[Field]:
    """Every field a node reads, left to right."""
    if isinstance(node, Field):
        return [node]
    found: list[Field] = []
    for name in ("left", "right", "operand", "item", "container", "field"):
        child = getattr(node, name, None)
        if child is not None:
            found.extend(fields_of(child))
    for part in getattr(node, "parts", ()):
        found.extend(fields_of(part))
    return found


def _literal_text(lit: Literal) -> str:
    if lit.type == FieldType.BOOL:
        return "true" if lit.value else "false"
    if lit.type in (FieldType.STRING, FieldType.DATE):
        return "'" + str(lit.value).replace("\\", "\\\\").replace("'", "\\'") + "'"
    return repr(lit.value)


def unparse(node: object, parent: int = 0) -> str:
    """The node written back as CEL (canonical spacing, minimal parentheses)."""
    text: str
    level: int
    if isinstance(node, Field):
        return node.spec.path
    if isinstance(node, Literal):
        return _literal_text(node)
    if isinstance(node, ListLiteral):
        return "[" + ", ".join(_literal_text(i) for i in node.items) + "]"
    if isinstance(node, Neg):
        return "-" + unparse(node.operand, 9)
    if isinstance(node, Arith):
        level = 6 if node.op in "+-" else 7
        text = f"{unparse(node.left, level)} {node.op} {unparse(node.right, level + 1)}"
    elif isinstance(node, Compare):
        level = 4
        text = f"{unparse(node.left, 5)} {node.op} {unparse(node.right, 5)}"
    elif isinstance(node, InList):
        level = 4
        text = f"{unparse(node.item, 5)} in {unparse(node.options)}"
    elif isinstance(node, Contains):
        level = 4
        text = f"{unparse(node.item)} in {unparse(node.container)}"
    elif isinstance(node, Truth):
        return unparse(node.field)
    elif isinstance(node, Const):
        return "true" if node.value else "false"
    elif isinstance(node, Not):
        return "!" + unparse(node.operand, 9)
    elif isinstance(node, And):
        level = 3
        text = " && ".join(unparse(p, 3) for p in node.parts)
    elif isinstance(node, Or):
        level = 2
        text = " || ".join(unparse(p, 2) for p in node.parts)
    else:  # pragma: no cover
        raise TypeError(node)
    return f"({text})" if level < parent else text
