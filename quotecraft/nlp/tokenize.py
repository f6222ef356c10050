"""A rule tokenizer and sentence splitter for English news text.

``tokenize(text)`` gives sentences of (start, end) character offsets, ``text[s:e]`` being the
token.  It is meant to stand in for Stanza's character-level neural tokenizer where speed
matters: ``benchmarks/tokenizer.py`` measures both against gold UD English (tokens, words,
sentence ends) and their speed (the rules: some 25 times Stanza's words per second).

Tokens follow UD English (EWT, GUM), which the taggers and parsers downstream were trained on,
so a token here is a syntactic word, what Stanza gives after its MWT expander:

* whitespace first, then spaCy-style prefixes (opening quotes and brackets, currency),
  suffixes (punctuation, closing quotes and brackets, "%", clitics) and infixes (ellipses,
  dashes, hyphens, slashes);
* clitics split off: "don't" -> "do" "n't", "Trump's" -> "Trump" "'s" (straight, curly or
  backtick apostrophe), "gonna" -> "gon" "na", "cannot" -> "can" "not";
* hyphens split compounds ("third - party", "al - Qaeda", "Jae - in"), as UD and Stanza do,
  except after a prefix ("e-mail", "anti-war", "co-founder") and in phone-like numbers;
  ``keep_hyphens=True`` keeps every letter-hyphen-letter word whole (spaCy's way);
* kept whole: numbers ("1,200.50", "10:30"), URLs, e-mail addresses, domain names,
  abbreviations of ``data/abbreviations.txt`` and letters with periods ("U.S.", "J.").

Sentences end after ". ? ! ..." (and any closing quotes or brackets, and a note such as "[3]",
right after them) when whitespace and an upper-case letter, a digit or an opening quote or
bracket follow, or a lower-case letter right after a bare ". ? !" (informal text); after an
abbreviation only where it may close a sentence ("end" in the data file, or letters with
periods such as "U.S.") and a capitalised function word follows ("... in the U.S. The ...");
always at a blank line; and at a single newline unless the next line goes on in lower case
(a wrapped line).  Never at a colon, and never before a dash ('"...," ― Name').
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import regex

__all__ = ["tokenize", "abbreviations", "Abbreviations"]

# --------------------------------------------------------------------------- characters

# what str.isspace() calls whitespace: offsets promise no token holds any of it, and the
# regex module's \s is Unicode White_Space, which differs (U+001C..U+001F)
_WS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_CHUNK = regex.compile(f"[^{_WS}]+")
_PLAIN = regex.compile(r"[^\W_]+")
_OPENERS = "\"'“‘«‹„‚([{`"
_CLOSERS = "\"'”’»›)]}“"  # "“" too: it closes quotes in careless typing

_PREFIX = regex.compile(
    # "”" and "»" too: opening a word, they open a quote ("”Mr. Trump" in careless typing)
    r"\.{2,}|…|-{2,}|[—–―]|\*+|[$£€¥₹₩]|#(?=\d)|``|''|[“‘«‹„‚(\[{\"`¿¡•<>/”»]"
    # a straight or curly opening single quote, but not the elided "'90s", "'68", "'em", "'cause"
    r"|['’](?!(?:\d\d|em|cause|til|tis|twas|n)\b)"
    r"|-(?=[\w$£€¥#])")  # a dash glued to a word in a list ("-Trump"), a minus ("-5", "-$5")

# searched backwards ((?r)) from the end of the chunk: a forward search for a suffix anchored
# at "$" retries every start and goes quadratic on long runs ("x....x")
_SUFFIX = regex.compile(
    r"(?r)(?:\.{2,}|…|-{2,}|[—–―]|\*+|[.!?]*[!?][.!?]*|[.,;:]|[%‰]|''|[”’»›)\]}\"'`“<>/]"
    r"|(?<=[^\W_])['’`](?i:s|m|d|ll|re|ve)"  # clitics after a word: "Trump's", "we're", "I'd"
    r"|(?<=[^\W\d_])(?i:n['’`]t)"  # "don't" -> "do" "n't", "can't" -> "ca" "n't" (UD's split)
    r"|(?<=\d)(?!(?i:th|st|nd|rd|s)$)[^\W\d_]{2,}"  # a unit after a number: "5pm", "$221bn"
    r")$")

# split points inside what prefixes and suffixes leave (a hyphen may yet stay: _split_infixes)
_INFIX = regex.compile(
    r"\.{2,}|…|-{2,}|[—–―]"
    r"|(?<=[^\W_]|\b[^\W\d_]\.)-(?=[^\W_]|[$£€¥])"  # UD: "U.S." "-" "led", "£3" "-" "£5"
    # "and/or", "in-group/out-group"; "1/2" and the shorthands "b/c", "w/o" stay
    r"|(?<=[^\W_])(?<!\b[^\W\d_])/(?=[^\W\d_])|(?<=[^\W_])/(?=[^\W\d_]{2})|(?<=[^\W\d_])/(?=\d)"
    r"|(?<=[^\W\d_]),(?=[^\W_])|(?<=\d),(?=[^\W\d_]|\d{1,2}\b|\d{4})"  # "1,200" stays, "11,2000" not
    r"|(?<=[^\W\d_])[:;!?](?=[^\W\d_])"  # "wait!what"; "10:30" and URLs never get here
    r"|(?<=[^\W_])[\"“”](?=[^\W_])")  # brackets stay: "Governor(s)", "Copper(II)"

_BARE_CLITIC = regex.compile(r"['’`](?i:s|m|d|ll|re|ve)|(?i:n['’`]t)|['’]\d\ds?")  # and "'68", "'90s"
_BRACKETED_ENDING = regex.compile(r"[^\W_]+\((?:s|es|[IVX]+)\)")  # "Governor(s)", "Copper(II)"
_LETTERS_WITH_PERIODS = regex.compile(r"(?:[^\W\d_]\.){2,}|[A-Z]\.")
_LONGEST_WHOLE = 40  # longer pieces are never an abbreviation, clitic or "Governor(s)"
_WEB_MARK = regex.compile(r"[.@#]")
_LONGEST_URL = 2000  # _WEB backtracks on long pieces of dots and letters: no URL is longer
_TRAILING = regex.compile(r"[.,;:!?)\]}'\"”’»>*…-]*")  # after a URL in its chunk: the sentence's
_WEB = regex.compile(
    r"(?:https?://|ftp://|www\.)[^\s]*[^\s.,;:!?)\]}'\"”’»]"  # a URL, less closing punctuation
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    r"|mailto:[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|@\w+|#[^\W\d]\w*"  # handles and hashtags ("#10461" is "#" "10461")
    r"|(?:[\w-]+\.)+(?i:com|org|net|gov|edu|int|mil|info|biz|io|co|us|uk|ca|de|fr|au|ru|cn|in)"
    r"(?:/[^\s]*[^\s.,;:!?)\]}'\"”’»])?")

# UD splits these without an apostrophe ("gonna" -> "gon" "na"): (word, length of each part)
_FUSED = {"gonna": (3, 2), "wanna": (3, 2), "gotta": (3, 2), "outta": (3, 2), "cannot": (3, 3),
          "dunno": (2, 1, 2)}

# prefixes that keep their hyphen in UD ("e-mail", "anti-American", "co-founder"); a compound
# of two words is split ("third - party")
_HYPHEN_PREFIXES = frozenset(
    "e non mid re anti co pre pro cross post semi sub multi counter ex neo inter intra extra "
    "un de bi tri micro macro mega ultra hyper uh mm".split())
_LIST_NUMBER = regex.compile(r"\d{1,2}\.")
_PHONE = regex.compile(r"(?:\d{3}|\d{5})(?:-\d{3})?-\d{4}")

# capitalised words that begin a sentence far more often than a name after "U.S." or "Inc.";
# only these let a sentence end after an abbreviation
_SENTENCE_OPENERS = frozenset(
    "The A An He She It They We I You But And Or So Yet This That These Those There Then His Her "
    "Its Their Our My In On At For If When While After Before As Some Many Most Other Others "
    "Still However Now Also What Who Why How Meanwhile Last Earlier".split())


# --------------------------------------------------------------------------- abbreviations


class Abbreviations(NamedTuple):
    """The abbreviations of ``data/abbreviations.txt``, by what the data file says of them."""

    whole: frozenset[str]  # kept with their period anywhere
    ends: frozenset[str]  # of those, the ones that may close a sentence
    numeric: frozenset[str]  # kept with their period only before a number ("No. 5")


@lru_cache(maxsize=None)
def abbreviations(name: str = "abbreviations.txt") -> Abbreviations:
    """Read a data file of abbreviations: one a line, ``#`` comments, an optional second field
    ``end`` (may close a sentence) or ``num`` (only before a number)."""
    text = resources.files("quotecraft").joinpath("data", name).read_text(encoding="utf-8")
    whole, ends, numeric = set(), set(), set()
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        flag = fields[1] if len(fields) > 1 else ""
        (numeric if flag == "num" else whole).add(fields[0])
        if flag == "end":
            ends.add(fields[0])
    return Abbreviations(frozenset(whole), frozenset(ends), frozenset(numeric))


# --------------------------------------------------------------------------- tokens


def _is_whole(text: str, s: int, e: int, before_digit: bool, abbr: Abbreviations) -> bool:
    """Whether the short piece ``text[s:e]`` is one token as it stands (no more prefixes or
    suffixes off it).

    Only short pieces are looked at: a chunk of 10,000 quotes is stripped one quote at a
    time, and a look at the whole rest each time would be quadratic."""
    if e - s > _LONGEST_WHOLE:
        return False
    piece = text[s:e]
    return (piece in abbr.whole or before_digit and piece in abbr.numeric
            or _LETTERS_WITH_PERIODS.fullmatch(piece) is not None
            or _BARE_CLITIC.fullmatch(piece) is not None
            or piece[-1] == ")" and _BRACKETED_ENDING.fullmatch(piece) is not None)


def _split_fused(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    parts = _FUSED.get(text[s:e].lower())
    if parts is None:
        out.append((s, e))
        return
    for n in parts:
        out.append((s, s + n))
        s += n


def _split_infixes(text: str, s: int, e: int, out: list[tuple[int, int]], keep_hyphens: bool,
                   abbr: Abbreviations) -> None:
    """Split the core of a chunk (prefixes and suffixes already off) at its infixes."""
    pos = s
    phone = _PHONE.fullmatch(text, s, e) is not None
    for m in _INFIX.finditer(text, s, e):
        if text[m.start()] == "-" and m.end() - m.start() == 1 and (
                phone or keep_hyphens and text[m.start() - 1].isalpha() and text[m.end()].isalpha()
                # the word before this hyphen (from the one before it, not from s: linear time)
                or text[max(text.rfind("-", s, m.start()) + 1, s):m.start()].lower() in _HYPHEN_PREFIXES):
            continue
        if pos < m.start():
            _split_chunk(text, pos, m.start(), out, False, keep_hyphens, abbr)
        out.append((m.start(), m.end()))
        pos = m.end()
    if pos == s:
        _split_fused(text, s, e, out)
    elif pos < e:
        _split_chunk(text, pos, e, out, False, keep_hyphens, abbr)


def _abbreviation_after_infix(text: str, s: int, e: int, before_digit: bool, abbr: Abbreviations) -> bool:
    """Whether ``text[s:e]`` ends in an abbreviation after a hyphen or slash ("(D-Wis.)"), whose
    period must stay for the infix step."""
    window = max(s, e - _LONGEST_WHOLE - 1)
    cut = max(text.rfind("-", window, e), text.rfind("/", window, e))
    return cut >= 0 and _is_whole(text, cut + 1, e, before_digit, abbr)


def _split_chunk(text: str, s: int, e: int, out: list[tuple[int, int]], before_digit: bool,
                 keep_hyphens: bool, abbr: Abbreviations) -> None:
    """Tokens of the whitespace-free ``text[s:e]``, appended to ``out``."""
    # most chunks: a bare word or number (not "5pm", which is "5" "pm")
    if _PLAIN.fullmatch(text, s, e) and not (text[s].isdigit() and text[e - 1].isalpha()):
        _split_fused(text, s, e, out)
        return
    tail: list[tuple[int, int]] = []
    # no URL without a "." "@" or "#"; none so long either (its regex backtracks on such pieces)
    web = e - s <= _LONGEST_URL and _WEB_MARK.search(text, s, e) is not None
    while s < e:
        if _is_whole(text, s, e, before_digit, abbr):
            out.append((s, e))
            s = e
            break
        m = _PREFIX.match(text, s, e)
        if m is not None:
            out.append((s, m.end()))
            s = m.end()
            continue
        if web:  # once, where the prefixes end: "(www.x.com)." is "(" "www.x.com" ")" "."
            web = False
            m = _WEB.match(text, s, e)
            if m is not None and _TRAILING.fullmatch(text, m.end(), e):
                out.append((s, m.end()))
                s = m.end()
                continue
        m = _SUFFIX.search(text, s, e)
        if m is None or text[m.start()] == "." and _abbreviation_after_infix(text, s, e, before_digit, abbr):
            break
        tail.append((m.start(), e))
        e = m.start()
    if s < e:
        _split_infixes(text, s, e, out, keep_hyphens, abbr)
    out.extend(reversed(tail))


def _tokens(text: str, keep_hyphens: bool, abbr: Abbreviations) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(text)]
    for i, (s, e) in enumerate(chunks):
        # "No. 5": the numeric abbreviations need to see the next chunk
        before_digit = i + 1 < len(chunks) and text[chunks[i + 1][0]].isdigit()
        if _LIST_NUMBER.fullmatch(text, s, e) and (i == 0 or "\n" in text[chunks[i - 1][1]:s]):
            out.append((s, e))  # "1." opening a line numbers a list item: it ends no sentence
            continue
        _split_chunk(text, s, e, out, before_digit, keep_hyphens, abbr)
    return out


# --------------------------------------------------------------------------- sentences


def _is_terminal(tok: str) -> bool:
    return tok[0] in ".?!…" and all(c in ".?!…" for c in tok)


def _abbreviation_ends(tok: str, nxt: str, abbr: Abbreviations) -> bool:
    """After an abbreviation, a sentence ends only where a capitalised function word follows
    one that often closes a sentence: "U.S. Army" goes on, "... in the U.S. The ..." ends."""
    if tok in abbr.ends or (len(tok) > 2 and _LETTERS_WITH_PERIODS.fullmatch(tok)):
        return nxt in _SENTENCE_OPENERS
    return False


#: whether ". ? !" right after a word, with no closing quote, ends a sentence before a lower-case
#: word too ("... last night. i flew here"): informal text, where news has an abbreviation
LOWER_CASE_STARTS = True


def _citation(text: str, toks: list[tuple[int, int]], k: int) -> int:
    """The index of the "]" closing a note such as "[12]" or "[3 - 5]" opening at token ``k``,
    or -1."""
    if text[toks[k][0]:toks[k][1]] != "[":
        return -1
    for m in range(k + 1, min(k + 8, len(toks))):
        tok = text[toks[m][0]:toks[m][1]]
        if tok == "]":
            return m if m > k + 1 else -1
        if not (tok.isdigit() or tok in ("-", "–", ",")):
            return -1
    return -1


def _ends_here(text: str, toks: list[tuple[int, int]], i: int, abbr: Abbreviations) -> bool:
    """Whether a sentence ends after token ``i``, judged by the words (not by newlines)."""
    s, e = toks[i]
    nxt_s, nxt_e = toks[i + 1]
    if nxt_s == e:  # nothing between: a closing quote or more punctuation follows
        return False
    if text[nxt_s] == "[" and _citation(text, toks, i + 1) > 0:
        return False  # "... in 1891. [3] He": the note belongs to the sentence it follows
    first = text[nxt_s]
    # no dash either: '"...," ― Name' attributes a quote, it starts no sentence
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return (LOWER_CASE_STARTS and first.islower() and text[s] in ".?!" and _is_terminal(text[s:e])
                and not text[s:e].startswith(".."))
    j = i
    if text[s] == "]":
        opening = next((k for k in range(i - 2, max(i - 8, 0), -1) if _citation(text, toks, k) == i), -1)
        j = opening - 1 if opening > 0 else j  # step back over a note to the period before it
    while j > 0 and text[toks[j][0]] in _CLOSERS and toks[j - 1][1] == toks[j][0]:
        j -= 1  # '... season." She': step back over the closing quote to the period
    tok = text[toks[j][0]:toks[j][1]]
    if _is_terminal(tok):
        return True
    if tok.endswith(".") and len(tok) > 1:
        return _abbreviation_ends(tok, text[nxt_s:nxt_e], abbr)
    return False


#: whether a single line break ends a sentence (unless the next line goes on in lower case)
LINE_BREAKS_END = True


def _newline_ends(gap: str, nxt: str, line_breaks_end: bool = True) -> bool:
    """Whether whitespace with a line break ends a sentence: a blank line always does; a
    single line break unless the next line goes on in lower case, as a wrapped line does."""
    if gap.count("\n") > 1 or gap.count("\r") > 1 and "\n" not in gap or "\u2029" in gap:
        return True
    if not (LINE_BREAKS_END and line_breaks_end) or "\n" not in gap and "\r" not in gap and "\u2028" not in gap:
        return False
    return not nxt[0].islower()


def _sentences(text: str, toks: list[tuple[int, int]], abbr: Abbreviations, line_breaks_end: bool = True
               ) -> list[list[tuple[int, int]]]:
    sents: list[list[tuple[int, int]]] = []
    first = 0
    for i in range(len(toks) - 1):
        e, nxt_s = toks[i][1], toks[i + 1][0]
        if _newline_ends(text[e:nxt_s], text[nxt_s:toks[i + 1][1]], line_breaks_end) \
                or _ends_here(text, toks, i, abbr):
            sents.append(toks[first:i + 1])
            first = i + 1
    if first < len(toks):
        sents.append(toks[first:])
    return sents


def tokenize(text: str, start: int = 0, end: int | None = None, *,
             keep_hyphens: bool = False, line_breaks_end: bool = True) -> list[list[tuple[int, int]]]:
    """Split ``text[start:end]`` into sentences of tokens.

    Returns a list of sentences, each a list of (start, end) offsets into ``text`` (absolute,
    not relative to ``start``): ``text[s:e]`` is the token, never empty and without
    whitespace; tokens are in text order and do not overlap.  ``start`` and ``end`` are read
    as slice bounds (negative ones from the end).  Text without tokens (empty, or only
    whitespace) gives ``[]``.  Clitics come split as in UD English ("do" "n't"), so
    the tokens are the words a tagger trained on UD expects.  ``keep_hyphens=True`` keeps
    letter-hyphen-letter words whole ("Jae-in") instead of UD's split ("Jae" "-" "in").
    ``line_breaks_end=False``: a single line break never ends a sentence (a blank line still
    does), for text whose paragraphs were already found (`quotecraft.attribution.layout` joins
    the lines of one only where the break falls inside a sentence: "said Foreign / Minister").
    """
    start, end, _ = slice(start, end).indices(len(text))  # as slicing reads them, then absolute
    sub = text[start:end]  # slicing keeps lookbehinds from reading past ``start``
    abbr = abbreviations()
    toks = _tokens(sub, keep_hyphens, abbr)
    sents = _sentences(sub, toks, abbr, line_breaks_end)
    if start:
        sents = [[(s + start, e + start) for s, e in sent] for sent in sents]
    return sents
