"""Agency officers edit their own agency's services, as new dated versions; nobody else can."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from onestop.catalogue.services import service_save
from onestop.catalogue.tests.factories import matrix_catalogue, matrix_service
from onestop.conftest import Cast
from onestop.core.models import AuditEntry

pytestmark = pytest.mark.django_db

FORM = {
    "title_zh": "社会保险登记",
    "title_en": "Social insurance registration (employers)",
    "rule": "profile.employs_staff",
    "statutory_value": "15",
    "statutory_unit": "days",
    "valid_from": "2021-07-01",
    "change_note": "New English title",
}


def test_officer_saves_a_new_version(cast: Cast, client: Client) -> None:
    matrix_catalogue(cast.agency_a)
    client.force_login(cast.officer_a)
    response = client.post("/services/matrix-service/edit/", FORM)
    assert response.status_code == 302
    service = matrix_service()
    assert service.current is not None
    assert service.current.number == 2
    assert service.current.title_en == "Social insurance registration (employers)"
    assert service.current.valid_from == dt.date(2021, 7, 1)
    assert service.versions.get(number=1).title_en == "Social insurance registration"
    entry = AuditEntry.objects.filter(action="catalogue.service_change").get()
    assert entry.actor == cast.officer_a
    assert entry.changes["title_en"][1] == "Social insurance registration (employers)"


@pytest.mark.usefixtures("english")
def test_a_bad_rule_is_shown_with_its_position(cast: Cast, client: Client) -> None:
    matrix_catalogue(cast.agency_a)
    client.force_login(cast.officer_a)
    response = client.post("/services/matrix-service/edit/", {**FORM, "rule": "profile.seats > 3"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Line 1, column 1" in body and "profile.seats" in body
    assert matrix_service().versions.count() == 1


def test_another_agency_cannot_change_it(cast: Cast) -> None:
    matrix_catalogue(cast.agency_a)
    service = matrix_service()
    with pytest.raises(PermissionDenied):
        service_save(
            actor=cast.officer_b,
            identifier=service.identifier,
            agency=service.agency,
            content={"title_zh": "x", "title_en": "x"},
            valid_from=dt.date.today(),
        )
    with pytest.raises(PermissionDenied):  # nor move it to their own agency
        service_save(
            actor=cast.officer_b,
            identifier=service.identifier,
            agency=cast.agency_b,
            content={"title_zh": "x", "title_en": "x"},
            valid_from=dt.date.today(),
        )
