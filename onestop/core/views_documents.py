"""The one way a stored document leaves the server: an attachment, after an access check."""

from __future__ import annotations

import logging
import uuid

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onestop.core.documents import (
    DocumentFileMissing,
    can_view_document,
    document_open,
    download_name,
)
from onestop.core.models import Document

logger = logging.getLogger(__name__)


@require_GET
def document_download(request: HttpRequest, document_id: uuid.UUID) -> HttpResponseBase:
    """302 to sign-in for anonymous users, 404 for an unknown id, 403 when not allowed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise Http404(_("There is no such document."))
    if not can_view_document(request.user, document):
        raise PermissionDenied(_("You do not have permission to see this document."))
    try:
        handle = document_open(document)
    except DocumentFileMissing:
        logger.error("document %s: stored file missing", document.pk)
        raise Http404(_("The file of this document is missing.")) from None
    # Django writes Content-Disposition with filename*=utf-8''… (RFC 5987) for non-ASCII names.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(document),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
