"""Re-join reported contents that a long-sentence cut split.

`quotecraft.nlp.bound` cuts every sentence longer than its ``MAX_WORDS`` into pieces before
tagging and parsing; a reported clause that runs on past a cut (``X said that a, b, c, ...``
over 300 words) is carried on here to the end of the sentence the pieces came from.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..nlp.parse import Sentence
    from .resolve import Attribution

__all__ = ["join_cut_contents"]


def _last_word_end(sent: "Sentence") -> int:
    """End of the piece's last word that is not only punctuation."""
    for w in reversed(sent.words):
        if any(c.isalnum() for c in w.text):
            return w.end
    return sent.end


def join_cut_contents(atts: "list[Attribution]", sentences: "list[Sentence]") -> None:
    """Carry a reported content that reaches the end of a cut piece on through the
    pieces cut from the same sentence, up to (not into) a piece that holds another
    attribution's cue.  Direct quotes are left alone: their marks give their extent.
    """
    by_end = {_last_word_end(s): i for i, s in enumerate(sentences)}
    cue_at = [a.cue[0] for a in atts if a.cue]
    for a in atts:
        if a.kind == "direct" or not a.content:
            continue
        i = by_end.get(a.content[-1][1])
        if i is None:
            continue
        j = i
        while j + 1 < len(sentences) and sentences[j + 1].continues:
            nxt = sentences[j + 1]
            if any(nxt.start <= c < nxt.end for c in cue_at):
                break
            j += 1
        if j > i:
            a.content[-1] = (a.content[-1][0], _last_word_end(sentences[j]))
