"""The permission matrix: for every page and every API route, what each member of the cast gets.

One row (``Case``) per request; a route may have several rows (e.g. one's own record, someone
else's, one that does not exist). ``test_permission_matrix`` runs every cell and fails when a URL
or an API route exists that has no row here, so add a row with every new route.

Cells hold the HTTP status, or ``LOGIN`` for "302 to the sign-in page". Pages are requested
with ``client.force_login``; API rows run twice, with the session and with a bearer token made
for that member (anonymous: no credentials, then a made-up token).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from onestop.access.models import Edition
from onestop.access.services import industries_import
from onestop.access.tests.negative_list_fixtures import matrix_edition
from onestop.catalogue.tests.factories import MATRIX_ANSWERS, SERVICE_EDIT, matrix_catalogue
from onestop.conftest import Cast
from onestop.core import services
from onestop.core.models import ApiToken, Notification

LOGIN = "login"  # 302 to the sign-in page, with ?next=
Expected = int | str

MEMBERS = Cast.NAMES  # owner, other_member, officer_a, officer_b, city_admin, investor, anonymous
SIGNED_IN = tuple(name for name in MEMBERS if name != "anonymous")


# A branch of GB/T 4754 for the industry rows: section R down to class 8760.
MATRIX_INDUSTRIES = [
    {"code": "R", "level": "section", "name_zh": "文化、体育和娱乐业"},
    {"code": "87", "level": "division", "parent": "R", "name_zh": "广播、电视、电影和录音制作业"},
    {"code": "876", "level": "group", "parent": "87", "name_zh": "电影放映"},
    {"code": "8760", "level": "class", "parent": "876", "name_zh": "电影放映"},
]


@dataclass
class World:
    """The cast plus the objects the rows point at."""

    cast: Cast
    notification: Notification  # in the owner's inbox
    token: ApiToken  # one of the owner's API tokens
    extra: dict[str, Any] = field(default_factory=dict)  # objects the domain rows point at


def build_world(cast: Cast) -> World:
    notification = services.notification_deliver(
        user_id=cast.owner.pk, kind="core.welcome", params={"name": "owner"}, link="/"
    )
    assert notification is not None
    token, _plain = services.api_token_create(user=cast.owner, name="matrix target", days=30)
    industries_import(rows=MATRIX_INDUSTRIES)
    matrix_edition()  # negative-list edition "matrix-national", one item on 8760
    matrix_catalogue(cast.agency_a)  # service "matrix-service", journey "matrix-journey"
    world = World(cast=cast, notification=notification, token=token)
    for build in DOMAIN_BUILDERS:
        build(world)
    return world


@dataclass(frozen=True)
class Case:
    kind: str  # "page" or "api"
    key: str  # URL name ("core:inbox") for pages; "METHOD /api/v1/path/{param}" for the API
    url: Callable[[World], str]
    expect: dict[str, Expected]
    method: str = "GET"
    data: dict[str, object] | None = field(default=None, hash=False)
    label: str = ""

    @property
    def id(self) -> str:
        """How the row shows in test names, e.g. ``POST core:inbox_read[owner's notification]``."""
        request = self.key if self.kind == "api" else f"{self.method} {self.key}"
        return f"{request}[{self.label}]" if self.label else request


def cells(
    default: Expected, *, anonymous: Expected | None = None, **members: Expected
) -> dict[str, Expected]:
    """Every member gets ``default`` unless named; ``anonymous`` defaults to ``default`` too."""
    unknown = set(members) - set(MEMBERS)
    assert not unknown, f"not in the cast: {unknown}"
    result = dict.fromkeys(MEMBERS, default)
    result.update(members)
    if anonymous is not None:
        result["anonymous"] = anonymous
    return result


def only(allowed: Expected, who: tuple[str, ...], *, others: Expected, anonymous: Expected):
    return cells(others, anonymous=anonymous, **dict.fromkeys(who, allowed))


def page(
    name: str,
    expect: dict[str, Expected],
    *,
    args: Callable[[World], list[object]] | None = None,
    method: str = "GET",
    data: dict[str, object] | None = None,
    label: str = "",
) -> Case:
    def url(world: World) -> str:
        return reverse(name, args=args(world) if args else None)

    return Case("page", name, url, expect, method=method, data=data, label=label)


def api(
    method: str,
    path: str,
    expect: dict[str, Expected],
    *,
    fill: Callable[[World], dict[str, object]] | None = None,
    data: dict[str, object] | None = None,
    label: str = "",
) -> Case:
    """``path`` is the OpenAPI path; ``fill`` gives its {parameters}."""

    def url(world: World) -> str:
        return path.format(**fill(world)) if fill else path

    return Case("api", f"{method} {path}", url, expect, method=method, data=data, label=label)


# ----- pages -------------------------------------------------------------------------------

PAGES: list[Case] = [
    page("core:home", cells(200)),
    page("core:register_start", cells(200)),
    page("core:register", cells(200), args=lambda w: ["enterprise"], label="enterprise"),
    page("core:register", cells(404), args=lambda w: ["nobody"], label="unknown kind"),
    page("core:register_done", cells(200)),
    page("core:verify_email", cells(400), args=lambda w: ["not-a-token"], label="bad token"),
    page("core:resend_verification", cells(200)),
    page("core:login", cells(302, anonymous=200)),
    page("core:logout", cells(302), method="POST"),
    page("core:logout", cells(405), label="GET is refused"),
    page("core:password_reset", cells(200)),
    page("core:password_reset_done", cells(200)),
    page(
        "core:password_reset_confirm",
        cells(200),
        args=lambda w: ["MQ", "bad-token"],
        label="invalid link",
    ),
    page("core:password_reset_complete", cells(200)),
    page("core:api_tokens", cells(200, anonymous=LOGIN)),
    page(
        "core:api_token_revoke",
        cells(404, owner=302, anonymous=LOGIN),
        args=lambda w: [w.token.pk],
        method="POST",
        label="owner's token",
    ),
    page("core:inbox", cells(200, anonymous=LOGIN)),
    page(
        "core:inbox_read",
        cells(404, owner=302, anonymous=LOGIN),
        args=lambda w: [w.notification.pk],
        method="POST",
        label="owner's notification",
    ),
    page("core:audit_log", only(200, ("city_admin",), others=403, anonymous=LOGIN)),
    page("core:set_language", cells(302), method="POST", data={"language": "en"}),
    page("core:healthz", cells(200)),
    # The industry classification, public (build_world imports R > 87 > 876 > 8760).
    page("industries:index", cells(200)),
    page("industries:results", cells(200)),
    page("industries:detail", cells(200), args=lambda w: ["8760"], label="class 8760"),
    page("industries:detail", cells(404), args=lambda w: ["8769"], label="unknown code"),
    # The service catalogue and the licence finder, public (answers kept in the session).
    page("catalogue:services", cells(200)),
    page("catalogue:service", cells(200), args=lambda w: ["matrix-service"]),
    page("catalogue:service", cells(404), args=lambda w: ["no-such-service"], label="unknown"),
    page(
        "catalogue:service_edit",
        only(200, ("officer_a", "city_admin"), others=403, anonymous=LOGIN),
        args=lambda w: ["matrix-service"],
        label="agency A's service",
    ),
    page(
        "catalogue:service_edit",
        only(302, ("officer_a", "city_admin"), others=403, anonymous=LOGIN),
        args=lambda w: ["matrix-service"],
        method="POST",
        data=SERVICE_EDIT,
        label="agency A's service",
    ),
    page("catalogue:finder", cells(200)),
    page("catalogue:cpsv_ttl", cells(200)),
    page("catalogue:cpsv_jsonld", cells(200)),
    page("catalogue:finder_question", cells(200), args=lambda w: ["matrix-journey", 1]),
    page(
        "catalogue:finder_question",
        cells(302),
        args=lambda w: ["matrix-journey", 1],
        method="POST",
        data={"employs_staff": "yes"},
    ),
    page(
        "catalogue:finder_question",
        cells(404),
        args=lambda w: ["matrix-journey", 2],
        label="no such question",
    ),
    page(
        "catalogue:finder_check",
        cells(302),
        args=lambda w: ["matrix-journey"],
        label="no answers yet",
    ),
    page(
        "catalogue:finder_plan", cells(302), args=lambda w: ["matrix-journey"], label="no answers"
    ),
    # The API's own documents, public.
    page("api:openapi-json", cells(200)),
    page("api:openapi-view", cells(200)),
    page("api:api-root", cells(404)),
]

# ----- API ---------------------------------------------------------------------------------

V1 = "/api/v1"
SIGNED_IN_OK = cells(200, anonymous=401)

APIS: list[Case] = [
    api("GET", f"{V1}/me", SIGNED_IN_OK),
    api("PATCH", f"{V1}/me", SIGNED_IN_OK, data={"language": "en"}),
    api("GET", f"{V1}/agencies", cells(200)),
    api("GET", f"{V1}/agencies/{{code}}", cells(200), fill=lambda w: {"code": "agency-a"}),
    api(
        "GET",
        f"{V1}/agencies/{{code}}",
        cells(404),
        fill=lambda w: {"code": "no-such-agency"},
        label="unknown",
    ),
    api(
        "PATCH",
        f"{V1}/agencies/{{code}}",
        only(200, ("city_admin",), others=403, anonymous=401),
        fill=lambda w: {"code": "agency-a"},
        data={"name_en": "Agency Alpha"},
    ),
    api("GET", f"{V1}/notifications", SIGNED_IN_OK),
    api(
        "POST",
        f"{V1}/notifications/{{notification_id}}/read",
        cells(404, owner=200, anonymous=401),
        fill=lambda w: {"notification_id": w.notification.pk},
        label="owner's notification",
    ),
    api("GET", f"{V1}/tokens", SIGNED_IN_OK),
    api("POST", f"{V1}/tokens", cells(201, anonymous=401), data={"name": "matrix", "days": 7}),
    api(
        "DELETE",
        f"{V1}/tokens/{{token_id}}",
        cells(404, owner=204, anonymous=401),
        fill=lambda w: {"token_id": w.token.pk},
        label="owner's token",
    ),
    api("GET", f"{V1}/audit", only(200, ("city_admin",), others=403, anonymous=401)),
    api("GET", f"{V1}/industries", cells(200)),
    api("GET", f"{V1}/industries/{{code}}", cells(200), fill=lambda w: {"code": "8760"}),
    api(
        "GET",
        f"{V1}/industries/{{code}}",
        cells(404),
        fill=lambda w: {"code": "8769"},
        label="unknown code",
    ),
    api("GET", f"{V1}/enterprises/mine", SIGNED_IN_OK),
    api(
        "GET",
        f"{V1}/enterprises/{{enterprise_id}}",
        only(200, ("owner", "city_admin"), others=403, anonymous=401),
        fill=lambda w: {"enterprise_id": w.cast.enterprise_a.pk},
        label="enterprise A",
    ),
    api(
        "GET",
        f"{V1}/enterprises/{{enterprise_id}}",
        only(200, ("other_member", "city_admin"), others=403, anonymous=401),
        fill=lambda w: {"enterprise_id": w.cast.enterprise_b.pk},
        label="enterprise B",
    ),
    api(
        "GET",
        f"{V1}/enterprises/{{enterprise_id}}",
        cells(404, anonymous=401),
        fill=lambda w: {"enterprise_id": 987654},
        label="no such enterprise",
    ),
    # The service catalogue and the licence finder, public.
    api("GET", f"{V1}/services", cells(200)),
    api(
        "GET",
        f"{V1}/services/{{identifier}}",
        cells(200),
        fill=lambda w: {"identifier": "matrix-service"},
    ),
    api(
        "GET",
        f"{V1}/services/{{identifier}}",
        cells(404),
        fill=lambda w: {"identifier": "no-such-service"},
        label="unknown",
    ),
    api("GET", f"{V1}/journeys", cells(200)),
    api(
        "POST",
        f"{V1}/journeys/{{code}}/plan",
        cells(200),
        fill=lambda w: {"code": "matrix-journey"},
        data={"answers": MATRIX_ANSWERS},
    ),
    api(
        "POST",
        f"{V1}/journeys/{{code}}/plan",
        cells(404),
        fill=lambda w: {"code": "no-such-journey"},
        data={"answers": {}},
        label="unknown",
    ),
]


def _edition_pk(world: World) -> list[object]:
    return [Edition.objects.get(code="matrix-national").pk]


# The access checker's and the negative lists' pages: public.
PAGES += [
    page("access:start", cells(200)),
    page("access:industry_options", cells(200)),
    page("access:result", cells(200), label="no input: the form with its errors"),
    page("access:editions", cells(200)),
    page("access:edition", cells(200), args=_edition_pk),
    page("access:edition", cells(404), args=lambda w: [987654], label="unknown"),
    page("access:item", cells(200), args=lambda w: [*_edition_pk(w), 1]),
    page("access:item", cells(404), args=lambda w: [*_edition_pk(w), 99], label="unknown"),
    page("access:diff", cells(200)),
]


def _edition_id(world: World) -> dict[str, object]:
    return {"edition_id": Edition.objects.get(code="matrix-national").pk}


# The negative lists and the access checker: public.
APIS += [
    api(
        "POST",
        f"{V1}/access/check",
        cells(200),
        data={"activities": ["8760"], "foreign_share": 70, "date": "2021-06-01"},
    ),
    api(
        "POST",
        f"{V1}/access/check",
        cells(422),
        data={"activities": ["8769"], "foreign_share": 70},
        label="unknown code",
    ),
    api("GET", f"{V1}/access/editions", cells(200)),
    api("GET", f"{V1}/access/editions/{{edition_id}}", cells(200), fill=_edition_id),
    api(
        "GET",
        f"{V1}/access/editions/{{edition_id}}",
        cells(404),
        fill=lambda w: {"edition_id": 987654},
        label="unknown",
    ),
    Case(
        "api",
        f"GET {V1}/access/diff",
        lambda w: f"{V1}/access/diff?from=matrix-national&to=matrix-national",
        cells(200),
    ),
    Case(
        "api",
        f"GET {V1}/access/diff",
        lambda w: f"{V1}/access/diff?from=nope&to=matrix-national",
        cells(422),
        label="unknown edition",
    ),
]

# ----- rows kept by the domains ------------------------------------------------------------
# A domain may keep its rows beside its code, in ``onestop/<domain>/tests/matrix_rows.py``,
# which defines ``PAGES`` and ``APIS`` (lists of Case) and ``build(world)``: it creates the
# objects its rows point at and stores them in ``world.extra``.

MATRIX_DOMAINS = ("core", "enterprises", "policies", "applications", "access")
DOMAIN_BUILDERS: list[Callable[[World], None]] = []

for _domain in MATRIX_DOMAINS:
    _name = f"onestop.{_domain}.tests.matrix_rows"
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as error:
        if error.name and _name.startswith(error.name):
            continue  # this domain keeps no rows of its own (yet)
        raise
    PAGES += _module.PAGES
    APIS += _module.APIS
    DOMAIN_BUILDERS.append(_module.build)

CASES: list[Case] = PAGES + APIS
