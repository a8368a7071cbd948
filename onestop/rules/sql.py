"""Compile a rule to a Django ``Q`` for screening a whole table inside the database.

Values travel as query parameters (``Value``), never inside the SQL text. Field paths come
from the schema's whitelist (``FieldSpec.lookup``), never from the rule text.

Same semantics as ``evaluate.holds``: a comparison in which a field is missing (NULL) is
false — every comparison carries ``IS NOT NULL`` guards for the fields it reads, so SQL's
three-valued logic never leaks through NOT.

Not compiled (``NotCompilable``): list fields (``'x' in profile.activities``); their
storage differs per model. Callers that need them can screen in Python with ``holds``.
"""

from __future__ import annotations

from django.db.models import F, Q, Value
from django.db.models.expressions import CombinedExpression, Expression
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


def _guards(node: object) -> Q:
    guard = Q()
    for found in n.fields_of(node):
        guard &= Q(**{f"{found.spec.lookup}__isnull": False})
    return guard


def _expression(node: n.Value) -> Expression | F | Value | CombinedExpression:
    if isinstance(node, n.Field):
        return F(node.spec.lookup)
    if isinstance(node, n.Literal):
        return Value(node.value)
    if isinstance(node, n.Neg):
        return CombinedExpression(Value(0), "-", _expression(node.operand))
    return CombinedExpression(_expression(node.left), node.op, _expression(node.right))


def _condition(node: n.Condition) -> Q:
    if isinstance(node, n.And):
        result = Q()
        for part in node.parts:
            result &= _condition(part)
        return result
    if isinstance(node, n.Or):
        result = _condition(node.parts[0])
        for part in node.parts[1:]:
            result |= _condition(part)
        return result
    if isinstance(node, n.Not):
        return ~_condition(node.operand)
    if isinstance(node, n.Const):
        return Q(pk__isnull=False) if node.value else Q(pk__isnull=True)
    if isinstance(node, n.Truth):
        return Q(**{node.field.spec.lookup: True})
    if isinstance(node, n.InList):
        values = [option.value for option in node.options.items]
        return Q(In(_expression(node.item), values)) & _guards(node)
    if isinstance(node, n.Compare):
        left, right = _expression(node.left), _expression(node.right)
        if node.op == "!=":
            return ~Q(Exact(left, right)) & _guards(node)
        return Q(_LOOKUPS[node.op](left, right)) & _guards(node)
    raise NotCompilable(
        "unsupported",
        _("List fields cannot be screened in the database yet."),
        node.pos.line,
        node.pos.column,
    )
