"""Speech or not: what each attribution reports.

A reader of quotes means speech -- words someone said or wrote.  News attributes more than that
(PolNeAR, the learned tagger's training data, annotates every attribution): what someone
believes, intends, perceives, or what a study found.  Each attribution gets one of `TYPES` from
the first of these named steps that can tell, and the step's name goes with it:

==================  =====================================================  ==========================
step                rule                                                   example
==================  =====================================================  ==========================
quote_marks         a direct quote (marks around the whole content) is     ``"We won," she said.``
                    speech, cue or none
unsaid              a negated cue of an open question, or of a request     ``did not say when``,
                    for comment, a request not to be named, and            ``did not respond to a
                    "nothing" as the content, report that nothing was      request for comment``,
                    said on the record: other                              ``asked not to be named``,
                                                                           ``said nothing``
headline_passive    a participle right after a short subject in the title  ``Man charged after
                    line, before a preposition: headline English for a     break-in``
                    passive, other
speech_frame        a colon before the content, "according to", or a       ``according to the court``
                    speech noun in the cue ("statement", "interview")
lexicon             the cue's word is in the cue lexicon: its class        ``he hopes`` -> intention
                    (``data/cues.tsv``; speech and directive are speech);
                    a quotes-only cue with no quotation is no speech      ``a declaration that listed``
model               a cue the lexicon does not know: the type head over    ``likened X to Y``
                    the cue's encoder features tells which non-speech type
                    (never speech: see `TypeHead`), or ``none`` when it is
                    no report at all (dropped)
no_evidence         no cue, no marks, no features: never speech by default  an uncued paraphrase
==================  =====================================================  ==========================

``Extractor(include_beliefs=False)`` (the default) keeps the ``speech`` ones.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

import regex

from ..errors import HeadError
from ..lexicon import Lexicon
from .layout import title_line

if TYPE_CHECKING:
    from .resolve import Attribution

__all__ = ["TYPES", "NOT_A_REPORT", "TYPE_HEAD_PATH", "Typed", "attribution_type", "cue_type", "pool_cue",
           "cue_pieces", "pool_pieces", "type_attributions", "load_type_head"]

#: what an attribution reports: words (speech) or not words at all
TYPES = ("speech", "belief", "intention", "perception", "finding", "other")
#: the head's extra class: a tagged cue that reports nothing ("was named the candidate")
NOT_A_REPORT = "none"
#: the lexicon's cue classes -> types
_CLASS_TYPE = {"speech": "speech", "directive": "speech", "belief": "belief", "intention": "intention",
               "perception": "perception", "finding": "finding"}
TYPE_HEAD_PATH = Path(__file__).resolve().parent.parent / "models" / "attribution" / "cuetype.pt"
_WORD = regex.compile(r"[\p{L}][\p{L}\p{M}'’-]*|:")

Range = tuple[int, int]


@dataclass(frozen=True)
class Typed:
    """An attribution's type and the step that told it."""

    type: str
    step: str


def cue_type(cue_text: str, lex: Lexicon, quoted: bool = True) -> Optional[Typed]:
    """The type the cue's own words tell (steps ``speech_frame`` and ``lexicon``), or None.

    The first word the lexicon knows decides ("also blamed" -> blame; "hopes to say" -> hope:
    an intention to speak is no speech yet).  A quotes-only cue ("listed", "repeated") links a
    quotation but reports nothing by itself: with no quotation in the content (``quoted``
    false) it is no speech ("other": "a declaration that listed goals")."""
    words = _WORD.findall(cue_text.lower())
    # a colon introduces a quotation ("He said: ..."; "Romeo: ..."); "according to" relays words
    if ":" in words or "according" in words or any(w in lex.speech_nouns for w in words):
        return Typed("speech", "speech_frame")
    for w in words:
        cue = lex.cue_for(w, w)
        if cue is not None:
            if cue.quotes_only and not cue.content_about and not quoted:
                return Typed("other", "lexicon")
            return Typed(_CLASS_TYPE.get(cue.cls, "other"), "lexicon")
    return None


# "did not say", "didn't say", "would never say", "declined to say", "has yet to explain": the
# negation right before the cue (at most one word between)
_NEGATED = regex.compile(r"(?:\bnot|\bcannot|n[’']t|\bnever|\bdeclined\s+to|\brefused\s+to|\byet\s+to)\s+(?:\w+\s+)?$",
                         regex.IGNORECASE)
# a request for comment as the content: "(did not respond) to a request for comment", "(did not
# return) messages seeking comment" -- the reporter's question, not the speaker's words
_COMMENT_REQUEST = regex.compile(r"(?:to\s+)?(?:\w+\s+){0,3}(?:requests?|calls?|messages?|e-?mails?|inquir(?:y|ies)"
                                 r"|questions?)\b[^.\n]{0,40}\bcomment", regex.IGNORECASE)
# a request for anonymity as the content: "(asked) not to be identified / named / quoted"
_ANONYMITY = regex.compile(r"(?:that\s+)?not\s+(?:to\s+)?be\s+(?:identified|named|quoted)\b", regex.IGNORECASE)
# nothing as the content: "(she) said nothing", "said little about the plan", "said nothing more"
# -- but "said nothing had changed" reports words
_NOTHING = regex.compile(r"(?:nothing|little|no\s+more)(?:\s+(?:more|else|further))?(?=\s*(?:[.,;:!?)]|$)|\s+"
                         r"(?:about|of|on|to|regarding|publicly|when|as|after|before|during|at|in|since|until)\b)",
                         regex.IGNORECASE)
# what follows a headline's passive participle ("charged after", "slammed over", "warned of")
_HEADLINE_PREP = regex.compile(r"\s+(?:after|with|over|for|in|by|at|on|as|of|amid)\b", regex.IGNORECASE)
# the cues whose "nothing" is silence ("proposed little in the way of reform" proposes something)
_SAYING = regex.compile(r"(?:say|says|said|saying|tell|tells|told|telling|reveal(?:s|ed|ing)?|disclos(?:e|es|ed|ing))",
                        regex.IGNORECASE)
# an open question as the content: "when the visit took place", "whether talks would resume"
_QUESTION = regex.compile(r"(?:when|whether|why|how|what|which|who|where|if)\b", regex.IGNORECASE)


def _unsaid(text: str, cue: Range, content_start: int) -> bool:
    """``"The report did not say when the visit took place"``: the cue is negated and its
    content, after it, is an open question or a request for comment ("did not respond to a
    request for comment"), or the content asks for anonymity ("asked not to be identified") -- a
    report that something was *not* said on the record."""
    # a refusal to answer is news, but no words to quote; PolNeAR annotates it (once in its 840
    # train articles), a reader of quotes does not want it among the quotes
    if content_start >= cue[1] and _ANONYMITY.match(text, content_start) is not None:
        return True  # "asked not to be identified because the talks are private"
    if content_start >= cue[1] and _NOTHING.match(text, content_start) is not None \
            and _SAYING.fullmatch(text, *cue) is not None:
        return True  # "She said nothing.": silence, not words
    if content_start < cue[1] or _NEGATED.search(text, max(0, cue[0] - 40), cue[0]) is None:
        return False
    # the question word opens the content, or lies between the cue and a content the tagger
    # started after it ("did not say [when] the talks would resume")
    gap = text[cue[1]:content_start].strip()
    return _QUESTION.match(text, content_start) is not None or _QUESTION.fullmatch(gap) is not None \
        or _COMMENT_REQUEST.match(text, content_start) is not None


def _headline_passive(text: str, cue: Range) -> bool:
    """``"Man charged after break-in at pharmacy"``, ``"Senator slammed over remarks"``: in the
    article's title line, a participle right after a short subject and before a preposition is
    headline English for a passive ("was charged"), a report of what was done to someone, not
    of what they said."""
    lead, line_end = title_line(text)
    if not lead <= cue[0] < line_end or line_end - lead > 150 or text[lead:line_end].rstrip()[-1:] in ".?!\"”":
        return False
    word = text[cue[0]:cue[1]].lower()
    return word.endswith("ed") and len(text[lead:cue[0]].split()) <= 4 \
        and _HEADLINE_PREP.match(text, cue[1], line_end) is not None


def attribution_type(text: str, kind: str, cue: Optional[Range], lex: Lexicon, head: Optional["TypeHead"] = None,
                     features_of: Optional[Callable[[Range], Any]] = None,
                     content_start: Optional[int] = None) -> Typed:
    """The type of one attribution of ``kind`` (direct, indirect, mixed) whose cue is the
    character range ``cue`` of ``text`` and whose content starts at ``content_start``; for the
    ``model`` step, ``features_of(cue)`` gives the cue's pooled encoder features (or None),
    asked only for a cue the lexicon does not know."""
    if kind == "direct":
        return Typed("speech", "quote_marks")
    if cue is not None and content_start is not None and _unsaid(text, cue, content_start):
        return Typed("other", "unsaid")
    if cue is not None and _headline_passive(text, cue):
        return Typed("other", "headline_passive")
    if cue is not None:
        told = cue_type(text[cue[0]:cue[1]], lex, quoted=kind != "indirect")
        if told is not None:
            return told
        features = features_of(cue) if head is not None and features_of is not None else None
        if features is not None:
            return Typed(head.predict(features), "model")  # type: ignore[union-attr]
    elif kind == "mixed":
        # a quotation inside the content and no cue: words someone said, as a direct quote
        return Typed("speech", "quote_marks")
    return Typed("other", "no_evidence")


def pool_cue(offsets: Sequence[Any], feats: Sequence[Any], cue: Range) -> Any:
    """Mean encoder features of the word pieces of ``cue`` in the first window holding one of
    them (``offsets[i]``: (n, 2) piece offsets of window i; ``feats[i]``: its (n, d) features),
    or None when no window holds the cue."""
    for off, f in zip(offsets, feats):
        if f is None or len(off) == 0:
            continue
        inside = cue_pieces(off, cue)
        if bool(inside.any()):
            return f[inside].float().mean(dim=0)
    return None


def cue_pieces(offsets: Any, cue: Range) -> Any:
    """Which pieces of a window (``offsets``: its (n, 2) piece offsets) overlap ``cue``: the
    pieces a cue's features are pooled over, at run time and in training."""
    return (offsets[:, 0] < cue[1]) & (offsets[:, 1] > cue[0])


def pool_pieces(pieces: dict[Range, Any], cue: Range) -> Any:
    """Mean of the kept piece features (`quotecraft.attribution.tagger.tag_article`'s
    ``cue_features``) that overlap ``cue``, or None."""
    inside = [f for (s, e), f in pieces.items() if s < cue[1] and cue[0] < e]
    if not inside:
        return None
    import torch

    return torch.stack(inside).float().mean(dim=0)


def type_attributions(text: str, atts: Sequence["Attribution"], lex: Lexicon, include_beliefs: bool,
                      head: Optional["TypeHead"] = None, pieces: Optional[dict[Range, Any]] = None,
                      ) -> list["Attribution"]:
    """Type every attribution (``Attribution.type``) and keep what was asked for: speech only,
    or with ``include_beliefs`` every type; a cue that reports nothing (`NOT_A_REPORT`) is
    dropped either way.  ``pieces``: the tagger's kept cue-piece features, for the ``model``
    step (none on the rules path, whose cues all come from the lexicon)."""
    kept = []
    features_of = (lambda cue: pool_pieces(pieces, cue)) if pieces else None
    for a in atts:
        start = min(s for s, _ in a.content) if a.content else None
        a.type = attribution_type(text, a.kind, a.cue, lex, head, features_of, start).type
        if a.type == "speech" or (include_beliefs and a.type != NOT_A_REPORT):
            kept.append(a)
    return kept


class TypeHead:
    """A linear layer over a cue's pooled encoder features: one score per type and ``none``."""

    def __init__(self, state: dict[str, Any]) -> None:
        import torch

        self.labels: list[str] = list(state["labels"])
        self.weight = state["weight"].float()
        self.bias = state["bias"].float()
        #: the least probability of speech that makes an unknown cue speech; None (the shipped
        #: head's): never -- on PolNeAR dev every floor tried lowered the precision of speech
        #: more than it raised its recall (MODEL_CARD.md, "The attribution type head")
        floor = state.get("speech_floor")
        self.speech_floor = None if floor is None else float(floor)
        #: the least probability of ``none`` that drops a tagged cue as no report at all
        self.none_floor = float(state.get("none_floor", 0.5))
        self._torch = torch

    def probabilities(self, features: Any) -> dict[str, float]:
        p = self._torch.softmax(features.float() @ self.weight.T + self.bias, dim=-1)
        return dict(zip(self.labels, p.tolist()))

    def predict(self, features: Any) -> str:
        """``speech`` only at the speech floor (never, by default); else the likeliest other
        type, or ``none``."""
        p = self.probabilities(features)
        if self.speech_floor is not None and p.get("speech", 0.0) >= self.speech_floor:
            return "speech"
        if p.get(NOT_A_REPORT, 0.0) >= self.none_floor:
            return NOT_A_REPORT
        rest = {k: v for k, v in p.items() if k not in ("speech", NOT_A_REPORT)}
        return max(rest, key=rest.get) if rest else "other"  # type: ignore[arg-type]


def load_type_head(path: Optional[Path] = None) -> Optional[TypeHead]:
    """The shipped type head, or None where no file is installed (the ``model`` step then
    leaves unknown cues to ``no_evidence``)."""
    path = Path(path or TYPE_HEAD_PATH)
    if not path.is_file():
        return None
    import torch

    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        return TypeHead(state)
    except Exception as e:  # a damaged file names itself
        raise HeadError(f"attribution type head {path} cannot be read ({type(e).__name__}: {e}); "
                        "reinstall quotecraft or retrain it with `python -m quotecraft.train cuetype`") from e
