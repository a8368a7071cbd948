"""Property: for random records and random rules, the Python evaluator and the SQL compiler
agree. The table is a test-only model created for this test (no production model exists
for it); rules are generated as trees, written back to text and parsed again, so the parser
is exercised too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onestop.rules import FieldSpec, FieldType, RuleSchema, parse_rule
from onestop.rules import nodes as n
from onestop.rules.evaluate import holds
from onestop.rules.sql import to_q

SCHEMA = RuleSchema.of(
    "agreement",
    [
        FieldSpec("r.a", FieldType.NUMBER, "a"),
        FieldSpec("r.b", FieldType.NUMBER, "b"),
        FieldSpec("r.flag", FieldType.BOOL, "flag"),
        FieldSpec("r.kind", FieldType.STRING, "kind"),
        FieldSpec("r.day", FieldType.DATE, "day"),
    ],
    max_nodes=400,
    max_depth=40,
)
SPECS = SCHEMA.fields
P = n.Pos()
KINDS = ["x", "y", "z", "中文"]
DAYS = [dt.date(2020, 1, 1), dt.date(2021, 6, 30), dt.date(2022, 12, 30)]

small_ints = st.integers(min_value=-50, max_value=50)


def _number_values() -> st.SearchStrategy[n.Value]:
    leaves = st.one_of(
        st.sampled_from([n.Field(SPECS["r.a"], P), n.Field(SPECS["r.b"], P)]),
        small_ints.map(lambda v: n.Literal(v, FieldType.NUMBER, P)),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(st.sampled_from(n.ARITHMETIC), inner, inner).map(
                lambda t: n.Arith(t[0], t[1], t[2], P)
            ),
            inner.map(lambda v: n.Neg(v, P)),
        ),
        max_leaves=4,
    )


def _clauses() -> st.SearchStrategy[n.Condition]:
    num = _number_values()
    kind_lit = st.sampled_from(KINDS).map(lambda v: n.Literal(v, FieldType.STRING, P))
    kind_field = n.Field(SPECS["r.kind"], P)
    day_field = n.Field(SPECS["r.day"], P)
    return st.one_of(
        st.tuples(st.sampled_from(n.COMPARISONS), num, num).map(
            lambda t: n.Compare(t[0], t[1], t[2], P)
        ),
        st.tuples(st.sampled_from(["==", "!="]), kind_lit).map(
            lambda t: n.Compare(t[0], kind_field, t[1], P)
        ),
        st.lists(kind_lit, min_size=1, max_size=3).map(
            lambda items: n.InList(kind_field, n.ListLiteral(tuple(items), FieldType.STRING, P), P)
        ),
        st.lists(small_ints, min_size=1, max_size=3).map(
            lambda items: n.InList(
                n.Field(SPECS["r.a"], P),
                n.ListLiteral(
                    tuple(n.Literal(i, FieldType.NUMBER, P) for i in items), FieldType.NUMBER, P
                ),
                P,
            )
        ),
        st.tuples(st.sampled_from(n.COMPARISONS), st.sampled_from(DAYS)).map(
            lambda t: n.Compare(
                t[0], day_field, n.Literal(t[1].isoformat(), FieldType.STRING, P), P
            )
        ),
        st.just(n.Truth(n.Field(SPECS["r.flag"], P), P)),
        st.booleans().map(
            lambda v: n.Compare(
                "==", n.Field(SPECS["r.flag"], P), n.Literal(v, FieldType.BOOL, P), P
            )
        ),
    )


conditions = st.recursive(
    _clauses(),
    lambda inner: st.one_of(
        inner.map(lambda c: n.Not(c, P)),
        st.lists(inner, min_size=2, max_size=3).map(lambda ps: n.And(tuple(ps), P)),
        st.lists(inner, min_size=2, max_size=3).map(lambda ps: n.Or(tuple(ps), P)),
    ),
    max_leaves=6,
)

records = st.lists(
    st.fixed_dictionaries(
        {
            "a": st.none() | small_ints,
            "b": st.none() | small_ints,
            "flag": st.none() | st.booleans(),
            "kind": st.none() | st.sampled_from(KINDS),
            "day": st.none() | st.sampled_from(DAYS),
        }
    ),
    min_size=1,
    max_size=8,
)


@pytest.fixture
def table(transactional_db: None) -> Iterator[type[models.Model]]:
    with isolate_apps("onestop.rules"):

        class AgreementRow(models.Model):  # noqa: DJ008 (test-only table)
            a = models.IntegerField(null=True)
            b = models.IntegerField(null=True)
            flag = models.BooleanField(null=True)
            kind = models.CharField(max_length=10, null=True)  # noqa: DJ001 (NULL = missing)
            day = models.DateField(null=True)

            class Meta:
                app_label = "rules"

        with connection.schema_editor() as editor:
            editor.create_model(AgreementRow)
        try:
            yield AgreementRow
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(AgreementRow)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(condition=conditions, rows=records)
def test_python_and_sql_agree(
    table: Any, condition: n.Condition, rows: list[dict[str, Any]]
) -> None:
    text = n.unparse(condition)
    rule = parse_rule(text, SCHEMA)  # the text reads back (and passes the checks)
    assert n.unparse(rule.root) == n.unparse(parse_rule(n.unparse(rule.root), SCHEMA).root)
    table.objects.all().delete()
    created = [table.objects.create(**row) for row in rows]
    in_python = {
        obj.pk
        for obj, row in zip(created, rows, strict=True)
        if holds(rule.root, {f"r.{key}": value for key, value in row.items()})
    }
    in_sql = set(table.objects.filter(to_q(rule)).values_list("pk", flat=True))
    assert in_python == in_sql, (text, rows)


def test_values_are_parameters_not_sql_text(table: Any) -> None:
    """A hostile string literal is a parameter: it matches nothing and breaks nothing."""
    table.objects.create(kind="x")
    rule = parse_rule("r.kind == 'x\\'; DROP TABLE rules_agreementrow; --'", SCHEMA)
    query = table.objects.filter(to_q(rule)).query
    sql, params = query.sql_with_params()
    assert "DROP" not in sql
    assert any("DROP" in str(p) for p in params)
    assert table.objects.filter(to_q(rule)).count() == 0
    assert table.objects.count() == 1
