"""Property: the two evaluators of policy rules agree on the enterprise register.

Random enterprises (register record plus year rows, with gaps) and random rules over the
enterprise schema (fields, per-year figures, arithmetic with division, lists, tags, dates,
and/or/not). For each pair: the SQL side (``screen_refresh`` + the rule compiled to a ``Q`` on
the screening table) and the explaining evaluator (``explain`` on ``enterprise_facts``, read
from the register rows) accept exactly the same enterprises. Runs on SQLite and PostgreSQL
(DATABASE_URL). Rules are generated as trees, written as text and parsed back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onestop.enterprises.models import Enterprise, EnterpriseYear
from onestop.enterprises.tags import TAGS
from onestop.policies.fields import ENTERPRISE_SCHEMA, enterprise_facts
from onestop.policies.matching import screen_refresh
from onestop.policies.models import EnterpriseScreen
from onestop.rules import explain, parse_rule
from onestop.rules import nodes as n
from onestop.rules.schema import FieldType
from onestop.rules.sql import to_q

F = ENTERPRISE_SCHEMA.fields
P = n.Pos()
CLASSES = {"6210": ("62", "H"), "6110": ("61", "H"), "7291": ("72", "L"),
           "8760": ("87", "R"), "5211": ("52", "F")}  # fmt: skip
DISTRICTS = ["110101", "110105", "110108"]
SIZES = ["large", "medium", "small", "micro"]
YEARS = [2019, 2020, 2021]
NUMBER_FIELDS = ["enterprise.registered_capital", "enterprise.employees"] + [
    f"enterprise.{m}_{y}" for m in ("revenue", "employees", "assets") for y in YEARS
]
DAYS = [dt.date(2015, 1, 1), dt.date(2019, 12, 31), dt.date(2020, 1, 23)]


def field(path: str) -> n.Field:
    return n.Field(F[path], P)


def lit(value: Any, kind: FieldType) -> n.Literal:
    return n.Literal(value, kind, P)


numbers = st.one_of(
    st.integers(min_value=0, max_value=12),
    st.sampled_from([0.3, 0.5, 0.7, 0.8, 1.5, 100.25]),
).map(lambda v: lit(v, FieldType.NUMBER))


def _values() -> st.SearchStrategy[n.Value]:
    leaves = st.one_of(st.sampled_from(NUMBER_FIELDS).map(field), numbers)
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(st.sampled_from(n.ARITHMETIC), inner, inner).map(
                lambda t: n.Arith(t[0], t[1], t[2], P)
            ),
            inner.map(lambda v: n.Neg(v, P)),
        ),
        max_leaves=3,
    )


def _choice_clause(path: str, options: list[str]) -> st.SearchStrategy[n.Condition]:
    item = st.sampled_from(options).map(lambda v: lit(v, FieldType.STRING))
    return st.one_of(
        st.tuples(st.sampled_from(["==", "!="]), item).map(
            lambda t: n.Compare(t[0], field(path), t[1], P)
        ),
        st.lists(item, min_size=1, max_size=3).map(
            lambda items: n.InList(field(path), n.ListLiteral(tuple(items), FieldType.STRING, P), P)
        ),
    )


def _clauses() -> st.SearchStrategy[n.Condition]:
    values = _values()
    # The "revenue fell at least x %" shape the policies use.
    fall = st.tuples(
        st.sampled_from(YEARS), st.sampled_from(YEARS), st.sampled_from([0.5, 0.7, 0.8])
    ).map(
        lambda t: n.Compare(
            "<=",
            field(f"enterprise.revenue_{t[1]}"),
            n.Arith("*", field(f"enterprise.revenue_{t[0]}"), lit(t[2], FieldType.NUMBER), P),
            P,
        )
    )
    return st.one_of(
        st.tuples(st.sampled_from(n.COMPARISONS), values, values).map(
            lambda t: n.Compare(t[0], t[1], t[2], P)
        ),
        fall,
        _choice_clause("enterprise.size", SIZES),
        _choice_clause("enterprise.industry", list(CLASSES)),
        _choice_clause("enterprise.industry_division", ["62", "61", "72"]),
        _choice_clause("enterprise.industry_section", ["H", "L"]),
        _choice_clause("enterprise.district", DISTRICTS),
        _choice_clause("enterprise.ownership", ["domestic", "foreign", "hmt"]),
        st.sampled_from(sorted(TAGS)).map(
            lambda t: n.Contains(lit(t, FieldType.STRING), field("enterprise.tags"), P)
        ),
        st.tuples(st.sampled_from(n.COMPARISONS), st.sampled_from(DAYS)).map(
            lambda t: n.Compare(
                t[0], field("enterprise.registered_on"), lit(t[1].isoformat(), FieldType.STRING), P
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
    max_leaves=5,
)

# Small pools make equal values (the edges of <= and <) and float rounding (0.1 + 0.2) common.
money = st.one_of(
    st.none(),
    st.sampled_from(["0", "0.1", "0.2", "0.3", "7", "10", "70", "100", "12.5"]).map(Decimal),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2, allow_nan=False),
)
year_rows = st.fixed_dictionaries(
    {
        "employees": st.none() | st.integers(min_value=0, max_value=12),
        "operating_revenue": money,
        "total_assets": money,
    }
)
enterprises = st.lists(
    st.fixed_dictionaries(
        {
            "industry_code": st.sampled_from(["", *CLASSES]),
            "size_class": st.sampled_from(["", *SIZES]),
            "district": st.sampled_from(["", *DISTRICTS]),
            "ownership": st.sampled_from(["domestic", "foreign", "hmt"]),
            "registered_capital": money,
            "registered_on": st.none() | st.sampled_from(DAYS),
            "tags": st.lists(st.sampled_from(sorted(TAGS)), max_size=3, unique=True),
            "years": st.dictionaries(st.sampled_from(YEARS), year_rows, max_size=3),
        }
    ),
    min_size=1,
    max_size=6,
)


def _create(rows: list[dict[str, Any]]) -> list[Enterprise]:
    Enterprise.objects.all().delete()
    created = []
    for i, row in enumerate(rows):
        code = row["industry_code"]
        division, section = CLASSES.get(code, ("", ""))
        tags = sorted(row["tags"])
        enterprise = Enterprise.objects.create(
            credit_code=f"91110105MA{i:07d}X",
            name_zh=f"企业{i}",
            industry_code=code,
            industry_division=division,
            industry_section=section,
            size_class=row["size_class"],
            district=row["district"],
            ownership=row["ownership"],
            registered_capital=row["registered_capital"],
            registered_on=row["registered_on"],
            tags=f",{','.join(tags)}," if tags else "",
        )
        for year, figures in row["years"].items():
            EnterpriseYear.objects.create(enterprise=enterprise, year=year, **figures)
        created.append(enterprise)
    return created


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(condition=conditions, rows=enterprises)
def test_sql_screen_and_explaining_evaluator_agree(
    db: None, condition: n.Condition, rows: list[dict[str, Any]]
) -> None:
    text = n.unparse(condition)
    rule = parse_rule(text, ENTERPRISE_SCHEMA)
    created = _create(rows)
    screen_refresh()
    in_sql = set(EnterpriseScreen.objects.filter(to_q(rule)).values_list("pk", flat=True))
    in_python = {e.pk for e in created if explain(rule, enterprise_facts(e)).passed}
    assert in_python == in_sql, (text, rows)
