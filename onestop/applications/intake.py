"""Intake helpers: the market-access check of a business profile, time limits of a service.

Pure functions (no writes). ``data/intake.json`` holds the mapping from the licence finder's
activities to GB/T 4754-2017 classes, the procedures that restricted negative-list items
require, and the general time limit used when a procedure records none.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.translation import gettext as _

from onestop.access.services.checker import access_check
from onestop.access.services.checker_data import pick
from onestop.access.services.checker_text import check_result_data, condition_texts
from onestop.catalogue.models import ServiceVersion
from onestop.core.errors import DomainError, FieldError, ValidationFailed

DATA = Path(__file__).parent / "data" / "intake.json"
FORMS = {"company": "company", "partnership": "partnership"}
PLACES = ("outside_ftz", "inside_ftz")


@functools.cache
def intake_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def jsonable(value: Any) -> Any:
    """Plain JSON data (dates, decimals and lazy strings turned into text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def industry_codes(profile: dict[str, Any], extra: list[str] | None = None) -> list[str]:
    """The GB/T 4754 classes of the profile's activities, plus any the applicant gave."""
    mapping = intake_data()["activities"]
    codes: list[str] = []
    for activity in profile.get("profile.activities") or []:
        codes.extend(mapping.get(activity, []))
    codes.extend(extra or [])
    return list(dict.fromkeys(codes))


def _refusal(result: Any) -> DomainError:
    """The prohibited activities, each with its reason and the list item that forbids it."""
    errors: list[FieldError] = []
    language = translation.get_language() or "zh-hans"
    for index, activity in enumerate(result.verdict.activities):
        if activity.allowed != "no":
            continue
        for finding in activity.findings:
            if finding.allowed != "no":
                continue
            reasons = [
                condition_texts(c, language)[0] for c in finding.conditions if c.met is False
            ]
            errors.append(
                FieldError(
                    f"activities.{index}",
                    _(
                        "%(code)s %(name)s: not allowed with foreign investment: %(reason)s "
                        "(%(edition)s, item %(number)s: %(summary)s)"
                    )
                    % {
                        "code": activity.code,
                        "name": pick(activity.name, language),
                        "reason": "; ".join(reasons) or pick(finding.item.summary, language),
                        "edition": pick(result.verdict.edition.title, language),
                        "number": finding.item.number,
                        "summary": pick(finding.item.summary, language),
                    },
                    "prohibited",
                )
            )
    return DomainError(
        code="access_prohibited",
        message=_(
            "The market-access negative list does not allow this business as planned, so the "
            "application cannot be made."
        ),
        status=422,
        errors=errors,
    )


def _questions(result: Any) -> ValidationFailed:
    """The negative list's questions the answers leave open (the verdict depends on them)."""
    language = translation.get_language() or "zh-hans"
    errors = []
    for entry in result.verdict.questions:
        question = entry["question"]
        options = "; ".join(
            f"{option['value']} = {pick(option['label'], language)}"
            for option in question.get("options", [])
        )
        errors.append(
            FieldError(
                f"access_answers.{question['key']}",
                _("%(question)s Answer with one of: %(options)s (items %(items)s).")
                % {
                    "question": pick(question.get("text"), language),
                    "options": options,
                    "items": ", ".join(str(item.number) for item in entry["items"]),
                },
                "question",
            )
        )
    return ValidationFailed(
        errors,
        message=_(
            "Whether this business is open to foreign investment depends on what exactly it "
            "will do: answer the questions of the negative list."
        ),
    )


def access_snapshot(
    profile: dict[str, Any], *, codes: list[str], place: str, answers: dict[str, str]
) -> dict[str, Any]:
    """The access checker's verdict on the profile, as stored with the application.

    Raises DomainError ``access_prohibited`` (one FieldError per forbidden activity, naming the
    list item) when the investment is not allowed as planned, and ValidationFailed (fields
    ``access_answers.<question>``) when the verdict depends on answers not given yet.
    """
    share = Decimal(str(profile.get("profile.foreign_share") or 0)) * 100
    form = FORMS.get(str(profile.get("profile.entity_form") or "company"))
    if share == 0 or form is None or not codes:
        reason = "domestic" if share == 0 else ("form" if form is None else "no_activity")
        return {"applicable": False, "reason": reason, "conditions": [], "procedures": []}
    result = access_check(
        activities=codes,
        foreign_share=share,
        form=form,
        place=place,
        answers=answers,
        compare=False,
    )
    if result.verdict.allowed == "no":
        raise _refusal(result)
    if result.verdict.questions:
        raise _questions(result)
    conditions: list[dict[str, Any]] = []
    procedures: list[str] = []
    extra = intake_data()["restricted_procedures"]
    for activity in result.verdict.activities:
        for finding in activity.findings:
            if finding.status != "applies":
                continue
            for condition in finding.conditions:
                zh = condition_texts(condition, "zh-hans")[0]
                en = condition_texts(condition, "en")[0]
                conditions.append(
                    {
                        "activity": activity.code,
                        "item": finding.item.number,
                        "key": finding.item.key,
                        "kind": condition.kind,
                        "met": condition.met,
                        "zh": zh,
                        "en": en,
                    }
                )
            for identifier in extra.get(finding.item.key, []):
                if identifier not in procedures:
                    procedures.append(identifier)
    return jsonable(
        {
            "applicable": True,
            "allowed": result.verdict.allowed,
            "classification": result.verdict.classification,
            "activities": codes,
            "place": place,
            "foreign_share": share,
            "conditions": conditions,
            "procedures": procedures,
            "explanation": check_result_data(result, "en")["explanation"],
            "edition": result.verdict.edition.code,
        }
    )


def service_limit(version: ServiceVersion | None) -> tuple[int, str, str]:
    """(limit, clock unit, source) for a case: committed, else statutory, else the general
    twenty working days of the Administrative Licensing Law."""
    if version is not None:
        for source, limit in (
            ("committed", version.committed_limit),
            ("statutory", version.statutory_limit),
        ):
            if not limit:
                continue
            if limit.get("unit") == "immediate":
                return 0, "working_days", source
            if limit.get("value") is not None:
                unit = "days" if limit.get("unit") == "days" else "working_days"
                return int(-(-Decimal(str(limit["value"])) // 1)), unit, source
    default = intake_data()["default_limit"]
    return int(default["value"]), str(default["unit"]), "default"
