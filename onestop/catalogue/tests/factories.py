"""A tiny catalogue for permission and page tests: one service and a one-question journey."""

from __future__ import annotations

import datetime as dt

from onestop.catalogue.models import PublicService
from onestop.catalogue.services import journey_save, service_save
from onestop.core.models import Agency

MATRIX_SERVICE = "matrix-service"
MATRIX_JOURNEY = "matrix-journey"
MATRIX_ANSWERS = {"employs_staff": True}


def matrix_catalogue(agency: Agency) -> None:
    service, _changed = service_save(
        actor=None,
        identifier=MATRIX_SERVICE,
        agency=agency,
        content={
            "title_zh": "社会保险登记",
            "title_en": "Social insurance registration",
            "rule": "profile.employs_staff",
            "documents": [
                {
                    "key": "营业执照",
                    "name_zh": "营业执照",
                    "name_en": "Business licence",
                    "obtainable_from_other_agency": True,
                }
            ],
            "statutory_limit": {"value": 15, "unit": "days"},
        },
        valid_from=dt.date(2020, 1, 1),
    )
    journey_save(
        actor=None,
        code=MATRIX_JOURNEY,
        candidates=[{"service": service, "requirement": "conditional"}],
        name_zh="招用员工",
        name_en="Hire staff",
        questions=[
            {
                "key": "employs_staff",
                "type": "bool",
                "label_en": "Will you employ staff?",
                "label_zh": "是否招用员工？",  # noqa: RUF001
            }
        ],
        fixed={"entity_form": "company"},
    )


def matrix_service() -> PublicService:
    return PublicService.objects.get(identifier=MATRIX_SERVICE)


# A valid back-office edit of the matrix service.
SERVICE_EDIT: dict[str, object] = {
    "title_zh": "社会保险登记",
    "title_en": "Social insurance registration",
    "rule": "profile.employs_staff",
    "statutory_value": "15",
    "statutory_unit": "days",
    "valid_from": "2021-07-01",
    "change_note": "matrix edit",
}
