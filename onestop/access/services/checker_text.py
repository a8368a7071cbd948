"""Words for the checker's verdict, in either language, and its plain-data form.

``check_result_data(result, language)`` turns a ``CheckResult`` into a tree of plain values
(what the API returns and the pages render). The explanation is given in both languages.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.access.services.checker import (
    ActivityResult,
    CheckResult,
    Condition,
    Finding,
    Verdict,
)
from onestop.access.services.checker_data import EditionData, pick

LICENCE_FINDER_PATH = "/services/finder/"


def pct(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def licence_finder_url() -> str:
    """The licence finder's page once the catalogue provides it, else its planned path."""
    return _licence_finder_url(get_urlconf(), get_script_prefix())


@functools.cache
def _licence_finder_url(urlconf: str | None, script_prefix: str) -> str:
    # Kept per URL configuration and prefix: every API answer carries this link.
    try:
        return reverse("catalogue:finder", urlconf=urlconf)
    except NoReverseMatch:
        return LICENCE_FINDER_PATH


# The label tables hold lazy texts; ``_label`` keeps each text once per language, since an
# answer reads a dozen labels and every translation lookup goes through Django's
# per-thread machinery (a visible part of the API's latency, issue 3).
MEASURE_LABELS = {
    "prohibited": gettext_lazy("Prohibited"),
    "chinese_control": gettext_lazy("Chinese control"),
    "chinese_relative_control": gettext_lazy("Chinese relative control"),
    "equity_cap": gettext_lazy("Foreign equity cap"),
    "jv_only": gettext_lazy("Joint ventures only"),
    "other_restriction": gettext_lazy("Other restriction"),
}
CLASSIFICATION_LABELS = {
    "permitted": gettext_lazy("Permitted (national treatment)"),
    "restricted": gettext_lazy("Restricted"),
    "prohibited": gettext_lazy("Prohibited"),
    "depends": gettext_lazy("Depends on your answer"),
}
ALLOWED_LABELS = {
    "yes": gettext_lazy("Yes, allowed"),
    "no": gettext_lazy("No, not allowed as proposed"),
    "depends": gettext_lazy("It depends"),
}
_TABLES = {
    "measure": MEASURE_LABELS,
    "classification": CLASSIFICATION_LABELS,
    "allowed": ALLOWED_LABELS,
}


@functools.cache
def _label(table: str, kind: str, language: str) -> str:
    label = _TABLES[table].get(kind)
    if label is None:
        return kind
    with translation.override(language):
        return str(label)


def _active_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def measure_label(kind: str, language: str | None = None) -> str:
    """The measure type's label in ``language`` (default: the active one); unknown: as is."""
    return _label("measure", kind, language or _active_language())


def classification_label(kind: str, language: str | None = None) -> str:
    if kind not in CLASSIFICATION_LABELS:
        raise KeyError(kind)
    return _label("classification", kind, language or _active_language())


def allowed_label(kind: str, language: str | None = None) -> str:
    if kind not in ALLOWED_LABELS:
        raise KeyError(kind)
    return _label("allowed", kind, language or _active_language())


def condition_texts(condition: Condition, language: str) -> tuple[str, str]:
    """(the condition, what would satisfy it) in the active language."""
    limit = pct(condition.limit)
    kind = condition.kind
    if kind == "prohibited":
        return _("No foreign investment is allowed."), _("no foreign investment at all (0 %)")
    if kind == "chinese_control":
        return (
            _("The Chinese side must hold control: foreign share at most %(limit)s %%.")
            % {"limit": limit},
            _("at most %(limit)s %% foreign") % {"limit": limit},
        )
    if kind == "max_foreign_share":
        return (
            _("Foreign share at most %(limit)s %%.") % {"limit": limit},
            _("at most %(limit)s %% foreign") % {"limit": limit},
        )
    if kind == "relative_control":
        return (
            _(
                "The Chinese investors together must hold more than the largest foreign "
                "investor (relative control); they would hold %(chinese)s %%."
            )
            % {"chinese": limit},
            _("the largest foreign investor below %(chinese)s %%") % {"chinese": limit},
        )
    if kind == "jv_only":
        return (
            _("Only as a joint venture with a Chinese investor."),
            _("a Chinese partner: foreign share below 100 %"),
        )
    if kind == "max_single_foreign_share":
        return (
            _("One foreign investor (with its affiliates) may hold at most %(limit)s %%.")
            % {"limit": limit},
            _("at most %(limit)s %% for any one foreign investor") % {"limit": limit},
        )
    if kind == "other_restriction":
        return (
            _("Listed as a special measure without a stated condition."),
            _("ask the competent authority"),
        )
    requirement = pick(condition.requirement, language)
    return requirement, requirement


def warning_text(code: str, params: dict[str, Any], language: str) -> str:
    if code == "no_ftz_edition":
        return _("No free-trade-zone list is loaded for this date: the national list is used.")
    if code == "ftz_follows_national":
        return _(
            "The national list in force (%(title)s) is more open for this proposal than the "
            "last free-trade-zone list loaded, and a pilot free trade zone is never more "
            "restrictive than the national list: this answer follows the national list."
        ) % {"title": pick(params["edition"].title, language)}
    edition: EditionData = params["edition"]
    decree = pick(params.get("decree"), language)
    text = _(
        "%(title)s was replaced on %(date)s by the %(successor)s edition (%(decree)s), which is "
        "not loaded here. This answer rests on the older edition and may be out of date."
    ) % {
        "title": pick(edition.title, language),
        "date": params["repeal"].isoformat(),
        "successor": params.get("successor") or "?",
        "decree": decree or "?",
    }
    if params.get("uncertain"):
        text += " " + _("The successor's details are not confirmed.")
    return text


def _edition(edition: EditionData, language: str) -> dict[str, Any]:
    return {
        "id": edition.id,
        "code": edition.code,
        "scope": edition.scope,
        "title": pick(edition.title, language),
        "decree": pick(edition.decree, language),
        "effective": edition.effective,
        "repeal": edition.repeal,
    }


def _finding(finding: Finding, language: str) -> dict[str, Any]:
    item = finding.item
    conditions = []
    for condition in finding.conditions:
        text, fix = condition_texts(condition, language)
        conditions.append(
            {"kind": condition.kind, "text": text, "met": condition.met, "satisfied_by": fix}
        )
    measure = finding.measure
    return {
        "item_id": item.id,
        "number": item.number,
        "key": item.key,
        "edition": item.edition_code,
        "summary": pick(item.summary, language),
        "coverage": finding.coverage,
        "status": finding.status,
        "allowed": finding.allowed,
        "measure": measure.measure if measure else item.measure.measure,
        "measure_label": measure_label(
            measure.measure if measure else item.measure.measure, language
        ),
        "subject": pick(measure.subject, language) if measure and measure.key != "item" else "",
        "conditions": conditions,
        "question": pick(item.question.get("text"), language) if finding.status == "open" else "",
        "uncertain": item.uncertain,
        "uncertain_note": pick(item.uncertain_note, language) if item.uncertain else "",
    }


def _activity_sentence(activity: ActivityResult, language: str) -> str:
    name = pick(activity.name, language)
    applying = [f for f in activity.findings if f.status == "applies"]
    if activity.allowed == "yes" and not applying:
        return _(
            "%(code)s %(name)s is not on the negative list: permitted on the same terms as "
            "domestic investment."
        ) % {"code": activity.code, "name": name}
    if activity.allowed == "yes":
        return _(
            "%(code)s %(name)s is restricted by item %(numbers)s; the proposal meets "
            "its conditions."
        ) % {
            "code": activity.code,
            "name": name,
            "numbers": ", ".join(str(f.item.number) for f in applying),
        }
    if activity.allowed == "no":
        broken = [
            condition_texts(c, language)[1]
            for f in activity.findings
            for c in f.conditions
            if c.met is False
        ]
        broken += [pick(n.text, language) for n in activity.notes if n.broken]
        return _("%(code)s %(name)s: not allowed as proposed. It would need: %(fix)s.") % {
            "code": activity.code,
            "name": name,
            "fix": "; ".join(broken),
        }
    return _("%(code)s %(name)s: it depends on what exactly the company does.") % {
        "code": activity.code,
        "name": name,
    }


def explanation(verdict: Verdict, language: str) -> str:
    with translation.override(language):
        lines = [_activity_sentence(a, language) for a in verdict.activities]
        lines.append(
            _("Legal basis: %(title)s (%(decree)s).")
            % {
                "title": pick(verdict.edition.title, language),
                "decree": pick(verdict.edition.decree, language),
            }
        )
        return " ".join(lines)


def _verdict(verdict: Verdict, language: str) -> dict[str, Any]:
    return {
        "edition": _edition(verdict.edition, language),
        "allowed": verdict.allowed,
        "allowed_label": allowed_label(verdict.allowed, language),
        "classification": verdict.classification,
        "classification_label": classification_label(verdict.classification, language),
        "warnings": [warning_text(code, params, language) for code, params in verdict.warnings],
        "activities": [
            {
                "code": a.code,
                "name": pick(a.name, language),
                "name_en_missing": not a.name.get("en"),
                "classification": a.classification,
                "classification_label": classification_label(a.classification, language),
                "allowed": a.allowed,
                "allowed_label": allowed_label(a.allowed, language),
                "items": [_finding(f, language) for f in a.findings],
            }
            for a in verdict.activities
        ],
        "notes": [
            {"key": n.key, "kind": n.kind, "text": pick(n.text, language), "broken": n.broken}
            for n in verdict.notes
        ],
        "questions": [
            {
                "key": q["question"]["key"],
                "text": pick(q["question"]["text"], language),
                "options": [
                    {"value": o["value"], "label": pick(o["label"], language)}
                    for o in q["question"]["options"]
                ],
                "items": [item.number for item in q["items"]],
            }
            for q in verdict.questions
        ],
    }


def check_result_data(result: CheckResult, language: str) -> dict[str, Any]:
    """The whole answer as plain data, texts in ``language``; the explanation in both."""
    with translation.override(language):
        main = _verdict(result.verdict, language)
        alternatives = [
            {"kind": kind, **_verdict(verdict, language)} for kind, verdict in result.alternatives
        ]
        licence = _(
            "Market access is only the first step: the licences of the sector (for example "
            "food, cinema or travel-agency licences) still apply. The licence finder lists them."
        )
    return {
        "input": {
            "date": result.date,
            "form": result.form,
            "place": result.place,
            # Numbers as the API gives them (the checker works in Decimal).
            "foreign_share": float(result.total_share),
            "single_share": float(result.single_share),
        },
        **main,
        "alternatives": alternatives,
        "explanation": {
            "zh": explanation(result.verdict, "zh-hans"),
            "en": explanation(result.verdict, "en"),
        },
        "licence_reminder": {"text": licence, "url": licence_finder_url()},
    }
