"""Evaluate a rule for one record and explain it, clause by clause.

``explain(rule, record)`` returns an ``Explanation`` tree: each node has the clause's text,
whether it passed, and for the leaves the value found and what the rule expected, plus a
sentence in the active language ("Foreign share is 1; the rule needs > 0: met").

``record`` maps field paths (``profile.foreign_share``) to values; a missing key or ``None``
is a missing value, and any comparison with a missing value is false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from onestop.rules import nodes as n
from onestop.rules.parser import Rule
from onestop.rules.schema import FieldType


@dataclass
class Explanation:
    text: str  # the clause, as CEL
    passed: bool
    kind: str  # "all", "any", "not" or "clause"
    found: str = ""  # the value(s) found, e.g. "profile.foreign_share = 1"
    expected: str = ""  # what the clause needs, e.g. "> 0"
    sentence: str = ""  # a plain sentence in the active language
    parts: list[Explanation] = field(default_factory=list)

    def clauses(self) -> list[Explanation]:
        """The leaves, left to right."""
        if not self.parts:
            return [self]
        return [leaf for part in self.parts for leaf in part.clauses()]

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "passed": self.passed,
            "kind": self.kind,
            "found": self.found,
            "expected": self.expected,
            "sentence": self.sentence,
            "parts": [p.as_dict() for p in self.parts],
        }


def _get(record: Mapping[str, Any], node: n.Field) -> Any:
    return record.get(node.spec.path)


def value_of(node: n.Value, record: Mapping[str, Any]) -> Any:
    """A value node's value, or None when a field it reads is missing."""
    if isinstance(node, n.Literal):
        return node.value
    if isinstance(node, n.Field):
        raw = _get(record, node)
        if raw is None:
            return None
        if node.type == FieldType.DATE and isinstance(raw, str):
            return dt.date.fromisoformat(raw)
        if node.type == FieldType.NUMBER and isinstance(raw, bool):
            return int(raw)
        return raw
    if isinstance(node, n.Neg):
        inner = value_of(node.operand, record)
        return None if inner is None else -inner
    left = value_of(node.left, record)
    right = value_of(node.right, record)
    if left is None or right is None:
        return None
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    return left * right


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


def holds(node: n.Condition, record: Mapping[str, Any]) -> bool:
    """True or false, without an explanation (the fast path)."""
    if isinstance(node, n.And):
        return all(holds(p, record) for p in node.parts)
    if isinstance(node, n.Or):
        return any(holds(p, record) for p in node.parts)
    if isinstance(node, n.Not):
        return not holds(node.operand, record)
    if isinstance(node, n.Const):
        return node.value
    if isinstance(node, n.Truth):
        return _get(record, node.field) is True
    if isinstance(node, n.Compare):
        return _compare(node.op, value_of(node.left, record), value_of(node.right, record))
    if isinstance(node, n.InList):
        item = value_of(node.item, record)
        return item is not None and item in [o.value for o in node.options.items]
    container = _get(record, node.container)
    return container is not None and node.item.value in container


def _show(value: Any) -> str:
    if value is None:
        return _("not given")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple | set):
        return ", ".join(_show(v) for v in value) or _("none")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _found(node: n.Condition, record: Mapping[str, Any]) -> str:
    seen: dict[str, str] = {}
    for f in n.fields_of(node):
        seen[str(f.spec.label)] = _show(_get(record, f))
    return "; ".join(f"{label}: {value}" for label, value in seen.items())


def _expected(node: n.Condition) -> str:
    if isinstance(node, n.Compare):
        return f"{node.op} {n.unparse(node.right)}"
    if isinstance(node, n.InList):
        return _("one of %(options)s") % {"options": n.unparse(node.options)}
    if isinstance(node, n.Contains):
        return _("includes %(value)s") % {"value": n.unparse(node.item)}
    if isinstance(node, n.Truth):
        return _("yes")
    return n.unparse(node)


def explain(rule: Rule, record: Mapping[str, Any]) -> Explanation:
    return _explain(rule.root, record)


def _explain(node: n.Condition, record: Mapping[str, Any]) -> Explanation:
    text = n.unparse(node)
    if isinstance(node, n.And | n.Or):
        parts = [_explain(p, record) for p in node.parts]
        passed = (
            all(p.passed for p in parts)
            if isinstance(node, n.And)
            else any(p.passed for p in parts)
        )
        kind = "all" if isinstance(node, n.And) else "any"
        if isinstance(node, n.And):
            sentence = (
                _("All of these must hold: met.")
                if passed
                else _("All of these must hold: not met.")
            )
        else:
            sentence = (
                _("At least one of these must hold: met.")
                if passed
                else _("At least one of these must hold: not met.")
            )
        return Explanation(text, passed, kind, sentence=sentence, parts=parts)
    if isinstance(node, n.Not):
        inner = _explain(node.operand, record)
        passed = not inner.passed
        sentence = _("This must not hold: met.") if passed else _("This must not hold: not met.")
        return Explanation(text, passed, "not", sentence=sentence, parts=[inner])
    passed = holds(node, record)
    found = _found(node, record)
    expected = _expected(node)
    if isinstance(node, n.Const):
        sentence = _("Always applies.") if passed else _("Never applies.")
    elif passed:
        sentence = _("%(found)s; the rule needs %(expected)s: met.") % {
            "found": found,
            "expected": expected,
        }
    else:
        sentence = _("%(found)s; the rule needs %(expected)s: not met.") % {
            "found": found,
            "expected": expected,
        }
    return Explanation(text, passed, "clause", found, expected, sentence)
