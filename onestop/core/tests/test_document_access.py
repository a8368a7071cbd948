"""Document download and access: who may see a document, safe download names, 403/404."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from onestop.conftest import make_user
from onestop.core import documents
from onestop.core.documents import (
    can_view_document,
    register_document_access,
    unregister_document_access,
)
from onestop.core.models import Document
from onestop.core.roles import Role
from onestop.core.tests.document_helpers import (
    pdf_bytes,
    stored_files,
    upload,
)
from onestop.enterprises.models import Membership, MembershipRole

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_root")]


def _get(client, user, document_id):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("core:document_download", args=[document_id]))


def test_owner_downloads_an_attachment_with_a_safe_chinese_name(client, cast):
    data = pdf_bytes()
    document = upload(cast, data, "营业执照 副本.pdf")
    response = _get(client, cast.owner, document.pk)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%E5%89%AF%E6%9C%AC.pdf" in (
        disposition
    )
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_ascii_name_with_quotes_is_escaped(client, cast):
    document = upload(cast, pdf_bytes(), 'a"b.pdf')
    response = _get(client, cast.owner, document.pk)
    assert response["Content-Disposition"] == 'attachment; filename="a\\"b.pdf"'


def test_enterprise_member_may_download(client, cast):
    document = upload(cast, pdf_bytes())
    colleague = make_user("colleague@example.com", Role.ENTERPRISE)
    Membership.objects.create(
        user=colleague, enterprise=cast.enterprise_a, role=MembershipRole.MEMBER
    )
    assert _get(client, colleague, document.pk).status_code == 200


@pytest.mark.parametrize("member", ["other_member", "officer_a", "officer_b", "city_admin"])
def test_others_get_403_even_with_the_real_id(client, cast, member):
    document = upload(cast, pdf_bytes())
    response = _get(client, cast.member(member), document.pk)
    assert response.status_code == 403


def test_a_registered_check_grants_access(client, cast):
    document = upload(cast, pdf_bytes())

    def agency_a_reviews(user: Any, doc: Document) -> bool:
        return bool(user.agency_id == cast.agency_a.pk and doc.pk == document.pk)

    register_document_access(agency_a_reviews)
    register_document_access(agency_a_reviews)  # twice: no effect
    try:
        assert documents._ACCESS_CHECKS.count(agency_a_reviews) == 1
        assert _get(client, cast.officer_a, document.pk).status_code == 200
        client.logout()
        assert _get(client, cast.officer_b, document.pk).status_code == 403
    finally:
        unregister_document_access(agency_a_reviews)
    client.logout()
    assert _get(client, cast.officer_a, document.pk).status_code == 403


def test_unknown_id_is_404(client, cast):
    assert _get(client, cast.owner, uuid.uuid4()).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, cast):
    document = upload(cast, pdf_bytes())
    response = _get(client, None, document.pk)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login") + "?next=")


def test_inactive_users_see_nothing(cast):
    document = upload(cast, pdf_bytes())
    cast.owner.is_active = False
    assert not can_view_document(cast.owner, document)


def test_missing_file_is_404_not_500(client, cast, private_root):
    document = upload(cast, pdf_bytes())
    for path in stored_files(private_root):
        path.unlink()
    assert _get(client, cast.owner, document.pk).status_code == 404
