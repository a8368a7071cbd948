"""Personal API tokens: created once, stored as a digest, revocable, expiring."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from onestop.conftest import Cast
from onestop.core import services
from onestop.core.models import ApiToken, AuditEntry, User

pytestmark = pytest.mark.django_db


def bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def me(plain: str) -> Any:
    return Client().get("/api/v1/me", headers=bearer(plain))


def create(client: Client, **payload: Any) -> Any:
    return client.post("/api/v1/tokens", data=json.dumps(payload), content_type="application/json")


def test_a_token_created_through_the_api_works_and_is_shown_once(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.owner)
    response = create(client, name="my script", days=30)
    assert response.status_code == 201
    created = response.json()
    plain = created["token"]
    assert plain.startswith(f"os_{created['prefix']}_")
    assert created["name"] == "my script"
    expires = dt.datetime.fromisoformat(created["expires_at"])
    assert dt.timedelta(days=29) < expires - timezone.now() <= dt.timedelta(days=30)

    answer = me(plain)
    assert answer.status_code == 200
    assert answer.json()["email"] == "owner@example.com"

    listed = client.get("/api/v1/tokens").json()
    assert [t["id"] for t in listed] == [created["id"]]
    assert "token" not in listed[0]
    assert "digest" not in listed[0]
    assert plain not in json.dumps(listed)
    assert AuditEntry.objects.filter(action="api_token.create", actor=cast.owner).exists()


def test_the_default_lifetime_comes_from_the_settings(cast: Cast, settings: Any) -> None:
    client = Client()
    client.force_login(cast.owner)
    created = create(client, name="defaults").json()
    expires = dt.datetime.fromisoformat(created["expires_at"])
    days = (expires - timezone.now()).days + 1
    assert days == settings.API_TOKEN_DEFAULT_DAYS


def test_only_a_sha256_digest_is_stored(cast: Cast) -> None:
    token, plain = services.api_token_create(user=cast.owner, name="stored", days=5)
    token.refresh_from_db()
    assert token.digest == hashlib.sha256(plain.encode()).hexdigest()
    assert token.digest != plain
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    # The secret part may itself contain "_" (URL-safe base64): cut the known head off instead.
    secret = plain.removeprefix(f"{services.TOKEN_PREFIX}{token.prefix}_")
    assert len(secret) >= 40
    assert not any(secret in value for value in stored)


def test_last_use_is_recorded(cast: Cast) -> None:
    token, plain = services.api_token_create(user=cast.owner, name="used")
    assert token.last_used_at is None
    assert me(plain).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_stops_working(cast: Cast) -> None:
    token, plain = services.api_token_create(user=cast.owner, name="to revoke")
    _other, other_plain = services.api_token_create(user=cast.owner, name="revoker")
    response = Client().delete(f"/api/v1/tokens/{token.pk}", headers=bearer(other_plain))
    assert response.status_code == 204
    assert response.content == b""
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert me(plain).status_code == 401
    assert me(other_plain).status_code == 200
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()
    # Revoking again is harmless and changes nothing.
    again = Client().delete(f"/api/v1/tokens/{token.pk}", headers=bearer(other_plain))
    assert again.status_code == 204
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


def test_a_token_can_revoke_itself(cast: Cast) -> None:
    token, plain = services.api_token_create(user=cast.owner, name="self")
    assert Client().delete(f"/api/v1/tokens/{token.pk}", headers=bearer(plain)).status_code == 204
    assert me(plain).status_code == 401


def test_an_expired_token_stops_working(cast: Cast) -> None:
    token, plain = services.api_token_create(user=cast.owner, name="short", days=1)
    assert me(plain).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = me(plain)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_token_of_an_inactive_user_stops_working(cast: Cast) -> None:
    _token, plain = services.api_token_create(user=cast.investor, name="gone")
    User.objects.filter(pk=cast.investor.pk).update(is_active=False)
    assert me(plain).status_code == 401


def test_another_users_token_cannot_be_revoked_or_listed(cast: Cast) -> None:
    victim, victim_plain = services.api_token_create(user=cast.owner, name="victim")
    _mine, plain = services.api_token_create(user=cast.other_member, name="attacker")
    response = Client().delete(f"/api/v1/tokens/{victim.pk}", headers=bearer(plain))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    victim.refresh_from_db()
    assert victim.revoked_at is None
    assert me(victim_plain).status_code == 200
    listed = Client().get("/api/v1/tokens", headers=bearer(plain)).json()
    assert [t["name"] for t in listed] == ["attacker"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer os_000000000000_not-a-real-secret",
        "Bearer nonsense",
        "Bearer ",
        "Token os_000000000000_wrong-scheme",
        "Basic b3duZXI6cGFzc3dvcmQ=",
    ],
)
def test_made_up_tokens_are_refused(cast: Cast, header: str) -> None:
    response = Client().get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_tampered_secret_with_a_real_prefix_is_refused(cast: Cast) -> None:
    _token, plain = services.api_token_create(user=cast.owner, name="real")
    assert me(plain[:-1] + ("A" if plain[-1] != "A" else "B")).status_code == 401


@pytest.mark.parametrize("days", [0, 366])
def test_lifetimes_out_of_range_are_refused(cast: Cast, days: int) -> None:
    client = Client()
    client.force_login(cast.owner)
    response = create(client, name="x", days=days)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.days"]
    assert not ApiToken.objects.exists()
