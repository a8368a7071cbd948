"""The Content-Security-Policy header, as django-csp writes it, computed once per process for the
responses that do not change it.

django-csp rebuilds both policy headers from the settings on every response. Most responses
(every API answer, every page without an inline script) use no nonce and no per-view change, so
their header text is always the same; rebuilding it cost about a tenth of an access-check API
request (issue 3's latency target). Responses that do use a nonce or a per-view change go through
django-csp unchanged.
"""

from __future__ import annotations

import functools
import http.client
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# Per-view adjustments (django-csp's decorators set these on the response).
_ADJUSTMENTS = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_DEBUG_EXEMPT = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)


@functools.cache
def plain_policies() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(header, text, exemption attribute, excluded path prefixes) of both policies, built from
    the settings with no nonce and no per-view change."""
    found = []
    for header, setting, exempt, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
    ):
        policy = getattr(settings, setting, None) or {}
        prefixes = tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())
        found.append((header, build_policy(report_only=report_only), exempt, prefixes))
    return tuple(found)


@receiver(setting_changed)
def _forget_policies(*, setting: str, **_kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        plain_policies.cache_clear()


class CSPMiddleware(LibraryCSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        nonce_used = getattr(request, "_csp_nonce", None) is not None
        if nonce_used or any(hasattr(response, name) for name in _ADJUSTMENTS):
            return super().process_response(request, response)
        if response.status_code in _DEBUG_EXEMPT and settings.DEBUG:
            return response
        for header, text, exempt, prefixes in plain_policies():
            if (
                text
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = text
        # As django-csp does: a nonce asked for after the header is written would not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
