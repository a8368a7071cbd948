"""The back-office form to import a negative-list edition file.

The form checks that the upload is a JSON document it can read (present, not too large,
UTF-8, valid JSON, only characters the database can store); the service
(``edition_import``) checks that the document is an edition, and lists every problem.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MAX_MB = 5
MAX_BYTES = MAX_MB * 1024 * 1024

# Characters a JSON string may carry that neither database stores: NUL, and lone UTF-16
# surrogates (``"\ud800"``).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# Python's JSON parser explains in English; the common explanations, in the page's language.
JSON_REASONS: dict[str, Promise] = {
    "Expecting value": _("a value was expected"),
    "Expecting ',' delimiter": _("a comma was expected"),
    "Expecting ':' delimiter": _("a colon was expected"),
    "Expecting property name enclosed in double quotes": _("a name in double quotes was expected"),
    "Unterminated string starting at": _("a text is not closed with a double quote"),
    "Invalid control character at": _("a text contains a line break or another control character"),
    "Invalid \\escape": _("a text contains an invalid backslash escape"),
    "Invalid \\uXXXX escape": _("a text contains an invalid backslash escape"),
    "Extra data": _("there is more after the end of the document"),
}


class _NotJson(ValueError):
    """NaN or Infinity: Python reads them, JSON does not have them."""


def _reject_constant(name: str) -> Any:
    raise _NotJson(name)


def _has_unstorable(data: Any) -> bool:
    """True when a text (or a name) anywhere in ``data`` holds NUL or a lone surrogate."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if UNSTORABLE.search(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _line_of(raw: bytes, position: int) -> int:
    return raw.count(b"\n", 0, position) + 1


class EditionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Edition file"),
        error_messages={
            "required": _("Choose an edition file to upload."),
            "empty": _("The chosen file is empty."),
            "invalid": _("Choose an edition file to upload."),
            "missing": _("Choose an edition file to upload."),
        },
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A JSON file in the format onestop.negative-list/1, saved as UTF-8, at most "
            "%(limit)s MB."
        ) % {"limit": MAX_MB}

    def clean_file(self) -> Any:
        """The file's JSON document (any JSON value; the service says if it is an edition)."""
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB."),
                code="too_large",
                params={"limit": MAX_MB},
            )
        upload.seek(0)
        raw = upload.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB."),
                code="too_large",
                params={"limit": MAX_MB},
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _(
                    "The file is not UTF-8 text: line %(line)s has a character in another "
                    "encoding. Save the file as UTF-8 and upload it again."
                ),
                code="not_utf8",
                params={"line": _line_of(raw, exc.start)},
            ) from None
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            reason = JSON_REASONS.get(exc.msg)
            if reason is None:
                message = _("The file is not valid JSON: look at line %(line)s, column %(column)s.")
            else:
                message = _(
                    "The file is not valid JSON at line %(line)s, column %(column)s: %(reason)s."
                )
            raise forms.ValidationError(
                message,
                code="not_json",
                params={"line": exc.lineno, "column": exc.colno, "reason": reason},
            ) from None
        except _NotJson as exc:
            raise forms.ValidationError(
                _("The file is not valid JSON: %(value)s is not a JSON number."),
                code="not_json",
                params={"value": str(exc)},
            ) from None
        except RecursionError:
            raise forms.ValidationError(
                _("The file is not an edition: its JSON is nested too deeply."),
                code="too_deep",
            ) from None
        if _has_unstorable(data):
            raise forms.ValidationError(
                _(
                    "The file contains a character that cannot be stored: NUL (\\u0000) or a "
                    "lone surrogate (\\ud800 to \\udfff). Remove it and upload the file again."
                ),
                code="unstorable",
            )
        return data
