"""The cue and its phrase: "said" in "has also said", "called" in "called on".

A quote's cue (`Quote.cue`) is the reporting word itself, the one the resolver
reads the speaker and the content from.  Its phrase (`Quote.cue_phrase`) adds the
words that modify it in place, which carry tense, negation and stance ("did not
say", "has long claimed") and which annotated corpora such as PolNeAR count as
part of the cue.

The two readings come from opposite directions:

- the resolver finds the word and `widen` grows its phrase by the rules below;
- the learned tagger (`quotecraft.attribution.tagger`) tags the phrase, and `head_word`
  finds the word inside it (`whole_according` puts back a ``to`` the tagger
  left off "according").

`settle_cues` is the one place where both happen, on the candidates of both proposers before
they are reconciled (`quotecraft.attribution.merge`): afterwards every candidate's ``cue`` is
a word and its ``cue_phrase`` the phrase around it (None: the word alone).

Widening rules, each on the parse around the cue word, applied in this order:

==========  =====================================  ===============================
rule        words taken                            example (cue word, phrase)
==========  =====================================  ===============================
modifiers   the run of aux / advmod dependents     ``has also said``, ``did not
            of the cue word right before it        deny``, ``would never claim``
particle    a compound:prt dependent right after   ``pointed out``, ``spoke up``
into        prepositions between the phrase and    ``called on [the West to ...]``,
            the content it introduces              ``warned of [a crisis]``
==========  =====================================  ===============================

On both readings a colon right after the phrase joins it (``added:``), and the phrase of a
verb of saying (the cues marked ``phrase=verb`` in ``data/cues.tsv``) ends at the verb,
before a place or occasion after it (``said`` in "said in a statement").
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Optional, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from ..nlp.parse import Sentence, Word
    from .resolve import Attribution

__all__ = ["settle_cues", "widen", "head_word", "tagged_cue", "with_colon"]

Range = tuple[int, int]
_WORD = re.compile(r"\w+(?:['’]\w+)*")

#: dependents of the cue word that belong to its phrase when they stand right before it
MODIFIER_RELATIONS = frozenset({"aux", "aux:pass", "advmod"})


def _words_of(sent: "Sentence", rng: Range) -> list["Word"]:
    return [w for w in sent.words if rng[0] <= w.start and w.end <= rng[1]]


def _modifiers(sent: "Sentence", word: "Word") -> list["Word"]:
    """``has also said``: auxiliaries and adverbs of the cue word, contiguous up to it
    (a modifier further left, as in "Also, she said", is a sentence adverb, not the cue's)."""
    out: list["Word"] = []
    for w in reversed(sent.words[: word.id - 1]):
        if w.head != word.id or w.deprel not in MODIFIER_RELATIONS or w.upos == "PUNCT":
            break
        out.insert(0, w)
    return out


def _particle(sent: "Sentence", word: "Word") -> list["Word"]:
    """``pointed out``: a verb particle right after the cue word."""
    nxt = sent.words[word.id] if word.id < len(sent.words) else None
    return [nxt] if nxt is not None and nxt.head == word.id and nxt.deprel == "compound:prt" else []


def _into(sent: "Sentence", end: int, content: Sequence[Range]) -> list["Word"]:
    """``called on [the West ...]``: prepositions that are all that stands between the
    phrase and the content that follows it; they introduce the content, not the speaker."""
    after = [s for s, _ in content if s >= end]
    if not after:
        return []
    gap = [w for w in sent.words if end <= w.start and w.end <= min(after)]
    return gap if gap and all(w.upos == "ADP" for w in gap) else []


def widen(atts: "list[Attribution]", sentence_at: Callable[[int], Optional["Sentence"]]) -> None:
    """Set ``cue_phrase`` on each attribution with a one-word cue in a parsed sentence
    and no phrase yet, where the rules of this module's table add words."""
    for a in atts:
        if a.cue is None or a.cue_phrase is not None:
            continue
        sent = sentence_at(a.cue[0])
        if sent is None or not sent.parsed:
            continue
        words = _words_of(sent, a.cue)
        if len(words) != 1:
            continue  # "according to" is already a phrase of its own
        word = words[0]
        lo = (_modifiers(sent, word) or [word])[0].start
        hi = max([word.end] + [w.end for w in _particle(sent, word)])
        hi = max([hi] + [w.end for w in _into(sent, hi, a.content)])
        if (lo, hi) != a.cue:
            a.cue_phrase = (lo, hi)


_TO = re.compile(r"\s+to\b", re.IGNORECASE)


def whole_according(text: str, rng: Range) -> Range:
    """``according`` tagged alone is the cue ``according to`` (one cue word to the lexicon and
    to PolNeAR; the tagger now and then leaves out the ``to``)."""
    if text[rng[0]:rng[1]].lower().endswith("according"):
        m = _TO.match(text, rng[1])
        if m:
            return (rng[0], m.end())
    return rng


def head_word(sent: Optional["Sentence"], rng: Range, is_cue_word: Callable[["Word"], bool],
              text: str = "", cue_forms: frozenset[str] = frozenset()) -> Range:
    """The cue word inside a tagged cue phrase: the phrase's word that the lexicon knows
    as a cue and whose head lies outside the phrase ("also blamed" -> "blamed"); else its
    first verb; else the phrase itself (nothing to go on).  In a sentence left unparsed
    (the extractor parses only sentences with a cue-lexicon word), the first word of the
    phrase among ``cue_forms``, read from ``text``."""
    if sent is None or not sent.parsed:
        for m in _WORD.finditer(text, rng[0], rng[1]):
            if m.group().lower() in cue_forms:
                return (m.start(), m.end())
        return rng
    words = _words_of(sent, rng)
    if len(words) < 2:
        return rng
    ids = {w.id for w in words}
    heads = [w for w in words if w.head not in ids]
    for pick in ([w for w in heads if is_cue_word(w)], [w for w in words if is_cue_word(w) and w.upos == "VERB"],
                 [w for w in heads if w.upos == "VERB"], [w for w in words if w.upos == "VERB"]):
        if pick:
            # "according to" is one word to the parse ("to" is fixed to "according"): keep it whole
            fixed = [w for w in words if w.head == pick[0].id and w.deprel == "fixed"]
            return (pick[0].start, max([pick[0].end] + [w.end for w in fixed]))
    return rng


def tagged_cue(text: str, phrase: Range, sent: Optional["Sentence"], is_cue_word: Callable[["Word"], bool],
               cue_forms: frozenset[str] = frozenset(),
               verb_phrase_forms: frozenset[str] = frozenset()) -> tuple[Range, Optional[Range]]:
    """The cue word and phrase of a cue phrase the tagger tagged ("also blamed" -> "blamed",
    "also blamed"); the phrase is None when it is the word alone."""
    phrase = whole_according(text, phrase)
    word = whole_according(text, head_word(sent, phrase, is_cue_word, text, cue_forms))
    phrase = _without_setting(text, phrase, word, verb_phrase_forms)
    return word, (phrase if phrase != word else None)


#: a place or occasion after the verb ("said in a statement", "told reporters at a briefing")
_SETTING = re.compile(r"\s+(?:in|at|on|during)\b", re.I)
#: right after the verb ("said of", "told to", "reported by"): train 43:19, 48:2, 35:5 for the
#: cue ending at the verb ("about" and "for" stay: 14:43, 8:16)
_AFTER_VERB = re.compile(r"\s+(?:of|to|by)\b", re.I)


def _without_setting(text: str, phrase: Range, word: Range, verb_phrase_forms: frozenset[str]) -> Range:
    """The tagged phrase without a place or occasion after a verb of saying ("said in a
    statement" -> "said"; the verbs are the cues marked ``phrase=verb`` in ``data/cues.tsv``)."""
    if phrase[1] <= word[1] or text[word[0]:word[1]].lower() not in verb_phrase_forms:
        return phrase
    setting = _AFTER_VERB.match(text, word[1], phrase[1]) or _SETTING.search(text, word[1], phrase[1])
    return (phrase[0], setting.start()) if setting is not None else phrase


def settle_cues(text: str, atts: "Sequence[Attribution]", sentence_at: Callable[[int], Optional["Sentence"]],
                is_cue_word: Callable[["Word"], bool], cue_forms: frozenset[str] = frozenset(),
                verb_phrase_forms: frozenset[str] = frozenset()) -> None:
    """Give every candidate its cue word and cue phrase, from the direction its proposer read
    it in: the resolver's cue word grows its phrase (`widen`); the tagger's tagged phrase is cut
    to its word (`tagged_cue`).  Either way a colon right after the phrase joins it (`with_colon`)."""
    resolver = [a for a in atts if a.origin != "tagger"]
    for a in atts:
        if a.origin == "tagger" and a.cue is not None:
            a.cue, a.cue_phrase = tagged_cue(text, a.cue, sentence_at(a.cue[0]), is_cue_word, cue_forms,
                                             verb_phrase_forms)
    widen(resolver, sentence_at)
    for a in atts:
        with_colon(text, a)


def with_colon(text: str, att: "Attribution") -> None:
    """'He added: "..."': a colon right after the cue phrase is part of it, as PolNeAR marks it
    (train 368 to 18)."""
    if att.cue is None:
        return
    start, end = att.cue_phrase or att.cue
    if text[end:end + 1] == ":":
        att.cue_phrase = (start, end + 1)
