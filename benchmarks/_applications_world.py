"""The applications benchmark's world: its own PostgreSQL database, Django set up on it, the
agencies, services, journey and applicant accounts, the server process and an HTTP client.

The leading underscore keeps `make bench` from running this file as a benchmark.
"""

from __future__ import annotations

import http.client
import os
import sys
from pathlib import Path
from typing import Any

from _common import ROOT

SERVICES = 5  # every submission fans out to this many cases


def admin_sql(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django(base: str, database: str, directory: str) -> dict[str, str]:
    admin_sql(base, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    admin_sql(base, f'CREATE DATABASE "{database}"')
    env = {
        "DJANGO_SETTINGS_MODULE": "onestop.settings",
        "DATABASE_URL": f"{base}/{database}",
        "ONESTOP_VAR_DIR": directory,
        "ONESTOP_PRIVATE_MEDIA_ROOT": str(Path(directory) / "private"),
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return env


def build_world(clients: int) -> dict[str, Any]:
    """Agencies, services, the journey, applicants with tokens and documents."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from onestop.applications.tests.helpers import pdf_bytes
    from onestop.catalogue.services import journey_save, service_save
    from onestop.core.documents import document_upload
    from onestop.core.models import Agency, User
    from onestop.core.roles import OfficerLevel, Role
    from onestop.core.services import api_token_create
    from onestop.enterprises.models import Enterprise, Membership, MembershipRole

    docs = [("身份证明", "Identity"), ("场所证明", "Premises"), ("章程", "Articles")]
    agencies, services = [], []
    for n in range(SERVICES):
        agency = Agency.objects.create(
            code=f"bench-agency-{n}", name_zh=f"测试局{n}", name_en=f"Bench agency {n}"
        )
        service, _ = service_save(
            actor=None,
            identifier=f"bench-service-{n}",
            agency=agency,
            content={
                "title_zh": f"许可{n}",
                "title_en": f"Licence {n}",
                "documents": [
                    {
                        "key": key,
                        "name_zh": key,
                        "name_en": en,
                        "obtainable_from_other_agency": False,
                    }
                    for key, en in docs[: 1 + n % 3]
                ],
                "statutory_limit": {"value": 10 + n, "unit": "working_days"},
            },
            valid_from=dt.date(2020, 1, 1),
        )
        agencies.append(agency)
        services.append(service)
    journey, _ = journey_save(
        actor=None,
        code="bench-journey",
        candidates=[{"service": s, "requirement": "always"} for s in services],
        name_zh="测试",
        name_en="Bench",
        questions=[
            {"key": "employs_staff", "type": "bool", "label_en": "Staff?", "label_zh": "员工"}
        ],
        fixed={"entity_form": "company", "foreign_share": 0},
    )
    applicants = []
    for n in range(clients):
        user = User.objects.create_user(
            f"applicant{n}@bench.invalid",
            "bench-password-long",
            display_name=f"applicant {n}",
            role=Role.ENTERPRISE,
            email_verified_at=timezone.now(),
        )
        enterprise = Enterprise.objects.create(
            credit_code=f"91110{n:04d}MA01BEN", name_zh=f"测试公司{n}", name_en=f"Bench {n}"
        )
        Membership.objects.create(user=user, enterprise=enterprise, role=MembershipRole.OWNER)
        _token, plain = api_token_create(user=user, name="bench", days=1)
        ids = {}
        for key, en in docs:
            document = document_upload(
                actor=user,
                file=SimpleUploadedFile(f"{en}.pdf", pdf_bytes(f"{n}-{key}")),
                original_name=f"{en}.pdf",
                owner_enterprise=enterprise,
            )
            ids[key] = str(document.pk)
        applicants.append({"user": user, "token": plain, "documents": ids})
    officer = User.objects.create_user(
        "officer@bench.invalid",
        "bench-password-long",
        display_name="officer",
        role=Role.OFFICER,
        agency=agencies[0],
        officer_level=OfficerLevel.CLERK,
        email_verified_at=timezone.now(),
    )
    _token, officer_token = api_token_create(user=officer, name="bench", days=1)
    return {
        "journey": journey,
        "agencies": agencies,
        "services": services,
        "applicants": applicants,
        "officer": officer,
        "officer_token": officer_token,
    }


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by these processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def server_pids(server_pid: int, database: str) -> list[int]:
    """gunicorn's master and workers, and the PostgreSQL backends serving the database."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server_pid:
            children.append(int(stat.parent.name))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        backends = [row[0] for row in cursor.fetchall()]
    return [server_pid, *children, *backends]


class Client:
    """One keep-alive HTTP connection (reopened when the server closes it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Any:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body, headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")
