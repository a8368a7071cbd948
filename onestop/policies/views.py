"""Pages for enterprises and the public: "support for me" and the published policies.

"Support for me" is for members of an enterprise: the policies it qualifies for (with why),
the ones it just misses (with why not), and one step to take one up: a confirmation for
automatic policies, a pre-filled form to check and send for the others. Everything works
without JavaScript; every change is a POST with its CSRF token.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestop.core.errors import DomainError, ValidationFailed
from onestop.core.forms import add_domain_errors
from onestop.core.permissions import require
from onestop.enterprises.models import Enterprise
from onestop.enterprises.selectors import enterprises_of
from onestop.policies import present
from onestop.policies.forms import ApplyForm
from onestop.policies.models import Policy, PolicyMatch, PolicyStatus, TakeupMode
from onestop.policies.permissions import can_edit_policy
from onestop.policies.services import policy_match_confirm

PAGE_SIZE = 20


# ----- support for me ----------------------------------------------------------------------


def _my_enterprise(request: HttpRequest, enterprises: list[Enterprise]) -> Enterprise | None:
    """The enterprise the page is about: the only one, or the one chosen (?enterprise=<id>).
    Asking for an enterprise the user is not a member of is refused (403)."""
    raw = request.GET.get("enterprise", "")
    if raw:
        chosen = next((e for e in enterprises if str(e.pk) == raw), None)
        require(chosen is not None)
        return chosen
    return enterprises[0] if len(enterprises) == 1 else None


@login_required
@require_GET
def support(request: HttpRequest) -> HttpResponse:
    enterprises = list(enterprises_of(request.user))  # type: ignore[arg-type]
    enterprise = _my_enterprise(request, enterprises)
    if not enterprises:
        return render(request, "policies/support_none.html")
    if enterprise is None:
        return render(request, "policies/support_choose.html", {"enterprises": enterprises})
    support = present.support_for(enterprise)
    # Policies whose validity is over stay visible (what the enterprise qualified for), apart.
    return render(
        request,
        "policies/support.html",
        {
            "enterprise": enterprise,
            "several": len(enterprises) > 1,
            "eligible": [card for card in support.eligible if not card.ended],
            "ended": [card for card in support.eligible if card.ended],
            "near": [card for card in support.near if not card.ended],
        },
    )


def _my_match(request: HttpRequest, match_id: int) -> PolicyMatch:
    """A match of one of the user's enterprises (404 when unknown, 403 when someone else's)."""
    match = (
        PolicyMatch.objects.select_related("policy", "policy__agency", "enterprise")
        .filter(pk=match_id)
        .first()
    )
    if match is None:
        raise Http404
    require(request.user.memberships.filter(enterprise_id=match.enterprise_id).exists())  # type: ignore[union-attr]
    return match


@login_required
@require_GET
def support_match(request: HttpRequest, match_id: int) -> HttpResponse:
    """One policy for one enterprise: why, what it gets, and its state (the confirmation page)."""
    match = _my_match(request, match_id)
    card = present.card_for_match(match)
    return render(request, "policies/support_match.html", {"card": card, "match": match})


@login_required
@require_POST
def support_confirm(request: HttpRequest, match_id: int) -> HttpResponse:
    """One click: an automatic policy is granted; an apply-mode one opens its pre-filled form."""
    match = _my_match(request, match_id)
    if match.policy.takeup_mode == TakeupMode.APPLY:
        return redirect("policies:support_apply", match_id=match.pk)
    if match.confirmed_at is not None:
        # A second click (or a resent form) changes nothing: the first confirmation stands.
        messages.info(
            request,
            _("Your enterprise already confirmed this on %(date)s.")
            % {"date": date_format(timezone.localtime(match.confirmed_at), "Y-m-d")},
        )
        return redirect("policies:support_match", match_id=match.pk)
    try:
        policy_match_confirm(actor=request.user, match=match)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("policies:support_match", match_id=match.pk)
    return redirect("policies:support_match", match_id=match.pk)


@login_required
@require_http_methods(["GET", "POST"])
def support_apply(request: HttpRequest, match_id: int) -> HttpResponse:
    """An apply-mode policy: the form comes filled in from the register; check it and send."""
    match = _my_match(request, match_id)
    card = present.card_for_match(match)
    if match.policy.takeup_mode != TakeupMode.APPLY or match.confirmed_at is not None or card.ended:
        return redirect("policies:support_match", match_id=match.pk)
    form = ApplyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                policy_match_confirm(actor=request.user, match=match)  # type: ignore[arg-type]
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Your application is sent."))
                return redirect("policies:support_match", match_id=match.pk)
        status = 422
    return render(
        request,
        "policies/support_apply.html",
        {"card": card, "match": match, "form": form},
        status=status,
    )


# ----- the public pages ----------------------------------------------------------------------


@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    found = (
        Policy.objects.filter(status=PolicyStatus.PUBLISHED)
        .select_related("agency")
        .order_by("-valid_from", "code")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "policies/list.html", {"page": page, "today": timezone.localdate()})


@require_GET
def policy_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Published and withdrawn policies are public (a withdrawn one says so); a draft is shown
    to its officers only."""
    policy = Policy.objects.select_related("agency").filter(code=code).first()
    if policy is None:
        raise Http404
    can_edit = can_edit_policy(request.user, policy)
    if policy.status == PolicyStatus.DRAFT and not can_edit:
        raise Http404
    context: dict[str, Any] = {
        "policy": policy,
        "can_edit": can_edit,
        "legal_basis": present.legal_basis(policy),
        "today": timezone.localdate(),
    }
    return render(request, "policies/detail.html", context)
