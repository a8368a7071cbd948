"""Background work of the core domain. Tasks call services; they hold no business logic."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from onestop.core.models import User


@task()
def deliver_notification(
    *, user_id: int, kind: str, params: dict[str, Any], link: str = ""
) -> None:
    from onestop.core.services import notification_deliver

    notification_deliver(user_id=user_id, kind=kind, params=params, link=link)


@task()
def send_verification_email(*, user_id: int) -> None:
    from onestop.core.services import email_verification_token

    user = User.objects.filter(pk=user_id).first()
    if user is None or user.email_verified_at is not None:
        return
    link = f"{settings.SITE_URL}/accounts/verify/{email_verification_token(user)}/"
    with translation.override(user.language):
        subject = render_to_string("core/email/verify_subject.txt", {"user": user}).strip()
        body = render_to_string("core/email/verify_body.txt", {"user": user, "link": link})
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])
