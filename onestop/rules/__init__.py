"""The rule language shared by the catalogue (service conditions) and support policies.

Rules are written in CEL (Common Expression Language). ``cel-python`` parses the text; we turn
its parse tree into a small typed tree of our own (``onestop.rules.nodes``) over a declared
schema of whitelisted fields (``onestop.rules.schema``). The same tree is then

- evaluated for one record, clause by clause, with an explanation a person can read
  (``onestop.rules.evaluate.explain``), and
- compiled to a Django ``Q`` object (``onestop.rules.sql.to_q``) so a whole table can be
  screened inside the database with parameterised SQL.

Supported: ``&&``, ``||``, ``!``, parentheses; ``== != < <= > >=``; ``x in [literal, ...]`` and
``'literal' in field`` for list fields; ``+ - * /`` on numbers; unary minus; literals (numbers,
strings, booleans, lists of literals); field access ``root.field`` as declared in the schema.
Everything else (function calls, maps, ``? :``, ``%``, ``null``) is refused when the rule
is saved, with the position of the offending part. Limits: length, number of parts, depth,
number of ``*``/``/`` and the size of number literals (so no computation overflows).

Numbers are doubles in both evaluators. Missing values: a comparison in which a field has
no value is false (in both evaluators); so is one that divides by zero.

``parse_formula`` checks a number expression (a policy's benefit formula) the same way.
"""

from onestop.rules.errors import RuleError
from onestop.rules.evaluate import Explanation, explain
from onestop.rules.parser import Formula, Rule, parse_formula, parse_rule
from onestop.rules.schema import FieldSpec, FieldType, RuleSchema

__all__ = [
    "Explanation",
    "FieldSpec",
    "FieldType",
    "Formula",
    "Rule",
    "RuleError",
    "RuleSchema",
    "explain",
    "parse_formula",
    "parse_rule",
]
