"""Link quotes, cues and speakers into attributions.

Inputs are plain records from the earlier steps -- marked quotes
(`quotes.MarkedQuote`), cue matches (`cues.CueMatch`), the entity registry --
and the output is a list of `Attribution` records with character ranges, which
`extractor` turns into public objects.

`_Resolver.run` is a short list of passes (speakers, relays, direct quotes, indirect and
mixed quotes, headlines, interviews, quotes with no cue); a direct quote's cue is read off its
layout by the sieves in `_Resolver._QUOTE_LAYOUTS`; the speakers' names come from
`quotecraft.attribution.speakers`.
"""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, Optional

import regex

from .cues import CueMatch, object_addressee
from .entities import Entity, EntityRegistry, description_genders, is_title
from .layout import title_line
from ..lexicon import Cue, Lexicon, is_speech_class
from ..nlp.parse import Sentence, Word
from ..nlp.tokenize import abbreviations
from .quotes import MarkedQuote, QUOTE_CHARS, inside_quotes
from .speakers import Party, Speakers

__all__ = ["Attribution", "Origin", "Party", "resolve"]

Range = tuple[int, int]
_HEADLINE = regex.compile(r"(?P<n>\p{Lu}[\w.'’-]*(?:\s+\p{Lu}[\w.'’-]*){0,3})(?P<k>:)\s+(?P<c>\S.{12,})")
# a title's own source may be a common noun ("Clinton camp: ...", "Poll: ..."), never a section label
_TITLE_SOURCE = regex.compile(r"(?P<n>\p{Lu}[\w.'’-]*(?:\s+[\p{L}][\w.'’-]*){0,3})(?P<k>:)\s+(?P<c>\S.{12,})")
_TITLE_SOURCE_ON = regex.compile(
    r"(?P<n>\p{Lu}[\w.'’-]*(?:\s+\p{Lu}[\w.'’-]*){0,3})\s+(?i:on|to|at)\s+[^:\n]{1,80}(?P<k>:)\s+(?P<c>\S.{12,})")
# a transcript's speaker label: "TAPPER: Donald Trump released a video ..."
_TRANSCRIPT = regex.compile(r"(?m)^[\"“]?(?P<n>\p{Lu}[\p{Lu}.'’-]+(?:\s\p{Lu}[\p{Lu}.'’-]+){0,2})(?P<k>:)[ \t\u00a0]+(?P<c>\S)")
# a Q&A's speaker label in any case: "Okafor: We have free buses." ("Herald: ..." for the paper)
_TURN_LABEL = regex.compile(r"(?m)^[\"“]?(?P<n>\p{Lu}[\p{L}.'’-]+(?:\s\p{Lu}[\p{L}.'’-]+){0,2})(?P<k>:)[ \t\u00a0]+(?P<c>\S)")
# an interview's question and answer labels at the start of a line: "Q: ...", "A. ...", "Question: ..."
#: an interview's label at a line's start, "Q:", "A.", "Answer -" (``k``: the label, the quote's cue)
QA_LABEL = regex.compile(r"(?m)^[ \t]*(?P<k>(?P<l>Q|A|Question|Answer)(?::|\.(?=\s)| -| —))[ \t]*(?P<c>\S)")
# a quotation credited after a dash: '"..." ― Sonya Herridge' (em dash, en dash, horizontal bar);
# the name stays on its line: a caption's credit may follow in the next paragraph
_DASH_SPEAKER = regex.compile(r"[ \t\u00a0]*(?P<d>[—–―])[ \t\u00a0]*"
                              r"(?P<n>\p{Lu}[\w.'’-]*(?:[ \t\u00a0]+(?:\p{Lu}[\w.'’-]*|of|the|de))*)")
# the same credit on a line of its own under a quoted paragraph, as fact checks and epigraphs set it:
# '"We lost 70,000 jobs."' / '- Sen. Maria Ellison.' (a hyphen too, and nothing else on the line)
_DASH_LINE = regex.compile(r"[ \t\u00a0]*\n[ \t\u00a0]*\n?[ \t\u00a0]*(?P<d>[-—–―]{1,2})[ \t\u00a0]*"
                           r"(?P<n>\p{Lu}[\w.'’-]*(?:[ \t\u00a0]+(?:\p{Lu}[\w.'’-]*|of|the|de)){0,5})"
                           r"[ \t\u00a0]*(?:\n|$)")
# an embedded post as its embed code reads once the page is flattened to text: the post, then
# "— Display Name (@handle) March 3, 2026" (the platform's own credit line)
_POST_CREDIT = regex.compile(r"[ \t\u00a0]+(?P<d>[—–]|--?)[ \t\u00a0]*"
                             r"(?P<n>\p{Lu}[\w.'’-]*(?:[ \t\u00a0]+[\p{Lu}\w.'’-]+){0,5})[ \t\u00a0]*"
                             r"\((?P<h>@\w{1,30})\)[ \t\u00a0]*\p{Lu}\p{Ll}+\.?[ \t\u00a0]+\d{1,2},[ \t\u00a0]+\d{4}")
# links a post ends with: its picture, a shortened address
_POST_LINKS = regex.compile(r"(?:[ \t\u00a0]+(?:pic\.twitter\.com/\S+|https?://\S+))+[ \t\u00a0]*$")
_NAME_WORD = regex.compile(r"\S+")


def is_post(text: str, att: "Attribution") -> bool:
    """Whether the attribution is an embedded post read by its platform's credit line."""
    if att.cue is None or not att.content:
        return False
    # the credit line's own match at the cue (a search from each content would scan the article
    # again for every attribution)
    start = att.cue[0]
    while start > 0 and text[start - 1] in " \t\u00a0":
        start -= 1
    m = _POST_CREDIT.match(text, start)
    return m is not None and m.start("d") == att.cue[0]


def _dash_name(text: str, start: int, end: int) -> tuple[int, int]:
    """The credited name of `_DASH_SPEAKER`, up to the first sentence end ('― Ana Ruiz. Getty
    Images' is "Ana Ruiz"; "Gov. Ann Lee", "John Roberts Jr." keep their abbreviations)."""
    known = abbreviations().whole
    for m in _NAME_WORD.finditer(text, start, end):
        word = m.group()
        if word.endswith(".") and word not in known and not regex.fullmatch(r"\p{Lu}\.", word):
            return (start, m.end() - 1)
    return (start, end)


#: who proposed a candidate: the resolver's rules or the learned tagger
Origin = Literal["resolver", "tagger"]


@dataclass
class Attribution:
    """A candidate attribution, from either proposer, and then a decided one.

    The resolver's rules (`resolve`) and the learned tagger (`quotecraft.attribution.tagger`,
    turned into this type by `quotecraft.attribution.merge.from_tagger`) propose candidates of
    this one type; ``origin`` says which.  ``step`` names what decided the candidate as it
    stands: the proposer ("resolver", "tagger") until a reconcile step of
    `quotecraft.attribution.merge.STEPS` puts it out or changes its content or speaker
    (`Quote.decided_by` carries it to the user).  A tagger candidate's ``speaker`` is its
    tagged source mention, named by its own words until the ``align`` step names it.
    """

    content: list[Range]
    kind: str
    cue: Optional[Range] = None
    speaker: Optional[Party] = None
    addressee: Optional[Party] = None
    reported_by: list[tuple[str, Optional[Range]]] = field(default_factory=list)
    confidence: float = 0.8
    #: the cue with its auxiliaries, adverbs and particles (`quotecraft.attribution.cue_phrase`); None: the cue alone
    cue_phrase: Optional[Range] = None
    origin: Origin = "resolver"
    #: the proposer or reconcile step that decided it (see the class docs)
    step: str = "resolver"
    #: what it reports, once typed (`quotecraft.attribution.speech.type_attributions`)
    type: str = ""

    @property
    def cue_words(self) -> Optional[Range]:
        """The cue phrase where there is one, else the cue word."""
        return self.cue_phrase or self.cue


def _ranges(words: list[Word]) -> list[Range]:
    """Contiguous character ranges covering the words (a gap in word ids splits)."""
    out: list[Range] = []
    prev: Optional[Word] = None
    for w in sorted(words, key=lambda x: x.start):
        if prev is not None and w.id == prev.id + 1 and out:
            out[-1] = (out[-1][0], w.end)
        else:
            out.append((w.start, w.end))
        prev = w
    return out


def _cover(words: list[Word]) -> Optional[Range]:
    return (min(w.start for w in words), max(w.end for w in words)) if words else None


def _relays_same_words(agency: CueMatch, m: CueMatch) -> bool:
    """'Kim said the plant would open, according to KCNA': the parse hangs "according to" on
    "said", so the agency's content is Kim's own, not a clause holding his cue; the agency
    relays what Kim said rather than saying it too."""
    return (agency.cue[0].lower == "according" and bool(m.content)
            and {w.start for w in agency.content} <= {w.start for w in m.content})


def _without_relay_clause(m: CueMatch, relay: CueMatch) -> None:
    """'Kim said his country would never give up its weapons, KCNA reported Wednesday': the
    parse may hang the agency's clause on the reported one; what Kim said ends before it."""
    cut = min(w.start for w in [*relay.source, *relay.cue])
    if not m.content or cut <= max(w.end for w in m.cue) or cut <= m.content[0].start:
        return
    content = [w for w in m.content if w.start < cut]
    while content and content[-1].upos == "PUNCT" and content[-1].text in ",;—–-":
        content.pop()
    m.content = content


class _Resolver:
    def __init__(self, text: str, sentences: list[Sentence], quotes: list[MarkedQuote],
                 matches: list[CueMatch], registry: EntityRegistry, lex: Lexicon,
                 include_beliefs: bool) -> None:
        self.text = text
        self.sentences = sentences
        self.quotes = quotes
        # the quotations by where they start, for the passes that claim those inside a span
        self._quote_starts = sorted((q.start, qi) for qi, q in enumerate(quotes))
        self.matches = matches
        self.reg = registry
        self.lex = lex
        self.include_beliefs = include_beliefs
        self.party_of: dict[int, Optional[Party]] = {}  # id(match) -> speaker
        self.speakers = Speakers(text, sentences, registry, lex, inside_quotes(quotes))
        self.starts, self.sentence_index = self.speakers.starts, self.speakers.sentence_index
        # the two questions every pass asks of the speakers' step
        self.party = self.speakers.party
        self.sentence_at = self.speakers.sentence_at

    # ---------------------------------------------------------------- main
    def run(self) -> list[Attribution]:
        """All attributions of the article, in text order, by the passes below in turn."""
        matches = [m for m in self.matches if self.include_beliefs or is_speech_class(m.cls)]
        self.by_sentence: dict[int, list[CueMatch]] = {}
        for m in matches:
            self.by_sentence.setdefault(id(m.sentence), []).append(m)
        # a name in quotation marks is no speech: neither linked to a cue nor left floating
        names = {qi for qi, q in enumerate(self.quotes) if q.name}
        # the layouts of direct quotes first ('"...," Guenther Schuh, e.GO's founder and ..., said'):
        # they name a speaker more reliably than the parse, and pronouns after them refer to it
        layouts = {id(m) for qi, q in enumerate(self.quotes) if qi not in names
                   for m in [self._layout_cue(q)] if m is not None}
        self._speakers(matches)
        relays, relay_ids = self._relays(matches, layouts)
        used_quotes: set[int] = set()
        by_match: dict[int, Attribution] = {}
        out = self._direct(matches, names, relay_ids, relays, by_match, used_quotes)
        out += self._indirect(matches, relay_ids, relays, by_match, used_quotes)
        out = self._headlines(out, used_quotes)
        out = self._interviews(out, used_quotes)
        out = self._posts(out, used_quotes)
        return self._uncued(out, used_quotes | names)

    def _speakers(self, matches: list[CueMatch]) -> None:
        """Each cue's speaker, in text order, so that pronouns see the speakers before them."""
        for m in sorted(matches, key=lambda m: m.cue[0].start):
            p = self.party(m.source, m.source_head, m.cue[0].start)
            rel = self._relative_antecedent(m)
            if rel is not None and p is not None:
                # "Trump, who said ...": the mention is "who", the speaker the noun it modifies
                named = self.party(rel, rel[-1] if len(rel) == 1 else None, m.cue[0].start)
                if named is not None:
                    p = Party(named.name, p.mention, named.kind)
            self.party_of[id(m)] = p
            # an unresolved pronoun is no speaker a later pronoun could take, nor is "the Texas
            # senator" where no name was found for it (the pronoun finds the senator by name)
            if p is not None and m.source and p.name.lower() not in self.lex.pronouns and p.takes_pronouns:
                ent = self.reg.lookup(p.name) or Entity(p.name, p.kind, plural=p.kind == "group",
                                                        genders=description_genders(p.name))
                self.reg.note_speaker(m.cue[0].start, ent)

    def _relays(self, matches: list[CueMatch], layouts: set[int]) -> tuple[dict[int, list[tuple[str, Optional[Range]]]], set[int]]:
        """Who relays whose speech: an agency's cue whose content holds another cue with its own
        source ("..., KCNA said"); "X was quoted by KCNA as saying", "KCNA quoted X as saying".
        Returns the relays of each cue (by ``id``) and the agency cues that only relay."""
        relays: dict[int, list[tuple[str, Optional[Range]]]] = {}
        relay_ids: set[int] = set()
        for m in matches:
            p = self.party_of.get(id(m))
            if p is None or p.kind != "agency" or not m.content:
                continue
            # a layout's match ('"...," X said, according to Yonhap') has its quote, not a content;
            # an agency relays speech: "the policy appears to help X, according to a Reuters
            # survey" is the survey's finding, not a relayed perception of the policy's
            inner = [m2 for m2 in self.by_sentence[id(m.sentence)] if m2 is not m and m2.source
                     and is_speech_class(m2.cls) and (m2.content or id(m2) in layouts)
                     and (any(c in m.content for c in m2.cue) or _relays_same_words(m, m2))]
            if inner:
                relay_ids.add(id(m))
                for m2 in inner:
                    relays.setdefault(id(m2), []).append((p.name, p.mention))
                    _without_relay_clause(m2, m)
        for m in matches:
            if m.relay:
                heads = [w for w in m.relay if w.upos in ("PROPN", "NOUN", "PRON")]
                r = self.party(m.relay, heads[-1] if heads else None, m.cue[0].start)
                if r is not None and r.kind not in ("person", "group") and (not heads or heads[-1].upos != "PRON"):
                    relays.setdefault(id(m), []).append((r.name, r.mention))
        return relays, relay_ids

    def _attribution(self, m: CueMatch, content: list[Range], kind: str, confidence: float,
                     relays: dict[int, list[tuple[str, Optional[Range]]]]) -> Attribution:
        # "told a briefing", "told an interview": the object names the occasion, not whom it was said to
        ids = {w.id for w in m.addressee}
        occasion = any(w.head not in ids and w.lemma.lower() in self.lex.speech_nouns for w in m.addressee)
        att = Attribution(content, kind, cue=_cover(m.cue[:1]) if m.lemma != "according to" else _cover(m.cue),
                          speaker=self.party_of.get(id(m)),
                          addressee=None if occasion else self.party(m.addressee, None, m.cue[0].start),
                          confidence=confidence)
        att.reported_by = list(relays.get(id(m), []))
        return att

    def _direct(self, matches: list[CueMatch], names: set[int], relay_ids: set[int],
                relays: dict[int, list[tuple[str, Optional[Range]]]], by_match: dict[int, Attribution],
                used_quotes: set[int]) -> list[Attribution]:
        """Pass 1: direct quotes and their cues; '"A," he said, "B."': two fragments, one quote."""
        linked: dict[int, CueMatch] = {}
        for qi, q in enumerate(self.quotes):
            if qi in names:
                continue
            m = self._link(q, matches, relay_ids)
            if m is not None:
                linked[qi] = m
        out = []
        for qi, q in enumerate(self.quotes):
            if qi not in linked:
                continue
            m = linked[qi]
            if id(m) in by_match and by_match[id(m)].kind == "direct":
                by_match[id(m)].content.extend(q.fragments)
                used_quotes.add(qi)
                continue
            att = self._attribution(m, list(q.fragments), "direct", 0.95 if q.closed else 0.7, relays)
            by_match[id(m)] = att
            used_quotes.add(qi)
            out.append(att)
        return out

    def _indirect(self, matches: list[CueMatch], relay_ids: set[int],
                  relays: dict[int, list[tuple[str, Optional[Range]]]], by_match: dict[int, Attribution],
                  used_quotes: set[int]) -> list[Attribution]:
        """Pass 2: indirect and mixed quotes from the cues no direct quote took."""
        out = []
        for m in matches:
            if id(m) in by_match or id(m) in relay_ids or not m.content:
                continue
            c = self.lex.cues.get(m.lemma) or Cue(m.lemma)
            if c.quotes_only and not (c.content_about and m.content):
                continue
            content = _ranges(m.content)
            inside = self._quotes_inside(content)
            kind = "mixed" if inside else "indirect"
            att = self._attribution(m, content, kind, 0.8 if kind == "indirect" else 0.75, relays)
            if m.source_head is None and not m.sourceless:
                # no speaker and no passive ("it was reported that ..."): a cue verb in an
                # infinitive or an imperative ("to reaffirm your love") reports nothing
                if not any(c.deprel == "aux:pass" for c in m.sentence.children(m.cue[0].id)) and not inside:
                    continue
                att.confidence = 0.5
            used_quotes.update(inside)
            by_match[id(m)] = att
            out.append(att)
        return out

    def _quotes_inside(self, content: list[Range]) -> list[int]:
        """The quotes that belong to a content (its last range stretched to take them in): one
        opening inside it, even when the parse left its closing mark outside ('says the candidate
        has "always run a lean campaign."'), and quotes following on directly ('that "ethanol
        people" "do a fantastic job."')."""
        text = self.text
        lo, hi = content[0][0], content[-1][1]
        inside = [qi for qi, q in enumerate(self.quotes) if lo <= q.start < hi and q.end <= hi + 40
                  and (q.end <= hi + 1 or not regex.search(r"\w", text[hi:q.start + 1] if q.start > hi else ""))]
        if inside:
            end = max(self.quotes[qi].end for qi in inside)
            for qi in range(max(inside) + 1, len(self.quotes)):
                nq = self.quotes[qi]
                if nq.start >= end and not text[end:nq.start].strip() and nq.start - end <= 2 \
                        and "\n" not in text[end:nq.start]:
                    inside.append(qi)
                    end = nq.end
                else:
                    break
            if end > hi:
                content[-1] = (content[-1][0], end)
        return inside

    def _headlines(self, out: list[Attribution], used_quotes: set[int]) -> list[Attribution]:
        """Pass 2b: "Trump: Cruz Has 'To Come a Long Way' on Ethanol"; a cue word inside the
        title's content ("... threatens national security") is not a second attribution."""
        covered = [(a.content[0][0], a.content[-1][1]) for a in out]
        for att in self._colon_headlines(covered):
            lo, hi = att.content[0][0], att.content[-1][1]
            out = [a for a in out if a.cue is None or not lo <= a.cue[0] < hi]
            out.append(att)
            used_quotes.update(qi for qi, q in enumerate(self.quotes)
                               if q.start < att.content[-1][1] and att.content[0][0] < q.end)
        return out

    def _interviews(self, out: list[Attribution], used_quotes: set[int]) -> list[Attribution]:
        """Pass 2c: in a Q&A interview, answers are the interviewee's and questions the
        interviewer's; a quote or cue inside them is part of what they said, not the article's."""
        qa = self._interview()
        if qa:
            spans = [(a.content[0][0], a.content[-1][1]) for a in qa]
            out = [a for a in out if not any(lo <= a.content[0][0] < hi for lo, hi in spans)]
            out.extend(qa)
            for lo, hi in spans:
                used_quotes.update(self._quotes_starting(lo, hi))
        return out

    def _uncued(self, out: list[Attribution], skip: set[int]) -> list[Attribution]:
        """Pass 3: quotes with no cue: a dash layout, the speaker of the quote before, or none."""
        out.sort(key=lambda a: a.content[0][0])
        starts = [a.content[0][0] for a in out]
        for qi, q in enumerate(self.quotes):
            if qi in skip:
                continue
            k = bisect.bisect_right(starts, q.start)
            before = out[max(0, k - 8):k]  # attributions starting before the quote (bounded look-back)
            if any(q.end <= a.content[-1][1] for a in before):
                continue  # inside some attribution's content
            att = self._floating(q, before)
            if att is not None:
                out.insert(k, att)
                starts.insert(k, att.content[0][0])
        return out

    def _colon_headlines(self, covered: list[Range]) -> list[Attribution]:
        out = []
        labelled, labels = self._transcript_labels()
        turns = [m.start() for m in labelled.finditer(self.text) if labels[m.group("n")] >= 2]
        # labels used three times or more make a transcript; else a label must name a person of the article
        transcript = sum(n for lab, n in labels.items() if not self.lex.is_section_label(lab)) >= 3
        for sent in self.sentences:
            if sent.start > 0 and self.text[sent.start - 1] != "\n":
                continue
            t = labelled.match(self.text, sent.start)
            if t is not None and labelled is _TURN_LABEL and labels[t.group("n")] < 2:
                t = None  # "Photo: ..." in a Q&A: not one of its speakers
            # a named turn runs on to the next label; the last one ends with its line (an afterword may follow)
            k = bisect.bisect_right(turns, t.end()) if t is not None and labelled is _TURN_LABEL else len(turns)
            until = turns[k] if k < len(turns) else None
            # in a transcript the label decides, even inside a reading that ran over its lines (a
            # transcript quoted paragraph by paragraph is one quotation to the quote finder)
            if t and not self.lex.is_section_label(t.group("n")) \
                    and (transcript or not any(a <= t.start("c") < b for a, b in covered)):
                ent = self.reg.lookup(t.group("n").title())
                if transcript or labels[t.group("n")] >= 2 or (ent is not None and ent.kind == "person"):
                    party = Party(ent.name if ent else t.group("n").title(), (t.start("n"), t.end("n")),
                                  ent.kind if ent else "person")
                    out.append(Attribution(self._transcript_turn(t, until), "direct", cue=(t.start("k"), t.end("k")),
                                           speaker=party, confidence=0.7))
                    continue
            m = _HEADLINE.match(self.text, sent.start, sent.end)
            if m and any(a <= m.start("c") < b for a, b in covered):
                continue
            ent = self.reg.lookup(m.group("n")) if m else None
            if m is None or ent is None or ent.kind != "person" or m.group("n").split()[0] in ("The", "A", "An"):
                # elsewhere only a person known from the article speaks before a colon; in the
                # title line any short noun phrase does ("NY Daily News: ...", "Clinton camp: ...")
                if not self._is_title(sent):
                    continue
                m = None
                for pattern in (_TITLE_SOURCE_ON, _TITLE_SOURCE):  # "Gillibrand on ...: ": the name before "on"
                    t = pattern.match(self.text, sent.start, sent.end)
                    if t is not None and not self.lex.is_section_label(t.group("n")) and not any(
                            x.upos in ("VERB", "AUX", "PRON", "ADP", "SCONJ") for x in sent.words if x.end <= t.end("n")):
                        m = t
                        break
                if m is None:
                    continue
                ent = self.reg.lookup(m.group("n"))
                if ent is not None and ent.name.startswith(m.group("n") + " ") and ":" not in ent.name \
                        and self.text.startswith(ent.name, m.start("n")):
                    # "Obama on Climate Change: ...": the title's capitals made one name of the speaker
                    # and the topic; the speaker is the name before "on"
                    ent = self.reg.by_surname(m.group("n").split()[-1])
            name = m.group("n")
            party = Party(ent.name if ent else name, (m.start("n"), m.end("n")), ent.kind if ent else "unknown")
            end = m.end("c")
            while end > m.start("c") and self.text[end - 1] in ".;, ":
                end -= 1
            out.append(Attribution([(m.start("c"), end)], "indirect", cue=(m.start("k"), m.end("k")),
                                   speaker=party, confidence=0.6))
        return out

    def _turn_lines(self, start: int, until: int) -> list[Range]:
        """The lines from ``start`` up to ``until``, one fragment each, page furniture left out."""
        frags: list[Range] = []
        while start < until:
            end = self.text.find("\n", start, until)
            end = until if end < 0 else end
            line = self.text[start:end].strip()
            if line and not self.lex.is_furniture(line):
                lo = start + (len(self.text[start:end]) - len(self.text[start:end].lstrip()))
                frags.append((lo, lo + len(line)))
            start = end + 1
        return frags

    def _transcript_labels(self) -> tuple["regex.Pattern[str]", Counter[str]]:
        """The pattern of the article's speaker labels and how often each opens a line: capitals
        ("PENCE: ...") as in a debate transcript, or, where two speakers or more take turns
        twice each, labels in any case ("Herald: ..." / "Okafor: ..."), as a Q&A prints them."""
        named = Counter(m.group("n") for m in _TURN_LABEL.finditer(self.text)
                        if not self.lex.is_section_label(m.group("n")))
        turns = [lab for lab, n in named.items() if n >= 2]
        if len(turns) >= 2 and any(not lab.isupper() for lab in turns):
            return _TURN_LABEL, named
        return _TRANSCRIPT, Counter(m.group("n") for m in _TRANSCRIPT.finditer(self.text))

    def _transcript_turn(self, t: "regex.Match[str]", until: Optional[int] = None) -> list[Range]:
        """The words of a transcript's label ``t``: its line after the colon; where the transcript
        is quoted paragraph by paragraph ('"PENCE: ...' / '"But the truth is ...'), also the
        quoted paragraphs after it up to the next label or stage direction ('"(CROSSTALK.)'),
        without the marks that quote the transcript; with ``until`` (a named-turn interview's next
        label), also the paragraphs before it that are not furniture."""
        if until is not None:
            return self._turn_lines(t.start("c"), until)
        text = self.text
        quoted = t.start("n") > t.start()
        frags: list[Range] = []
        start = t.start("c")
        while True:
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            stop = end
            while stop > start and text[stop - 1].isspace():
                stop -= 1
            closed = quoted and stop > start and text[stop - 1] in "\"”"
            if closed:
                stop -= 1  # '"PENCE: ... done."': the marks quote the transcript, not the words
            frags.append((start, stop))
            nxt = end
            while nxt < len(text) and text[nxt].isspace():
                nxt += 1
            line_end = text.find("\n", nxt)
            if not quoted or closed or nxt + 1 >= len(text) or text[nxt] not in "\"“" \
                    or text[nxt + 1] in "(\n" or _TRANSCRIPT.match(text, nxt) \
                    or self.lex.is_furniture(text[nxt:len(text) if line_end < 0 else line_end]):
                return frags
            start = nxt + 1

    def _posts(self, out: list[Attribution], used_quotes: set[int]) -> list[Attribution]:
        """Pass 2d: an embedded post ("Justice was served today. — Laura Chen (@laurachen) March
        3, 2026") is its author's words."""
        text = self.text
        prev = 0
        for m in _POST_CREDIT.finditer(text):
            # a post starts its line, or follows the post before it on the same line
            line, prev = max(text.rfind("\n", prev, m.start()) + 1, prev), m.end()
            body = _POST_LINKS.sub("", text[line:m.start()])
            lo = line + len(body) - len(body.lstrip())
            hi = line + len(body.rstrip())
            if hi - lo < 2:
                continue
            name = self._without_titles(m.group("n"))
            ent = self.reg.lookup(name)
            party = Party(ent.name if ent else name, (m.start("n"), m.end("n")), ent.kind if ent else "person")
            out.append(Attribution([(lo, hi)], "direct", cue=(m.start("d"), m.end("d")), speaker=party,
                                   confidence=0.8))
            # a cued quote inside stands (the post relays it); an uncued one is the post's own words
            used_quotes.update(self._quotes_starting(lo, hi))
        return out

    def _quotes_starting(self, lo: int, hi: int) -> list[int]:
        """The indexes of the quotations that start in [lo, hi) (a bisect, not a scan of all of
        them per post or per interview turn)."""
        starts = self._quote_starts
        a, b = bisect.bisect_left(starts, (lo, -1)), bisect.bisect_left(starts, (hi, -1))
        return [qi for _, qi in starts[a:b]]

    def _interview(self) -> list[Attribution]:
        """'Q: ...' / 'A: ...' lines after an introduction: each answer (up to the next label) is
        a direct quote of the interviewee -- the first person the text names before the first
        question -- and each question a quote with no speaker (the interviewer or publication)."""
        text = self.text
        labels = list(QA_LABEL.finditer(text))
        kinds = Counter(m.group("l")[0] for m in labels)
        if kinds["Q"] < 2 or kinds["A"] < 2:
            return []
        first_q = next(m.start() for m in labels if m.group("l")[0] == "Q")
        person = next((m.entity for m in self.reg.mentions if m.start < first_q and m.entity.kind == "person"), None)
        if person is None:
            # the introduction may close the interview instead ("Sen. Amara Obi spoke with The
            # Ledger on Friday."): the first person named after the last label's line
            last = text.find("\n", labels[-1].end()) % (len(text) + 1)
            person = next((m.entity for m in self.reg.mentions if m.start > last and m.entity.kind == "person"), None)
        out = []
        for k, m in enumerate(labels):
            # up to the next label; the last one ends with its line (an afterword may follow)
            stop = labels[k + 1].start() if k + 1 < len(labels) else (text.find("\n", m.end()) % (len(text) + 1))
            # the prose sentences in between, one fragment per line: page furniture is left out
            frags: list[Range] = []
            first = max(0, bisect.bisect_right(self.starts, m.start("c")) - 1)
            for sent in self.sentences[first:bisect.bisect_left(self.starts, stop, lo=first)]:
                lo, hi = max(sent.start, m.start("c")), min(sent.end, stop)
                if hi <= lo or sent.end <= m.start("c"):
                    continue
                if frags and "\n" not in text[frags[-1][1]:lo]:
                    frags[-1] = (frags[-1][0], hi)
                else:
                    frags.append((lo, hi))
            if not frags:
                continue
            answer = m.group("l")[0] == "A"
            speaker = Party(person.name, None, person.kind) if answer and person is not None else None
            out.append(Attribution(frags, "direct", cue=(m.start("k"), m.end("k")),
                                   speaker=speaker, confidence=0.7 if speaker else 0.5))
        return out

    def _is_title(self, sent: Sentence) -> bool:
        """The article's first line, when it is short and does not end like a sentence."""
        start, end = title_line(self.text)
        return sent.start == start and len(self.text[start:end].rstrip()) <= 200

    def _relative_antecedent(self, m: CueMatch) -> Optional[list[Word]]:
        head = m.source_head
        verb = m.cue[0]
        if head is None or head.lower not in ("who", "which", "that") or verb.deprel != "acl:relcl" or verb.head <= 0:
            return None
        noun = m.sentence.word(verb.head)
        # the words before the relative pronoun: whatever else the parse hung on the noun is the
        # clause's ("his friend, Bruce Turry, who remembered Freddy claiming that his father ...")
        words = [w for w in m.sentence.subtree(noun.id, [verb.id]) if w.start < head.start]
        # its commas stay inside ("Walter Pruitt, 81,": the name is before the comma); not at its
        # edges, nor the preposition that leads it ("objections from residents who called ...")
        while words and words[-1].upos == "PUNCT":
            words = words[:-1]
        while words and (words[0].upos == "PUNCT" or (words[0].deprel == "case" and words[0].head == noun.id)):
            words = words[1:]
        return words or None

    def _link(self, q: MarkedQuote, matches: list[CueMatch], relay_ids: set[int]) -> Optional[CueMatch]:
        """The cue that introduces a direct quote: right after it or right before it."""
        text = self.text
        layout = self._layout_cue(q)
        if layout is not None:
            return layout
        words_inside = len(q.inner(text).split())
        close_sent = self.sentence_at(q.end - 1)
        open_sent = self.sentence_at(q.start)
        after: list[CueMatch] = []
        before: list[CueMatch] = []
        local = self.by_sentence.get(id(close_sent), []) + (
            self.by_sentence.get(id(open_sent), []) if open_sent is not close_sent else [])
        for m in local:
            if id(m) in relay_ids:
                continue
            cpos = m.cue[0].start
            if m.sentence is close_sent and cpos >= q.end:
                between = text[q.end:cpos]
                if any(c in QUOTE_CHARS and c not in "'’" for c in between):
                    continue
                if self._content_ok(m, q):
                    after.append(m)
            elif m.sentence is open_sent and m.cue[-1].end <= q.start:
                # 'X said: "', 'told Y, "', 'is telling customers at a diner that "...'
                if self._content_ok(m, q) and (regex.search(r"(?:[:,]|\bthat)\s*$", text[m.cue[0].start:q.start])
                                               or self._content_in_quote(m, q)):
                    before.append(m)
        # '"Who cares?" Trump said.': the tokenizer may end the sentence at the closing mark
        if not after and not before and close_sent is not None:
            nxt = self._next_in_paragraph(close_sent, q.end)
            inner = q.inner(text).rstrip()
            if nxt is not None and text[close_sent.start:q.end].rstrip().endswith(tuple(QUOTE_CHARS)) \
                    and inner.endswith(("?", "!", ",", "—", "–", "-")):
                after = [m for m in self.by_sentence.get(id(nxt), []) if id(m) not in relay_ids and not m.content
                         and m.cue[0].start - nxt.start < 60]
        # "X said:" ending the previous sentence or paragraph
        if not before and open_sent is not None:
            k = self.sentence_index[id(open_sent)]
            if k > 0 and text[:q.start].rstrip().endswith(":"):
                prev = self.sentences[k - 1]
                before = [m for m in self.by_sentence.get(id(prev), []) if id(m) not in relay_ids and
                          (not m.content or m.content[-1].end >= prev.end - 2)]
        # a short phrase in quotes inside a sentence is part of someone's indirect speech (a
        # mixed quote) unless the layout above made it a quote of its own
        lead = text[open_sent.start:q.start] if open_sent is not None else ""
        if words_inside <= 4 and regex.search(r"\w", lead):
            # ... unless a speech verb introduces it: 'chanted "USA! USA!"', 'yelled "Stay there!"',
            # 'is telling customers at a diner that "I need you tomorrow."'
            if not regex.search(r"[.!?,…]\s*$", q.inner(text)):
                return None
            said_that = [m for m in before if regex.search(r"\bthat\s*$", text[m.cue[0].start:q.start])]
            return max(said_that, key=lambda m: m.cue[0].start) if said_that else self._adjacent_cue(q)
        if after:
            return min(after, key=lambda m: m.cue[0].start)
        if before:
            return max(before, key=lambda m: m.cue[0].start)
        return self._adjacent_cue(q)

    def _adjacent_cue(self, q: MarkedQuote) -> Optional[CueMatch]:
        """'The ad claims "Jeb is ..."', 'warns that "any further ..."': a cue word right before
        the quote, when nothing else links it (the tagger often reads "claims" as a noun)."""
        text = self.text
        open_sent = self.sentence_at(q.start)
        if open_sent is not None and open_sent.parsed and regex.search(r"\w\s*$", text[open_sent.start:q.start]):
            ws = [w for w in open_sent.words if w.end <= q.start][-3:]
            if ws and ws[-1].lower == "that" and len(ws) > 1:
                ws = ws[:-1]
            if ws and self._is_cue_word(ws[-1]) and ws[-1].xpos not in ("VBN",):
                before = [w for w in open_sent.words if w.end <= ws[-1].start]
                src = self._np_before(before)
                # 'She called the talks "frank"': an article alone before the word makes it a noun
                if any(w.upos in ("PROPN", "NOUN", "PRON") for w in src):
                    return self._layout_match(open_sent, ws[-1], src)
        return None

    # -------------------------------------------------------------- layout cues
    _NP_TAGS = ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM", "PART", "X")

    def _np_after(self, ws: list[Word]) -> list[Word]:
        np: list[Word] = []
        for w in ws[:7]:
            if w.upos in self._NP_TAGS and w.upos != "PUNCT" and not (w.upos == "PRON" and np):
                np.append(w)
            elif w.text in (".",) and np and np[-1].text[:1].isupper() and len(np[-1].text) <= 3:
                np.append(w)  # "U.S." split oddly
            else:
                break
        return np

    def _np_before(self, ws: list[Word]) -> list[Word]:
        np: list[Word] = []
        i = len(ws) - 1
        while i >= 0 and ws[i].upos in ("ADV", "AUX", "PART") and ws[i].text not in ("'s", "’s"):
            i -= 1  # "Trump also said", "she has said"
        while i >= 0 and len(np) < 7 and (ws[i].upos in self._NP_TAGS or ws[i].text in ("'s", "’s")) \
                and not (np and ws[i].upos == "PRON" and ws[i].lower not in ("his", "her", "its", "their")):
            np.insert(0, ws[i])
            i -= 1
        while np and np[0].upos in ("PART",) and np[0].text not in ("'s", "’s"):
            np = np[1:]
        return np

    def _is_cue_word(self, w: Word) -> bool:
        cue = self.lex.cue_for(w.lemma, w.text)
        return cue is not None and cue.is_speech and not cue.content_clause \
            and w.upos in ("VERB", "AUX", "NOUN", "X", "PROPN", "ADJ")

    def _layout_match(self, sent: Sentence, cue: Word, source: list[Word]) -> CueMatch:
        """The cue match for a layout ('"...," X said'), reusing the parsed one for this word."""
        m = next((m for m in self.by_sentence.get(id(sent), []) if m.cue[0] is cue), None)
        c = self.lex.cue_for(cue.lemma, cue.text)
        if m is None:
            m = CueMatch(sent, [cue], cue.lemma, c.cls if c else "speech")
            self.by_sentence.setdefault(id(sent), []).append(m)
        if not m.addressee and c is not None:
            # '"...," Lund told reporters': the layout gives the quotation, the cue's object still
            # names whom it was said to
            m.addressee = object_addressee(sent, cue, c)
        # the parse's own subject is kept when it lies in the layout's phrase, unless the phrase
        # opens with a name the parse left out ('"...," Jenna Golden, Twitter's director, said')
        if source and not (m.source and m.source_head is not None and any(w in source for w in m.source)
                           and not (source[0].upos == "PROPN" and source[0].id < m.source[0].id)):
            m.source = source
            heads = [w for w in source if w.upos in ("PROPN", "NOUN", "PRON")]
            m.source_head = heads[-1] if heads else source[-1]
        if id(m) not in self.party_of or source:
            self.party_of[id(m)] = self.party(m.source, m.source_head, cue.start)
        m.content = []
        return m

    def _layout_cue(self, q: MarkedQuote) -> Optional[CueMatch]:
        """The cue of a direct quote read off its layout, by the first of `_QUOTE_LAYOUTS` that fits.

        News layouts are more reliable than a parse of them: quotes are where
        dependency parsers go wrong most."""
        for layout in self._QUOTE_LAYOUTS:
            m = layout(self, q)
            if m is not None:
                return m
        return None

    def _full_stop_then_cue(self, q: MarkedQuote) -> Optional[CueMatch]:
        """'"... missing." Trump said.': a period where the comma belongs, when nothing but "X said"
        or "said X" follows (otherwise '."' closes the sentence: '"We won." Ann left.')."""
        inner = q.inner(self.text).rstrip()
        if not (inner.endswith(".") and not inner.endswith("..")):
            return None
        for sent in self._sentences_after(q, self.sentence_at(q.end - 1))[:1]:
            ws = [w for w in sent.words if w.start >= q.end]
            while ws and ws[-1].upos == "PUNCT" and ws[-1].text in ".!":
                ws = ws[:-1]
            if not 2 <= len(ws) <= 5:
                break
            if self._is_cue_word(ws[-1]) and ws[-1].upos == "VERB" and all(x.upos in ("PROPN", "PRON", "NOUN", "DET", "ADJ") for x in ws[:-1]):
                return self._layout_match(sent, ws[-1], ws[:-1])
            if self._is_cue_word(ws[0]) and ws[0].upos == "VERB" and all(x.upos in ("PROPN", "NOUN", "DET", "ADJ") for x in ws[1:]):
                return self._layout_match(sent, ws[0], ws[1:])
        return None

    def _cue_after(self, q: MarkedQuote) -> Optional[CueMatch]:
        """'"...," X said', '"...?" X asked', '"...", X said', '"...," said Trump' (inverted),
        '"...," Guenther Schuh, e.GO's founder ..., said' (a long apposition), '"...," Brent Bozell,
        founder of the center, tells ...' (the whole phrase); the quote must end its clause."""
        inner = q.inner(self.text).rstrip()
        if (inner.endswith(".") and not inner.endswith("..")) or self._relayed_after(q):
            return None
        for sent in self._sentences_after(q, self.sentence_at(q.end - 1)):
            ws = [w for w in sent.words if w.start >= q.end][:32]
            if not (inner.endswith((",", "?", "!", "…", "—", "–", "-")) or (ws and ws[0].text in ",—–")):
                return None
            while ws and ws[0].upos == "PUNCT" and ws[0].text in ",—–-":
                ws = ws[1:]
            if not ws:
                continue
            long_appos = self._apposition_cue(ws)
            if long_appos is not None:
                return self._layout_match(sent, long_appos[0], long_appos[1])
            ws = ws[:16]
            if self._is_cue_word(ws[0]) and not ws[0].lower.endswith("ing"):
                # '"...," telling reporters' names the addressee, not the speaker
                src = self._np_after(ws[1:])
                if src:
                    return self._layout_match(sent, ws[0], src)
            for i, w in enumerate(ws[:14]):
                # "director of political advertising": a noun after a modifier names, it does not report
                if self._is_cue_word(w) and i > 0 and not (w.upos in ("NOUN", "ADJ") and ws[i - 1].upos in ("ADJ", "DET", "ADP")):
                    lead = [x for x in ws[:i] if not (x.upos == "PUNCT" and x.text in (",", "-"))]
                    # '"...!" and said that ...' has no speaker between: a name or noun must stand there
                    if any(x.upos in ("PROPN", "NOUN", "PRON", "NUM") for x in lead) and all(x.upos in self._NP_TAGS + ("ADV", "AUX", "ADP", "CCONJ") for x in lead) \
                            and lead[0].upos != "ADP":
                        src = [x for x in ws[:i] if x.upos not in ("ADV", "AUX")]
                        while src and src[-1].upos == "PUNCT":
                            src = src[:-1]
                        return self._layout_match(sent, w, src)
                    break
                if w.upos == "VERB" or (w.upos == "PUNCT" and w.text not in (",", ".", "'s", "’s", "-")):
                    break
            return None
        return None

    def _relayed_after(self, q: MarkedQuote) -> bool:
        """'Kim told officials that the South was "a puppet of Washington," KCNA said': the
        quotation ends a clause reported by a cue before it in its sentence, and the agency after
        it relays the whole sentence; the quotation is not the agency's."""
        agencies = self.lex.find_agencies(self.text, q.end, min(len(self.text), q.end + 80))
        if not agencies or self.text[q.end:agencies[0][1]].strip(" ,\u00a0").lower() not in ("", "the"):
            return False
        sent = self.sentence_at(q.start)
        return sent is not None and any(m.source and sent.start <= m.cue[0].start and m.cue[-1].end <= q.start
                                        for m in self.by_sentence.get(id(sent), []))

    def _cue_before(self, q: MarkedQuote) -> Optional[CueMatch]:
        """'X said: "', 'X told reporters, "', 'X said:' ending the sentence before, 'President
        Clinton released the following statement: "..."'; "telling them:" names the addressee."""
        text = self.text
        open_sent = self.sentence_at(q.start)
        lead_sent = open_sent
        if open_sent is not None and not regex.search(r"\w", text[open_sent.start:q.start]):
            k = self.sentence_index[id(open_sent)]
            if k > 0 and text[:q.start].rstrip().endswith(":") and \
                    text[self.sentences[k - 1].end:q.start].count("\n") <= 2:
                lead_sent = self.sentences[k - 1]
        if lead_sent is None or not lead_sent.parsed or not regex.search(r"[:,]\s*$", text[lead_sent.start:q.start]):
            return None
        ws = [w for w in lead_sent.words if w.end <= q.start][-12:]
        for i in range(len(ws) - 1, -1, -1):
            w = ws[i]
            doc_noun = w.lemma in self.lex.document_nouns and text[w.end:q.start].strip() in (":", ",:")
            if not (self._is_cue_word(w) or doc_noun):
                continue
            tail = ws[i + 1:]
            if len(tail) > 6 or any(t.upos == "VERB" for t in tail):
                return None
            if doc_noun:
                verb = lead_sent.word(w.head) if w.head > 0 else None
                subj = next((c for c in lead_sent.children(verb.id) if c.deprel.startswith("nsubj")), None) \
                    if verb is not None else None
                src = [x for x in lead_sent.subtree(subj.id) if x.upos != "PUNCT"] if subj is not None else []
                return self._layout_match(lead_sent, w, src)
            after_np = self._np_after([t for t in tail if t.text not in ":,"])
            if after_np and (after_np[0].lower in ("them", "him", "her", "me", "us", "you")
                             or (self.lex.cue_for(w.lemma, w.text) or Cue(w.lemma)).addressee_obj):
                after_np = []
            src = self._np_before(ws[:i]) or after_np
            return self._layout_match(lead_sent, w, src)
        return None

    #: the layouts of a direct quote's cue, tried in this order by `_layout_cue`
    _QUOTE_LAYOUTS = (_full_stop_then_cue, _cue_after, _cue_before)

    def _apposition_cue(self, ws: list[Word]) -> Optional[tuple[Word, list[Word]]]:
        """'"...," Guenther Schuh, e.GO's founder and the mastermind behind the car, said.': a name,
        then a description between commas of any length (the tagger often misreads a word in it),
        then ", said": the cue and the whole phrase before it."""
        k = 0
        while k < len(ws) and ws[k].text[:1].isupper() and ws[k].upos in ("PROPN", "X", "NOUN", "ADJ"):
            k += 1
        if k == 0 or k >= len(ws) or ws[k].text != "," or not any(w.upos == "PROPN" for w in ws[:k]):
            return None
        for j in range(k + 2, len(ws)):
            w = ws[j]
            if w.text in QUOTE_CHARS or w.text in (".", "!", "?", ";", ":"):
                return None
            if ws[j - 1].text == "," and self._is_cue_word(w) and w.upos in ("VERB", "AUX") \
                    and not w.lower.endswith("ing") and (j + 1 >= len(ws) or ws[j + 1].upos == "PUNCT"
                                                         or ws[j + 1].upos in ("ADV", "ADP", "PROPN", "NOUN", "DET")):
                src = ws[:j - 1]
                return w, src
        return None

    def _sentences_after(self, q: MarkedQuote, close_sent: Optional[Sentence]) -> list[Sentence]:
        if close_sent is None:
            return []
        out = [close_sent]
        nxt = self._next_in_paragraph(close_sent, q.end)
        if nxt is not None and close_sent.end <= q.end + 1:
            out.append(nxt)
        return [s for s in out if s.parsed and any(w.start >= q.end for w in s.words)]

    def _next_in_paragraph(self, sent: Sentence, pos: int) -> Optional[Sentence]:
        """The sentence after ``sent`` when only spaces lie between ``pos`` and it: the same
        paragraph only, since a new paragraph opening with "X says" is its own."""
        k = self.sentence_index[id(sent)] + 1
        if k < len(self.sentences):
            gap = self.text[pos:self.sentences[k].start]
            if not gap.strip() and "\n" not in gap:
                return self.sentences[k]
        return None

    def _content_in_quote(self, m: CueMatch, q: MarkedQuote) -> bool:
        words = [w for w in m.content if w.upos != "PUNCT"]
        ins = [w for w in words if q.start <= w.start < q.end]
        return bool(words) and len(ins) >= 0.8 * len(words)

    def _content_ok(self, m: CueMatch, q: MarkedQuote) -> bool:
        """A cue fits a quote when its content is empty, the quote itself, or its host clause."""
        if not m.content:
            return True
        if m.content_is_host:
            return any(q.start <= w.start < q.end for w in m.content)
        return self._content_in_quote(m, q)

    def _without_titles(self, name: str) -> str:
        """"Sen. Maria Ellison" -> "Maria Ellison": a credit's titles are no part of the name."""
        words = name.split()
        while len(words) > 1 and is_title(words[0].lower(), self.lex.titles):
            words = words[1:]
        return " ".join(words)

    def _whole_paragraph(self, q: MarkedQuote) -> bool:
        """Whether the quotation is its paragraph, marks to marks (a credit line may follow it)."""
        text = self.text
        before = text.rfind("\n", 0, q.start)
        return not text[before + 1:q.start].strip() and (text[q.end:q.end + 1] in ("\n", "") or
                                                         not text[q.end:text.find("\n", q.end)].strip())

    def _floating(self, q: MarkedQuote, atts: list[Attribution]) -> Optional[Attribution]:
        text = self.text
        m = _DASH_SPEAKER.match(text, q.end) or (self._whole_paragraph(q) and _DASH_LINE.match(text, q.end))
        if m and q.closed:
            rng = _dash_name(text, m.start("n"), m.end("n"))
            name = self._without_titles(text[rng[0]:rng[1]])
            ent = self.reg.lookup(name)
            party = Party(ent.name if ent else name, rng, ent.kind if ent else self.reg.kind_of(name))
            return Attribution(list(q.fragments), "direct", cue=(m.start("d"), m.end("d")), speaker=party,
                               confidence=0.8)
        # a short phrase in quotes inside a sentence is a title or a scare quote, not speech
        sent = self.sentence_at(q.start)
        lead = text[sent.start:q.start] if sent is not None else ""
        starts_sentence = not regex.search(r"\w", lead)
        if len(q.inner(text).split()) < 5 and not starts_sentence:
            return None
        if not starts_sentence and not regex.search(r"[.!?,…]\s*$", q.inner(text)):
            return None
        # the speaker of the quote just before carries over (same or previous paragraph)
        prev = [a for a in atts if a.content[-1][1] <= q.start]
        if prev:
            a = prev[-1]
            gap = text[a.content[-1][1]:q.start]
            if a.speaker is not None and a.kind == "direct" and gap.count("\n") <= 3 and len(gap) < 400:
                if "\n" not in gap and len(gap) < 300:
                    # '"A," X said in an interview in Macau. "B."' in one paragraph: one quote in two fragments
                    a.content.extend(q.fragments)
                    return None
                return Attribution(list(q.fragments), "direct", speaker=a.speaker, confidence=0.6)
        return Attribution(list(q.fragments), "direct", confidence=0.3)


def resolve(text: str, sentences: list[Sentence], quotes: list[MarkedQuote], matches: list[CueMatch],
            registry: EntityRegistry, lex: Lexicon, include_beliefs: bool = False) -> list[Attribution]:
    """Attributions of one article, in text order."""
    return _Resolver(text, sentences, quotes, matches, registry, lex, include_beliefs).run()
