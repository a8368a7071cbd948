"""From rule text to our typed tree: cel-python parses, we check names, types and limits.

``parse_rule(text, schema)`` returns a ``Rule`` or raises ``RuleError`` with the line and
column of the first problem. Nothing here evaluates anything.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from celpy import celparser
from django.utils.translation import gettext_lazy as _
from lark import Token, Tree

from onestop.rules import nodes as n
from onestop.rules.errors import RuleError
from onestop.rules.schema import FieldType, RuleSchema

_OPS = {
    "relation_eq": "==",
    "relation_ne": "!=",
    "relation_lt": "<",
    "relation_le": "<=",
    "relation_gt": ">",
    "relation_ge": ">=",
    "relation_in": "in",
    "addition_add": "+",
    "addition_sub": "-",
    "multiplication_mul": "*",
    "multiplication_div": "/",
    "multiplication_mod": "%",
}
_PASS_THROUGH = {"expr", "conditionalor", "conditionaland", "relation", "addition",
                 "multiplication", "unary", "member", "primary", "paren_expr"}  # fmt: skip


@dataclass(frozen=True)
class Rule:
    """A checked rule: its text, its tree and the schema it was checked against."""

    source: str
    root: n.Condition
    schema: RuleSchema

    @property
    def fields(self) -> list[str]:
        seen: dict[str, None] = {}
        for found in n.fields_of(self.root):
            seen[found.spec.path] = None
        return list(seen)

    def __str__(self) -> str:
        return n.unparse(self.root)


@functools.cache
def _cel_parser() -> celparser.CELParser:
    return celparser.CELParser()


def _pos(tree: Any, fallback: n.Pos) -> n.Pos:
    if isinstance(tree, Token) and tree.line is not None:
        return n.Pos(tree.line, tree.column or 1)
    meta = getattr(tree, "meta", None)
    if (
        meta is not None
        and not getattr(meta, "empty", True)
        and getattr(meta, "line", None) is not None
    ):
        return n.Pos(meta.line, meta.column or 1)
    return fallback


class _Builder:
    def __init__(self, schema: RuleSchema) -> None:
        self.schema = schema
        self.count = 0
        self.products = 0

    # -- helpers --------------------------------------------------------------------------

    def fail(self, code: str, message: Any, pos: n.Pos) -> RuleError:
        return RuleError(code=code, message=message, line=pos.line, column=pos.column)

    def unwrap(self, tree: Tree, pos: n.Pos) -> tuple[Tree, n.Pos]:
        """Skip the grammar's single-child levels down to the node that means something."""
        while (
            isinstance(tree, Tree)
            and tree.data in _PASS_THROUGH
            and len(tree.children) == 1
            and isinstance(tree.children[0], Tree)
        ):
            pos = _pos(tree, pos)
            tree = tree.children[0]
        return tree, _pos(tree, pos)

    def node(self, tree: Tree, pos: n.Pos, depth: int) -> Any:
        """Any node: a condition, a value or a list literal."""
        self.count += 1
        if self.count > self.schema.max_nodes:
            raise self.fail(
                "too_big",
                _("The rule is too big (at most %(limit)s parts).")
                % {"limit": self.schema.max_nodes},
                pos,
            )
        if depth > self.schema.max_depth:
            raise self.fail(
                "too_deep",
                _("The rule is nested too deeply (at most %(limit)s levels).")
                % {"limit": self.schema.max_depth},
                pos,
            )
        tree, pos = self.unwrap(tree, pos)
        kind = tree.data
        kids = tree.children
        if kind in ("conditionalor", "conditionaland"):
            # The grammar nests a chain a || b || c to the left; a chain is one level.
            parts = [
                self.condition(k, pos, depth if k.data == kind else depth + 1)
                for k in kids
                if isinstance(k, Tree)
            ]
            flat: list[n.Condition] = []
            cls = n.Or if kind == "conditionalor" else n.And
            for part in parts:
                flat.extend(part.parts if isinstance(part, cls) else [part])
            return cls(tuple(flat), pos)
        if kind == "relation":
            return self.relation(tree, pos, depth)
        if kind in ("addition", "multiplication"):
            return self.arith(tree, pos, depth)
        if kind == "unary":
            return self.unary(tree, pos, depth)
        if kind == "member":
            return self.member(tree, pos)
        if kind == "literal":
            return self.literal(kids[0], pos)  # type: ignore[arg-type]
        if kind == "list_lit":
            return self.list_literal(tree, pos, depth)
        if kind == "expr" and len(kids) == 3:
            raise self.fail("unsupported", _("'? :' is not allowed in rules."), pos)
        if kind in ("ident", "member_dot"):
            return self.member(Tree("member", [tree]), pos)
        raise self.fail(
            "unsupported",
            _("This kind of expression is not allowed in rules (only comparisons, "
              "'in', and/or/not, + - * / and fields)."),
            pos,
        )  # fmt: skip

    def condition(self, tree: Tree, pos: n.Pos, depth: int) -> n.Condition:
        built = self.node(tree, pos, depth)
        return self.as_condition(built)

    def as_condition(self, built: Any) -> n.Condition:
        if isinstance(built, (n.And, n.Or, n.Not, *n.CLAUSES)):
            return built
        if isinstance(built, n.Field) and built.type == FieldType.BOOL:
            return n.Truth(built, built.pos)
        if isinstance(built, n.Literal) and built.type == FieldType.BOOL:
            return n.Const(bool(built.value), built.pos)
        pos = getattr(built, "pos", n.Pos())
        raise self.fail("type", _("A condition (true or false) is needed here."), pos)

    def value(self, tree: Tree, pos: n.Pos, depth: int) -> n.Value:
        built = self.node(tree, pos, depth)
        if isinstance(built, n.Field | n.Literal | n.Arith | n.Neg):
            return built
        if isinstance(built, n.ListLiteral):
            raise self.fail("type", _("A list is only allowed after 'in'."), built.pos)
        raise self.fail("type", _("A value is needed here, not a condition."), built.pos)

    def number(self, value: n.Value) -> n.Value:
        if value.type != FieldType.NUMBER:
            raise self.fail("type", _("A number is needed here."), value.pos)
        return value

    # -- constructs -----------------------------------------------------------------------

    def relation(self, tree: Tree, pos: n.Pos, depth: int) -> n.Condition:
        # The grammar nests: relation(relation_<op>(relation(left)), addition(right)).
        op_tree, right_tree = tree.children
        op = _OPS[op_tree.data]
        left_tree = op_tree.children[0]
        left_any = self.node(left_tree, pos, depth + 1)
        right_any = self.node(right_tree, _pos(right_tree, pos), depth + 1)
        if op == "in":
            return self.membership(left_any, right_any, pos)
        if isinstance(left_any, n.ListLiteral) or isinstance(right_any, n.ListLiteral):
            raise self.fail("type", _("A list is only allowed after 'in'."), pos)
        left = self.as_value(left_any)
        right = self.as_value(right_any)
        self.check_comparable(op, left, right, pos)
        left, right = self.coerce_dates(left, right)
        return n.Compare(op, left, right, pos)

    def as_value(self, built: Any) -> n.Value:
        if isinstance(built, n.Field | n.Literal | n.Arith | n.Neg):
            return built
        raise self.fail("type", _("A value is needed here, not a condition."), built.pos)

    def check_comparable(self, op: str, left: n.Value, right: n.Value, pos: n.Pos) -> None:
        types = {left.type, right.type}
        if FieldType.STRING_LIST in types:
            raise self.fail("type", _("A list field can only be used as: 'value' in field."), pos)
        if types == {FieldType.DATE, FieldType.STRING}:
            return  # checked by coerce_dates
        if len(types) != 1:
            raise self.fail(
                "type",
                _("Cannot compare %(left)s with %(right)s.")
                % {"left": left.type.value, "right": right.type.value},
                pos,
            )
        kind = left.type
        if op not in ("==", "!=") and kind in (FieldType.BOOL, FieldType.STRING):
            raise self.fail(
                "type",
                _("'%(op)s' needs numbers or dates; use == or != here.") % {"op": op},
                pos,
            )
        self.check_choice(left, right)
        self.check_choice(right, left)

    def check_choice(self, a: n.Value, b: n.Value) -> None:
        if (
            isinstance(a, n.Field)
            and a.spec.choices
            and isinstance(b, n.Literal)
            and b.value not in a.spec.choices
        ):
            raise self.fail(
                "type",
                _("'%(value)s' is not a possible value of %(field)s (possible: %(choices)s).")
                % {
                    "value": b.value,
                    "field": a.spec.path,
                    "choices": ", ".join(a.spec.choices[:20])
                    + (", …" if len(a.spec.choices) > 20 else ""),
                },
                b.pos,
            )

    def coerce_dates(self, left: n.Value, right: n.Value) -> tuple[n.Value, n.Value]:
        return self.to_date(left, right), self.to_date(right, left)

    def to_date(self, value: n.Value, other: n.Value) -> n.Value:
        if other.type != FieldType.DATE or value.type != FieldType.STRING:
            return value
        if not isinstance(value, n.Literal):
            raise self.fail("type", _("Cannot compare a date with this value."), value.pos)
        try:
            parsed = dt.date.fromisoformat(str(value.value))
        except ValueError:
            raise self.fail("type", _("A date is written 'YYYY-MM-DD'."), value.pos) from None
        return n.Literal(parsed, FieldType.DATE, value.pos)

    def membership(self, left: Any, right: Any, pos: n.Pos) -> n.Condition:
        if isinstance(right, n.ListLiteral):
            item = self.as_value(left)
            if item.type != right.item_type:
                raise self.fail(
                    "type",
                    _("The list holds %(items)s values but %(value)s is %(type)s.")
                    % {
                        "items": right.item_type.value,
                        "value": n.unparse(item),
                        "type": item.type.value,
                    },
                    pos,
                )
            if right.item_type == FieldType.DATE:
                raise self.fail("unsupported", _("Dates cannot be listed after 'in'."), pos)
            for option in right.items:
                self.check_choice(item, option)
            return n.InList(item, right, pos)
        if isinstance(right, n.Field) and right.type == FieldType.STRING_LIST:
            if not (isinstance(left, n.Literal) and left.type == FieldType.STRING):
                raise self.fail("type", _("Write a text value before 'in' a list field."), pos)
            self.check_choice(right, left)
            return n.Contains(left, right, pos)
        raise self.fail("type", _("After 'in' comes a list [..] or a list field."), pos)

    def arith(self, tree: Tree, pos: n.Pos, depth: int) -> n.Value:
        op_tree, right_tree = tree.children
        op = _OPS.get(op_tree.data, "?")
        if op not in n.ARITHMETIC:
            raise self.fail(
                "unsupported", _("Only + - * and / are allowed in rules."), _pos(op_tree, pos)
            )
        if op in ("*", "/"):
            self.products += 1
            if self.products > self.schema.max_products:
                raise self.fail(
                    "too_big",
                    _("Too many multiplications and divisions (at most %(limit)s).")
                    % {"limit": self.schema.max_products},
                    pos,
                )
        left = self.number(self.value(op_tree.children[0], pos, depth + 1))
        right = self.number(self.value(right_tree, _pos(right_tree, pos), depth + 1))
        return n.Arith(op, left, right, pos)

    def unary(self, tree: Tree, pos: n.Pos, depth: int) -> Any:
        op_tree, operand_tree = tree.children
        if op_tree.data == "unary_not":
            return n.Not(self.condition(operand_tree, pos, depth + 1), pos)
        operand = self.number(self.value(operand_tree, pos, depth + 1))
        if isinstance(operand, n.Literal):
            return n.Literal(-operand.value, FieldType.NUMBER, pos)  # type: ignore[operator]
        return n.Neg(operand, pos)

    def member(self, tree: Tree, pos: n.Pos) -> n.Field:
        parts: list[str] = []
        node: Any = tree
        while True:
            if (
                isinstance(node, Tree)
                and node.data in ("member", "primary")
                and len(node.children) == 1
            ):
                node = node.children[0]
            elif isinstance(node, Tree) and node.data == "member_dot":
                parts.insert(0, str(node.children[1]))
                node = node.children[0]
            elif isinstance(node, Tree) and node.data == "ident":
                parts.insert(0, str(node.children[0]))
                break
            else:
                raise self.fail(
                    "unsupported",
                    _("Function calls, indexes and maps are not allowed in rules."),
                    _pos(node, pos),
                )
        path = ".".join(parts)
        spec = self.schema.get(path)
        if spec is None:
            raise self.fail(
                "unknown_field",
                _("Unknown field '%(field)s'. Known fields: %(known)s.")
                % {"field": path, "known": ", ".join(sorted(self.schema.fields))},
                pos,
            )
        return n.Field(spec, pos)

    def literal(self, token: Token, pos: n.Pos) -> n.Literal:
        pos = _pos(token, pos)
        kind = token.type
        text = str(token)
        if kind == "BOOL_LIT":
            return n.Literal(text == "true", FieldType.BOOL, pos)
        if kind in ("INT_LIT", "UINT_LIT", "FLOAT_LIT"):
            return self.number_literal(kind, text, pos)
        if kind == "STRING_LIT" and text[:1] in "'\"" and not text.startswith(("'''", '"""')):
            return n.Literal(_unquote(text), FieldType.STRING, pos)
        if kind == "NULL_LIT":
            raise self.fail(
                "unsupported",
                _("'null' is not allowed: a comparison with a missing value is false."),
                pos,
            )
        raise self.fail("unsupported", _("This kind of literal is not allowed."), pos)

    def number_literal(self, kind: str, text: str, pos: n.Pos) -> n.Literal:
        try:
            value: int | float = float(text) if kind == "FLOAT_LIT" else int(text.rstrip("uU"), 0)
        except (ValueError, OverflowError):
            value = float("inf")
        magnitude = abs(float(value)) if abs(value) < 10**300 else float("inf")
        if magnitude > n.MAX_MAGNITUDE or (0 < magnitude < n.MIN_MAGNITUDE):
            raise self.fail(
                "type",
                _("Numbers in rules must lie between %(low)s and %(high)s (or be 0).")
                % {"low": "1e-9", "high": "1e15"},
                pos,
            )
        return n.Literal(value, FieldType.NUMBER, pos)

    def list_literal(self, tree: Tree, pos: n.Pos, depth: int) -> n.ListLiteral:
        items: list[n.Literal] = []
        exprlist = tree.children[0] if tree.children else None
        for child in exprlist.children if isinstance(exprlist, Tree) else []:
            built = self.node(child, _pos(child, pos), depth + 1)
            if not isinstance(built, n.Literal):
                raise self.fail(
                    "unsupported", _("A list may hold only fixed values."), _pos(child, pos)
                )
            items.append(built)
        if not items:
            raise self.fail("type", _("The list is empty."), pos)
        kinds = {item.type for item in items}
        if len(kinds) != 1:
            raise self.fail("type", _("All values in a list must be of one type."), pos)
        return n.ListLiteral(tuple(items), items[0].type, pos)


def _unquote(text: str) -> str:
    body = text[1:-1]
    return (
        body.encode("latin-1", "backslashreplace").decode("unicode_escape")
        if "\\" in body
        else body
    )


def parse_rule(source: str, schema: RuleSchema) -> Rule:
    """Check ``source`` against ``schema``; raise ``RuleError`` at the first problem."""
    if not source or not source.strip():
        raise RuleError("syntax", _("The rule is empty."))
    if len(source) > schema.max_length:
        raise RuleError(
            "too_long",
            _("The rule is too long (at most %(limit)s characters).")
            % {"limit": schema.max_length},
        )
    try:
        tree = _cel_parser().parse(source)
    except celparser.CELParseError as exc:
        raise RuleError(
            "syntax",
            _("The rule cannot be read here (check brackets, quotes and operators)."),
            line=getattr(exc, "line", None) or 1,
            column=getattr(exc, "column", None) or 1,
        ) from None
    except RecursionError:
        raise RuleError("too_deep", _("The rule is nested too deeply.")) from None
    builder = _Builder(schema)
    return Rule(source=source, root=builder.condition(tree, n.Pos(), 0), schema=schema)


@dataclass(frozen=True)
class Formula:
    """A checked number expression (a policy's benefit formula) over the same fields."""

    source: str
    root: n.Value
    schema: RuleSchema

    def __str__(self) -> str:
        return n.unparse(self.root)


def parse_formula(source: str, schema: RuleSchema) -> Formula:
    """Check a number expression (``enterprise.employees_2020 * 1000``); ``RuleError`` if not."""
    if not source or not source.strip():
        raise RuleError("syntax", _("The formula is empty."))
    if len(source) > schema.max_length:
        raise RuleError(
            "too_long",
            _("The formula is too long (at most %(limit)s characters).")
            % {"limit": schema.max_length},
        )
    try:
        tree = _cel_parser().parse(source)
    except celparser.CELParseError as exc:
        raise RuleError(
            "syntax",
            _("The formula cannot be read here (check brackets and operators)."),
            line=getattr(exc, "line", None) or 1,
            column=getattr(exc, "column", None) or 1,
        ) from None
    except RecursionError:
        raise RuleError("too_deep", _("The formula is nested too deeply.")) from None
    builder = _Builder(schema)
    value = builder.number(builder.value(tree, n.Pos(), 0))
    return Formula(source=source, root=value, schema=schema)
