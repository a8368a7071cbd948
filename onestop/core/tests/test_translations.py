"""The zh_Hans message catalogue: complete, placeholders intact, and compiled.

The .po file is read with a small parser of our own (no new dependency); the compiled .mo is
read with Python's ``gettext``, the same format Django loads.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"
PO_FILE = CATALOGUE / "django.po"
MO_FILE = CATALOGUE / "django.mo"

# %(name)s, %(count)d, ... (Python's named formatting, which Django's gettext strings use).
NAMED_PLACEHOLDER = re.compile(r"%\(([^)]+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
HTML_ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete ``#~`` entries left out), header included."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    key: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, flags
        if current is not None:
            entries.append(current)
        current, flags = None, set()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert current is not None and key is not None, f"line {number}: stray string"
            name, index = key
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, getattr(current, name) + _unquote(line))
            continue
        keyword, _, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and current is not None and current.msgstr:
            finish()  # a new entry without a blank line before it
        if current is None:
            current, flags = Entry(line=number, flags=flags), set()
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            key = ("msgstr", int(match.group(1)))
            current.msgstr[key[1]] = _unquote(value)
        elif keyword == "msgstr":
            key = ("msgstr", 0)
            current.msgstr[0] = _unquote(value)
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            key = (keyword, 0)
            setattr(current, keyword, _unquote(value))
        else:
            raise AssertionError(f"line {number}: cannot parse {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return parse_po(PO_FILE)


@pytest.fixture(scope="module")
def messages(po_entries: list[Entry]) -> list[Entry]:
    """The translatable entries, without the header."""
    return [entry for entry in po_entries if entry.msgid]


def test_the_parser_reads_the_whole_catalogue(po_entries, messages):
    header = po_entries[0]
    assert header.msgid == "" and header.msgctxt is None
    # Every "msgid" line of the file became one entry.
    text = PO_FILE.read_text(encoding="utf-8")
    assert len(po_entries) == len(re.findall(r"^msgid ", text, flags=re.MULTILINE))
    assert len(messages) > 100


def test_the_header_describes_simplified_chinese(po_entries):
    header = po_entries[0]
    assert "fuzzy" not in header.flags
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    assert fields["Language"] == "zh_Hans"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=1; plural=0;"
    assert fields["Language-Team"] == "OneStop engineers"


def test_every_entry_is_translated(messages):
    untranslated = [
        str(entry) for entry in messages if not any(s.strip() for s in entry.msgstr.values())
    ]
    assert untranslated == []
    empty_forms = [str(entry) for entry in messages if "" in entry.msgstr.values()]
    assert empty_forms == []


def test_plural_entries_have_the_single_chinese_form(messages):
    plurals = [entry for entry in messages if entry.msgid_plural is not None]
    assert plurals
    assert [str(e) for e in plurals if sorted(e.msgstr) != [0]] == []


def test_no_entry_is_fuzzy(po_entries):
    assert [str(entry) for entry in po_entries if "fuzzy" in entry.flags] == []


def test_named_placeholders_are_kept(messages):
    wrong = []
    for entry in messages:
        source = set(NAMED_PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural is not None:
            source |= set(NAMED_PLACEHOLDER.findall(entry.msgid_plural))
        for translated in entry.msgstr.values():
            if set(NAMED_PLACEHOLDER.findall(translated)) != source:
                wrong.append(f"{entry} -> {translated!r}")
    assert wrong == []


def test_python_format_entries_are_flagged(messages):
    # Django's makemessages flags them; a translation without the flag is not checked by msgfmt.
    unflagged = [
        str(e)
        for e in messages
        if NAMED_PLACEHOLDER.search(e.msgid) and "python-format" not in e.flags
    ]
    assert unflagged == []


def test_html_tags_and_entities_are_kept(messages):
    wrong = []
    for entry in messages:
        for translated in entry.msgstr.values():
            for pattern in (HTML_TAG, HTML_ENTITY):
                if sorted(pattern.findall(translated)) != sorted(pattern.findall(entry.msgid)):
                    wrong.append(f"{entry} -> {translated!r}")
    assert wrong == []


def test_leading_and_trailing_newlines_match(messages):
    wrong = [
        str(entry)
        for entry in messages
        for translated in entry.msgstr.values()
        if translated.startswith("\n") != entry.msgid.startswith("\n")
        or translated.endswith("\n") != entry.msgid.endswith("\n")
    ]
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po_file(messages):
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info()["language"] == "zh_Hans"
    assert compiled.info()["plural-forms"] == "nplurals=1; plural=0;"
    stale = []
    for entry in messages:
        expected = entry.msgstr[0]
        if entry.msgid_plural is not None:
            for n in (1, 2, 5):
                if entry.msgctxt is None:
                    got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                else:
                    got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if got != expected:
                    stale.append(f"{entry} (n={n}): .mo has {got!r}")
        else:
            if entry.msgctxt is None:
                got = compiled.gettext(entry.msgid)
            else:
                got = compiled.pgettext(entry.msgctxt, entry.msgid)
            if got != expected:
                stale.append(f"{entry}: .mo has {got!r}")
    assert stale == [], "django.mo is older than django.po: run `make messages`"


@pytest.mark.parametrize(
    "source", ["Sign in", "Sign out", "Register", "Inbox", "Create an account", "OneStop"]
)
def test_key_strings_are_chinese_in_chinese_and_english_in_english(source):
    with translation.override("zh-hans"):
        chinese = translation.gettext(source)
    with translation.override("en"):
        english = translation.gettext(source)
    assert CJK.search(chinese), chinese
    assert english == source


def test_plural_strings_translate_through_django():
    with translation.override("zh-hans"):
        text = translation.ngettext(
            "%(count)s unread message.", "%(count)s unread messages.", 3
        ) % {"count": 3}
    assert "3" in text
    assert CJK.search(text), text


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Re-extract the strings like `make messages` does, into a copy: nothing may be new.

    A string added to the code without a translation would otherwise show in English on the
    Chinese pages while every check above still passed.
    """
    import os
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("gettext is not installed (apt-get install gettext)")
        pytest.skip(
            "gettext not installed (apt-get install gettext) — catalogue coverage NOT checked"
        )
    package = Path(settings.LOCALE_PATHS[0]).parent
    copy = tmp_path / "onestop"
    shutil.copytree(
        package,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "static", "*.pyc", "data"),
    )
    env = dict(os.environ, ONESTOP_VAR_DIR=str(tmp_path / "var"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--ignore",
            "static/*",
            "--ignore",
            "*/static/*",
            "--settings",
            "onestop.settings",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = parse_po(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    missing = [
        str(entry)
        for entry in fresh[1:]
        if "fuzzy" in entry.flags or not all(entry.msgstr.values()) or not entry.msgstr
    ]
    assert not missing, (
        "strings without a Chinese translation (run `make messages`):\n" + "\n".join(missing)
    )
