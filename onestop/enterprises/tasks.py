"""Background work of the register: an import started from the back office."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django_tasks import task


@task()
def import_register(*, run_id: int) -> dict[str, Any]:
    """Run the import of an uploaded file (``ImportRun`` made by ``register_import_start``)."""
    from onestop.enterprises.importer import import_register_file
    from onestop.enterprises.models import ImportRun, ImportStatus

    run = ImportRun.objects.filter(pk=run_id).select_related("started_by").first()
    if run is None or run.status != ImportStatus.QUEUED:
        return {"skipped": "no queued import run"}
    path = Path(run.stored_file)
    # Row errors are written in the language of whoever started the import.
    language = getattr(run.started_by, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        result = import_register_file(
            path,
            actor=run.started_by,
            strict=run.strict,
            default_year=run.default_year,
            report_path=path.with_name(f"{path.stem}.errors.csv"),
            run=run,
        )
    return {"run": run_id, "status": result.status, "ok": result.rows_ok}
