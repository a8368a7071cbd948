"""The back-office page that imports a negative-list edition file (city administrators).

All or nothing, like ``onestop import-edition``: a file with any problem is rejected with every
problem listed in the error summary, and the editions already loaded stay exactly as they were.
"""
# ruff: noqa: RUF001 - the Chinese messages use full-width punctuation, as here

from __future__ import annotations

import copy
import html
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from onestop.access.forms.edition_import import MAX_BYTES
from onestop.access.models import Edition, Item
from onestop.access.services.negative_lists import edition_import
from onestop.access.tests.negative_list_fixtures import (  # noqa: F401
    access_data,
    access_world,
    matrix_edition_data,
)
from onestop.access.tests.test_edition_import import _national
from onestop.conftest import Cast
from onestop.core.models import AuditEntry

URL = "/access/editions/import/"


def _client(user: Any = None, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.cookies["onestop_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def _upload(content: bytes, name: str = "edition.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def _json(data: Any) -> SimpleUploadedFile:
    return _upload(json.dumps(data, ensure_ascii=False).encode())


def _post(client: Client, file: SimpleUploadedFile | None) -> Any:
    return client.post(URL, {"file": file} if file is not None else {})


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _snapshot() -> list[tuple[Any, ...]]:
    """Every edition and item as stored (ids included), to show nothing changed."""
    editions = list(Edition.objects.order_by("pk").values_list("pk", "code", "content_hash"))
    items = list(
        Item.objects.order_by("pk").values_list(
            "pk", "edition_id", "number", "measure", "max_foreign_share", "summary_en"
        )
    )
    return [*editions, *items]


def _summary(response: Any) -> str:
    page = _text(response)
    start = page.index('class="govuk-error-summary"')
    return page[start : page.index("</ul>", start)]


# ----- who may use it ------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(db: None) -> None:
    response = _client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("member", ["owner", "officer_a", "investor"])
def test_others_are_refused(cast: Cast, member: str) -> None:
    client = _client(cast.member(member))
    assert client.get(URL).status_code == 403
    assert _post(client, _json(matrix_edition_data("refused"))).status_code == 403
    assert not Edition.objects.filter(code="refused").exists()


def test_city_admin_sees_the_form_and_the_list_links_to_it(cast: Cast) -> None:
    admin = _client(cast.city_admin)
    page = _text(admin.get(URL))
    assert "Import a negative-list edition" in page
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert "at most 5 MB" in page
    assert reverse("access:edition_import") in _text(admin.get(reverse("access:editions")))
    for user in (None, cast.officer_a):
        listing = _text(_client(user).get(reverse("access:editions")))
        assert reverse("access:edition_import") not in listing


def test_the_service_checks_the_permission(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        edition_import(actor=cast.officer_a, data=matrix_edition_data("by-officer"))
    assert not Edition.objects.filter(code="by-officer").exists()


# ----- success -------------------------------------------------------------------------------


def test_a_new_edition_is_created(cast: Cast, access_data: Any) -> None:  # noqa: F811
    admin = _client(cast.city_admin)
    response = _post(admin, _json(matrix_edition_data("city-2021")))
    edition = Edition.objects.get(code="city-2021")
    assert response.status_code == 302
    assert response["Location"] == reverse("access:edition", args=[edition.pk])
    page = _text(admin.get(response["Location"]))
    assert "govuk-notification-banner--success" in page
    assert "The edition city-2021 is imported, with 1 item." in page
    assert edition.items.get().industries.get().code == "8760"
    entry = AuditEntry.objects.get(action="access.edition_import", object_id=str(edition.pk))
    assert entry.actor_id == cast.city_admin.pk


def test_an_edition_with_the_same_code_is_replaced(cast: Cast, access_data: Any) -> None:  # noqa: F811
    national = Edition.objects.get(code="national-2020")
    before = AuditEntry.objects.count()
    data = _national()
    data["items"][5]["measure"] = "equity_cap"
    data["items"][5]["max_foreign_share"] = 70
    admin = _client(cast.city_admin, "zh-hans")
    response = _post(admin, _json(data))
    assert response["Location"] == reverse("access:edition", args=[national.pk])
    page = _text(admin.get(response["Location"]))
    assert "national-2020" in page and "已更新" in page
    assert Item.objects.get(edition=national, number=6).max_foreign_share == 70
    assert AuditEntry.objects.count() == before + 1


def test_the_same_file_again_changes_nothing(cast: Cast, access_data: Any) -> None:  # noqa: F811
    before, audit = _snapshot(), AuditEntry.objects.count()
    admin = _client(cast.city_admin)
    response = _post(admin, _json(_national()))
    assert response.status_code == 302
    page = _text(admin.get(response["Location"]))
    assert "The file is the same as the edition national-2020 already loaded" in page
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audit


def test_a_utf8_file_with_a_byte_order_mark_is_read(cast: Cast, access_data: Any) -> None:  # noqa: F811
    content = b"\xef\xbb\xbf" + json.dumps(matrix_edition_data("with-bom")).encode()
    assert _post(_client(cast.city_admin), _upload(content)).status_code == 302
    assert Edition.objects.filter(code="with-bom").exists()


# ----- files that are rejected ---------------------------------------------------------------

NOT_JSON = b'{\n  "format": "onestop.negative-list/1",\n  "edition": {"code": "x"\n  "items": []\n}'


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "Choose an edition file to upload."),
        (b"", "The chosen file is empty."),
        (
            b'{"format": "onestop.negative-list/1",\n"title": "' + "外商投资".encode("gbk") + b'"}',
            "The file is not UTF-8 text: line 2 has a character in another encoding.",
        ),
        (NOT_JSON, "The file is not valid JSON at line 4, column 3: a comma was expected."),
        (b"[1, 2,", "The file is not valid JSON at line 1, column 7: a value was expected."),
        (b'{"a": NaN}', "The file is not valid JSON: NaN is not a JSON number."),
        (b'{"a": "\\u0000"}', "The file contains a character that cannot be stored"),
        (b'{"a": "\\ud800"}', "The file contains a character that cannot be stored"),
        (b"[" * 100_000, "its JSON is nested too deeply"),
        (b" " * MAX_BYTES + b"{}", "The file is larger than 5 MB."),
        (b"[]", "An edition file is a JSON object."),
    ],
    ids=[
        "missing",
        "empty",
        "not-utf8",
        "not-json",
        "truncated",
        "nan",
        "nul",
        "surrogate",
        "too-deep",
        "too-large",
        "not-an-object",
    ],
)
def test_bad_files_are_rejected_with_a_message(
    cast: Cast,
    access_data: Any,  # noqa: F811
    content: bytes | None,
    expected: str,
) -> None:
    before, audit = _snapshot(), AuditEntry.objects.count()
    response = _post(
        _client(cast.city_admin), None if content is None else _upload(content, "list.json")
    )
    assert response.status_code == 422
    assert expected in _summary(response)
    assert "Error:" in _text(response)  # in the title and beside the field
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audit


def test_every_problem_is_listed_with_its_place(cast: Cast, access_data: Any) -> None:  # noqa: F811
    before, audit = _snapshot(), AuditEntry.objects.count()
    data = copy.deepcopy(_national())
    data["items"][3]["measure"] = "forbidden"
    data["items"][0]["industries"].append({"code": "9999", "coverage": "full"})
    del data["items"][7]["summary"]["zh"]
    data["edition"]["effective"] = "23 July 2020"
    response = _post(_client(cast.city_admin), _json(data))
    assert response.status_code == 422
    summary = _summary(response)
    assert "The edition file was not imported: it has errors." in summary
    assert "items.3.measure: Unknown measure forbidden" in summary
    assert "items.0.industries.3.code: 9999 is not a GB/T 4754-2017 code." in summary
    assert "items.7.summary.zh: This text is missing." in summary
    assert "edition.effective: Give the date in force as YYYY-MM-DD." in summary
    assert summary.count("<li") == 5  # the file's message, then each problem
    assert "items.3 is the fourth item" in _text(response)
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audit


def test_the_problems_are_in_chinese_on_the_chinese_page(
    cast: Cast,
    access_data: Any,  # noqa: F811
) -> None:
    data = _national()
    data["items"][3]["measure"] = "forbidden"
    response = _post(_client(cast.city_admin, "zh-hans"), _json(data))
    summary = _summary(response)
    assert "请更正以下问题" in summary
    assert "版本文件未导入：文件有错误。" in summary
    assert "items.3.measure：未知的管理措施 forbidden" in summary
    assert "items.3 是文件中的第四个条目" in _text(response)
    bad = _summary(_post(_client(cast.city_admin, "zh-hans"), _upload(NOT_JSON)))
    assert "文件不是有效的 JSON，第 4 行第 3 列：此处应为逗号。" in bad
    too_large = _summary(
        _post(_client(cast.city_admin, "zh-hans"), _upload(b" " * (MAX_BYTES + 1)))
    )
    assert "文件超过 5 MB。" in too_large


def test_put_is_refused(cast: Cast) -> None:
    assert _client(cast.city_admin).put(URL).status_code == 405


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["items"][0].__setitem__("number", 10**30),
        lambda d: d["items"][0].__setitem__("national_number", "abc"),
        lambda d: d["items"][0].__setitem__("sub_measures", 5),
    ],
    ids=["number-out-of-range", "national-number-not-a-number", "sub-measures-not-a-list"],
)
def test_a_value_the_database_refuses_is_an_error_not_a_crash(
    cast: Cast,
    access_data: Any,  # noqa: F811
    change: Any,
) -> None:
    """Values that once passed the format checks and failed at the database; whichever
    layer refuses them (now the checks), the page answers with an error and nothing changes."""
    before, audit = _snapshot(), AuditEntry.objects.count()
    data = matrix_edition_data("out-of-range")
    change(data)
    response = _post(_client(cast.city_admin), _json(data))
    assert response.status_code == 422
    summary = _summary(response)
    assert "not imported" in summary and "items.0." in summary
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audit
