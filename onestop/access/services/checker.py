"""The access checker: may this foreign investment go ahead, and on what legal basis?

``access_check(...)`` is a pure function over the loaded editions (``checker_data``): no
database query, no text. It returns a structured verdict; ``checker_text`` words it in either
language. Shares are percentages; the largest single foreign investor's share defaults to the
total (one foreign investor).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.access.services.checker_data import (
    CheckerData,
    EditionData,
    ItemData,
    Measure,
    ancestors,
    checker_data,
)
from onestop.core.errors import FieldError, ValidationFailed

FORMS = ("company", "partnership", "individual_business")
PLACES = ("outside_ftz", "inside_ftz")
EQUITY_MEASURES = {"chinese_control", "chinese_relative_control", "equity_cap", "jv_only"}
HUNDRED = Decimal(100)
CHINESE_CONTROL_CAP = Decimal(49)  # interpretation, stated in the edition's notes
MAX_ACTIVITIES = 20


@dataclass(frozen=True)
class Condition:
    kind: str  # prohibited, max_foreign_share, chinese_control, relative_control, jv_only,
    # max_single_foreign_share, other_restriction, requirement
    limit: Decimal | None
    met: bool | None  # None: cannot be decided from the inputs
    requirement: dict[str, str] | None = None


@dataclass
class Finding:
    """One item that touches the activity."""

    item: ItemData
    coverage: str
    status: str  # applies, open (question unanswered), not_applicable (answered "no")
    measure: Measure | None = None
    conditions: list[Condition] = field(default_factory=list)
    allowed: str = "yes"


@dataclass
class NoteResult:
    key: str
    kind: str
    text: dict[str, str]
    broken: bool | None  # True: the proposal breaks it; None: information, or it depends


@dataclass
class ActivityResult:
    code: str
    name: dict[str, str]
    classification: str  # permitted, restricted, prohibited, depends
    allowed: str  # yes, no, depends
    findings: list[Finding]
    notes: list[NoteResult]


@dataclass
class Verdict:
    edition: EditionData
    activities: list[ActivityResult]
    allowed: str
    classification: str
    notes: list[NoteResult]
    questions: list[dict[str, Any]]
    warnings: list[tuple[str, dict[str, Any]]]  # (machine code, parameters)


@dataclass
class CheckResult:
    date: dt.date
    form: str
    place: str
    total_share: Decimal
    single_share: Decimal
    verdict: Verdict
    alternatives: list[tuple[str, Verdict]]  # ("other_place" | "other_edition", verdict)


# ----- input -------------------------------------------------------------------------------


def _closest(code: str) -> list[str]:
    """Up to five known codes close to an unknown one (the industry search, when present)."""
    try:
        from onestop.access.selectors import industry_closest

        return [node.code for node in industry_closest(code)][:5]
    except ImportError:  # pragma: no cover - the industry selectors ship with this package
        data = checker_data()
        prefix = code[:-1] if len(code) > 1 else code
        while prefix and not any(c.startswith(prefix) for c in data.names):
            prefix = prefix[:-1]
        return sorted(c for c in data.names if prefix and c.startswith(prefix))[:5]


def _validate(
    data: CheckerData,
    activities: list[str],
    total: Decimal,
    single: Decimal,
    form: str,
    place: str,
) -> None:
    errors: list[FieldError] = []
    if not activities:
        errors.append(FieldError("activities", _("Choose at least one activity."), "required"))
    if len(activities) > MAX_ACTIVITIES:
        errors.append(
            FieldError(
                "activities",
                _("Check at most %(count)s activities at once.") % {"count": MAX_ACTIVITIES},
            )
        )
    for n, code in enumerate(activities):
        if code not in data.names:
            close = _closest(code)
            message = _("%(code)s is not a GB/T 4754-2017 industry code.") % {"code": code}
            if close:
                message += " " + _("Closest codes: %(codes)s.") % {"codes": ", ".join(close)}
            errors.append(FieldError(f"activities.{n}", message, "unknown_industry"))
    if not Decimal(0) <= total <= HUNDRED:
        errors.append(
            FieldError("foreign_share", _("The foreign share is from 0 to 100 %."), "share")
        )
    if not Decimal(0) <= single <= HUNDRED or single > total:
        errors.append(
            FieldError(
                "single_share",
                _(
                    "The largest foreign investor's share is from 0 to the total foreign "
                    "share, never more."
                ),
                "share",
            )
        )
    if form not in FORMS:
        errors.append(FieldError("form", _("Choose company, partnership or individual business.")))
    if place not in PLACES:
        errors.append(FieldError("place", _("Choose inside or outside a pilot free trade zone.")))
    if errors:
        raise ValidationFailed(errors)


def edition_in_force(
    data: CheckerData, scope: str, on: dt.date
) -> tuple[EditionData | None, list[tuple[str, dict[str, Any]]]]:
    """The edition of ``scope`` in force on ``on``, with warnings about missing successors."""
    warnings: list[tuple[str, dict[str, Any]]] = []
    chosen = None
    for edition in data.editions:
        if edition.scope == scope and edition.effective <= on:
            chosen = edition
    if chosen is not None and chosen.repeal is not None and on >= chosen.repeal:
        successor = chosen.superseded_by or {}
        warnings.append(
            (
                "successor_missing",
                {
                    "edition": chosen,
                    "repeal": chosen.repeal,
                    "successor": successor.get("edition", ""),
                    "decree": successor.get("decree") or {},
                    "uncertain": bool(successor.get("uncertain") or chosen.repeal_uncertain),
                },
            )
        )
    return chosen, warnings


# ----- one activity ------------------------------------------------------------------------


def _conditions(measure: Measure, total: Decimal, single: Decimal) -> list[Condition]:
    kind = measure.measure
    found: list[Condition] = []
    if kind == "prohibited":
        found.append(Condition("prohibited", Decimal(0), total == 0))
    elif kind == "chinese_control":
        cap = measure.max_foreign_share
        cap = CHINESE_CONTROL_CAP if cap is None else cap
        found.append(Condition("chinese_control", cap, total <= cap))
    elif kind == "equity_cap":
        cap = measure.max_foreign_share
        if cap is None and measure.min_chinese_share is not None:
            cap = HUNDRED - measure.min_chinese_share
        if cap is not None:
            found.append(Condition("max_foreign_share", cap, total <= cap))
    elif kind == "chinese_relative_control":
        found.append(Condition("relative_control", HUNDRED - total, HUNDRED - total > single))
    elif kind == "jv_only":
        found.append(Condition("jv_only", None, total < HUNDRED))
    elif kind == "other_restriction":
        found.append(Condition("other_restriction", None, None))
    if measure.max_single_foreign_share is not None:
        limit = measure.max_single_foreign_share
        found.append(Condition("max_single_foreign_share", limit, single <= limit))
    for requirement in measure.requirements:
        found.append(Condition("requirement", None, None, requirement))
    return found


def _finding(
    item: ItemData, coverage: str, answers: dict[str, str], total: Decimal, single: Decimal
) -> Finding:
    finding = Finding(item=item, coverage=coverage, status="applies")
    measure: Measure | None = item.measure
    if coverage != "full" or item.sub_measures:
        question = item.question
        answer = answers.get(question.get("key", ""))
        option = next((o for o in question.get("options", []) if o["value"] == answer), None)
        if option is None:
            finding.status, finding.allowed = "open", "depends"
            return finding
        applies = option.get("applies")
        if applies is None:
            finding.status = "not_applicable"
            return finding
        measure = item.measure if applies == "item" else item.sub_measures[applies]
    assert measure is not None
    finding.measure = measure
    finding.conditions = _conditions(measure, total, single)
    if any(c.met is False for c in finding.conditions):
        finding.allowed = "no"
    elif any(c.kind == "other_restriction" for c in finding.conditions):
        finding.allowed = "depends"
    return finding


def _notes(
    edition: EditionData, findings: list[Finding], form: str, total: Decimal
) -> list[NoteResult]:
    results = []
    foreign = total > 0
    for note in edition.notes:
        key, broken = note["key"], None
        if key == "individual_business_banned":
            if not (foreign and form == "individual_business"):
                continue
            broken = True
        elif key == "partnership_banned_where_equity_restricted":
            equity = [f for f in findings if f.status != "not_applicable" and _equity(f)]
            if not (foreign and form == "partnership" and equity):
                continue
            broken = True if any(f.status == "applies" for f in equity) else None
        elif note.get("kind") == "rule":
            continue  # a rule this checker does not know: shown on the edition page
        results.append(NoteResult(key, note.get("kind", "information"), note["text"], broken))
    return results


def _equity(finding: Finding) -> bool:
    if finding.measure is not None:
        return finding.measure.measure in EQUITY_MEASURES
    item = finding.item
    measures = [item.measure, *item.sub_measures.values()]
    return any(m.measure in EQUITY_MEASURES for m in measures)


def _activity(
    data: CheckerData,
    edition: EditionData,
    code: str,
    answers: dict[str, str],
    total: Decimal,
    single: Decimal,
    form: str,
) -> ActivityResult:
    matched: dict[int, tuple[ItemData, str]] = {}
    for level in (code, *ancestors(code, data)):
        for item, coverage in edition.index.get(level, ()):
            if item.id not in matched or coverage == "full":
                matched[item.id] = (item, coverage)
    for item in edition.below.get(code, ()):
        matched.setdefault(item.id, (item, "partial"))
    findings = [
        _finding(item, coverage, answers, total, single)
        for item, coverage in sorted(matched.values(), key=lambda pair: pair[0].number)
    ]
    notes = _notes(edition, findings, form, total)
    applying = [f for f in findings if f.status == "applies"]
    if any(f.measure and f.measure.measure == "prohibited" for f in applying):
        classification = "prohibited"
    elif applying:
        classification = "restricted"
    elif any(f.status == "open" for f in findings):
        classification = "depends"
    else:
        classification = "permitted"
    if any(f.allowed == "no" for f in findings) or any(n.broken for n in notes):
        allowed = "no"
    elif any(f.allowed == "depends" for f in findings) or any(
        n.broken is None and n.kind == "rule" for n in notes
    ):
        allowed = "depends"
    else:
        allowed = "yes"
    return ActivityResult(code, data.names[code], classification, allowed, findings, notes)


def _overall(values: list[str], order: tuple[str, ...]) -> str:
    return min(values, key=order.index) if values else order[-1]


def _verdict(
    data: CheckerData,
    edition: EditionData,
    warnings: list[tuple[str, dict[str, Any]]],
    activities: list[str],
    answers: dict[str, str],
    total: Decimal,
    single: Decimal,
    form: str,
) -> Verdict:
    results = [_activity(data, edition, c, answers, total, single, form) for c in activities]
    questions: dict[str, dict[str, Any]] = {}
    for result in results:
        for finding in result.findings:
            if finding.status == "open":
                key = finding.item.question["key"]
                entry = questions.setdefault(key, {"question": finding.item.question, "items": []})
                entry["items"].append(finding.item)
    notes: dict[str, NoteResult] = {}
    for result in results:
        for note in result.notes:
            if note.key not in notes or note.broken:
                notes[note.key] = note
    return Verdict(
        edition=edition,
        activities=results,
        allowed=_overall([r.allowed for r in results], ("no", "depends", "yes")),
        classification=_overall(
            [r.classification for r in results],
            ("prohibited", "restricted", "depends", "permitted"),
        ),
        notes=list(notes.values()),
        questions=list(questions.values()),
        warnings=warnings,
    )


def _pick_edition(
    data: CheckerData, place: str, on: dt.date
) -> tuple[EditionData | None, list[tuple[str, dict[str, Any]]]]:
    scope = "ftz" if place == "inside_ftz" else "national"
    edition, warnings = edition_in_force(data, scope, on)
    if edition is None and scope == "ftz":
        edition, warnings = edition_in_force(data, "national", on)
        if edition is not None:
            warnings = [("no_ftz_edition", {}), *warnings]
    return edition, warnings


_ALLOWED_ORDER = ("no", "depends", "yes")
_CLASSIFICATION_ORDER = ("prohibited", "restricted", "depends", "permitted")


def _openness(verdict: Verdict) -> tuple[int, int]:
    return (
        _ALLOWED_ORDER.index(verdict.allowed),
        _CLASSIFICATION_ORDER.index(verdict.classification),
    )


def _no_stricter_than_national(
    data: CheckerData,
    verdict: Verdict,
    on: dt.date,
    activities: list[str],
    answers: dict[str, str],
    total: Decimal,
    single: Decimal,
    form: str,
) -> Verdict:
    """A pilot FTZ is never more restrictive than the national list (the national list's notes:
    more favourable FTZ measures apply there). When the FTZ edition answering is out of date and
    a national edition issued since is more open for this proposal, the answer follows the
    national edition, saying why. Up-to-date FTZ editions are never stricter, so this changes
    nothing while the FTZ successor is loaded."""
    ftz = verdict.edition
    if ftz.scope != "ftz" or ftz.repeal is None or on < ftz.repeal:
        return verdict
    national, _warnings = edition_in_force(data, "national", on)
    if national is None or national.effective < ftz.repeal:
        return verdict
    if not all(
        key not in national.answers or value in national.answers[key]
        for key, value in answers.items()
    ):
        return verdict  # answers to this FTZ edition's questions do not fit the national one
    candidate = _verdict(data, national, [], activities, answers, total, single, form)
    if _openness(candidate) <= _openness(verdict):
        return verdict
    candidate.warnings = [
        *verdict.warnings,
        ("ftz_follows_national", {"edition": national}),
    ]
    return candidate


def access_check(
    *,
    activities: list[str],
    foreign_share: Decimal | float | int,
    single_share: Decimal | float | int | None = None,
    form: str = "company",
    place: str = "outside_ftz",
    date: dt.date | None = None,
    answers: dict[str, str] | None = None,
    compare: bool = True,
) -> CheckResult:
    """The verdict for the proposal, and what would differ elsewhere or under another edition.

    Raises ValidationFailed (fields activities.<n>, foreign_share, single_share, form, place,
    date, answers.<key>).
    """
    data = checker_data()
    total = Decimal(str(foreign_share))
    single = total if single_share is None else Decimal(str(single_share))
    on = date or timezone.localdate()
    answers = answers or {}
    activities = list(dict.fromkeys(activities))
    _validate(data, activities, total, single, form, place)
    edition, warnings = _pick_edition(data, place, on)
    if edition is None:
        first = min((e.effective for e in data.editions), default=None)
        message = (
            _("No negative list is loaded for this date; the earliest starts on %(date)s.")
            % {"date": first.isoformat()}
            if first
            else _("No negative list is loaded yet.")
        )
        raise ValidationFailed([FieldError("date", message, "before_first_edition")])
    _check_answers(edition, answers)
    verdict = _verdict(data, edition, warnings, activities, answers, total, single, form)
    if place == "inside_ftz":
        verdict = _no_stricter_than_national(
            data, verdict, on, activities, answers, total, single, form
        )
        edition = verdict.edition
    alternatives: list[tuple[str, Verdict]] = []
    if compare:
        other_place = "outside_ftz" if place == "inside_ftz" else "inside_ftz"
        other, other_warnings = _pick_edition(data, other_place, on)
        if other is not None and other.code != edition.code:
            alternatives.append(
                (
                    "other_place",
                    _verdict(data, other, other_warnings, activities, answers, total, single, form),
                )
            )
        for candidate in data.editions:
            if candidate.scope == edition.scope and candidate.code != edition.code:
                alternatives.append(
                    (
                        "other_edition",
                        _verdict(data, candidate, [], activities, answers, total, single, form),
                    )
                )
    return CheckResult(on, form, place, total, single, verdict, alternatives)


def _check_answers(edition: EditionData, answers: dict[str, str]) -> None:
    """An answer to a question of this edition must be one of its options."""
    errors = [
        FieldError(f"answers.{key}", _("%(value)s is not one of the answers.") % {"value": value})
        for key, value in answers.items()
        if key in edition.answers and value not in edition.answers[key]
    ]
    if errors:
        raise ValidationFailed(errors)
