"""Find direct quotations by their quotation marks.

Plain text in, character ranges out; no parsing.  Handles straight, curly,
guillemet and single marks, nested quotes (only the outermost is returned),
quotes continued over paragraphs (an opening mark repeated at each paragraph,
closed only at the end), and apostrophes (Workers' Party, officials', don't),
which are never taken as marks.  Unbalanced marks never raise: an unclosed
quote runs to the end of its paragraph and is flagged ``closed=False``.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Callable, Sequence

import regex

__all__ = ["MarkedQuote", "find_quotes", "inside_quotes", "is_quoted_name", "QUOTE_CHARS", "DOUBLE_OPEN",
           "DOUBLE_CLOSE"]

DOUBLE_OPEN = "“„«‹"  # unambiguous openers (‹ for single guillemets)
DOUBLE_CLOSE = "”»›"
STRAIGHT = '"'
SINGLE_OPEN = "‘‚"
SINGLE_CLOSE = "’"
QUOTE_CHARS = DOUBLE_OPEN + DOUBLE_CLOSE + STRAIGHT + SINGLE_OPEN + SINGLE_CLOSE + "'"
_OPEN_CONTEXT = " \t\n\r([{—–-/:;,\u00a0\u2009\u202f" + DOUBLE_OPEN + STRAIGHT + SINGLE_OPEN


@dataclass
class MarkedQuote:
    """A quotation found by its marks; ``fragments`` are (start, end) ranges, marks included."""

    fragments: list[tuple[int, int]] = field(default_factory=list)
    closed: bool = True
    single: bool = False  # delimited by single marks
    #: a name in quotation marks, not speech (`is_quoted_name`; set by `find_quotes`, read by
    #: the resolver and the tagger's floor alike)
    name: bool = False

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    def inner(self, text: str) -> str:
        """The quoted words without marks (fragments joined by a space)."""
        parts = []
        for s, e in self.fragments:
            frag = text[s:e]
            parts.append(frag.strip(QUOTE_CHARS + " \n"))
        return " ".join(parts)


_CLOSER = {"“": "”", "„": "“", "«": "»", "‹": "›", STRAIGHT: STRAIGHT}


def _family(c: str) -> str:
    return {"”": "“", "“": "“", "„": "“", "»": "«", "«": "«", "›": "‹", "‹": "‹"}.get(c, c)


def _prev(text: str, i: int, lo: int) -> str:
    return text[i - 1] if i > lo else " "


def _next(text: str, i: int, hi: int) -> str:
    return text[i + 1] if i + 1 < hi else " "


def _role(text: str, i: int, lo: int, hi: int) -> str:
    """'open', 'close', 'either' or '' (not a mark here) for the character at i."""
    c, p, n = text[i], _prev(text, i, lo), _next(text, i, hi)
    if c in DOUBLE_OPEN:
        # A curly opener glued to the preceding word and followed by space is a misused closer.
        if not p.isspace() and p not in _OPEN_CONTEXT and n.isspace():
            return "close"
        return "open"
    if c in DOUBLE_CLOSE:
        if p.isspace() and n.isalnum():
            return "open"
        return "close"
    if c == STRAIGHT:
        if p in _OPEN_CONTEXT and not n.isspace():
            return "open"
        if not p.isspace() and (n.isspace() or not n.isalnum()):
            return "close"
        return "either"
    if c in SINGLE_OPEN:
        return "sopen" if not n.isspace() else ""
    if c in (SINGLE_CLOSE, "'"):
        if p.isalnum() and n.isalnum():
            return ""  # don't, Moon's, rock'n'roll
        if n.isdigit() or text[i:i + 3] in ("'n'", "’n’") or (p == "n" and text[i - 2:i + 1] in ("'n'", "’n’")):
            return ""  # the '90s, rock 'n' roll
        if p in _OPEN_CONTEXT and n.isalnum():
            return "sopen"
        if not p.isspace():
            return "sclose"  # may still be a plural possessive: only used to close a pending single
        return ""
    return ""


def _paragraph_quotes(text: str, lo: int, hi: int) -> tuple[list[MarkedQuote], int | None]:
    """Quotes wholly inside text[lo:hi], and the start of a double quote left open at the end."""
    found: list[MarkedQuote] = []
    open_at: int | None = None
    nested: list[str] = []  # closers expected for quotes nested in the open one
    nesting: _Nesting | None = None  # built at the first opener inside an open quote of its marks
    single_at: int | None = None
    for i in range(lo, hi):
        c = text[i]
        if c not in QUOTE_CHARS:
            continue
        role = _role(text, i, lo, hi)
        if not role:
            continue
        if role in ("sopen", "sclose"):
            if open_at is not None:
                continue  # nested single quotes belong to the enclosing quote
            if role == "sopen" and single_at is None:
                single_at = i
            elif role == "sclose" and single_at is not None and not _next(text, i, hi).isalnum():
                if i - single_at > 1:
                    found.append(MarkedQuote([(single_at, i + 1)], single=True))
                single_at = None
            continue
        if open_at is None:
            if role in ("open", "either"):
                open_at = i
                nested = []
                single_at = None  # a double quote opening inside a stray single: drop the single
            continue
        # a quote of another mark style nested inside ("«He told me “no way” twice»")
        if nested and (c == nested[-1] or (c == STRAIGHT and nested[-1] == STRAIGHT)) and role in ("close", "either"):
            nested.pop()
            continue
        if role in ("open", "either") and _family(c) != _family(text[open_at]) and \
                not (c == STRAIGHT and role == "either"):
            nested.append(_CLOSER.get(c, c))
            continue
        if role in ("close", "either"):
            if i - open_at > 1:
                found.append(MarkedQuote([(open_at, i + 1)]))
            open_at = None
        elif role == "open":
            nesting = nesting or _Nesting(text, lo, hi)
            if nesting.closes_around(i, _family(text[open_at])):
                # '“I'd rather live in what he calls “hell” than here.”': a quote of the same marks
                # nested inside, as scraped vox pops write it; the outer one closes after it
                nested.append(_CLOSER.get(c, c))
                continue
            # Two openers in a row: the first was never closed.  End it before this one.
            end = i
            while end > open_at + 1 and text[end - 1].isspace():
                end -= 1
            found.append(MarkedQuote([(open_at, end)], closed=False))
            open_at = i
    return found, open_at


class _Nesting:
    """Whether an opener inside an open quotation of the same marks nests in it, for one
    paragraph: per mark family, the running count of openers less closers at each mark and the
    next mark where the count falls below it (a monotonic stack: linear in the marks, however
    many openers are never closed)."""

    def __init__(self, text: str, lo: int, hi: int) -> None:
        self.text, self.lo, self.hi = text, lo, hi
        self._tables: dict[str, tuple[list[int], list[int]]] = {}

    def _table(self, family: str) -> tuple[list[int], list[int]]:
        table = self._tables.get(family)
        if table is None:
            pos: list[int] = []
            level: list[int] = []
            run = 0
            for k in range(self.lo, self.hi):
                c = self.text[k]
                if c in QUOTE_CHARS and c != STRAIGHT and _family(c) == family:
                    role = _role(self.text, k, self.lo, self.hi)
                    run += 1 if role == "open" else -1 if role == "close" else 0
                    pos.append(k)
                    level.append(run)
            lower = [len(pos)] * len(pos)
            stack: list[int] = []
            for j in range(len(pos) - 1, -1, -1):
                while stack and level[stack[-1]] >= level[j]:
                    stack.pop()
                lower[j] = stack[-1] if stack else len(pos)
                stack.append(j)
            table = self._tables[family] = (pos, lower)
        return table

    def closes_around(self, i: int, family: str) -> bool:
        """Counting the family's openers and closers from the opener at ``i`` (two open: the
        outer one and this), the count falls to none before the paragraph ends."""
        pos, lower = self._table(family)
        j = bisect.bisect_left(pos, i)
        k = lower[j] if j < len(pos) else len(pos)  # one closed: this opener's own closer
        return k < len(pos) and lower[k] < len(pos)  # two closed: the outer one's too


def find_quotes(text: str, paragraphs: Sequence[tuple[int, int]] | None = None) -> list[MarkedQuote]:
    """All outermost quotations in ``text``, in order.

    ``paragraphs`` are (start, end) ranges; by default, blank-line-separated blocks.
    """
    if paragraphs is None:
        paragraphs = _default_paragraphs(text)
    result: list[MarkedQuote] = []
    carry: MarkedQuote | None = None  # a quote continued from the previous paragraph
    for k, (lo, hi) in enumerate(paragraphs):
        # trim trailing whitespace of the paragraph
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        first = lo
        while first < hi and text[first].isspace():
            first += 1
        if carry is not None:
            if first < hi and text[first] in DOUBLE_OPEN + STRAIGHT:
                # Continued: this paragraph's opener starts a new fragment of the same quote.
                found, open_at = _paragraph_quotes(text, first + 1, hi)
                # the first closing mark in the paragraph (if any) ends the carried quote
                close = _first_close(text, first + 1, hi)
                if close is None:
                    carry.fragments.append((first, hi))
                    continue
                carry.fragments.append((first, close + 1))
                result.append(carry)
                carry = None
                found, open_at = _paragraph_quotes(text, close + 1, hi)
            else:
                carry.closed = False
                result.append(carry)
                carry = None
                found, open_at = _paragraph_quotes(text, lo, hi)
        else:
            found, open_at = _paragraph_quotes(text, lo, hi)
        result.extend(found)
        if open_at is not None:
            carry = MarkedQuote([(open_at, hi)])
            nxt = paragraphs[k + 1][0] if k + 1 < len(paragraphs) else None
            if nxt is None:
                carry.closed = False
                result.append(carry)
                carry = None
    if carry is not None:
        carry.closed = False
        result.append(carry)
    result = [q for q in result if q.end - q.start > 1]
    result.sort(key=lambda q: q.start)
    for q in result:
        q.name = is_quoted_name(text, q)
    return result


def _first_close(text: str, lo: int, hi: int) -> int | None:
    for i in range(lo, hi):
        if text[i] in DOUBLE_CLOSE + STRAIGHT:
            role = _role(text, i, lo - 1, hi)
            if role in ("close", "either"):
                return i
    return None


def _default_paragraphs(text: str) -> list[tuple[int, int]]:
    import re

    spans, pos = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


# a title's words: each capitalised or a number, save the small words inside it ("Meet the Press")
_TITLE_WORDS = regex.compile(r"[\p{Lu}\d][\w'’.&-]*(?:\s+(?:[\p{Lu}\d][\w'’.&-]*|of|the|and|a|an|in|on|for|to|at))*")


def inside_quotes(quotes: Sequence[MarkedQuote]) -> Callable[[int], bool]:
    """Whether a character offset lies inside one of ``quotes`` (`find_quotes`' outermost
    quotations, in text order), between its marks: a cue there is the quoted speaker's, and an
    "I" there is somebody quoted, not the writer."""
    starts = [q.start for q in quotes]

    def inside(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and any(s < pos < e - 1 for s, e in quotes[i].fragments)

    return inside


def is_quoted_name(text: str, q: MarkedQuote) -> bool:
    """A name in quotation marks, not speech: 'on CNN's "Fareed Zakaria GPS,"' (after a
    possessive), a title after a preposition or an article, or a line of its own with no
    clause punctuation ('"Broad City"', '"Related:"') or in title case (a subheading)."""
    inner = q.inner(text).strip()
    if len(inner.split()) > 6:
        return False
    if regex.search(r"\w['’]s\s*$", text[max(0, q.start - 40):q.start]):
        return True
    # 'On "Fox News Sunday," Gov. Pence said', 'in an interview with "60 Minutes,"': a title
    # after a preposition or an article names a show or a paper; no one says it
    titled = _TITLE_WORDS.fullmatch(inner.rstrip(",.!?")) is not None
    before = text[max(0, q.start - 12):q.start]
    if titled and (regex.search(r"(?i)\b(?:on|in|with|to|from|at|for|by|the)\s*$", before)
                   or (len(inner.split()) > 1 and regex.search(r"(?i)\bof\s*$", before))):
        return True  # ("accused them of "Lying,"" is a word of theirs; "episode of "The View,"" a show)
    line_start = text.rfind("\n", 0, q.start) + 1
    line_end = text.find("\n", q.end)
    alone = not text[line_start:q.start].strip() and not text[q.end:len(text) if line_end < 0 else line_end].strip(" .")
    # a line of its own: a name ('"Broad City"'), or a subheading in title case ("'All Bets Are Off.'")
    return alone and (not regex.search(r"[.!?,…]$", inner) or (titled and len(inner.split()) > 1))
