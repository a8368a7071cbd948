"""Template helpers for GOV.UK Frontend markup: form widgets and readable audit changes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

# GOV.UK Frontend's class for each kind of Django widget (by BoundField.widget_type).
_WIDGET_CLASSES = {
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "textarea": "govuk-textarea",
    "checkbox": "govuk-checkboxes__input",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
}
# Sensible default widths, so a number box is not as wide as a paragraph.
_WIDTH_CLASSES = {
    "number": "govuk-input--width-5",
    "date": "govuk-input--width-10",
}


@register.simple_tag
def govuk_widget(field: BoundField, extra_classes: str = "", list_id: str = "") -> SafeString:
    """Render ``field``'s widget with GOV.UK classes and the error state.

    Django adds ``aria-describedby`` (hint and error ids) and ``aria-invalid`` itself;
    ``core/includes/field.html`` gives the hint and error those ids.
    """
    kind = field.widget_type
    base = _WIDGET_CLASSES.get(kind, "govuk-input")
    classes = [base]
    if field.errors and base != "govuk-checkboxes__input":
        classes.append(f"{base}--error")
    if base == "govuk-input" and kind in _WIDTH_CLASSES and "width" not in extra_classes:
        classes.append(_WIDTH_CLASSES[kind])
    existing = field.field.widget.attrs.get("class", "")
    classes.extend(c for c in (existing, extra_classes) if c)
    attrs: dict[str, Any] = {"class": " ".join(classes)}
    if kind == "email":
        attrs.setdefault("spellcheck", "false")
        if "autocomplete" not in field.field.widget.attrs:
            attrs["autocomplete"] = "email"
    if list_id:
        attrs["list"] = list_id
    return field.as_widget(attrs=attrs)


@register.filter
def choice_inputs(field: BoundField) -> list[Any]:
    """The radio or checkbox options of a choice field (``BoundWidget`` objects)."""
    return list(field.subwidgets)


@register.filter
def first_input_id(field: BoundField) -> str:
    """The id to link to from the error summary: the first option for radios and checkboxes."""
    if field.widget_type in {"radioselect", "checkboxselectmultiple"}:
        return f"{field.auto_id}_0"
    return str(field.id_for_label or field.auto_id)


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str
    is_change: bool


def _readable(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@register.filter
def audit_changes(changes: Any) -> list[Change]:
    """``{field: [old, new]}`` pairs become "field: old → new"; plain values stay as they are."""
    if not isinstance(changes, Mapping):
        return []
    result = []
    for name, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            result.append(Change(str(name), _readable(value[0]), _readable(value[1]), True))
        else:
            result.append(Change(str(name), "", _readable(value), False))
    return result
