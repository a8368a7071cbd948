"""Compile a rule to a Django ``Q`` for screening a whole table inside the database.

Values travel as query parameters (``Value``), never inside the SQL text. Field paths come
from the schema's whitelist (``FieldSpec.lookup``), never from the rule text.

Same semantics as ``evaluate.holds``: a comparison in which a field is missing (NULL) is
false — comparisons under a ``!`` carry ``IS NOT NULL`` guards for the fields they read, so
SQL's three-valued logic never leaks through NOT (elsewhere NULL already acts as false).

Numbers are doubles in both evaluators: number fields are cast to floating point, literals
travel as float parameters, ``/`` by zero (NULLIF) makes its clause false (a guard).

List fields (``'x' in profile.activities``) compile only when their ``FieldSpec`` says how
they are stored (``list_storage="commas"``: ``",a,b,"`` text, screened with a parameterised
``LIKE``); otherwise ``NotCompilable``, and callers screen in Python with ``holds``.
"""

from __future__ import annotations

from django.db.models import F, FloatField, Q, Value
from django.db.models.expressions import CombinedExpression, Expression
from django.db.models.functions import Cast, NullIf
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    In,
    LessThan,
    LessThanOrEqual,
)
from django.utils.translation import gettext_lazy as _

from onestop.rules import nodes as n
from onestop.rules.errors import RuleError
from onestop.rules.parser import Rule
from onestop.rules.schema import FieldType

_LOOKUPS = {
    "==": Exact,
    "<": LessThan,
    "<=": LessThanOrEqual,
    ">": GreaterThan,
    ">=": GreaterThanOrEqual,
}


class NotCompilable(RuleError):
    pass


def to_q(rule: Rule) -> Q:
    return _condition(rule.root)


def value_expression(node: n.Value) -> Expression | F | Value | CombinedExpression:
    """A number expression for annotations (e.g. a benefit formula computed in SQL)."""
    return _expression(node)


def _guards(node: object) -> Q:
    """Fields present and divisors non-zero: what makes the comparison defined."""
    guard = Q()
    for found in n.fields_of(node):
        guard &= Q(**{f"{found.spec.lookup}__isnull": False})
    for divisor in _divisors(node):
        guard &= ~Q(Exact(_expression(divisor), Value(0.0)))
    return guard


def _divisors(node: object) -> list[n.Value]:
    found: list[n.Value] = []
    if isinstance(node, n.Arith) and node.op == "/":
        found.append(node.right)
    for name in ("left", "right", "operand", "item"):
        child = getattr(node, name, None)
        if child is not None:
            found.extend(_divisors(child))
    return found


def _expression(node: n.Value) -> Expression | F | Value | CombinedExpression:
    if isinstance(node, n.Field):
        if node.type == FieldType.NUMBER:
            return Cast(F(node.spec.lookup), FloatField())
        return F(node.spec.lookup)
    if isinstance(node, n.Literal):
        if node.type == FieldType.NUMBER:
            return Value(_as_float(node.value), output_field=FloatField())
        return Value(node.value)
    if isinstance(node, n.Neg):
        return CombinedExpression(
            Value(0.0, output_field=FloatField()),
            "-",
            _expression(node.operand),
            output_field=FloatField(),
        )
    right = _expression(node.right)
    if node.op == "/":
        # NULLIF keeps the database from raising; the guard makes the clause false.
        right = NullIf(right, Value(0.0, output_field=FloatField()))
    return CombinedExpression(_expression(node.left), node.op, right, output_field=FloatField())


def _condition(node: n.Condition, negative: bool = False) -> Q:
    """``negative``: the node sits under an odd number of ``!``. Only there do the guards
    matter: SQL's NULL (a missing field) already acts as false in a positive position, since
    three-valued logic gives TRUE with NULL only where FALSE in its place would too."""
    if isinstance(node, n.And):
        result = Q()
        for part in node.parts:
            result &= _condition(part, negative)
        return result
    if isinstance(node, n.Or):
        result = _condition(node.parts[0], negative)
        for part in node.parts[1:]:
            result |= _condition(part, negative)
        return result
    if isinstance(node, n.Not):
        return ~_condition(node.operand, not negative)
    if isinstance(node, n.Const):
        return Q(pk__isnull=False) if node.value else Q(pk__isnull=True)
    if isinstance(node, n.Truth):
        return Q(**{node.field.spec.lookup: True})
    guard = _guards(node) if negative else Q()
    if isinstance(node, n.InList):
        values = [_expression(option) for option in node.options.items]
        return Q(In(_expression(node.item), values)) & guard
    if isinstance(node, n.Compare):
        left, right = _expression(node.left), _expression(node.right)
        if node.op == "!=":
            return ~Q(Exact(left, right)) & guard
        return Q(_LOOKUPS[node.op](left, right)) & guard
    if isinstance(node, n.Contains) and node.container.spec.list_storage == "commas":
        item = str(node.item.value)
        if "," not in item:
            # Stored as ",a,b,": ``contains`` escapes % and _ and passes a parameter.
            return Q(**{f"{node.container.spec.lookup}__contains": f",{item},"})
    raise NotCompilable(
        "unsupported",
        _("This list field cannot be screened in the database."),
        node.pos.line,
        node.pos.column,
    )


def _as_float(value: object) -> float:
    assert isinstance(value, int | float)
    return float(value)
