"""The policy officers' pages: their policies, the rule editor with a live check, publishing
and withdrawing (each confirmed on its own page), and take-up statistics with a chart.

Officers of the issuing agency and city administrators may use them
(``onestop.policies.permissions``); everyone else gets 403, anonymous users the sign-in page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestop.core.errors import DomainError, ValidationFailed
from onestop.core.forms import add_domain_errors
from onestop.core.models import Agency
from onestop.core.permissions import is_city_admin, require
from onestop.policies import present, services
from onestop.policies.forms import PolicyForm, RuleCheckForm
from onestop.policies.models import Policy, PolicyStatus, TakeupMode
from onestop.policies.permissions import can_edit_policy, is_policy_officer

SAMPLE = 10


def _editable(request: HttpRequest, code: str) -> Policy:
    policy = Policy.objects.select_related("agency").filter(code=code).first()
    if policy is None:
        raise Http404
    require(can_edit_policy(request.user, policy))
    return policy


def _agency_id(request: HttpRequest) -> int:
    """The signed-in officer's agency (0, which matches nothing, for anyone else)."""
    return int(getattr(request.user, "agency_id", None) or 0)


def _agencies(request: HttpRequest) -> Any:
    """The agencies the user may issue policies for: all for a city administrator."""
    if is_city_admin(request.user):
        return Agency.objects.order_by("code")
    return Agency.objects.filter(pk=_agency_id(request))


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    require(is_policy_officer(request.user))
    policies = Policy.objects.select_related("agency").order_by("status", "-updated_at")
    if not is_city_admin(request.user):
        policies = policies.filter(agency_id=_agency_id(request))
    return render(request, "policies/manage.html", {"policies": policies})


def _editor(
    request: HttpRequest, *, policy: Policy | None, form: PolicyForm, check: Any, status: int
) -> HttpResponse:
    return render(
        request,
        "policies/edit.html",
        {"policy": policy, "form": form, "check": check, "sample_size": SAMPLE},
        status=status,
    )


def _save_or_check(request: HttpRequest, policy: Policy | None, form: PolicyForm) -> HttpResponse:
    """The editor's POST: "check" shows the rule's problems or its count without saving;
    "save" saves the draft (the service checks the rule again and refuses a bad one)."""
    action = request.POST.get("action", "save")
    if action == "check":
        result = present.rule_check(form.data.get("rule", ""), sample=SAMPLE)
        if result.errors:
            form.is_valid()  # show the other fields' problems too, in one summary
            form.add_error("rule", result.errors_text)
            return _editor(request, policy=policy, form=form, check=result, status=422)
        return _editor(request, policy=policy, form=form, check=result, status=200)
    if form.is_valid():
        values = form.values(policy)
        if policy is None:
            values["code"] = form.cleaned_data["code"]
            values["agency"] = form.cleaned_data["agency"]
        try:
            saved = services.policy_save(actor=request.user, policy=policy, **values)  # type: ignore[arg-type]
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("policies:edit", code=saved.code)
    check: present.RuleCheck | None = None
    if "rule" in form.errors:
        check = present.rule_check(form.data.get("rule", ""), sample=SAMPLE)
    return _editor(request, policy=policy, form=form, check=check, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def policy_create(request: HttpRequest) -> HttpResponse:
    require(is_policy_officer(request.user))
    agencies = _agencies(request)
    if request.method == "POST":
        form = PolicyForm(request.POST, creating=True, agencies=agencies)
        return _save_or_check(request, None, form)
    form = PolicyForm(
        creating=True,
        agencies=agencies,
        initial={
            "takeup_mode": TakeupMode.AUTOMATIC,
            "agency": getattr(agencies.first(), "code", None),
        },
    )
    return _editor(request, policy=None, form=form, check=None, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, code: str) -> HttpResponse:
    policy = _editable(request, code)
    if policy.status != PolicyStatus.DRAFT:
        messages.info(request, _("Only a draft can be changed. Withdraw the policy to stop it."))
        return redirect("policies:detail", code=policy.code)
    if request.method == "POST":
        return _save_or_check(request, policy, PolicyForm(request.POST, creating=False))
    form = PolicyForm(creating=False, initial=PolicyForm.initial_from(policy))
    check = present.rule_check(policy.rule, sample=SAMPLE)
    return _editor(request, policy=policy, form=form, check=check, status=200)


@login_required
@require_POST
def rule_check(request: HttpRequest) -> HttpResponse:
    """htmx: the rule's problems (line and column) or how many enterprises match, and a few."""
    require(is_policy_officer(request.user))
    form = RuleCheckForm(request.POST)
    # A text over the form's limit is cut just past it: the parser then says it is too long.
    source = form.cleaned_data["rule"] if form.is_valid() else request.POST.get("rule", "")[:20_001]
    check = present.rule_check(source, sample=SAMPLE)
    return render(
        request, "policies/includes/rule_check.html", {"check": check, "sample_size": SAMPLE}
    )


def _confirm_page(request: HttpRequest, code: str, action: str) -> HttpResponse:
    policy = _editable(request, code)
    allowed = (
        policy.status == PolicyStatus.DRAFT
        if action == "publish"
        else policy.status == PolicyStatus.PUBLISHED
    )
    if request.method == "POST" and allowed:
        try:
            if action == "publish":
                services.policy_publish(actor=request.user, policy=policy)  # type: ignore[arg-type]
                messages.success(request, _("The policy is published."))
            else:
                services.policy_withdraw(actor=request.user, policy=policy)  # type: ignore[arg-type]
                messages.success(request, _("The policy is withdrawn."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("policies:detail", code=policy.code)
        return redirect("policies:detail", code=policy.code)
    if not allowed:
        messages.info(
            request,
            _("Only a draft can be published.")
            if action == "publish"
            else _("Only a published policy can be withdrawn."),
        )
        return redirect("policies:detail", code=policy.code)
    check = present.rule_check(policy.rule, sample=SAMPLE) if action == "publish" else None
    return render(
        request,
        f"policies/{action}.html",
        {"policy": policy, "check": check, "sample_size": SAMPLE},
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_publish(request: HttpRequest, code: str) -> HttpResponse:
    return _confirm_page(request, code, "publish")


@login_required
@require_http_methods(["GET", "POST"])
def policy_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    return _confirm_page(request, code, "withdraw")


@login_required
@require_GET
def policy_stats(request: HttpRequest, code: str) -> HttpResponse:
    policy = _editable(request, code)
    return render(request, "policies/stats.html", {"policy": policy, **present.stats(policy)})
