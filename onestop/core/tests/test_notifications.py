import pytest
from django.core import mail

from onestop.core import notifications, services
from onestop.core.models import Notification
from onestop.core.roles import OfficerLevel, Role

pytestmark = pytest.mark.django_db


def test_notification_is_stored_in_both_languages_and_emailed_in_the_users_language(
    cast, django_capture_on_commit_callbacks
):
    cast.owner.language = "en"
    cast.owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.user_assign_role(
            actor=cast.city_admin,
            user=cast.owner,
            role=Role.OFFICER,
            agency=cast.agency_a,
            officer_level=OfficerLevel.REVIEWER,
        )
    note = Notification.objects.get(recipient=cast.owner)
    assert note.title_en == "Your role is now: Agency officer"
    assert note.title_zh  # Chinese text present (translated once the catalogue exists)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == note.title_en
    assert note.emailed_at is not None


def test_nothing_is_delivered_before_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.user_assign_role(
            actor=cast.city_admin, user=cast.investor, role=Role.SERVICE_MANAGER
        )
        assert not Notification.objects.exists()
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_only_city_admins_assign_roles(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.user_assign_role(actor=cast.officer_a, user=cast.owner, role=Role.CITY_ADMIN)


def test_render_picks_bilingual_parameters():
    kind = notifications.ROLE_CHANGED
    params = {"role": {"zh": "城市管理员", "en": "City administrator"}}
    title_en, _body = notifications.render(kind, params, "en")
    title_zh, _body = notifications.render(kind, params, "zh-hans")
    assert "City administrator" in title_en
    assert "城市管理员" in title_zh


def test_mark_read_only_for_the_recipient(cast, django_capture_on_commit_callbacks):
    from django.http import Http404

    with django_capture_on_commit_callbacks(execute=True):
        services.user_assign_role(actor=cast.city_admin, user=cast.owner, role=Role.INVESTOR)
    note = Notification.objects.get(recipient=cast.owner)
    with pytest.raises(Http404):
        services.notification_mark_read(user=cast.other_member, notification_id=note.pk)
    services.notification_mark_read(user=cast.owner, notification_id=note.pk)
    note.refresh_from_db()
    assert note.read_at is not None
