"""How the raw article is laid out: paragraphs, datelines, credit lines, page furniture.

Published text breaks lines where sentences do not end ("Speaking to reporters
after the meeting,<newline>Putin said ...") and mixes in lines that are not
prose: photo captions ("... /Reuters Photo"), credit lines ("(With inputs from
Xinhua, Yonhap and AFP)"), and the furniture of a scraped web page ("Story
continues below advertisement", "READ MORE: ...", bylines, headings in capitals;
patterns in ``data/furniture.txt``).  This module finds them so that they are
credited, not quoted.

Datelines ("SEOUL, Nov. 27 (Yonhap) --", "WASHINGTON (Reuters) -") and sign-off
lines ("-- AFP") name the wire service that wrote the whole story: credited with
kind ``dateline``, and the extractor adds them to every quote's ``reported_by``
(the wire relays all the speech in its story).  A press-release dateline
("LAS VEGAS, June 12, 2025 /PRNewswire/ --") names a distributor, which publishes
the issuer's own words and relays nothing: kind ``distributor``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from ..lexicon import Lexicon

__all__ = ["Layout", "analyze_layout", "Credit", "title_line"]

_LINE = regex.compile(r"[^\n]*(?:\n|$)")


@functools.lru_cache(maxsize=4)  # the article at hand: no more texts kept alive than that
def title_line(text: str) -> tuple[int, int]:
    """The article's first line as ``(start, end)`` offsets, its leading whitespace left out:
    where a title stands.  Cached by text, as the steps that read the title ask once per quote
    (a str keeps its hash, so a repeated call costs no scan of the text)."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return start, len(text) if end < 0 else end


_ENDS_SENTENCE = regex.compile(r"""[.!?…:;"”’»)\]]\s*$""")
_PHOTO = regex.compile(
    r"(?:/\s*(?P<a>[\p{Lu}][\w.&' -]{0,40}?)\s+(?:Photo|Photos|Pictures|Images|Photo/\w+)\s*\)?\s*$"
    r"|\((?:Photo|Picture|Image)s?(?:\s+credit)?\s*:\s*(?P<b>[^)]{1,60})\)\s*$"
    r"|^\s*(?:Photo|Picture|Image)s?(?:\s+credit)?\s*:\s*(?P<c>[^\n]{1,60})$"
    r"|\b(?P<d>[\p{Lu}]{2,}|Getty|Reuters)\s+(?:PHOTO|Photo|Images)\s*/)", regex.M)
_CREDIT = regex.compile(
    r"^\s*\(?\s*(?:With\s+(?:inputs?|reporting|additional\s+reporting)\s+(?:from|by)|Inputs?\s+from"
    r"|(?:Additional\s+)?[Rr]eporting\s+by|Compiled\s+by|Source\s*:|Sources\s*:)\b", regex.I)
# "MACAU (Reuters) —", "SEOUL, Nov. 27 (Yonhap) --", "RENO, Nev. (AP) —", "CAMBRIDGE, Mass., Dec. 11 (UPI) —",
# "LAS VEGAS, June 12, 2025 /PRNewswire/ --", "BEIJING, Dec. 3 --": a city in capitals, then places and
# dates after commas, the agency in parentheses (a press-release wire between slashes), a dash
_DATELINE = regex.compile(
    r"^\s*(?P<city>\p{Lu}[\p{Lu}'’.-]*(?:\s+\p{Lu}[\p{Lu}'’.-]*){0,3})"
    r"(?:,\s*(?:\p{Lu}[\p{L}.'’]*(?:\s+\p{Lu}[\p{L}.'’]*)?(?:\s+\d{1,2})?|\d{1,2}\s+\p{Lu}\p{L}+\.?|\d{4})){0,3}"
    r"\s*(?:\((?P<a>[^()\n]{1,40})\)|/\s*(?P<s>[^/\n]{1,40}?)\s*/)?"
    r"\s*(?P<dash>--|[—–-])(?=\s+[\p{Lu}\d\"“‘'])")  # the story opens with a capital: "NATO — the alliance" is prose
# a story's closing sign-off naming its wire: "-- AFP", "— Reuters", "(AFP)", "AFP/Reuters" on a line of its own
_SIGNOFF = regex.compile(r"^\s*(?P<dash>--|[—–-])?\s*\(?\s*(?P<a>\p{Lu}[\p{L}&.,/' -]{1,40}?)\s*\)?\s*\.?\s*$")


@dataclass(frozen=True)
class Credit:
    name: str
    kind: str  # "credit", "photo", "dateline" (the wire that wrote the story) or "distributor"
    start: int
    end: int


@dataclass
class Layout:
    #: logical paragraphs: (start, end); a line break inside a sentence does not end one
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    #: the paragraphs that hold prose (captions, credit lines and link lines left out)
    prose: list[tuple[int, int]] = field(default_factory=list)
    #: lines that are not prose: captions, credits, links, datelines, page furniture
    excluded: list[tuple[int, int]] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _LINE.finditer(text):
        if m.start() == m.end():
            break
        end = m.end() - 1 if m.group().endswith("\n") else m.end()
        out.append((m.start(), end))
    return out


def _continues(line: str, nxt: str, titles: frozenset[str] = frozenset()) -> bool:
    """Whether a line break between ``line`` and ``nxt`` falls inside a sentence."""
    line, nxt = line.rstrip(), nxt.lstrip()
    if not line or not nxt:
        return False
    if _ENDS_SENTENCE.search(line):
        return False
    if line.endswith((",", "-", "—", "–")):
        return True
    last = line.split()[-1]
    # "... the breakdown of / Hanoi talks": a lower-case last word cannot end a heading
    if last[:1].islower() or nxt[:1].islower():
        return True
    # '"...," said Foreign / Minister Ana Lopez', "..., Foreign Minister / Ana Lopez told": a title
    # cut from its name inside a sentence (a line of lower-case words is no title-case heading)
    sentence_like = sum(1 for w in line.split() if w[:1].islower() and len(w) > 3) >= 2
    return sentence_like and (last.lower() in titles or nxt.split()[0].lower() in titles)


def _agencies_in(lex: Lexicon, text: str, start: int, end: int, kind: str) -> list[Credit]:
    return [Credit(name, kind, s, e) for name, s, e in lex.find_agencies(text, start, end)]


def _credit_names(lex: Lexicon, text: str, start: int, end: int, kind: str) -> list[Credit]:
    found = _agencies_in(lex, text, start, end, kind)
    seg = text[start:end]
    # Agencies the lexicon does not know: the names listed after "inputs from" / "Source:".
    # Reporter and editor lines ("Reporting by Ana Lee; Editing by ...") name people: skip them.
    m = regex.search(r"(?:inputs?\s+from|Sources?\s*:|with\s+(?:additional\s+)?reporting\s+by)\s*(.+?)[\s.)]*$", seg,
                     flags=regex.I)
    if m:
        base = start + m.start(1)
        for part in regex.finditer(r"[^,;]+", m.group(1)):
            for piece in regex.split(r"\s+and\s+|\s*&\s*", part.group()):
                name = piece.strip().rstrip(".")
                if not name or not name[:1].isupper():
                    continue
                s = base + part.start() + part.group().find(name)
                if not any(c.start <= s < c.end for c in found):
                    found.append(Credit(lex.agency_of(name) or name, kind, s, s + len(name)))
    return sorted(found, key=lambda c: c.start)


def _wire_names(lex: Lexicon, text: str, start: int, end: int, kind: str) -> list[Credit]:
    """The wires named in a dateline's brackets: known agencies by their canonical name
    ("(Yonhap)", "(Reuters Health)"), anything else as written ("(Harbour Wire)", "/PRNewswire/")."""
    found = _agencies_in(lex, text, start, end, kind)
    if found:
        return found
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    name = text[start:end]
    return [Credit(name, kind, start, end)] if name[:1].isupper() else []


def _signoff(lex: Lexicon, text: str, start: int, end: int, last: bool) -> list[Credit]:
    """A closing line naming only the story's wires ("-- AFP", "(Reuters)", "AFP/Xinhua"): a
    dash or brackets mark it, or it is the article's last line."""
    line = text[start:end]
    m = _SIGNOFF.match(line)
    if m is None or not (m.group("dash") or "(" in line or last):
        return []
    names = _agencies_in(lex, text, start + m.start("a"), start + m.end("a"), "dateline")
    # every word of the line must belong to an agency name ("-- AFP", not "-- AFP said")
    rest = regex.sub(r"[\s/,&()—–.-]|\band\b", "", "".join(
        ch if not any(c.start <= start + i < c.end for c in names) else " " for i, ch in enumerate(line)))
    return names if names and not rest else []


def analyze_layout(text: str, lex: Lexicon) -> Layout:
    """Paragraphs, prose, excluded lines and credits of an article (see the module docstring)."""
    lay = Layout()
    lines = [(s, e) for s, e in _lines(text)]
    last_line = next(((s, e) for s, e in reversed(lines) if text[s:e].strip()), None)
    # -- classify lines
    keep: list[tuple[int, int]] = []
    for s, e in lines:
        line = text[s:e]
        if not line.strip():
            keep.append((s, e))
            continue
        photo = _PHOTO.search(line)
        if photo:
            lay.excluded.append((s, e))
            g = photo.group("a") or photo.group("b") or photo.group("c") or photo.group("d")
            gs = s + photo.start(photo.lastgroup) if photo.lastgroup else s
            names = _agencies_in(lex, text, gs, gs + len(g), "photo") or (
                [Credit(lex.agency_of(g) or g.strip(), "photo", gs, gs + len(g.rstrip()))] if g.strip() else [])
            lay.credits.extend(names)
            continue
        if _CREDIT.search(line):
            lay.excluded.append((s, e))
            lay.credits.extend(_credit_names(lex, text, s, e, "credit"))
            continue
        if lex.is_furniture(line):
            lay.excluded.append((s, e))
            continue
        signoff = _signoff(lex, text, s, e, last=(s, e) == last_line)
        if signoff:
            lay.excluded.append((s, e))
            lay.credits.extend(signoff)
            continue
        dl = _DATELINE.match(line)
        # the dateline opens the story, which may come after a headline and a standfirst
        if dl and len(dl.group("city").strip(".'’-")) >= 2 and sum(1 for a, b in keep if text[a:b].strip()) < 3:
            group = "a" if dl.group("a") else "s" if dl.group("s") else None
            if group is not None:
                lay.credits.extend(_wire_names(lex, text, s + dl.start(group), s + dl.end(group),
                                               "dateline" if group == "a" else "distributor"))
            # "MACAU (Reuters) — Top donor Sheldon Adelson said ...": the dateline is not part
            # of the first sentence (its subject would swallow it), nor ever a speaker
            lay.excluded.append((s, s + dl.end()))
            s += dl.end()
            while s < e and text[s].isspace():
                s += 1
        keep.append((s, e))
    # -- join lines into paragraphs
    para: list[tuple[int, int]] = []
    for s, e in keep:
        if not text[s:e].strip():
            if para:
                lay.paragraphs.append((para[0][0], para[-1][1]))
                para = []
            continue
        if para and not _continues(text[para[-1][0]:para[-1][1]], text[s:e], lex.titles):
            lay.paragraphs.append((para[0][0], para[-1][1]))
            para = []
        if para and any(para[-1][1] < xs < s for xs, _ in lay.excluded):
            lay.paragraphs.append((para[0][0], para[-1][1]))
            para = []
        para.append((s, e))
    if para:
        lay.paragraphs.append((para[0][0], para[-1][1]))
    lay.prose = list(lay.paragraphs)
    # de-duplicate repeated credits (a caption printed twice)
    seen, uniq = set(), []
    for c in lay.credits:
        if (c.name, c.kind) not in seen:
            seen.add((c.name, c.kind))
            uniq.append(c)
    lay.credits = uniq
    return lay
