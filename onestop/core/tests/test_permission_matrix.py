"""Runs every cell of the permission matrix (matrix.py), and fails when a route is not in it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from onestop.api import api as ninja_api
from onestop.conftest import Cast
from onestop.core import services
from onestop.core.tests.matrix import APIS, CASES, LOGIN, MEMBERS, PAGES, Case, build_world

pytestmark = pytest.mark.django_db

# Top-level URL prefixes that are not ours to list: Django's admin has its own permission
# model (staff only) and is tested in test_admin.py; static files carry no permissions.
SKIPPED_PREFIXES = ("admin/", "static/", "media/")
API_PREFIX = "api/v1/"


def _send(client: Client, case: Case, url: str, **headers: str) -> Any:
    method = case.method.lower()
    if case.kind == "api":
        body = json.dumps(case.data) if case.data is not None else None
        return getattr(client, method)(
            url, data=body, content_type="application/json", headers=headers
        )
    return getattr(client, method)(url, data=case.data or {}, headers=headers)


def _check(response: Any, expected: object, case: Case, member: str) -> None:
    where = f"{case.id} as {member}"
    if expected == LOGIN:
        assert response.status_code == 302, f"{where}: {response.status_code}, expected login"
        assert response["Location"].startswith(reverse("core:login")), where
        return
    assert response.status_code == expected, (
        f"{where}: got {response.status_code}, expected {expected}: {response.content[:300]!r}"
    )
    if case.kind == "api" and response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json", where
        assert response.json()["status"] == response.status_code, where


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("case", PAGES, ids=lambda c: c.id)
def test_page(case: Case, member: str, cast: Cast, client: Client) -> None:
    world = build_world(cast)
    user = cast.member(member)
    if user is not None:
        client.force_login(user)
    _check(_send(client, case, case.url(world)), case.expect[member], case, member)


@pytest.mark.parametrize("mode", ["session", "token"])
@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("case", APIS, ids=lambda c: c.id)
def test_api(case: Case, member: str, mode: str, cast: Cast, client: Client) -> None:
    world = build_world(cast)
    user = cast.member(member)
    headers: dict[str, str] = {}
    if mode == "session" and user is not None:
        client.force_login(user)
    elif mode == "token":
        if user is None:
            headers["Authorization"] = "Bearer os_000000000000_made-up"
        else:
            _token, plain = services.api_token_create(user=user, name=f"matrix {member}")
            headers["Authorization"] = f"Bearer {plain}"
    _check(_send(client, case, case.url(world), **headers), case.expect[member], case, member)


# ----- completeness ------------------------------------------------------------------------


def test_every_row_names_every_member() -> None:
    for case in CASES:
        assert set(case.expect) == set(MEMBERS), case.id
        for value in case.expect.values():
            assert value == LOGIN or isinstance(value, int), (case.id, value)


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> list[tuple[str, str]]:
    """Every URL pattern as (route, key): key is "namespace:name", or the route if unnamed."""
    found: list[tuple[str, str]] = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found.extend(_walk(entry.url_patterns, route, inner))
        else:
            key = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            found.append((route, key or route))
    return found


def _openapi_path(route: str) -> str:
    """``api/v1/tokens/<int:token_id>`` -> ``/api/v1/tokens/{token_id}``."""
    import re

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _api_operations() -> set[str]:
    schema = ninja_api.get_openapi_schema()
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_every_url_is_in_the_matrix() -> None:
    page_keys = {case.key for case in PAGES}
    api_paths = {path for path in (op.split(" ", 1)[1] for op in _api_operations())}
    missing = []
    for route, key in _walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if key in page_keys:
            continue
        if route.startswith(API_PREFIX) and _openapi_path(route) in api_paths:
            continue  # an API operation: checked against the matrix below
        missing.append(f"{key} ({route})")
    assert not missing, (
        "These URLs have no row in onestop/core/tests/matrix.py; add one saying what each "
        "member of the cast gets:\n  " + "\n  ".join(sorted(missing))
    )


def test_every_api_route_is_in_the_matrix() -> None:
    listed = {case.key for case in APIS}
    missing = sorted(_api_operations() - listed)
    assert not missing, (
        "These API routes have no row in onestop/core/tests/matrix.py:\n  " + "\n  ".join(missing)
    )
    stale = sorted(listed - _api_operations())
    assert not stale, f"Rows for API routes that do not exist: {stale}"


def test_matrix_walker_sees_pages_and_api_routes() -> None:
    """Guard the guard: the walk finds known URLs, so an empty walk cannot pass silently."""
    keys = {key for _route, key in _walk(get_resolver().url_patterns)}
    assert {"core:home", "core:audit_log", "api:openapi-json"} <= keys
    assert "GET /api/v1/me" in _api_operations()
