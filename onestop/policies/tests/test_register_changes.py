"""The register's change log and the incremental screening refresh it allows.

Every register write leaves a change row in its transaction (ORM saves and deletes, the
register services, bulk imports: one "everything" row past a threshold); the refresh re-reads
only those enterprises and takes the rows it read, no others."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onestop.enterprises import changes
from onestop.enterprises.generate import generate_enterprises
from onestop.enterprises.models import Enterprise, RegisterChange
from onestop.enterprises.services import enterprise_year_save
from onestop.enterprises.tests.factories import (
    EnterpriseFactory,
    EnterpriseYearFactory,
    load_industry_classes,
)
from onestop.policies.matching import screen_refresh
from onestop.policies.models import EnterpriseScreen, ScreenChange

pytestmark = pytest.mark.django_db


def logged() -> list[int | None]:
    return list(RegisterChange.objects.order_by("pk").values_list("enterprise_id", flat=True))


def start_clean() -> None:
    """A screen in line with the register and an empty log (whatever the migrations left)."""
    screen_refresh()
    assert not RegisterChange.objects.exists()


def test_every_kind_of_register_write_is_logged() -> None:
    start_clean()
    enterprise = EnterpriseFactory.create()
    EnterpriseYearFactory.create(enterprise=enterprise, year=2019)
    assert logged() == [enterprise.pk, enterprise.pk]
    RegisterChange.objects.all().delete()
    enterprise_year_save(actor=None, enterprise=enterprise, year=2020, employees=3,
                         operating_revenue="10", total_assets="5")  # fmt: skip
    assert set(logged()) == {enterprise.pk}  # the year row and the recomputed size class
    RegisterChange.objects.all().delete()
    pk = enterprise.pk
    enterprise.delete()
    assert set(logged()) == {pk}


def test_a_small_bulk_write_logs_each_enterprise_a_large_one_asks_for_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_industry_classes()
    start_clean()
    generate_enterprises(5, seed=1)
    assert sorted(logged()) == sorted(Enterprise.objects.values_list("pk", flat=True))  # type: ignore[type-var]
    RegisterChange.objects.all().delete()
    monkeypatch.setattr(changes, "EVERYTHING_AFTER", 3)
    generate_enterprises(5, seed=2)
    assert logged() == [None]
    generate_enterprises(5, seed=3)
    assert logged() == [None]  # one pending "everything" is enough


def test_the_refresh_reads_only_the_logged_enterprises() -> None:
    start_clean()
    quiet, noted = EnterpriseFactory.create(), EnterpriseFactory.create()
    assert screen_refresh(generation=1) == 2
    # A write around the log (QuerySet.update) is not seen...
    Enterprise.objects.filter(pk=quiet.pk).update(district="110108")
    noted.district = "110108"
    noted.save()
    assert screen_refresh(generation=2) == 1
    assert set(
        ScreenChange.objects.filter(generation=2).values_list("enterprise_id", flat=True)
    ) == {noted.pk}
    districts = dict(EnterpriseScreen.objects.values_list("pk", "district"))
    assert districts == {quiet.pk: "110105", noted.pk: "110108"}
    assert not RegisterChange.objects.exists()  # what it read is taken
    # ... until someone says everything changed.
    changes.record_everything()
    assert screen_refresh(generation=3) == 1
    assert EnterpriseScreen.objects.get(pk=quiet.pk).district == "110108"


def test_a_logged_write_that_changes_no_rule_field_changes_nothing() -> None:
    start_clean()
    enterprise = EnterpriseFactory.create()
    screen_refresh(generation=1)
    enterprise.contact_phone = "010-12345678"
    enterprise.save()
    assert screen_refresh(generation=2) == 0
    assert not RegisterChange.objects.exists()


def test_a_deleted_enterprise_leaves_the_screen() -> None:
    start_clean()
    kept, gone = EnterpriseFactory.create(), EnterpriseFactory.create()
    screen_refresh(generation=1)
    gone.delete()  # the screen row goes with it (cascade), and the refresh agrees
    screen_refresh(generation=2)
    assert list(EnterpriseScreen.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not RegisterChange.objects.exists()


def test_a_change_logged_after_the_claim_waits_for_the_next_refresh() -> None:
    start_clean()
    enterprise = EnterpriseFactory.create()
    everything, claimed = changes.claim(9)
    assert not everything and list(claimed.values_list("enterprise_id", flat=True)) == [
        enterprise.pk
    ]
    later = EnterpriseFactory.create(registered_capital=Decimal("5"))  # logged, unclaimed
    changes.forget(9)
    assert logged() == [later.pk]


def test_an_empty_screen_is_filled_from_the_whole_register() -> None:
    EnterpriseFactory.create()
    EnterpriseFactory.create()
    RegisterChange.objects.all().delete()  # e.g. a database restored without its log
    EnterpriseScreen.objects.all().delete()
    assert screen_refresh() == 2
    assert EnterpriseScreen.objects.count() == 2
