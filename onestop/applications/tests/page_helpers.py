"""Helpers of the applications page tests (applicant and officer pages)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from onestop.applications.models import Application
from onestop.applications.tests.helpers import Mini, pdf_bytes


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def with_answers(client: Client, code: str, answers: dict[str, Any]) -> None:
    session = client.session
    session["catalogue.finder"] = {code: answers}
    session.save()


def start_from_plan(client: Client, mini: Mini) -> Application:
    with_answers(client, mini.journey.code, {"employs_staff": "yes"})
    response = client.post(reverse("applications:start", args=[mini.journey.code]))
    assert response.status_code == 302
    application = Application.objects.latest("pk")
    assert response["Location"] == reverse("applications:detail", args=[application.reference])
    return application


def pdf_file(name: str, label: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(label), "application/pdf")


def upload_url(application: Application, requirement: str) -> str:
    slot = application.documents.get(requirement=requirement)
    return reverse("applications:upload", args=[application.reference, slot.pk])
