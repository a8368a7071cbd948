"""The business profile: the fields service rules may read, and the finder's questions.

Rules write ``profile.<field>`` (and ``date``, the day the plan is made). The question
wording lives with the data (``data/finder.json``), in both languages.
"""

from __future__ import annotations

import functools

from django.utils.translation import gettext_lazy as _

from onestop.rules import FieldSpec, FieldType, Rule, RuleSchema, parse_rule

ACTIVITIES = (
    "catering", "accommodation", "travel_agency", "travel_outbound", "cinema", "software",
    "website_commercial", "website_noncommercial", "import_export", "food_prepackaged_only",
)  # fmt: skip


def _f(name: str, kind: FieldType, label: object, **extra: object) -> FieldSpec:
    return FieldSpec(f"profile.{name}", kind, label, **extra)  # type: ignore[arg-type]


PROFILE_FIELDS = [
    _f("entity_form", FieldType.STRING, _("legal form"),
       choices=("company", "representative_office")),
    _f("foreign_share", FieldType.NUMBER, _("foreign share (0 to 1)")),
    _f("activities", FieldType.STRING_LIST, _("activities")),
    _f("district", FieldType.STRING, _("district")),
    _f("small_restaurant", FieldType.BOOL, _("small restaurant")),
    _f("chain_restaurant", FieldType.BOOL, _("chain restaurant")),
    _f("public_gathering_place", FieldType.BOOL, _("public gathering place")),
    _f("renovation", FieldType.BOOL, _("building or renovation works")),
    _f("building_area_m2", FieldType.NUMBER, _("floor area (m²)")),
    _f("employs_staff", FieldType.BOOL, _("employs staff")),
    _f("annual_vat_sales_cny", FieldType.NUMBER, _("annual sales (yuan)")),
    _f("discharges_sewage_to_network", FieldType.BOOL, _("sewage into the city network")),
    _f("cross_district_move", FieldType.BOOL, _("move to another district")),
    _f("changes_tax_authority", FieldType.BOOL, _("tax office changes")),
    _f("simple_deregistration_eligible", FieldType.BOOL, _("simplified deregistration possible")),
    _f("years_licensed", FieldType.NUMBER, _("years since the travel agency licence")),
    FieldSpec("date", FieldType.DATE, _("date of the plan")),
]  # fmt: skip

PROFILE_SCHEMA = RuleSchema.of("business profile", PROFILE_FIELDS, max_length=1000)


def field_name(path: str) -> str:
    """``profile.foreign_share`` -> ``foreign_share``."""
    return path.removeprefix("profile.")


@functools.lru_cache(maxsize=4096)
def profile_rule(source: str) -> Rule:
    """A rule over the business profile, parsed once per process (rules are immutable)."""
    return parse_rule(source, PROFILE_SCHEMA)
