"""The demo catalogue imports through the services, idempotently, and bad services are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from onestop.catalogue.importer import catalogue_import
from onestop.catalogue.models import Journey, PublicService, ServiceVersion
from onestop.catalogue.services import service_save
from onestop.core.errors import ValidationFailed
from onestop.core.models import Agency, AuditEntry

pytestmark = pytest.mark.django_db


def test_import_is_complete_and_idempotent() -> None:
    tally = catalogue_import(actor=None)
    assert tally["services changed"] == 50
    assert tally["journeys changed"] == 10
    assert PublicService.objects.count() == 50
    assert ServiceVersion.objects.count() == 50
    audit_rows = AuditEntry.objects.filter(action__startswith="catalogue.").count()
    assert audit_rows == 60
    again = catalogue_import(actor=None)
    assert again["services unchanged"] == 50 and again["journeys unchanged"] == 10
    assert ServiceVersion.objects.count() == 50
    assert AuditEntry.objects.filter(action__startswith="catalogue.").count() == audit_rows
    food = PublicService.objects.get(identifier="food_business_licence").current
    assert food is not None
    assert food.statutory_limit["value"] == 20 and food.statutory_limit["uncertain"] is True
    assert food.rule.startswith("'catering' in profile.activities")
    assert Journey.objects.get(code="open_restaurant").candidates.count() == 5


def _content(**extra: object) -> dict[str, object]:
    return {"title_zh": "测试", "title_en": "Test", **extra}


def test_a_change_is_a_new_dated_version_and_the_old_one_stays() -> None:
    agency = Agency.objects.create(code="x", name_zh="甲", name_en="X")
    service, changed = service_save(
        actor=None,
        identifier="t",
        agency=agency,
        content=_content(),
        valid_from=dt.date(2020, 1, 1),
    )
    assert changed
    service, changed = service_save(
        actor=None,
        identifier="t",
        agency=agency,
        content=_content(title_en="Test, renamed"),
        valid_from=dt.date(2021, 1, 1),
    )
    assert changed
    old, new = service.versions.order_by("number")
    assert (old.title_en, old.valid_from) == ("Test", dt.date(2020, 1, 1))
    assert service.current == new and new.number == 2


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("content", "field", "code", "position"),
    [
        (_content(rule="profile.foreign_share >"), "rule", "rule_syntax", "column 23"),
        (_content(rule="profile.seats > 10"), "rule", "rule_unknown_field", "column 1"),
        (_content(rule="profile.employs_staff > 1"), "rule", "rule_type", "column 1"),
        (_content(prerequisites=["nowhere"]), "prerequisites[0]", "unknown_service", ""),
    ],
)
def test_bad_services_are_refused_with_the_position(
    content: dict[str, object], field: str, code: str, position: str
) -> None:
    agency = Agency.objects.create(code="x", name_zh="甲", name_en="X")
    with pytest.raises(ValidationFailed) as caught:
        service_save(
            actor=None, identifier="t", agency=agency, content=content, valid_from=dt.date.today()
        )
    (error,) = caught.value.errors
    assert (error.field, error.code) == (field, code)
    assert position in str(error.message)
    assert not PublicService.objects.exists()


def test_a_dependency_cycle_is_refused() -> None:
    agency = Agency.objects.create(code="x", name_zh="甲", name_en="X")
    today = dt.date.today()
    service_save(actor=None, identifier="a", agency=agency, content=_content(), valid_from=today)
    service_save(
        actor=None, identifier="b", agency=agency, content=_content(prerequisites=["a"]),
        valid_from=today,
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        service_save(
            actor=None, identifier="a", agency=agency, content=_content(prerequisites=["b"]),
            valid_from=today,
        )  # fmt: skip
    (error,) = caught.value.errors
    assert error.code == "dependency_cycle"
    assert "a → b → a" in str(error.message)
