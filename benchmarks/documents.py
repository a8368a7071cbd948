"""Shared mechanisms: document upload and download, certificate PDFs, working days.

1. A temporary SQLite database and private media folder (never var/).
2. Uploads ``--uploads`` different 2 MB PDFs through ``document_upload`` (streamed, hashed,
   parsed, stored) and downloads each through the ``core:document_download`` view.
3. Refuses a 60 MB stream (must stop reading at the 20 MB limit, so take about as long as
   reading 20 MB).
4. Renders a certificate PDF cold (font parsed and subset) and again (kept in memory), and
   reports its size.
5. Times ``add_working_days(day, 20)`` and ``working_days_between`` over a year.

    .venv/bin/python benchmarks/documents.py
    .venv/bin/python benchmarks/documents.py --uploads 50
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_on_temporary_sqlite, percentile

TWO_MB = 2 * 1024 * 1024


class _Zeros(io.RawIOBase):
    def __init__(self, head: bytes, total: int) -> None:
        self.head, self.total, self.position = head, total, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        left = self.total - self.position
        size = left if size < 0 else min(size, left)
        start, self.position = self.position, self.position + size
        chunk = bytearray(max(size, 0))
        if start < len(self.head):
            part = self.head[start : start + size]
            chunk[: len(part)] = part
        return bytes(chunk)


def _pdf(number: int) -> bytes:
    """A PDF of about 2 MB: one page and a 2 MB incompressible stream, as scans carry."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"bench {number}"})
    writer.add_attachment("scan.bin", os.urandom(TWO_MB))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        django_on_temporary_sqlite(directory)
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        settings.ONESTOP_PRIVATE_MEDIA_ROOT = Path(directory) / "private"
        settings.ALLOWED_HOSTS = ["testserver"]

        from onestop.core.documents import document_upload
        from onestop.core.errors import ValidationFailed
        from onestop.core.models import User
        from onestop.core.pdf import render_certificate_pdf
        from onestop.core.roles import InvestorKind, Role
        from onestop.core.workdays import add_working_days, working_days_between

        user = User.objects.create_user(
            "bench@example.com",
            "bench-password-123",
            display_name="bench",
            role=Role.INVESTOR,
            investor_kind=InvestorKind.COMPANY,
        )
        rows: list[tuple[str, str, str, str, bool]] = []

        # Uploads and downloads.
        files = [_pdf(n) for n in range(args.uploads)]
        upload_ms: list[float] = []
        documents = []
        for data in files:
            start = time.perf_counter()
            documents.append(
                document_upload(actor=user, file=io.BytesIO(data), original_name="营业执照.pdf")
            )
            upload_ms.append((time.perf_counter() - start) * 1000)
        client = Client()
        client.force_login(user)
        download_ms: list[float] = []
        for document in documents:
            start = time.perf_counter()
            response = client.get(reverse("core:document_download", args=[document.pk]))
            body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
            download_ms.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200 and len(body) == document.size
        median_upload = percentile(upload_ms, 0.5)
        rows.append(
            (
                "upload 2 MB PDF, median",
                f"{median_upload:.0f} ms",
                "< 300 ms",
                "",
                median_upload < 300,
            )
        )
        p95_upload = percentile(upload_ms, 0.95)
        rows.append(
            ("upload 2 MB PDF, p95", f"{p95_upload:.0f} ms", "< 600 ms", "", p95_upload < 600)
        )
        median_download = percentile(download_ms, 0.5)
        rows.append(
            (
                "download 2 MB (view), median",
                f"{median_download:.0f} ms",
                "< 100 ms",
                "",
                median_download < 100,
            )
        )

        # An oversized stream is refused after reading just past the limit.
        stream = _Zeros(b"%PDF-1.7\n", 60 * 1024 * 1024)
        start = time.perf_counter()
        with contextlib.suppress(ValidationFailed):
            document_upload(actor=user, file=stream, original_name="huge.pdf")
        refused_ms = (time.perf_counter() - start) * 1000
        read_mb = stream.position / 1024 / 1024
        rows.append(
            (
                "refuse a 60 MB stream",
                f"{refused_ms:.0f} ms, read {read_mb:.0f} MB",
                "< 2000 ms, <= 21 MB",
                "",
                refused_ms < 2000 and read_mb <= 21,
            )
        )

        # Certificate PDF.
        certificate = {
            "title_zh": "食品经营许可证",
            "title_en": "Food Business Licence",
            "number": "JY11105000123456",
            "holder_zh": "北京美味餐饮管理有限公司",
            "holder_en": "Beijing Tasty Catering Management Co., Ltd.",
            "rows": [("经营场所", "Business premises", "北京市朝阳区建国路88号")],
            "issued_on": dt.date(2026, 11, 27),
            "valid_to": dt.date(2031, 11, 26),
            "issuer_zh": "北京市朝阳区市场监督管理局",
            "issuer_en": "Chaoyang District Administration for Market Regulation",
            "verify_url": "https://onestop.example.gov.cn/verify/Q7XK2M9PLR4TWV8C/",
            "code": "Q7XK2M9PLR4TWV8C",
        }
        start = time.perf_counter()
        pdf = render_certificate_pdf(**certificate)  # type: ignore[arg-type]
        cold_s = time.perf_counter() - start
        start = time.perf_counter()
        render_certificate_pdf(**certificate)  # type: ignore[arg-type]
        warm_ms = (time.perf_counter() - start) * 1000
        rows.append(("certificate PDF, first render", f"{cold_s:.2f} s", "< 3 s", "", cold_s < 3))
        rows.append(("certificate PDF, same again", f"{warm_ms:.2f} ms", "< 5 ms", "", warm_ms < 5))
        size_kb = len(pdf) / 1024
        rows.append(("certificate PDF size", f"{size_kb:.0f} KB", "< 100 KB", "", size_kb < 100))

        # Working days.
        day = dt.date(2020, 1, 2)
        repeats = 20_000
        start = time.perf_counter()
        for n in range(repeats):
            add_working_days(day + dt.timedelta(days=n % 2000), 20)
        add_us = (time.perf_counter() - start) / repeats * 1e6
        start = time.perf_counter()
        for n in range(repeats):
            first = day + dt.timedelta(days=n % 2000)
            working_days_between(first, first + dt.timedelta(days=365))
        between_us = (time.perf_counter() - start) / repeats * 1e6
        rows.append(("add_working_days(day, 20)", f"{add_us:.1f} µs", "< 50 µs", "", add_us < 50))
        rows.append(
            (
                "working_days_between, 1 year",
                f"{between_us:.1f} µs",
                "< 20 µs",
                "",
                between_us < 20,
            )
        )

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; database: SQLite (temporary); "
        f"uploads: {args.uploads}; load average: {os.getloadavg()[0]:.1f}"
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'figure':<24}  {'target':<20}  result")
    for measure, figure, target, _note, ok in rows:
        print(f"{measure:<{width}}  {figure:<24}  {target:<20}  {'pass' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
