"""Where the resolver's rules meet the tagger: the learned spans, named as the resolver names them.

The tagger (`quotecraft.attribution.tagger`) decides the spans; the resolver
(`quotecraft.attribution.resolve`) lends names, addressees and relaying agencies, and keeps
its own reading in the places measured on PolNeAR dev (see `merge_with_rules`).
"""
from __future__ import annotations

import bisect
import re
from typing import Any, Sequence

from .tagger import LearnedAttribution, Range

__all__ = ["merge_with_rules", "LINKED_DIRECT"]


def _overlap(a: Range, b: Range) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _jaccard(a: list[Range], b: list[Range]) -> float:
    inter = sum(_overlap(x, y) for x in a for y in b)
    union = sum(e - s for s, e in a) + sum(e - s for s, e in b) - inter
    return inter / union if union else 0.0


class _RangeIndex:
    """Items by character range, for "which items overlap this range" in log time plus the
    answer (a 1 MB article has thousands of attributions: comparing all pairs took minutes)."""

    def __init__(self, items: Sequence[tuple[int, int, Any]]) -> None:
        self.items = sorted(items, key=lambda x: x[0])
        self.starts = [x[0] for x in self.items]
        self.longest = max((x[1] - x[0] for x in self.items), default=0)

    def overlapping(self, lo: int, hi: int) -> list[Any]:
        """Items whose range shares a character with ``[lo, hi)``, in order of start."""
        i = bisect.bisect_left(self.starts, lo - self.longest)
        j = bisect.bisect_left(self.starts, hi)
        return [x[2] for x in self.items[i:j] if x[1] > lo and x[0] < hi]

    def touching(self, ranges: Sequence[Range]) -> list[Any]:
        """The distinct items that overlap any of ``ranges``, sorted."""
        return sorted({x for s, e in ranges for x in self.overlapping(s, e)})


def _within(inner: Sequence[Range], outer: Sequence[Range]) -> bool:
    """Every range of ``inner`` lies inside one range of ``outer``."""
    return all(any(lo <= s and e <= hi for lo, hi in outer) for s, e in inner)


def _relayed_inside(la: LearnedAttribution, rules: Sequence[Any]) -> Any:
    """The resolver's attribution that ``la`` only relays, if any: ``"Kim told Putin that X,
    KCNA reported"`` tagged as KCNA's content "Kim told Putin that X", where the resolver has
    Kim's "X" (its content and cue inside the learned content) relayed by KCNA (a relay mention
    on the learned source); or ``"KCNA quoted a manager as saying that X"`` tagged as KCNA's
    content "a manager as saying that X", where the resolver's cue is the frame's own
    ("quoted").  The resolver's reading keeps both facts (speaker and relaying agency,
    `Quote.reported_by`), the learned one only the relay."""
    if la.source is None:
        return None
    frame = la.cue_phrase or la.cue
    for ra in rules:
        if ra.cue is None or not _within(ra.content, la.content):
            continue
        # the speaker's cue inside the relayed content, or the frame's own cue ("KCNA quoted
        # a manager as saying that X": the resolver reads "quoted" as the manager's cue)
        if not (_within([ra.cue], la.content) or (frame is not None and _overlap(ra.cue, frame))):
            continue
        if any(m is not None and _overlap(m, la.source) for _, m in ra.reported_by):
            return ra
    return None


def _inside_same_cue(la: LearnedAttribution, ra: Any) -> bool:
    """The learned content lies within the resolver's content of the same cue."""
    return (la.cue is not None and ra.cue is not None and _overlap(la.cue_phrase or la.cue, ra.cue) > 0
            and _within(la.content, ra.content))


def _split_by_cue(la: LearnedAttribution, ra: Any) -> bool:
    """``"Civilians, a UN official said, are still trapped"``: the resolver split the content
    around the same cue into more fragments, and the learned content lies within them.  The
    tagger often leaves out (or tags as the source) the subject before a parenthetical cue."""
    return len(ra.content) > len(la.content) and _inside_same_cue(la, ra)


def _fragment_of(la: LearnedAttribution, rules: Sequence[Any]) -> Any:
    """``"Kim returned home after his first visit to Russia, KCNA reported"`` tagged as the
    content "his first visit to Russia" of "reported" with no source: the resolver's content of
    the same cue holds the learned one and is longer.  A cued content whose source the tagger
    missed is mostly a piece of the statement it could not read whole (the tagger took part of
    the source as content), so the resolver's whole reading stands instead."""
    if la.source is not None:
        return None
    size = sum(e - s for s, e in la.content)
    for ra in rules:
        if _inside_same_cue(la, ra) and size < sum(e - s for s, e in ra.content):
            return ra
    return None


_SENTENCE_END = re.compile(r"[.!?]\s")


def _glued_before_quote(text: str, la: LearnedAttribution, rules: Sequence[Any], floor: float) -> Any:
    """``... said A275. "q276," said A276.`` read as the content ``A275. "q276,"``: a learned
    content kept under the floor only for its quotation marks, that starts in the sentence before
    a closed quotation the parse linked to its cue (resolver confidence >= `LINKED_DIRECT`).
    The tagger glued the end of one sentence to the next one's quote (and took a source from
    elsewhere); the resolver's quote stands instead."""
    if la.confidence >= floor:
        return None
    for ra in rules:
        if ra.kind == "direct" and ra.confidence >= LINKED_DIRECT and _within(ra.content, la.content) \
                and _SENTENCE_END.search(text, la.content[0][0], ra.content[0][0]):
            return ra
    return None


def _vouched_by(unsure: LearnedAttribution, ra: Any) -> bool:
    """An attribution of the tagger's under the floor still says "a statement is here": the
    resolver's attribution of the same words (character Jaccard >= 0.5), or one whose content
    and cue both lie inside it (``"Residents, according to the findings, are fearful"`` tagged
    whole as one uncued content), is kept."""
    if ra.speaker is None:
        return False
    if _jaccard(unsure.content, ra.content) >= 0.5:
        return True
    return ra.cue is not None and _within(list(ra.content) + [ra.cue], unsure.content)


#: the resolver's confidence from which a direct quote is a closed quotation linked to its cue
#: through the parse (0.95; an unclosed one gets 0.7, a floating or title quote 0.8 or less)
LINKED_DIRECT = 0.9


def merge_with_rules(text: str, learned: list[LearnedAttribution], rules: list[Any],
                     name_of: Any, backfill_direct: bool = True, borrow_source: bool = True,
                     unsure: Sequence[LearnedAttribution] = (), floor: float = 0.0) -> list[Any]:
    """Resolver `Attribution` records for the learned spans, named as the resolver names them.

    The learned model decides the spans (content, cue, source mention); the resolver's
    attribution of the same content (character Jaccard >= 0.5) lends its speaker's canonical
    name and kind when its mention overlaps the learned source, and its addressee and relaying
    agencies.  A learned source the resolver did not name is named by ``name_of(range)``.

    A learned attribution whose source the resolver reads as the relay of an attribution inside
    its content is replaced by that attribution (`_relayed_inside`).  Two more places where the
    rules decide instead, each measured on PolNeAR dev before it was kept
    (``benchmarks/README.md``): with ``borrow_source``, a learned content without a
    source takes the speaker of the resolver's attribution of the same content; with
    ``backfill_direct``, a direct quote of the resolver's that no learned content touches is
    kept as the resolver made it (the quotation-mark pairing is exact, so such a quote is
    rarely wrong, and the tagger's misses are mostly such quotes far from their cue); so is a
    closed quotation the parse linked to its cue (confidence >= `LINKED_DIRECT`) that learned
    contents only overlap (character Jaccard < 0.5 with each): the tagger glued it to another
    content of the same cue or took it as part of a longer statement, and the learned
    attribution stays beside it.

    Four more, measured neutral on dev (within 0.1 of every score) and kept for the article
    shapes they fix: a learned content with a cue but no source that is a piece of the
    resolver's content of the same cue gives way to it (`_fragment_of`); so does one kept under
    ``floor`` only for its quotation marks that starts in the sentence before a quotation the
    parse linked to its cue (`_glued_before_quote`); a learned attribution kept under ``floor``
    only for its quotation marks takes the resolver's cue along with its speaker ("Kim was
    quoted by KCNA as saying that ...": the tagger's weak cue is "saying"); and the ``unsure``
    attributions, the tagger's calls under the floor, keep the resolver's attributions they
    vouch for (`_vouched_by`).
    """
    from .resolve import Attribution, Party

    out = []
    given_way: set[int] = set()  # the resolver's attributions that replaced a learned relay frame
    by_content = _RangeIndex([(s, e, k) for k, ra in enumerate(rules) for s, e in ra.content])
    by_mention = _RangeIndex([(ra.speaker.mention[0], ra.speaker.mention[1], k) for k, ra in enumerate(rules)
                              if ra.speaker is not None and ra.speaker.mention])
    for la in learned:
        # only rules contents that overlap a learned fragment can reach a Jaccard above 0
        near = by_content.touching(la.content)
        cands = [rules[k] for k in near]
        relayed = _relayed_inside(la, cands) or _fragment_of(la, cands) or _glued_before_quote(text, la, cands, floor)
        if relayed is not None:
            if id(relayed) not in given_way:
                given_way.add(id(relayed))
                out.append(relayed)
            continue
        best, best_j = None, 0.0
        for k in near:
            j = _jaccard(la.content, rules[k].content)
            if j > best_j:
                best, best_j = rules[k], j
        match = best if best_j >= 0.5 else None
        speaker = None
        cue, cue_phrase = la.cue, la.cue_phrase
        if la.source is not None:
            named = by_mention.overlapping(*la.source)
            rs = rules[min(named)].speaker if named else None
            if rs is not None:
                speaker = Party(rs.name, la.source, rs.kind)
            else:
                speaker = name_of(la.source)
        elif borrow_source and match is not None and match.speaker is not None and match.speaker.mention:
            speaker = match.speaker
            # kept only for its quotation marks: its cue is as weak as its confidence
            if cue is None or (la.confidence < floor and match.cue is not None):
                cue, cue_phrase = match.cue, match.cue_phrase
        content = list(la.content)
        if match is not None and _split_by_cue(la, match):
            content = list(match.content)
        att = Attribution(content, la.kind, cue=cue, speaker=speaker,
                          addressee=match.addressee if match is not None else None, confidence=la.confidence,
                          cue_phrase=cue_phrase)
        if match is not None:
            att.reported_by = list(match.reported_by)
        out.append(att)
    if unsure:
        already = {id(a) for a in out}
        for la in unsure:
            for k in by_content.touching(la.content):
                if id(rules[k]) not in already and _vouched_by(la, rules[k]):
                    already.add(id(rules[k]))
                    out.append(rules[k])
    if backfill_direct:
        taken = _RangeIndex([(s, e, k) for k, la in enumerate(learned) for s, e in la.content])
        already = {id(a) for a in out}
        for ra in rules:
            if ra.kind != "direct" or id(ra) in already:
                continue
            touching = taken.touching(ra.content)
            if not touching:
                out.append(ra)
            elif ra.confidence >= LINKED_DIRECT and all(_jaccard(learned[k].content, ra.content) < 0.5
                                                        for k in touching):
                # a closed quotation the parse linked to its cue, which the tagger only took
                # as part of something else (glued to another content sharing its cue, or
                # inside a longer reported statement): the quote stands as its own too
                out.append(ra)
    if unsure or backfill_direct:
        out.sort(key=lambda a: a.content[0] if a.content else (0, 0))
    return out
