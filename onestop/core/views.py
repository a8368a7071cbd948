"""Core pages: home, registration and sign-in, inbox, API tokens, audit log, language, health."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestop.core import permissions, selectors, services
from onestop.core.errors import DomainError, ValidationFailed
from onestop.core.forms import (
    ApiTokenForm,
    AuditFilterForm,
    EnterpriseRegistrationForm,
    InvestorRegistrationForm,
    LoginForm,
    ResendVerificationForm,
    add_domain_errors,
)
from onestop.core.roles import Role


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


# ----- registration and sign-in ----------------------------------------------------------


@require_GET
def register_start(request: HttpRequest) -> HttpResponse:
    """One question: who are you registering as? The answer (GET ``kind``) opens the form."""
    kind = request.GET.get("kind")
    if kind in {"enterprise", "investor"}:
        return redirect("core:register", kind=kind)
    # A form sent with no radio chosen carries no ``kind`` at all: ``sent`` tells it apart from
    # the first visit, so "Continue" without an answer shows the error instead of nothing.
    error = (
        _("Choose whether you register as an enterprise or as an investor.")
        if "kind" in request.GET or "sent" in request.GET
        else None
    )
    return render(request, "core/register_start.html", {"error": error})


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, kind: str) -> HttpResponse:
    form_class = {"enterprise": EnterpriseRegistrationForm, "investor": InvestorRegistrationForm}
    if kind not in form_class:
        from django.http import Http404

        raise Http404
    form = form_class[kind](request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_register(
                role=Role.ENTERPRISE if kind == "enterprise" else Role.INVESTOR,
                language=request.LANGUAGE_CODE,
                ip_address=_client_ip(request),
                **form.cleaned_data,
            )
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            request.session["registered_email"] = form.cleaned_data["email"]
            return redirect("core:register_done")
    return render(request, "core/register.html", {"form": form, "kind": kind})


@require_GET
def register_done(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/register_done.html", {"email": request.session.get("registered_email", "")}
    )


@require_GET
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.user_verify_email(token=token)
    except DomainError as exc:
        return render(
            request,
            "core/verify_failed.html",
            {"message": exc.message, "form": ResendVerificationForm()},
            status=400,
        )
    messages.success(request, _("Your email address is confirmed. You can sign in now."))
    return redirect("core:login")


@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    form = ResendVerificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.user_request_verification(email=form.cleaned_data["email"])
        messages.info(
            request,
            _("If an unconfirmed account uses this address, a new link is on its way."),
        )
        return redirect("core:login")
    return render(request, "core/resend_verification.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Pages follow the language the user chose last time.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.get_user().language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.PRODUCTION,
        )
        return response


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


# ----- inbox -----------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 20).get_page(  # type: ignore[arg-type]
        request.GET.get("page")
    )
    return render(request, "core/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = services.notification_mark_read(
        user=request.user,  # type: ignore[arg-type]
        notification_id=notification_id,
    )
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(link)
    return redirect("core:inbox")


# ----- API tokens ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, plain = services.api_token_create(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            # Post/redirect/get, so a reload cannot create a second token. The plain token
            # waits in the session for exactly one display.
            request.session[_NEW_TOKEN_KEY] = plain
            return redirect("core:api_tokens")
    new_token = request.session.pop(_NEW_TOKEN_KEY, None) if request.method == "GET" else None
    tokens = selectors.api_tokens_of(request.user)  # type: ignore[arg-type]
    return render(
        request, "core/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token}
    )


_NEW_TOKEN_KEY = "onestop.new_api_token"


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    services.api_token_revoke(actor=request.user, token_id=token_id)  # type: ignore[arg-type]
    messages.success(request, _("The token is revoked and can no longer be used."))
    return redirect("core:api_tokens")


# ----- audit log -------------------------------------------------------------------------


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_view_audit_log(request.user))
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "actor_email": data["actor"],
            "action": data["action"],
            "object_type": data["object_type"],
            "object_id": data["object_id"],
            "since": data["since"],
            "until": data["until"],
        }
    entries = selectors.audit_entries(**filters) if not form.errors else selectors.audit_entries()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "actions": selectors.audit_actions(),
            "query": query.urlencode(),
        },
    )


# ----- language --------------------------------------------------------------------------


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or reverse("core:home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("core:home")
    response = HttpResponseRedirect(next_url)
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.PRODUCTION,
        )
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
    return response


# ----- health and errors -----------------------------------------------------------------


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and task-queue status for load balancers and monitoring. No secrets, no auth."""
    from onestop.core.health import health_report

    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def _wants_problem_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def _problem(request: HttpRequest, status: int, code: str, title: str) -> JsonResponse:
    from onestop.core.api_errors import PROBLEM_CONTENT_TYPE, problem_body

    return JsonResponse(
        problem_body(request, status=status, code=code, title=title),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_problem_json(request):
        return _problem(request, 404, "not_found", _("Nothing was found at this address."))
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, permissions.NotAuthenticated) and not _wants_problem_json(request):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if _wants_problem_json(request):
        return _problem(
            request, 403, "forbidden", _("You do not have permission to see or change this.")
        )
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the context processors may need the database that just failed.
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
