"""Permission-matrix rows of the register pages and API routes (collected by
onestop/core/tests/matrix.py).

Who: enterprise A's members see its record; officers (both agencies, any level), data stewards
and city administrators read the whole register; data stewards and city administrators import
and change it. ``build`` gives enterprise A figures and makes one finished import run with a
report file.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from onestop.core.tests.matrix import LOGIN, Case, World, api, cells, only, page
from onestop.enterprises.models import EnterpriseYear, ImportRun, ImportStatus
from onestop.enterprises.services import enterprise_size_refresh

READERS = ("officer_a", "officer_b", "city_admin")
EDITORS = ("city_admin",)
V1 = "/api/v1/enterprises"


def build(world: World) -> None:
    enterprise = world.cast.enterprise_a
    EnterpriseYear.objects.create(
        enterprise=enterprise,
        year=2020,
        employees=8,
        operating_revenue=Decimal("80"),
        total_assets=Decimal("50"),
    )
    if not enterprise.industry_code:
        enterprise.industry_code, enterprise.industry_division = "6210", "62"
        enterprise.industry_section = "H"
        enterprise.save()
    enterprise_size_refresh(enterprise=enterprise)
    report = Path(tempfile.mkdtemp(prefix="matrix-register-")) / "errors.csv"
    report.write_text("row,column,value,message,code\n3,year,20x0,Not a year,invalid_year\n")
    world.extra["import_run"] = ImportRun.objects.create(
        file_name="register.csv",
        status=ImportStatus.DONE,
        rows_total=2,
        rows_done=2,
        rows_ok=1,
        rows_failed=1,
        errors=[{"row": 3, "column": "year", "value": "20x0", "message": "Not a year"}],
        report_path=str(report),
    )


def _a(world: World) -> list[object]:
    return [world.cast.enterprise_a.pk]


def _run(world: World) -> list[object]:
    return [world.extra["import_run"].pk]


RECORD = cells(403, owner=200, anonymous=LOGIN, **dict.fromkeys(READERS, 200))

PAGES: list[Case] = [
    page(
        "enterprises:mine",
        cells(200, owner=302, other_member=302, anonymous=LOGIN),
        label="one enterprise: straight to its record",
    ),
    page("enterprises:record", RECORD, args=_a, label="enterprise A"),
    page(
        "enterprises:record",
        cells(404, anonymous=LOGIN),
        args=lambda w: [987654],
        label="no such enterprise",
    ),
    page("enterprises:register", only(200, READERS, others=403, anonymous=LOGIN)),
    page("enterprises:imports", only(200, EDITORS, others=403, anonymous=LOGIN)),
    page(
        "enterprises:imports",
        only(422, EDITORS, others=403, anonymous=LOGIN),
        method="POST",
        data={"strict": "on"},
        label="no file chosen",
    ),
    page(
        "enterprises:import_run",
        only(200, EDITORS, others=403, anonymous=LOGIN),
        args=_run,
    ),
    page(
        "enterprises:import_report",
        only(200, EDITORS, others=403, anonymous=LOGIN),
        args=_run,
    ),
]

APIS: list[Case] = [
    api("GET", f"{V1}/register", cells(200, anonymous=401)),
    api(
        "POST",
        f"{V1}/register",
        only(200, EDITORS, others=403, anonymous=401),
        data={"credit_code": "91110105MA01ABCD13", "contact_name": "王经理"},
        label="enterprise A's contact",
    ),
    api(
        "GET",
        f"{V1}/{{enterprise_id}}/register",
        cells(403, owner=200, anonymous=401, **dict.fromkeys(READERS, 200)),
        fill=lambda w: {"enterprise_id": w.cast.enterprise_a.pk},
        label="enterprise A",
    ),
    api(
        "PUT",
        f"{V1}/{{enterprise_id}}/register/years/{{year}}",
        only(200, EDITORS, others=403, anonymous=401),
        fill=lambda w: {"enterprise_id": w.cast.enterprise_a.pk, "year": 2019},
        data={"employees": 9, "operating_revenue": "120", "total_assets": "40"},
        label="enterprise A, 2019",
    ),
]
