import pytest
from django.core import mail, signing

from onestop.core import services
from onestop.core.errors import DomainError, ValidationFailed
from onestop.core.models import AuditEntry, Notification, User
from onestop.core.roles import Role
from onestop.enterprises.models import Enterprise, Membership

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "Li.Wei@Example.com",
    "password": "a-long-enough-passphrase",
    "display_name": "李伟",
    "role": Role.ENTERPRISE,
    "enterprise_name_zh": "北京好味餐饮有限公司",
    "credit_code": "",  # filled in by the fixture with a valid check character
}


@pytest.fixture
def good():
    from onestop.enterprises.validators import credit_code_check_character

    data = dict(GOOD)
    data["credit_code"] = "91110105MA01XYWA1" + credit_code_check_character("91110105MA01XYWA1")
    return data


def _field_codes(exc: ValidationFailed) -> dict[str, str]:
    return {e.field: e.code for e in exc.errors}


def test_enterprise_registration_creates_owner_account_and_sends_link(
    good, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_register(**good)
    assert user.email == "li.wei@example.com"
    assert user.email_verified_at is None
    membership = Membership.objects.get(user=user)
    assert membership.role == "owner"
    assert membership.enterprise.credit_code == good["credit_code"]
    assert {e.action for e in AuditEntry.objects.all()} == {"user.register", "enterprise.create"}
    assert len(mail.outbox) == 1
    assert "/accounts/verify/" in mail.outbox[0].body


def test_nothing_is_sent_when_the_transaction_rolls_back(good, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.user_register(**good)
        raise RuntimeError("simulated crash after the write")
    assert callbacks == []
    assert mail.outbox == []
    assert not User.objects.exists()
    assert not Enterprise.objects.exists()


def test_every_bad_field_is_named_and_nothing_is_written(good):
    bad = dict(
        good,
        email="not-an-email",
        display_name=" ",
        password="123",
        credit_code="91110105MA01XYWA1I",
        enterprise_name_zh="",
    )
    with pytest.raises(ValidationFailed) as caught:
        services.user_register(**bad)
    codes = _field_codes(caught.value)
    assert codes["email"] == "invalid_email"
    assert codes["display_name"] == "required"
    assert codes["password"] == "weak_password"
    assert codes["credit_code"] == "invalid_credit_code"
    assert codes["enterprise_name_zh"] == "required"
    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()


def test_staff_roles_cannot_be_chosen_at_registration(good):
    with pytest.raises(ValidationFailed) as caught:
        services.user_register(**dict(good, role=Role.CITY_ADMIN))
    assert _field_codes(caught.value)["role"] == "invalid_choice"


def test_duplicate_email_and_duplicate_enterprise_are_refused(good, cast):
    services.user_register(**good)
    with pytest.raises(ValidationFailed) as caught:
        services.user_register(**dict(good, email="li.wei@EXAMPLE.com"))
    codes = _field_codes(caught.value)
    assert codes["email"] == "email_taken"
    assert codes["credit_code"] == "enterprise_exists"


def test_investor_must_say_individual_or_company():
    with pytest.raises(ValidationFailed) as caught:
        services.user_register(
            email="inv@example.com",
            password="a-long-enough-passphrase",
            display_name="Ada",
            role=Role.INVESTOR,
        )
    assert _field_codes(caught.value)["investor_kind"] == "invalid_choice"
    user = services.user_register(
        email="inv@example.com",
        password="a-long-enough-passphrase",
        display_name="Ada",
        role=Role.INVESTOR,
        investor_kind="company",
        country="Germany",
    )
    assert user.role == Role.INVESTOR
    assert not Membership.objects.filter(user=user).exists()


def test_verification_marks_verified_once_and_sends_welcome(
    good, django_capture_on_commit_callbacks
):
    user = services.user_register(**good)
    token = services.email_verification_token(user)
    with django_capture_on_commit_callbacks(execute=True):
        services.user_verify_email(token=token)
        services.user_verify_email(token=token)
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert AuditEntry.objects.filter(action="user.verify_email").count() == 1
    welcome = Notification.objects.get(recipient=user, kind="core.welcome")
    assert "李伟" in welcome.title_zh and "李伟" in welcome.title_en
    assert welcome.title_en.startswith("Welcome")


def test_tampered_or_expired_verification_links_are_refused(good, settings):
    user = services.user_register(**good)
    token = services.email_verification_token(user)
    with pytest.raises(DomainError) as caught:
        services.user_verify_email(token=token[:-2] + "xx")
    assert caught.value.code == "verification_invalid"
    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    with pytest.raises(DomainError) as caught:
        services.user_verify_email(token=token)
    assert caught.value.code == "verification_expired"
    forged = signing.dumps({"user": user.pk, "email": "other@example.com"}, salt="wrong")
    with pytest.raises(DomainError):
        services.user_verify_email(token=forged)
