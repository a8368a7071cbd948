"""Notifications: a catalogue of kinds, in both languages, delivered by a task after commit.

A domain registers its kinds once (``register_kind``) and calls ``notify`` inside its service.
Nothing is sent if the transaction rolls back; the inbox row and the email are written by the
``deliver_notification`` task once the writing transaction has committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# A parameter is either plain text or a {"zh": ..., "en": ...} pair picked per language.
Param = str | int | Mapping[str, str]


@dataclass(frozen=True)
class NotificationKind:
    code: str
    title: Promise
    body: Promise


_KINDS: dict[str, NotificationKind] = {}


def register_kind(code: str, *, title: Promise, body: Promise) -> NotificationKind:
    kind = NotificationKind(code=code, title=title, body=body)
    _KINDS[code] = kind
    return kind


def get_kind(code: str) -> NotificationKind:
    return _KINDS[code]


def _pick(value: Param, language: str) -> str:
    if isinstance(value, Mapping):
        key = "en" if language.startswith("en") else "zh"
        return str(value.get(key) or next(iter(value.values()), ""))
    return str(value)


def render(kind: NotificationKind, params: Mapping[str, Param], language: str) -> tuple[str, str]:
    """Title and body of ``kind`` in ``language``, with named placeholders filled in."""
    values = {name: _pick(value, language) for name, value in params.items()}
    with translation.override(language):
        return str(kind.title) % values, str(kind.body) % values


def notify(
    *,
    recipient_ids: Iterable[int],
    kind: NotificationKind,
    params: Mapping[str, Param] | None = None,
    link: str = "",
) -> None:
    """Queue ``kind`` for each recipient once the current transaction commits."""
    from onestop.core.queueing import enqueue_with_commit
    from onestop.core.tasks import deliver_notification

    payload = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in (params or {}).items()}
    for user_id in sorted(set(recipient_ids)):
        enqueue_with_commit(
            deliver_notification, user_id=user_id, kind=kind.code, params=payload, link=link
        )


WELCOME = register_kind(
    "core.welcome",
    title=_("Welcome to OneStop, %(name)s"),
    body=_(
        "Your email address is confirmed. Messages from the platform arrive in this inbox, and "
        "you can use the API with a personal token. More services are being added: the home "
        "page shows which ones are ready."
    ),
)
ROLE_CHANGED = register_kind(
    "core.role_changed",
    title=_("Your role is now: %(role)s"),
    body=_("A city administrator changed your role to %(role)s."),
)
API_TOKEN_CREATED = register_kind(
    "core.api_token_created",
    title=_("A new API token was created: %(name)s"),
    body=_(
        "An API token named %(name)s was created for your account and expires on %(expires)s. "
        "If this was not you, revoke it on your API tokens page."
    ),
)
