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
from decimal import Decimal
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from onestop.rules import nodes as n
from onestop.rules.parser import Rule
from onestop.rules.schema import FieldSpec, FieldType


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


def _number(raw: Any) -> float:
    return float(raw)


def value_of(node: n.Value, record: Mapping[str, Any]) -> Any:
    """A value node's value, or None when a field it reads is missing.

    Numbers are doubles (as in CEL and JSON), in both evaluators: the SQL compiler casts
    number fields to floating point, so ``revenue_2019 * 0.7`` rounds the same way in Python,
    SQLite and PostgreSQL. Division by zero gives a missing value.
    """
    if isinstance(node, n.Literal):
        if node.type == FieldType.NUMBER:
            return _number(node.value)
        return node.value
    if isinstance(node, n.Field):
        raw = _get(record, node)
        if raw is None:
            return None
        if node.type == FieldType.DATE and isinstance(raw, str):
            return dt.date.fromisoformat(raw)
        if node.type == FieldType.NUMBER:
            return _number(raw)
        return raw
    if isinstance(node, n.Neg):
        inner = value_of(node.operand, record)
        return None if inner is None else 0.0 - inner
    left = value_of(node.left, record)
    right = value_of(node.right, record)
    if left is None or right is None:
        return None
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "/":
        return None if right == 0 else left / right
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
        return item is not None and item in [value_of(o, record) for o in node.options.items]
    container = _get(record, node.container)
    return container is not None and node.item.value in container


def _show(value: Any, spec: FieldSpec | None = None) -> str:
    if value is None:
        return _("not given")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple | set):
        return ", ".join(_show(v, spec) for v in value) or _("none")
    if spec is not None and spec.value_label is not None and isinstance(value, str):
        return spec.value_label(value)
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return _number_text(value)
    return str(value)


def _number_text(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}" if abs(value) >= 1e6 else str(round(value, 4))


def _found(node: n.Condition, record: Mapping[str, Any]) -> str:
    seen: dict[str, str] = {}
    for f in n.fields_of(node):
        seen[str(f.spec.label)] = _show(_get(record, f), f.spec)
    return "; ".join(f"{label}: {value}" for label, value in seen.items())


def _literal_shown(node: n.Literal, spec: FieldSpec | None) -> str:
    if node.type == FieldType.STRING and spec is not None and spec.value_label is not None:
        return spec.value_label(str(node.value))
    if node.type == FieldType.NUMBER:
        return _number_text(_as_float(node.value))
    return n.unparse(node)


def _expected(node: n.Condition) -> str:
    if isinstance(node, n.Compare):
        spec = node.left.spec if isinstance(node.left, n.Field) else None
        right = (
            _literal_shown(node.right, spec)
            if isinstance(node.right, n.Literal)
            else n.unparse(node.right)
        )
        return f"{node.op} {right}"
    if isinstance(node, n.InList):
        spec = node.item.spec if isinstance(node.item, n.Field) else None
        options = ", ".join(_literal_shown(o, spec) for o in node.options.items)
        return _("one of %(options)s") % {"options": options}
    if isinstance(node, n.Contains):
        return _("includes %(value)s") % {"value": _literal_shown(node.item, node.container.spec)}
    if isinstance(node, n.Truth):
        return _("yes")
    return n.unparse(node)


def _change_sentence(node: n.Compare, record: Mapping[str, Any], passed: bool) -> str | None:
    """``later <= earlier * k`` (k < 1: a fall of at least 1-k; k > 1: a rise of at most k-1)
    or ``later >= earlier * k`` (a rise of at least / a fall of at most), as percentages:
    "operating revenue fell 22 % from 2019 to 2020 (100 to 78); the rule needs a fall of at
    least 30 %: not met."
    """
    right = node.right
    if not (
        isinstance(node.left, n.Field)
        and isinstance(right, n.Arith)
        and right.op == "*"
        and isinstance(right.left, n.Field)
        and isinstance(right.right, n.Literal)
        and node.op in ("<", "<=", ">", ">=")
    ):
        return None
    later, earlier, factor = node.left, right.left, _as_float(right.right.value)
    if factor <= 0:
        return None
    before, after = value_of(earlier, record), value_of(later, record)
    upper = node.op in ("<", "<=")  # later is at most earlier * factor
    if factor == 1:
        return None
    needed = round(abs(1 - factor) * 100, 2)
    series = bool(later.spec.measure) and later.spec.measure == earlier.spec.measure
    params = {
        "label": str(later.spec.measure if series else later.spec.label),
        "earlier": str(earlier.spec.year if series else earlier.spec.label),
        "later": str(later.spec.year),
        "needed": _number_text(needed),
    }
    if before is None or after is None or before == 0:
        text = _("%(label)s: no change can be worked out (a figure is missing or zero)") % params
    else:
        change = round((after - before) / before * 100, 1)
        params |= {
            "change": _number_text(float(abs(change))),
            "before": _show(before),
            "after": _show(after),
        }
        if series and change < 0:
            text = _("%(label)s fell %(change)s %% from %(earlier)s to %(later)s "
                     "(%(before)s to %(after)s)")  # fmt: skip
        elif series and change > 0:
            text = _("%(label)s rose %(change)s %% from %(earlier)s to %(later)s "
                     "(%(before)s to %(after)s)")  # fmt: skip
        elif series:
            text = _("%(label)s did not change from %(earlier)s to %(later)s (%(before)s)")
        elif change < 0:
            text = _("%(label)s is %(change)s %% below %(earlier)s (%(after)s against %(before)s)")
        elif change > 0:
            text = _("%(label)s is %(change)s %% above %(earlier)s (%(after)s against %(before)s)")
        else:
            text = _("%(label)s equals %(earlier)s (%(after)s)")
        text = text % params
    if upper and factor < 1:
        need = _("the rule needs a fall of at least %(needed)s %%") % params
    elif upper:
        need = _("the rule allows a rise of at most %(needed)s %%") % params
    elif factor > 1:
        need = _("the rule needs a rise of at least %(needed)s %%") % params
    else:
        need = _("the rule allows a fall of at most %(needed)s %%") % params
    verdict = _("met") if passed else _("not met")
    return capfirst(
        _("%(found)s; %(need)s: %(verdict)s.") % {"found": text, "need": need, "verdict": verdict}
    )


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
    elif isinstance(node, n.Compare) and (change := _change_sentence(node, record, passed)):
        sentence = change
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


def _as_float(value: object) -> float:
    assert isinstance(value, int | float)
    return float(value)
