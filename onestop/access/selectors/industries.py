"""Reads of the GB/T 4754 classification: search, one node with its path and children, ancestors.

The whole classification (about 2,000 nodes) is held in memory, built once per process from the
table. The import service invalidates it in its own process at once; other processes notice a
change when they next re-check the table (at most every ``RECHECK_SECONDS``), by comparing a
fingerprint: the number of rows, the highest id and the last import's audit entry.

Search (``industry_search``) matches, best first:
  0 the exact code (``8760``, ``r``)        1 a code prefix (``87`` -> 87, 871, 8710, ...)
  2 the whole name (Chinese, English, full pinyin or its initials)
  3 the start of a name                    4 a word inside a name (jieba word, pinyin syllable)
  5 every word of the query somewhere      6 some words of the query (more is better)
Ties go to the higher level (section before class), then the shorter name, then the code.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils.translation import get_language

from onestop.access.models import IndustryClass, IndustryLevel

RECHECK_SECONDS = 2.0
LEVEL_RANK = {level: rank for rank, level in enumerate(IndustryLevel.values)}
ENGLISH_STOP_WORDS = frozenset({"and", "of", "the", "for", "in", "other", "n.e.c"})

_CODE = re.compile(r"[A-Za-z]|\d{1,4}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ENGLISH_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class IndustryNode:
    code: str
    level: str
    name_zh: str
    name_en: str
    name_en_source: str
    parent_code: str | None
    note: str

    @property
    def name(self) -> str:
        """The name in the current language; the Chinese one where no English name exists."""
        if (get_language() or "").startswith("en"):
            return self.name_en or self.name_zh
        return self.name_zh

    @property
    def name_en_missing(self) -> bool:
        return not self.name_en

    @property
    def level_label(self) -> str:
        return str(IndustryLevel(self.level).label)


@dataclass(frozen=True)
class IndustryDetail:
    node: IndustryNode
    ancestors: list[IndustryNode]  # the section first, the parent last
    children: list[IndustryNode]


@dataclass
class _Entry:
    node: IndustryNode
    rank: tuple[int, int, str]  # level, name length, code: the tie-breaker
    zh: str
    words: frozenset[str]
    pinyin: str  # syllables run together, "canyinye"
    pinyin_tails: tuple[str, ...]  # from each syllable on: "canyinye", "yinye", "ye"
    initials: str
    en: str
    en_words: tuple[str, ...]


@dataclass
class _Index:
    fingerprint: tuple[object, ...]
    nodes: dict[str, IndustryNode] = field(default_factory=dict)
    children: dict[str, list[IndustryNode]] = field(default_factory=dict)
    sections: list[IndustryNode] = field(default_factory=list)
    entries: list[_Entry] = field(default_factory=list)
    # Parallel to ``entries``, for fast substring scans; ``positions`` maps code -> position.
    positions: dict[str, int] = field(default_factory=dict)
    codes: list[str] = field(default_factory=list)
    zh: list[str] = field(default_factory=list)
    pinyin: list[str] = field(default_factory=list)
    initials: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    checked_at: float = 0.0


_lock = threading.Lock()
_current: _Index | None = None


def industry_index_invalidate() -> None:
    """Forget the in-memory index; the next read builds it again from the table."""
    global _current
    with _lock:
        _current = None


def _fingerprint() -> tuple[object, ...]:
    from onestop.core.models import AuditEntry

    table = IndustryClass.objects.aggregate(rows=Count("id"), top=Max("id"))
    last_import = (
        AuditEntry.objects.filter(action="industries.import")
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return (table["rows"], table["top"], last_import)


def _build(fingerprint: tuple[object, ...]) -> _Index:
    from onestop.access.services.industries import search_fields

    index = _Index(fingerprint=fingerprint, checked_at=time.monotonic())
    rows = IndustryClass.objects.order_by("code").values_list(
        "code",
        "level",
        "name_zh",
        "name_en",
        "name_en_source",
        "note",
        "parent__code",
        "pinyin",
        "pinyin_initials",
        "search_words",
    )
    for code, level, zh, en, en_source, note, parent, pinyin, initials, words in rows:
        if zh and not pinyin:  # a row written by something other than the importer
            computed = search_fields(zh)
            pinyin, initials, words = (
                computed["pinyin"],
                computed["pinyin_initials"],
                computed["search_words"],
            )
        node = IndustryNode(code, level, zh, en, en_source, parent, note)
        index.nodes[code] = node
        if parent:
            index.children.setdefault(parent, []).append(node)
        else:
            index.sections.append(node)
        syllables = pinyin.split()
        en_lower = en.lower()
        index.positions[code] = len(index.entries)
        index.codes.append(code)
        index.zh.append(zh)
        index.pinyin.append("".join(syllables))
        index.initials.append(initials)
        index.en.append(en_lower)
        index.entries.append(
            _Entry(
                node=node,
                rank=(LEVEL_RANK.get(level, 9), len(zh), code),
                zh=zh,
                words=frozenset(words.split()),
                pinyin="".join(syllables),
                pinyin_tails=tuple("".join(syllables[i:]) for i in range(len(syllables))),
                initials=initials,
                en=en_lower,
                en_words=tuple(_ENGLISH_WORD.findall(en_lower)),
            )
        )
    return index


def _index() -> _Index:
    global _current
    index = _current
    now = time.monotonic()
    if index is not None and now - index.checked_at < RECHECK_SECONDS:
        return index
    with _lock:
        fingerprint = _fingerprint()
        if _current is not None and _current.fingerprint == fingerprint:
            _current.checked_at = now
            return _current
        _current = _build(fingerprint)
        _warm_up_jieba()
        return _current


def _warm_up_jieba() -> None:
    """jieba loads its dictionary on first use (about a second): do it with the index."""
    from onestop.access.services.industries import jieba_words

    jieba_words("行业")


# ----- search -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Query:
    text: str  # normalised: NFKC, stripped, lower-case
    is_code: bool
    has_cjk: bool
    letters: str  # the query without spaces, if it is only ASCII letters (pinyin)
    zh_words: tuple[str, ...]
    en_words: tuple[str, ...]


def _parse(q: str) -> _Query:
    from onestop.access.services.industries import jieba_words

    text = unicodedata.normalize("NFKC", q).strip().lower()
    text = re.sub(r"\s+", " ", text)
    has_cjk = bool(_CJK.search(text))
    squashed = text.replace(" ", "")
    letters = squashed if squashed.isascii() and squashed.isalpha() else ""
    en_words = tuple(
        w for w in _ENGLISH_WORD.findall(text) if w not in ENGLISH_STOP_WORDS and not has_cjk
    )
    return _Query(
        text=text,
        is_code=bool(_CODE.fullmatch(text)),
        has_cjk=has_cjk,
        letters=letters,
        zh_words=tuple(jieba_words(text)) if has_cjk else (),
        en_words=en_words,
    )


def _some_words(found: int, total: int) -> float:
    """Tier 5 when every word of the query is found, towards 7 the fewer are."""
    return 5.0 if found == total else 6.0 + (total - found) / total


def _hits(haystacks: list[str], needle: str) -> list[int]:
    """Positions of the haystacks that contain ``needle`` (one C-speed pass)."""
    return [i for i, text in enumerate(haystacks) if needle in text]


class _Ranking:
    """The best tier found so far for each entry (by position in the index)."""

    def __init__(self) -> None:
        self.best: dict[int, float] = {}

    def offer(self, position: int, tier: float) -> None:
        if tier < self.best.get(position, 99.0):
            self.best[position] = tier

    def offer_word_counts(self, counts: dict[int, int], total: int) -> None:
        for position, found in counts.items():
            self.offer(position, _some_words(found, total))


def _match_code(index: _Index, query: _Query, ranking: _Ranking) -> None:
    exact = index.positions.get(query.text.upper())
    if exact is not None:
        ranking.offer(exact, 0.0)
    if query.text.isdigit():
        for i in _hits(index.codes, query.text):
            if index.codes[i].startswith(query.text):
                ranking.offer(i, 1.0)


def _match_chinese(index: _Index, query: _Query, ranking: _Ranking) -> None:
    text = query.text
    for i in _hits(index.zh, text):
        entry = index.entries[i]
        if entry.zh == text:
            ranking.offer(i, 2.0)
        elif entry.zh.startswith(text):
            ranking.offer(i, 3.0)
        else:
            ranking.offer(i, 4.0 if text in entry.words else 4.5)
    words = [w for w in query.zh_words if w != text]
    if words:
        counts: dict[int, int] = {}
        for word in words:
            for i in _hits(index.zh, word):
                counts[i] = counts.get(i, 0) + 1
        ranking.offer_word_counts(counts, len(words))


def _match_pinyin(index: _Index, letters: str, ranking: _Ranking) -> None:
    for i in _hits(index.pinyin, letters):
        entry = index.entries[i]
        if entry.pinyin == letters:
            ranking.offer(i, 2.0)
        elif entry.pinyin.startswith(letters):
            ranking.offer(i, 3.0)
        elif any(tail.startswith(letters) for tail in entry.pinyin_tails):
            ranking.offer(i, 4.0)
    for i in _hits(index.initials, letters):
        initials = index.initials[i]
        if initials == letters:
            ranking.offer(i, 2.5)
        elif initials.startswith(letters):
            ranking.offer(i, 3.5)
        else:
            ranking.offer(i, 4.5)


def _match_english(index: _Index, query: _Query, ranking: _Ranking) -> None:
    for i in _hits(index.en, query.text):
        name = index.en[i]
        if name == query.text:
            ranking.offer(i, 2.0)
        elif name.startswith(query.text):
            ranking.offer(i, 3.0)
    counts: dict[int, int] = {}
    for word in query.en_words:
        for i in _hits(index.en, word):
            if any(w.startswith(word) for w in index.entries[i].en_words):
                counts[i] = counts.get(i, 0) + 1
    # Every word found (in any order) is as good as a word inside the name.
    for position, found in counts.items():
        total = len(query.en_words)
        ranking.offer(position, 4.0 if found == total else _some_words(found, total))


def industry_search(q: str, limit: int = 20) -> list[IndustryNode]:
    """Nodes matching ``q`` (code, Chinese, pinyin or its initials, English), best first."""
    query = _parse(q or "")
    if not query.text or limit <= 0:
        return []
    index = _index()
    ranking = _Ranking()
    if query.is_code:
        _match_code(index, query, ranking)
    if not (query.is_code and (len(query.text) == 1 or query.text.isdigit())):
        if query.has_cjk:
            _match_chinese(index, query, ranking)
        else:
            if len(query.letters) >= 2:
                _match_pinyin(index, query.letters, ranking)
            if query.en_words:
                _match_english(index, query, ranking)
    best = sorted(ranking.best.items(), key=lambda item: (item[1], index.entries[item[0]].rank))
    return [index.entries[position].node for position, _tier in best[:limit]]


# ----- one node ---------------------------------------------------------------------------


def _normal_code(code: str) -> str:
    return unicodedata.normalize("NFKC", code or "").strip().upper()


def industry_sections() -> list[IndustryNode]:
    """The 20 sections, A to T."""
    return list(_index().sections)


def industry_node(code: str) -> IndustryNode | None:
    return _index().nodes.get(_normal_code(code))


def industry_get(code: str) -> IndustryDetail | None:
    """The node with this code, the path from its section down to its parent, and its children."""
    index = _index()
    node = index.nodes.get(_normal_code(code))
    if node is None:
        return None
    ancestors: list[IndustryNode] = []
    parent = node.parent_code
    while parent:
        ancestor = index.nodes[parent]
        ancestors.insert(0, ancestor)
        parent = ancestor.parent_code
    return IndustryDetail(
        node=node, ancestors=ancestors, children=index.children.get(node.code, [])
    )


def industry_ancestors_codes(code: str) -> list[str]:
    """The code and every code above it, nearest first: 8760 -> [8760, 876, 87, R].

    An unknown code gives an empty list.
    """
    detail = industry_get(code)
    if detail is None:
        return []
    return [detail.node.code, *(a.code for a in reversed(detail.ancestors))]


def industry_closest(code: str, limit: int = 5) -> list[IndustryNode]:
    """Suggestions for a code that does not exist: codes of the same level sharing the longest
    prefix, nearest number first (8769 -> 8760, 8770, 8750, ...); a search for anything else."""
    wanted = _normal_code(code)
    index = _index()
    if not (wanted.isdigit() and 2 <= len(wanted) <= 4):
        return industry_search(code, limit=limit)
    found: list[IndustryNode] = []
    for keep in range(len(wanted) - 1, -1, -1):
        prefix = wanted[:keep]
        same_level = [
            node
            for c, node in index.nodes.items()
            if len(c) == len(wanted) and c.startswith(prefix) and node not in found
        ]
        same_level.sort(key=lambda n: (abs(int(n.code) - int(wanted)), n.code))
        found.extend(same_level[: limit - len(found)])
        if len(found) >= limit:
            break
    return found
