"""The Content-Security-Policy header: the same text django-csp writes, whether computed once
(responses that change nothing) or per response (a nonce or a per-view change)."""

from __future__ import annotations

import pytest
from csp.constants import NONE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from onestop.core.csp import CSPMiddleware

pytestmark = pytest.mark.django_db


def _through(middleware_class, view, path="/somewhere/"):
    request = RequestFactory().get(path)
    middleware = middleware_class(view)
    middleware.process_request(request)
    return middleware.process_response(request, view(request)), request


def _plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("plain")


def _with_nonce(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")  # type: ignore[attr-defined]


@csp_update({"img-src": ["https://tiles.example.org"]})
def _updated(request: HttpRequest) -> HttpResponse:
    return HttpResponse("map")


@csp_exempt()
def _exempt(request: HttpRequest) -> HttpResponse:
    return HttpResponse("exempt")


@pytest.mark.parametrize("view", [_plain, _with_nonce, _updated, _exempt])
def test_the_header_is_what_django_csp_writes(view):
    ours, _request = _through(CSPMiddleware, view)
    theirs, _request = _through(LibraryCSPMiddleware, view)
    if view is _with_nonce:  # a fresh nonce per request: compare with it masked
        ours_text = ours["Content-Security-Policy"].split("'nonce-")[0]
        assert ours_text == theirs["Content-Security-Policy"].split("'nonce-")[0]
        assert "'nonce-" in ours["Content-Security-Policy"]
    else:
        assert ours.get("Content-Security-Policy") == theirs.get("Content-Security-Policy")


def test_a_plain_response_gets_the_policy_from_the_settings():
    response, _request = _through(CSPMiddleware, _plain)
    assert response["Content-Security-Policy"] == build_policy()
    assert "nonce" not in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_per_view_change_and_an_exemption_are_kept():
    updated, _request = _through(CSPMiddleware, _updated)
    assert "https://tiles.example.org" in updated["Content-Security-Policy"]
    exempt, _request = _through(CSPMiddleware, _exempt)
    assert "Content-Security-Policy" not in exempt


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    _response, request = _through(CSPMiddleware, _plain)
    with pytest.raises(Exception, match="csp_nonce"):
        str(request.csp_nonce)


def test_changed_settings_change_the_header(settings):
    _through(CSPMiddleware, _plain)  # computed and kept with the old settings
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": [NONE], "script-src": [SELF]},
        "EXCLUDE_URL_PREFIXES": ["/excluded/"],
    }
    response, _request = _through(CSPMiddleware, _plain)
    # django-csp builds the directives from a set: their order is not fixed.
    directives = set(response["Content-Security-Policy"].split("; "))
    assert directives == {"default-src 'none'", "script-src 'self'"}
    excluded, _request = _through(CSPMiddleware, _plain, path="/excluded/page")
    assert "Content-Security-Policy" not in excluded
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": [SELF]}}
    both, _request = _through(CSPMiddleware, _plain)
    assert both["Content-Security-Policy-Report-Only"] == "default-src 'self'"


def test_api_answers_carry_the_policy(client):
    response = client.get("/api/v1/access/editions")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == build_policy()
