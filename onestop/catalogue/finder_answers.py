"""Answers to a journey's questions -> the business profile the service rules read.

Every problem names its question: a missing answer, a value of the wrong kind or out of
range, or two answers that contradict each other (the journey's ``checks``: CEL rules that
must NOT hold, each pointing at the question to change).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from onestop.catalogue.models import Journey
from onestop.catalogue.profile import profile_rule
from onestop.core.errors import FieldError, ValidationFailed
from onestop.rules import explain

TRUE = {True, "true", "yes", "1"}
FALSE = {False, "false", "no", "0"}


def localized(question: dict[str, Any], name: str) -> str:
    english = (get_language() or "zh-hans").startswith("en")
    first, second = (f"{name}_en", f"{name}_zh") if english else (f"{name}_zh", f"{name}_en")
    return str(question.get(first) or question.get(second) or "")


def _number(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _convert(question: dict[str, Any], raw: Any) -> tuple[Any, str]:
    """(value, "") or (None, problem message)."""
    kind = question["type"]
    if kind == "bool":
        token = raw.strip().lower() if isinstance(raw, str) else raw
        if isinstance(token, bool | int | str) and token in TRUE:
            return True, ""
        if isinstance(token, bool | int | str) and token in FALSE:
            return False, ""
        return None, _("Choose yes or no.")
    if kind in ("number", "percent"):
        value = _number(raw)
        if value is None:
            return None, _("Enter a number.")
        low, high = question.get("min"), question.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            if high is None:
                return None, _("Enter %(low)s or more.") % {"low": low}
            return None, _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        number = float(value / 100) if kind == "percent" else float(value)
        return (int(number) if number.is_integer() else number), ""
    values = [c["value"] for c in question.get("choices", [])]
    if kind == "choice":
        return (raw, "") if raw in values else (None, _("Choose one of the options."))
    items = [raw] if isinstance(raw, str) else list(raw or [])
    if any(item not in values for item in items):
        return None, _("Choose from the options given.")
    return items, ""


def answer_problem(journey: Journey, key: str, raw: Any) -> str:
    """The problem with one answer (empty if fine): for the one-question-per-page form."""
    question = next(q for q in journey.questions if q["key"] == key)
    if raw is None or (raw == "" and question["type"] != "multi"):
        return _("Answer the question: %(question)s") % {"question": localized(question, "label")}
    return _convert(question, raw)[1]


def profile_from_answers(
    journey: Journey, answers: dict[str, Any], *, today: dt.date
) -> dict[str, Any]:
    errors: list[FieldError] = []
    profile: dict[str, Any] = {f"profile.{k}": v for k, v in journey.fixed.items()}
    profile["date"] = today
    asked = {q["key"] for q in journey.questions}
    for key in sorted(set(answers) - asked):
        errors.append(
            FieldError(f"answers.{key}", _("This journey does not ask this question."), "unknown")
        )
    for question in journey.questions:
        key = question["key"]
        raw = answers.get(key)
        if raw is None or (raw == "" and question["type"] != "multi"):
            errors.append(
                FieldError(
                    f"answers.{key}",
                    _("Answer the question: %(question)s")
                    % {"question": localized(question, "label")},
                    "required",
                )
            )
            continue
        value, problem = _convert(question, raw)
        if problem:
            errors.append(FieldError(f"answers.{key}", problem, "invalid"))
            continue
        if question["type"] == "multi":
            fixed = list(journey.fixed.get(key, []))
            value = fixed + [v for v in value if v not in fixed]
        profile[f"profile.{key}"] = value
    if errors:
        raise ValidationFailed(errors)
    for check in journey.checks:
        if explain(profile_rule(check["rule"]), profile).passed:
            errors.append(
                FieldError(
                    f"answers.{check['question']}", localized(check, "message"), "contradiction"
                )
            )
    if errors:
        raise ValidationFailed(errors, message=_("Some answers contradict each other."))
    return profile
