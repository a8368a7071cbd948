"""Language choice: Chinese by default, English on request.

Pages follow the language cookie set by the language switch. API clients without the cookie
may ask with Accept-Language, so their error messages come back in their language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def _from_accept_language(header: str) -> str | None:
    for code, _quality in parse_accept_lang_header(header):
        code = code.lower()
        if code.startswith("en"):
            return "en"
        if code.startswith("zh"):
            return "zh-hans"
    return None


def language_for(request: HttpRequest) -> str:
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in SUPPORTED:
        return cookie
    if request.path.startswith("/api/"):
        asked = _from_accept_language(request.headers.get("Accept-Language", ""))
        if asked:
            return asked
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response
