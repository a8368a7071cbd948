"""Back office: import a negative-list edition file (city administrators).

The same service as ``onestop import-edition``: the whole file is checked and either imported
in one transaction (with its audit row) or rejected with every problem listed, the editions
already loaded untouched.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from onestop.access.forms.edition_import import EditionImportForm
from onestop.access.permissions import can_import_edition
from onestop.access.services.negative_lists import EditionImport, edition_import
from onestop.core.errors import FieldError, ValidationFailed
from onestop.core.permissions import require, require_authenticated

logger = logging.getLogger(__name__)


def _success_message(result: EditionImport) -> str:
    edition = result.edition
    count = edition.items.count()
    params = {"code": edition.code, "count": count}
    if result.outcome == "created":
        return (
            ngettext(
                "The edition %(code)s is imported, with %(count)s item.",
                "The edition %(code)s is imported, with %(count)s items.",
                count,
            )
            % params
        )
    if result.outcome == "updated":
        return (
            ngettext(
                "The edition %(code)s is updated: its items are replaced (%(count)s item).",
                "The edition %(code)s is updated: its items are replaced (%(count)s items).",
                count,
            )
            % params
        )
    return _("The file is the same as the edition %(code)s already loaded: nothing changed.") % {
        "code": edition.code
    }


@login_required
@require_http_methods(["GET", "POST"])
def edition_import_page(request: HttpRequest) -> HttpResponse:
    user = require_authenticated(request.user)
    require(can_import_edition(user))
    problems: list[FieldError] = []
    if request.method == "POST":
        form = EditionImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = edition_import(actor=user, data=form.cleaned_data["file"])
            except ValidationFailed as exc:
                form.add_error("file", str(exc.message))
                problems = exc.errors
            except (DatabaseError, TypeError, ValueError, OverflowError):
                # A value the checks let through but the database refuses (a number out of
                # range, a text longer than its column...): the service's transaction is rolled
                # back, so nothing changed. Logged: the file format checks should catch it.
                logger.exception("edition import: a value the validation let through failed")
                form.add_error(
                    "file",
                    _(
                        "The file was not imported: a value in it cannot be stored (for example "
                        "a number or a text that is too long). Nothing was changed."
                    ),
                )
            else:
                messages.success(request, _success_message(result))
                return redirect("access:edition", edition_id=result.edition.pk)
        status = 422
    else:
        form = EditionImportForm()
        status = 200
    return render(
        request,
        "access/editions/import.html",
        {"form": form, "problems": problems},
        status=status,
    )
