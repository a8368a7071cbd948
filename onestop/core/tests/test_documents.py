"""Document upload: type, size, damage, dedupe, storage, transactions (download access:
``test_document_access``)."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from onestop.conftest import make_user
from onestop.core import documents
from onestop.core.documents import (
    MAX_DOCUMENT_BYTES,
    clean_file_name,
    document_open,
    document_upload,
    documents_of,
    documents_sweep,
)
from onestop.core.errors import ValidationFailed
from onestop.core.models import AuditEntry, Document
from onestop.core.roles import Role
from onestop.core.tests.document_helpers import (
    Stream,
    image_bytes,
    ofd_bytes,
    pdf_bytes,
    refusal,
    stored_files,
    upload,
)
from onestop.enterprises.models import Membership, MembershipRole

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_root")]


# ----- accepted files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (pdf_bytes(2), "营业执照.pdf", "application/pdf"),
        (image_bytes("JPEG"), "photo.jpg", "image/jpeg"),
        (image_bytes("PNG"), "plan.png", "image/png"),
        (ofd_bytes(), "发票.ofd", "application/ofd"),
    ],
)
def test_accepted_types_are_stored_privately_with_generated_names(
    cast, private_root, data, name, content_type, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(cast, data, name)
    document.refresh_from_db()
    assert document.content_type == content_type
    assert document.size == len(data)
    assert document.original_name == name
    assert document.owner_enterprise == cast.enterprise_a
    assert document.owner_user is None
    assert document.uploaded_by == cast.owner
    assert name not in document.storage_name
    assert document.storage_name.startswith(document.pk.hex[:2] + "/" + document.pk.hex)
    (path,) = stored_files(private_root)
    assert path == private_root / document.storage_name
    assert path.read_bytes() == data
    with document_open(document) as handle:
        assert handle.read() == data
    entry = AuditEntry.objects.get(action="document.upload")
    assert entry.object_id == str(document.pk)
    assert entry.changes["sha256"] == document.sha256


def test_an_investor_without_enterprise_owns_the_document(cast):
    document = upload(cast, pdf_bytes(), actor=cast.investor, owner_enterprise=None)
    assert document.owner_user == cast.investor
    assert document.owner_enterprise is None


def test_the_content_decides_not_the_name(cast):
    document = upload(cast, image_bytes("PNG"), "scan.pdf")
    assert document.content_type == "image/png"
    assert documents.download_name(document) == "scan.pdf.png"


def test_readable_before_the_commit(cast):
    # Inside the caller's transaction the file is still pending; it can be read all the same.
    data = pdf_bytes()
    document = upload(cast, data)
    with document_open(document) as handle:
        assert handle.read() == data


# ----- refused files ---------------------------------------------------------------------


def test_windows_program_renamed_pdf(cast, private_root):
    code, message = refusal(cast, b"MZ\x90\x00" + b"\x00" * 200, "invoice.pdf")
    assert code == "file_type_not_allowed"
    assert "Windows program" in message
    assert "PDF, JPEG, PNG and OFD" in message
    assert stored_files(private_root) == []
    assert not Document.objects.exists()


def test_html_renamed_pdf(cast, private_root):
    code, message = refusal(cast, b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    assert code == "file_type_not_allowed"
    assert "HTML page" in message
    assert stored_files(private_root) == []


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b"GIF89a" + b"\x00" * 40, "GIF image"),
        (b"hello, this is text", "plain text"),
        (ofd_bytes(with_root=False), "ZIP archive"),
        (bytes(range(256)) * 2, "unknown type"),
    ],
)
def test_other_types_are_named(cast, data, found):
    code, message = refusal(cast, data)
    assert code == "file_type_not_allowed"
    assert found in message


def test_empty_file(cast, private_root):
    code, message = refusal(cast, b"")
    assert code == "file_empty"
    assert message == "The file is empty."
    assert stored_files(private_root) == []


def test_oversized_file_with_a_declared_size_is_refused_without_reading(cast, private_root):
    class Declared(SimpleUploadedFile):
        def chunks(self, chunk_size=None):
            raise AssertionError("must not be read")

    big = Declared("big.pdf", b"%PDF-", content_type="application/pdf")
    big.size = MAX_DOCUMENT_BYTES + 5 * 1024 * 1024
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        document_upload(
            actor=cast.owner, file=big, original_name="big.pdf", owner_enterprise=cast.enterprise_a
        )
    (error,) = info.value.errors
    assert (error.field, error.code) == ("file", "file_too_large")
    assert "25.0 MB" in str(error.message)
    assert "20 MB" in str(error.message)
    assert stored_files(private_root) == []


def test_oversized_stream_stops_reading_just_past_the_limit(cast, private_root):
    stream = Stream(b"%PDF-1.7\n", MAX_DOCUMENT_BYTES * 3)
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        document_upload(actor=cast.owner, file=stream, original_name="huge.pdf")
    (error,) = info.value.errors
    assert error.code == "file_too_large"
    assert str(error.message) == "The file is at least 21.0 MB; files may be at most 20 MB."
    # Read no further than one chunk past the limit.
    assert stream.read_bytes <= MAX_DOCUMENT_BYTES + documents.CHUNK_BYTES
    assert stored_files(private_root) == []


def test_exactly_the_limit_is_accepted(cast):
    # A PDF padded to exactly 20 MB with a comment is still a valid PDF.
    pdf = pdf_bytes()
    padded = pdf + b"%" + b"x" * (MAX_DOCUMENT_BYTES - len(pdf) - 2) + b"\n"
    assert len(padded) == MAX_DOCUMENT_BYTES
    document = upload(cast, padded)
    assert document.size == MAX_DOCUMENT_BYTES


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (pdf_bytes(2)[:300], "PDF"),
        (b"%PDF-1.4\n" + b"garbage " * 100, "PDF"),
        (image_bytes("PNG")[:60], "PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
        (image_bytes("JPEG", (400, 300))[:400], "JPEG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "JPEG"),
    ],
    ids=["pdf-truncated", "pdf-garbage", "png-truncated", "png-garbage", "jpeg-truncated", "jpg"],
)
def test_damaged_files_are_refused(cast, private_root, data, label):
    code, message = refusal(cast, data)
    assert code == "file_corrupt"
    assert f"looks like {label} but cannot be read" in message
    assert stored_files(private_root) == []


def test_damaged_ofd_is_refused(cast, private_root):
    good = bytearray(ofd_bytes(extra=b"<Page>content</Page>"))
    # Flip bytes inside the compressed data of the second member: its CRC no longer matches.
    name = b"Doc_0/Document.xml"
    position = bytes(good).index(name) + len(name) + 2
    good[position : position + 4] = b"\x00\xff\x00\xff"
    code, message = refusal(cast, bytes(good), "bad.ofd")
    assert code == "file_corrupt"
    assert "OFD" in message
    assert stored_files(private_root) == []


def test_password_protected_pdf_is_refused(cast):
    code, message = refusal(cast, pdf_bytes(password="secret"))
    assert code == "file_encrypted"
    assert "password" in message


def test_refusal_message_in_chinese_names_the_field(cast):
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as info:
        upload(cast, b"")
    assert info.value.errors[0].field == "file"
    assert info.value.status == 422


def test_upload_for_another_enterprise_is_forbidden(cast, private_root):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        upload(cast, pdf_bytes(), owner_enterprise=cast.enterprise_b)
    assert stored_files(private_root) == []


# ----- submit once -----------------------------------------------------------------------


def test_same_content_from_the_same_owner_is_stored_once(cast, private_root):
    first = upload(cast, pdf_bytes(), "a.pdf")
    colleague = make_user("colleague@example.com", Role.ENTERPRISE)
    Membership.objects.create(
        user=colleague, enterprise=cast.enterprise_a, role=MembershipRole.MEMBER
    )
    again = upload(cast, pdf_bytes(), "copy of a.pdf", actor=colleague)
    assert again.pk == first.pk
    assert Document.objects.count() == 1
    assert AuditEntry.objects.filter(action="document.upload").count() == 1
    assert len(stored_files(private_root)) == 1
    other_owner = upload(
        cast, pdf_bytes(), "a.pdf", actor=cast.other_member, owner_enterprise=cast.enterprise_b
    )
    assert other_owner.pk != first.pk
    assert len(stored_files(private_root)) == 2


def test_documents_of(cast):
    mine = upload(cast, pdf_bytes(1))
    other = upload(cast, pdf_bytes(2), actor=cast.other_member, owner_enterprise=cast.enterprise_b)
    personal = upload(cast, image_bytes("PNG"), actor=cast.investor, owner_enterprise=None)
    assert list(documents_of(enterprise=cast.enterprise_a)) == [mine]
    assert list(documents_of(cast.enterprise_b)) == [other]
    assert list(documents_of(user=cast.investor)) == [personal]
    assert list(documents_of(user=cast.owner)) == []  # the owner's uploads belong to enterprise A
    assert list(documents_of()) == []


# ----- nothing stored when the transaction rolls back -------------------------------------


def test_a_failure_inside_the_service_leaves_nothing(cast, private_root, monkeypatch):
    def broken_audit(**kwargs: Any) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr(documents, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        upload(cast, pdf_bytes())
    assert not Document.objects.exists()
    assert stored_files(private_root) == []


def test_a_rolled_back_caller_transaction_keeps_no_file(
    cast, private_root, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        document = upload(cast, pdf_bytes())
        storage_name = document.storage_name
        raise RuntimeError("the caller's service failed later")
    assert callbacks == []  # the "keep" step never runs
    assert not Document.objects.exists()
    assert not (private_root / storage_name).exists()
    # The pending copy is removed by the sweep (run at every upload for old files).
    result = documents_sweep(older_than=documents.dt.timedelta(0))
    assert result.removed == 1
    assert stored_files(private_root) == []


def test_the_sweep_finishes_a_committed_upload_left_pending(cast, private_root):
    document = upload(cast, pdf_bytes())  # on_commit not run: still pending
    assert not (private_root / document.storage_name).exists()
    result = documents_sweep(older_than=documents.dt.timedelta(0))
    assert (result.kept, result.removed) == (1, 0)
    assert (private_root / document.storage_name).exists()
    out = io.StringIO()
    call_command("documents_sweep", "--older-than-minutes", "0", stdout=out)
    assert out.getvalue().strip() == "kept 0, removed 0"


def test_recent_pending_files_are_left_alone(cast, private_root):
    document = upload(cast, pdf_bytes())
    assert documents_sweep().kept == 0
    assert (private_root / "pending" / document.storage_name.split("/")[1]).exists()


# ----- names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("营业执照.pdf", "营业执照.pdf"),
        ("C:\\Users\\me\\scan.pdf", "scan.pdf"),
        ("../../etc/passwd", "passwd"),
        ("evil\u202egpj.pdf", "evilgpj.pdf"),
        ("line\nbreak.pdf", "linebreak.pdf"),
        ("", "document"),
        (".hidden.png", "hidden.png"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
    ],
)
def test_clean_file_name(given, kept):
    assert clean_file_name(given) == kept


@given(st.text(max_size=400))
def test_clean_file_names_are_always_safe(name):
    cleaned = clean_file_name(name)
    assert 1 <= len(cleaned) <= 255
    assert "/" not in cleaned
    assert "\\" not in cleaned
    assert not cleaned.startswith(".")
    assert all(unicodedata.category(ch)[0] != "C" for ch in cleaned)
