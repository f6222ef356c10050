"""Who is who in an article: names, their canonical forms, and what pronouns,
surnames, acronyms and role phrases point to.

Built from the tagged sentences in text order; no coreference model, just the
conventions of news writing: a person is introduced by full name (often with a
title: "U.S. President Donald Trump") and then called by surname ("Trump"), a
pronoun, or a role ("the president"); an organisation may be introduced with
its acronym in parentheses.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Optional

from ..lexicon import Lexicon
from ..nlp.parse import Sentence, Word

__all__ = ["Entity", "EntityRegistry", "name_tokens"]

_CONNECTORS = {"of", "for", "the", "and", "de", "on", "'s", "’s", "&"}
_STOP_CAPS = {"I", "The", "A", "An", "This", "That", "These", "Those", "But", "And", "Or", "On", "In", "At",
              "During", "After", "Before", "While", "When", "If", "As", "For", "It", "He", "She", "They", "We",
              "His", "Her", "Their", "Its", "Our", "Mr", "Mr.", "Mrs.", "Ms.", "Dr."}
_PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "i"}


@dataclass
class Entity:
    name: str
    kind: str = "unknown"
    tokens: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    first: int = 0


@dataclass
class _Mention:
    entity: Entity
    start: int
    end: int
    subject: bool = False


#: name particles written before a hyphen: "al-Baghdadi", "el-Sisi", "bin-Talal"
_PARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "bin", "ibn", "bint", "abu", "abd", "ul"}


def _hyphen_joined(words: list[Word], i: int, prev: Word) -> bool:
    """Whether words[i] continues a name through a hyphen with no space: the hyphen itself, the
    syllable after it ("Jae-[in]"), or a particle opening the next part ("[al]-Baghdadi")."""
    w = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else None
    if w.text in ("-", "‐") and w.start == prev.end and nxt is not None and nxt.start == w.end \
            and nxt.text[:1].isalpha():
        return True
    if prev.text in ("-", "‐") and w.start == prev.end and w.text[:1].isalpha():
        return True
    # "[al]-Baghdadi" after a space: a particle glued by a hyphen to a capitalised part
    return w.lower in _PARTICLES and nxt is not None and nxt.text == "-" and nxt.start == w.end \
        and i + 2 < len(words) and words[i + 2].start == nxt.end and words[i + 2].text[:1].isupper()


def name_tokens(name: str) -> set[str]:
    """The words a later mention may use for a name: its parts, and the part after a particle
    ("al-Baghdadi" -> also "Baghdadi")."""
    toks = set(name.split())
    for t in list(toks):
        head, _, rest = t.partition("-")
        if rest and head.lower() in _PARTICLES and rest[:1].isupper():
            toks.add(rest)
    return toks


def glued_name_start(text: str, prev: Optional[Sentence], sent: Sentence) -> Optional[int]:
    """Where a name starts that the tokenizer cut in two ("Kim Jong | Un said ..."): the
    previous sentence ends in a proper noun with no punctuation, one space before a sentence
    opening with a proper noun; None when the break is real."""
    if prev is None or not prev.words or not sent.words or text[prev.end:sent.start] != " ":
        return None
    if not (sent.words[0].text[:1].isupper() and prev.words[-1].text[:1].isupper()) \
            or prev.words[-1].upos not in ("PROPN", "X") or sent.words[0].upos not in ("PROPN", "X"):
        return None
    k = len(prev.words)
    while k > 0 and prev.words[k - 1].text[:1].isupper() and prev.words[k - 1].upos in ("PROPN", "X") \
            and prev.words[k - 1].lower not in _TITLE_STOP and len(prev.words) - k < 3:
        k -= 1
    return prev.words[k].start if k < len(prev.words) else None


_TITLE_STOP = {"president", "leader", "minister", "chairman", "premier"}


def _is_cap(w: Word) -> bool:
    return w.text[:1].isupper() or (w.text[:1].isdigit() and False)


class EntityRegistry:
    """Entities of one article and the order in which they were mentioned."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.entities: list[Entity] = []
        self.mentions: list[_Mention] = []
        self._by_alias: dict[str, Entity] = {}
        self.speakers: list[tuple[int, Entity]] = []  # (offset, entity), in the order resolved
        self._starts: list[int] = []  # mention starts, for bisecting (see latest_with)

    # ------------------------------------------------------------------ kinds
    def kind_of(self, name: str, roles: set[str] = frozenset()) -> str:  # type: ignore[assignment]
        if self.lex.agency_of(name) and self.lex.agencies.get(name) or name in self.lex.agencies.values():
            return "agency"
        if name in self.lex.places or any(t in ("Republic", "Kingdom", "Emirates", "States") for t in name.split()):
            return "place"
        toks = name.replace("'s", "").split()
        if any(t in self.lex.org_words for t in toks) or (len(toks) == 1 and toks[0].isupper() and len(toks[0]) > 1):
            return "organization"
        if roles & self.lex.titles:
            return "person"
        if 2 <= len(toks) <= 4 and all(t[:1].isupper() for t in toks):
            return "person"
        return "unknown"

    # ------------------------------------------------------------------ building
    def add_sentences(self, text: str, sentences: list[Sentence]) -> None:
        prev: Optional[Sentence] = None
        for sent in sentences:
            self._add_sentence(text, sent, glued_name_start(text, prev, sent))
            prev = sent

    def _runs(self, sent: Sentence) -> list[list[Word]]:
        """Runs of capitalised words (names), allowing connectors between them."""
        runs: list[list[Word]] = []
        cur: list[Word] = []
        words = sent.words
        for i, w in enumerate(words):
            if cur and _hyphen_joined(words, i, cur[-1]):
                cur.append(w)  # "Moon Jae-in", "Kim Yeon-chul", "Abu Bakr al-Baghdadi": one name
                continue
            cap = _is_cap(w) and w.upos not in ("PUNCT", "PRON", "DET", "AUX", "SCONJ", "CCONJ", "ADP") \
                and w.text not in _STOP_CAPS
            if bool(cur) and name_tokens(w.text) - {w.text}:
                cap = True  # "al-Baghdadi" as one token
            if cap and i == 0 and w.upos not in ("PROPN",) and not (i + 1 < len(words) and _is_cap(words[i + 1])):
                cap = False
            if cap:
                cur.append(w)
            elif cur and w.lower in _CONNECTORS and w.text not in ("'s", "’s") and self._cap_after(words, i):
                cur.append(w)
            else:
                if cur:
                    runs.append(cur)
                cur = []
        if cur:
            runs.append(cur)
        return [r for r in runs if any(x.text[:1].isupper() for x in r)]

    @staticmethod
    def _cap_after(words: list[Word], i: int) -> bool:
        """Whether connectors from i on ("for the") lead to a capitalised word."""
        j = i
        while j < len(words) and words[j].lower in _CONNECTORS and words[j].text not in ("'s", "’s"):
            j += 1
        return j < len(words) and j > i and _is_cap(words[j])

    def _split_title(self, run: list[Word]) -> tuple[list[str], list[Word]]:
        """("U.S. President", "Donald Trump") -> roles, name words."""
        last_title = -1
        for i, w in enumerate(run[:-1]):
            if w.lower in self.lex.titles or w.lower.rstrip(".") in self.lex.titles:
                last_title = i
        roles = [w.lower for w in run[: last_title + 1] if w.lower in self.lex.titles]
        name = run[last_title + 1:]
        # nationality adjectives before a title-less name ("Russian President") are part of the role
        return roles, name

    def _add_sentence(self, text: str, sent: Sentence, glued: Optional[int] = None) -> None:
        covered = self._acronyms(text, sent)
        words = sent.words
        for run in self._runs(sent):
            if any(a <= run[0].start < b for a, b in covered):
                continue  # part of a name already spelled out by its acronym
            if glued is not None and run[0] is words[0]:
                # "Kim Jong | Un said": the tokenizer cut a name in two; the part before the cut
                # was registered with the previous sentence and takes the whole name
                m = next((m for m in reversed(self.mentions) if m.start == glued), None)
                if m is not None:
                    name = text[glued:run[-1].end]
                    if m.entity.name == text[glued:m.end]:
                        m.entity.name = name
                    m.entity.tokens |= name_tokens(name)
                    self._by_alias[name] = m.entity
                    m.end = run[-1].end
                    continue
            roles, name_words = self._split_title(run)
            if not name_words:
                continue
            # role words just before the run: "DPRK leader Kim Jong Un"
            first = run[0]
            if first.id > 1:
                prev = words[first.id - 2]
                if prev.lower in self.lex.titles:
                    roles.append(prev.lower)
                    if prev.id > 1 and _is_cap(words[prev.id - 2]):
                        roles.append(words[prev.id - 2].text.lower())
            while name_words and name_words[-1].lower in _CONNECTORS:
                name_words = name_words[:-1]
            if not name_words:
                continue
            name = text[name_words[0].start:name_words[-1].end]
            ent = self._intern(name, set(roles), name_words[0].start)
            subject = any(w.deprel.startswith("nsubj") for w in name_words)
            self.mentions.append(_Mention(ent, name_words[0].start, name_words[-1].end, subject))

    def _acronyms(self, text: str, sent: Sentence) -> list[tuple[int, int]]:
        """"Committee for the Peaceful Reunification of the Country (CPRC)": the words whose
        initials spell the acronym are the full name, and the acronym an alias of it."""
        words = sent.words
        covered: list[tuple[int, int]] = []
        for i, w in enumerate(words):
            if not (w.text == "(" and i + 2 < len(words) and words[i + 2].text == ")"):
                continue
            acr = words[i + 1].text
            if not (acr.isupper() and acr.isalpha() and 2 <= len(acr) <= 8) or acr in self._by_alias:
                continue
            letters = list(acr)
            j = i - 1
            while j >= 0 and letters:
                t = words[j].text
                if t.lower() in _CONNECTORS:
                    j -= 1
                    continue
                if t[:1].isupper() and t[0] == letters[-1]:
                    letters.pop()
                    j -= 1
                    continue
                break
            if letters or j == i - 1:
                continue
            first = words[j + 1]
            name = text[first.start:words[i - 1].end]
            ent = self._intern(name, set(), first.start)
            ent.aliases.add(acr)
            self._by_alias[acr] = ent
            self.mentions.append(_Mention(ent, first.start, words[i - 1].end))
            covered.append((first.start, words[i + 2].end))
        return covered

    def _intern(self, name: str, roles: set[str], pos: int) -> Entity:
        ent = self.lookup(name)
        if ent is None:
            agency = self.lex.agency_of(name)
            if agency and self.lex.agencies.get(name.removeprefix("the ").strip()) == agency:
                name = agency
            ent = Entity(name, tokens=name_tokens(name), first=pos)
            ent.kind = self.kind_of(name, roles)
            self.entities.append(ent)
            self._by_alias[name] = ent
        elif len(name.split()) > len(ent.name.split()) and set(ent.name.split()) <= set(name.split()) \
                and ent.kind in ("person", "unknown"):
            # "Trump" first, "Donald Trump" later: the fuller name becomes canonical
            ent.name = name
            ent.tokens |= name_tokens(name)
            self._by_alias[name] = ent
        ent.roles |= roles
        if ent.kind == "unknown" and roles & self.lex.titles:
            ent.kind = "person"
        return ent

    def lookup(self, name: str) -> Optional[Entity]:
        """The entity a name refers to: exact, acronym, or a part of a person's full name."""
        name = name.strip()
        if name in self._by_alias:
            return self._by_alias[name]
        toks = name.split()
        if not toks:
            return None
        if name in self.lex.places:
            return None
        # "Kim" -> "Kim Jong Un"; "Trump" -> "Donald Trump": prefer persons, then the most recent
        cands = [e for e in self.entities if set(toks) <= e.tokens and e.kind in ("person", "unknown")
                 and len(e.tokens) > len(toks)]
        if cands:
            return max(cands, key=lambda e: (e.kind == "person", len(e.tokens), -e.first))
        return None

    def latest_with(self, name: str, pos: int) -> Optional[Entity]:
        """For a short name ("Kim"), the person with a fuller name containing it mentioned
        last before ``pos`` ("Kim Yeon-chul" rather than the "Kim Jong Un" of three paragraphs up)."""
        toks = set(name.split())
        if not toks or len(toks) > 2:
            return None
        # bounded look-back (mentions are in text order): a long article stays linear
        if len(self._starts) != len(self.mentions):
            self._starts = [m.start for m in self.mentions]
        k = bisect.bisect_left(self._starts, pos)
        for m in reversed(self.mentions[max(0, k - 400):k]):
            e = m.entity
            if m.start < pos and e.kind == "person" and toks <= e.tokens and len(e.tokens) > len(toks):
                return e
        return None

    # ------------------------------------------------------------------ resolving
    def note_speaker(self, pos: int, ent: Entity) -> None:
        self.speakers.append((pos, ent))

    def antecedent(self, pronoun: str, pos: int) -> Optional[Entity]:
        """The entity a pronoun at ``pos`` most likely refers to."""
        p = pronoun.lower()
        kinds = self.lex.pronouns.get(p, frozenset({"person", "organization"}))
        compatible = set(kinds)
        if "organization" in compatible:
            compatible |= {"agency", "place"}
        if "person" in compatible:
            compatible.add("unknown")

        def ok(e: Entity) -> bool:
            if p in _PERSON_PRONOUNS:
                return e.kind in ("person", "unknown")
            if p == "it":
                return e.kind in ("organization", "agency", "place")
            return e.kind in compatible

        # speakers are the most salient antecedents; then any earlier name
        for spos, e in reversed(self.speakers):
            if spos < pos and ok(e):
                return e
        for m in reversed(self.mentions):
            if m.start < pos and ok(m.entity):
                return m.entity
        return None

    def by_role(self, role: str, pos: int) -> Optional[Entity]:
        """"the president" -> the latest person introduced with that title."""
        for m in reversed(self.mentions):
            if m.start < pos and role in m.entity.roles:
                return m.entity
        return None

    def latest_agency(self, pos: int) -> Optional[Entity]:
        for spos, e in reversed(self.speakers):
            if spos < pos and e.kind == "agency":
                return e
        for m in reversed(self.mentions):
            if m.start < pos and m.entity.kind == "agency":
                return m.entity
        return None
