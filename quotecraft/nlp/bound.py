"""Bound the length of what reaches the tagger and the parser.

Stanza's tree decoder (Chu-Liu/Edmonds) grows much faster than linearly with
sentence length: a paragraph of 400 short quotes that the tokenizer leaves as
one 1,500-word "sentence" exhausted 24 GB.  Long unsplit stretches are real
(transcripts, lists, tables, scraped pages), so every tokenized sentence longer
than `MAX_WORDS` is cut into pieces of at most that many words before tagging.

Cuts go at the best break in the last half of each window, best first:

=====  ==============================  ==========================================
score  break after token i             example
=====  ==============================  ==========================================
5      a missed sentence end           ``... said A1. | "q2," said A2.``
4      ``;`` or ``:``                  ``the first; | the second``
3      a quotation mark edge           ``..." | he said`` / ``he said | "...``
2      a comma                         ``apples, | pears, ...``
1      before a coordinator            ``we ate | and they drank``
0      anywhere (no break in reach)    ``one two three ...``
=====  ==============================  ==========================================

Each piece is then an ordinary sentence to the rest of the pipeline: the
resolver links a quote to a cue in the next or previous sentence of the same
paragraph exactly as it does where the tokenizer itself split.  What a cut does
break is a reported clause that runs on past it (``X said that a, b, c, ...``
over 300 words): `quotecraft.attribution.rejoin.join_cut_contents` carries such a
content on to the end of the sentence the pieces came from.
"""
from __future__ import annotations

from typing import Sequence

__all__ = ["MAX_WORDS", "split_points"]

#: longest sentence (in tokens) handed to the tagger and parser as one unit; news
#: sentences are almost all shorter (PolNeAR dev: 99.9% of sentences under 100 words)
MAX_WORDS = 120

_SENTENCE_END = {".", "!", "?", "...", "…"}
_CLAUSE_MARKS = {";", ":", "—", "–", "--"}
_QUOTE_MARKS = set('"“”„«»‹›')
_COORDINATORS = {"and", "but", "or", "nor", "so", "yet", "while", "because", "as"}


def _score(tokens: Sequence[str], i: int) -> int:
    """How good a cut between ``tokens[i]`` and ``tokens[i + 1]`` is (see the table above)."""
    cur, nxt = tokens[i], tokens[i + 1]
    prev = tokens[i - 1] if i > 0 else ""
    starts_new = nxt[:1].isupper() or nxt in _QUOTE_MARKS
    if starts_new and (cur in _SENTENCE_END or (cur in _QUOTE_MARKS and prev in _SENTENCE_END | {","})):
        return 5
    if cur in _CLAUSE_MARKS:
        return 4
    if cur in _QUOTE_MARKS or nxt in _QUOTE_MARKS:
        return 3
    if cur == ",":
        return 2
    if nxt.lower() in _COORDINATORS:
        return 1
    return 0


def split_points(tokens: Sequence[str], max_words: int = MAX_WORDS) -> list[int]:
    """Token indexes at which to cut ``tokens`` so that no piece exceeds ``max_words``.

    Returns the start index of every piece after the first (empty when the
    sentence is short enough).  Linear in ``len(tokens)``: each window looks at
    its last half only, and every piece is at least half a window long.

    >>> split_points(["a"] * 5, max_words=4)
    [4]
    >>> split_points("x y , z w v".split(), max_words=4)
    [3]
    """
    if max_words < 2:
        raise ValueError(f"max_words must be >= 2, got {max_words}")
    cuts: list[int] = []
    start, n = 0, len(tokens)
    while n - start > max_words:
        lo, hi = start + max_words // 2, start + max_words  # the cut lands in (lo, hi]
        best, best_at = -1, hi
        for i in range(hi - 1, lo - 1, -1):  # latest best break: pieces stay as long as allowed
            s = _score(tokens, i)
            if s > best:
                best, best_at = s, i + 1
                if s == 5:
                    break
        cuts.append(best_at)
        start = best_at
    return cuts
