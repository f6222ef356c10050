"""Name the speakers and addressees of attributions.

A source or addressee phrase from the cue step ("he", "the DPRK leader", "U.S. President Donald
Trump", "the ministry's statement") becomes a `Party`: the canonical name the article uses for
them (pronouns and short names resolved through the entity registry to the full name), the
mention's character range, and a kind (person, organisation, group, agency, unknown).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Callable, Optional

import regex

from .cues import capital_time_of_name
from .entities import (_CONNECTORS, _TITLE_ONLY, TITLE_OBJECT_LEADS, Entity, EntityRegistry, after_first_name,
                       glued_name_start, last_title, person_part, title_genders, title_object, without_article)
from ..lexicon import (AGENT_ROLES, DEMONYMS, ORG_NOUNS, TIME_LEADS, TIME_NAMES, TIME_WORDS, TITLE_FORMS, Lexicon,
                       first_name_gender)
from ..nlp.parse import Sentence, Word

__all__ = ["Party", "Speakers"]

Range = tuple[int, int]

def _time_tail(words: list[Word]) -> int:
    """Where a trailing time phrase of ``words`` starts (``len(words)`` where none does)."""
    k = len(words)
    while k > 1 and (words[k - 1].text in TIME_NAMES or words[k - 1].lower in TIME_WORDS
                     or words[k - 1].lower in TIME_LEADS) and not capital_time_of_name(words[k - 2], words[k - 1]):
        k -= 1
    timed = any(w.text in TIME_NAMES or w.lower in TIME_WORDS for w in words[k:])
    return k if timed else len(words)


#: relative pronouns that may close a tagged mention ("The governor, who")
_RELATIVE = {"who", "which", "that", "whom"}
#: first-person pronouns: out of quotation marks they are the writer's
_NARRATOR = {"i", "we", "me", "us"}
#: "the 44-year-old", "the 70-year-old veteran": definite, so someone already named ("a
#: 44-year-old" introduces someone new)
_AGE_DESCRIPTION = regex.compile(r"(?i:the)\s+(?:\d+|[a-z]+)[-\s]year[-\s]old(?:\s+[a-z]+)?")


@dataclass
class Party:
    """A speaker or addressee: canonical name, its words at the cue, kind."""

    name: str
    mention: Optional[Range]
    kind: str = "unknown"
    #: whether a later pronoun may take this party: not a common noun named by its modifiers ("the
    #: Texas senator" no name was found for, "a Clinton aide"), which the pronoun tiers would
    #: otherwise prefer, as the latest speaker, to the people the article names
    takes_pronouns: bool = field(default=True, compare=False)


#: nouns of a share of people, singular in form: the description is a group
_PROPORTIONS = {"percent", "%", "majority", "minority", "plurality", "half", "share", "proportion"}


def _description_kind(head: Word, lex: Lexicon) -> str:
    """The kind of a description with no name: a plural noun ("two engineers", "teachers") or a
    number ("two of them") is a group, an organisation word ("the union") an organisation, a
    document noun ("the report") a document, a role
    noun ("the spokeswoman") a person."""
    if (head.upos == "NOUN" and "Number=Plur" in head.feats) or (head.upos == "NUM" and head.lower not in ("one", "1")) \
            or head.lower in _PROPORTIONS:
        return "group"  # (a share of people too: "Sixty-two percent of Republicans" takes no "his")
    if head.text.capitalize() in lex.org_words or head.lower in ORG_NOUNS:
        return "organization"  # "the union", "the board"
    if head.lemma in lex.document_nouns:
        return "document"  # "the report" with no agency behind it: no antecedent of "she"
    return "person" if head.lower in lex.titles else "unknown"


def _default_head(words: list[Word]) -> Word:
    """The head of a phrase given without one: its last word, as English phrases end in their head
    ("one of Mr. Obama's climate advisers"), unless the phrase ends in a comma or an age after a
    name ("Walter Pruitt, 81"): then that name (`_phrase_head`), where it is no possessor ("Scott's
    niece, state Del. Marcia Price,"), or the noun the parse made its head where the phrase ends
    in a comma."""
    named = _phrase_head(words) if words[-1].upos in ("PUNCT", "NUM") else None
    if named is not None and named.upos == "PROPN" and not any(
            w.head == named.id and w.text in ("'s", "’s") for w in words):
        return named
    if named is not None and named.upos == "NOUN" and words[-1].upos == "PUNCT":
        return named  # "Her co-author, Tomas Reyes, a statistician ...,": a noun, never the comma
    return words[-1]


def _phrase_head(words: list[Word]) -> Optional[Word]:
    """The syntactic head of a phrase: its last word whose head lies outside it ("Walter Pruitt,
    81" -> "Walter"; "Board member Sam Ochoa, the lone vote against," parsed with two subjects ->
    "Sam"); None in a sentence left unparsed."""
    ids = {w.id for w in words}
    return next((w for w in reversed(words) if w.head >= 0 and w.head not in ids and w.upos != "PUNCT"), None)


def _without_relative(words: list[Word]) -> list[Word]:
    """"The governor, who" -> "The governor": a mention that ends in a relative pronoun after its
    noun is named by the noun ("who" alone would take the latest person named before it)."""
    k = len(words)
    while k > 1 and words[k - 1].upos == "PUNCT":
        k -= 1
    if k > 1 and words[k - 1].lower in _RELATIVE:
        k -= 1
        while k > 1 and words[k - 1].upos == "PUNCT":
            k -= 1
        return words[:k]
    return words


def _without_clause(words: list[Word], head: Word) -> list[Word]:
    """A common noun's phrase without the clause that modifies it ("a study published Wednesday
    in the journal Cardiology Today"): its capitals are a day and a journal, not the noun's
    name; but a "by" agent in it is its maker ("a report released by the Boston Fed")."""
    if head.upos != "NOUN":
        return words
    ids = {w.id for w in words}
    skip: set[int] = set()
    for c in (w for w in words if w.head == head.id and w.deprel in ("acl", "acl:relcl") and _modifying_clause(w)):
        # up to a comma: a name after it is set off, whatever the parse hung it on ("One pastor
        # supporting Mr. Cruz, Darran Whiting of ...")
        sub = _subtree(words, c)
        comma = next((w.start for w in sub if w.text == "," and w.id > c.id), None)
        clause = {w.id for w in sub if comma is None or w.start < comma}
        agents = [w for w in words if w.id in clause and w.head == c.id and (w.deprel == "obl:agent" or (
            w.deprel == "obl" and any(k.head == w.id and k.deprel == "case" and k.lower == "by" for k in words)))]
        keep = {w.id for w in _subtree(words, agents[0])} if agents else set()
        skip |= clause - keep
    if not skip:
        return words
    return [w for w in words if w.id not in skip or (w.deprel == "case" and w.head in ids - skip and w.lower == "by")]


def _modifying_clause(verb: Word) -> bool:
    """A clause that describes its noun, not one that names it ("an academic named Eric Kingson")
    nor a capitalised title's own words ("Three Generations That Built an Empire")."""
    return verb.lemma not in ("name", "call", "dub") and verb.text[:1].islower()


def _clause_start(words: list[Word], head: Word) -> Optional[int]:
    """Where a clause modifying ``head`` after it starts among ``words`` (its relative pronoun
    or its verb), if the clause runs to their end; None if there is none."""
    ids = {w.id for w in words}
    for c in (w for w in words if w.head == head.id and w.deprel in ("acl", "acl:relcl") and w.id > head.id
              and _modifying_clause(w)):
        inside = {w.id for w in _subtree(words, c)}
        at = next(i for i, w in enumerate(words) if w.id in inside)
        rest = [w for w in words[at:] if w.upos != "PUNCT"]
        if at > 0 and words[at - 1].id in ids and all(w.id in inside for w in rest):
            while at > 1 and words[at - 1].upos == "PUNCT":
                at -= 1
            return at
    return None


#: prepositions that place a person ("a nurse at St. Mary Hospital", "the librarian on Elm Street")
_PLACING = {"at", "in", "on", "near", "from", "outside", "inside"}


def _placed(words: list[Word], head: Word) -> bool:
    """"the librarian on Elm Street", "a nurse at St. Mary Hospital": a common noun whose only
    capitals are in a phrase that places it names nobody by them -- the nurse is not the hospital
    (but "a spokesman for the Red Cross" speaks for it)."""
    if head.upos != "NOUN" or not head.text[:1].islower():
        return False
    placed = [w for w in words if w.head == head.id and w.deprel == "nmod" and any(
        c.head == w.id and c.deprel == "case" and c.lower in _PLACING for c in words)]
    if not placed:
        return False
    sub = _subtree(words, placed[0])
    comma = next((w.start for w in sub if w.text == "," and w.id > placed[0].id), None)
    inside = {w.id for w in sub if comma is None or w.start < comma}
    # every capital but the phrase's first word's is the place's ("His partner at Lenox, Lawrence
    # Cummings," has a name of its own)
    return not any(w.text[:1].isupper() and w.id not in inside and w is not words[0] for w in words) \
        and words[0].upos != "PROPN"


def _subtree(words: list[Word], root: Word) -> list[Word]:
    """``root`` and the words below it, among ``words``."""
    kids: dict[int, list[int]] = {}
    for w in words:
        kids.setdefault(w.head, []).append(w.id)
    out, todo = {root.id}, [root.id]
    while todo:  # linear in the phrase: each word is reached once
        for k in kids.get(todo.pop(), ()):
            if k not in out:
                out.add(k)
                todo.append(k)
    return [w for w in words if w.id in out]


def _around_comma(ws: list[Word], head: Word) -> list[Word]:
    """The side of a phrase's first comma (or dash) that holds its name: after it where the part
    before is a description ("the RT editor in chief, Margarita Simonyan"; a name in that part
    names someone else), before it where a name comes first ("Brent Bozell, founder of ...")."""
    comma = next((i for i, w in enumerate(ws) if w.text in (",", "—", "–", "--") and i > 0), None)
    # (and "His former partner at Lenox, Lawrence Cummings": a common noun before the comma)
    at = next((i for i, w in enumerate(ws) if w is head), None)
    # (but not "City Council member Ana Ruiz, a Democrat from Queens": the name right after the noun)
    described = comma is not None and at is not None and at < comma and head.upos == "NOUN" \
        and head.text[:1].islower() and ws[at + 1].upos != "PROPN"
    named_before = comma is not None and any(w.upos == "PROPN" for w in ws[:comma])
    if comma is None or not (described or named_before):
        return ws
    rest = ws[comma + 1:]
    if described:
        rest = _past_description(rest)  # "The other man, his cousin James York, 40,"
    # ("Trump's running mate — Indiana Gov. Mike Pence": a possessor's description too,
    # the possessor its first words, not "officials ... from Mrs. Clinton's house in X, N.Y.")
    if rest and rest[0].upos == "PROPN" and (ws[0].upos == "DET" or described or any(
            w.text in ("'s", "’s") for w in ws[1:min(comma, 3)])):
        # up to the next comma: what follows is about the name ("Bruce Turry, who ...", an age)
        end = next((i for i, w in enumerate(rest) if w.text in (",", "—", "–", "--")), len(rest))
        return rest[:end]
    # (no name after a description either: the phrase as it was, "The transcript of the debate --
    # published by The Washington Post --")
    return ws[:comma] if named_before else ws


def _past_description(words: list[Word]) -> list[Word]:
    """Words from the name a short description leads ("his cousin James York" -> "James York");
    unchanged where none does (a clause: "who met Ann Lee")."""
    k = next((i for i, w in enumerate(words) if w.upos == "PROPN"), None)
    if k is None or k == 0 or k > 3 or not all(
            w.upos in ("DET", "PRON", "ADJ", "NOUN") and w.text[:1].islower() for w in words[:k]):
        return words
    # (lower case only: with "the Republican Donald J. Trump" read so, GUM lost two pronouns on dev)
    return words[k:]


def _without_possessor(words: list[Word], head: Word) -> list[Word]:
    """A phrase without its head's possessor ("DPRK's Committee ..."): it names someone else."""
    skip: set[int] = set()
    for p in (w for w in words if w.deprel == "nmod:poss" and w.head == head.id):
        skip |= {w.id for w in words if w.start <= p.end and w.start >= p.start} | {p.id}
        skip |= {w.id for w in words if w.head == p.id}
    return [w for w in words if w.id not in skip]


class Speakers:
    """Resolves phrases to parties, in one article (its text, sentences and entity registry)."""

    def __init__(self, text: str, sentences: list[Sentence], registry: EntityRegistry, lex: Lexicon,
                 inside_quote: Callable[[int], bool] = lambda pos: False) -> None:
        self.text = text
        # where "I" is somebody quoted, not the writer (`quotes.inside_quotes`)
        self._in_quotation = inside_quote
        self.sentences = sentences
        self.starts = [s.start for s in sentences]
        self.reg = registry
        self.lex = lex
        self.sentence_index = {id(s): k for k, s in enumerate(sentences)}
        self._in_maker = False  # naming a document's maker (`_made_by`)

    def sentence_at(self, pos: int) -> Optional[Sentence]:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.sentences[i].start <= pos < max(self.sentences[i].end, self.sentences[i].start + 1):
            return self.sentences[i]
        if i >= 0 and pos <= self.sentences[i].end:
            return self.sentences[i]
        return None

    def party(self, words: list[Word], head: Optional[Word], pos: int) -> Optional[Party]:
        """Resolve a source or addressee phrase to a canonical name."""
        if not words:
            return None
        rng = (words[0].start, words[-1].end)
        mention = self.text[rng[0]:rng[1]]
        if self.lex.is_section_label(mention):
            return None  # "The Latest: Mourners say ...": a section label the parse made the subject
        if head is None:
            words = _without_relative(words)
            mention = self.text[rng[0]:words[-1].end]
            head = _default_head(words)
        maker = self._document_maker(words, head)
        if maker is not None:  # "a statement from the ministry": the ministry speaks
            return self._made_by(maker, head, rng, pos)
        # pronouns
        if head.lower in _NARRATOR and not self._in_quotation(rng[0]):
            # the writer's own "I" or "we" outside any quotation is the writer, whom no name
            # before it stands for ("I know all about Donald Trump" is no quote of Trump)
            return Party(mention, rng, "person" if head.lower in ("i", "me") else "group")
        if head.upos == "PRON" or (len(words) == 1 and head.lower in self.lex.pronouns):
            ent = self.reg.antecedent(head.lower, pos)
            if ent is None:
                return Party(mention, rng, "person" if head.lower in ("he", "she", "i") else "unknown")
            if head.lower in ("he", "she") and not ent.genders and not ent.plural \
                    and {id(c[1]) for c in self.reg.allowed(head.lower, pos) if c[1].kind == "person"} == {id(ent)}:
                # a pronoun only one person can take is gender evidence: 'She urged parents ...'
                # makes Hannah Weiss no antecedent of a later "He told reporters"
                ent.genders.add("m" if head.lower == "he" else "f")
            return Party(ent.name, rng, ent.kind)
        name_words = self._name_words(words, head)
        # agencies, but "John Miller of the Associated Press" is a person: the agency is his employer
        agency = self.lex.agency_of(mention)
        if agency and not self._staff_of_agency(words, name_words):
            return Party(agency, rng, "agency")
        # "the report", "the statement": the agency or organisation behind it; "a statement" is
        # a new one, not the latest agency's ("Lee ordered ..., according to a statement" after KCNA)
        if head.lemma in self.lex.document_nouns and words[0].lower not in ("a", "an") \
                and not any((w.upos == "PROPN" or w.deprel == "nmod:poss") and w.head == head.id for w in words):
            ent = self.reg.latest_agency(pos)
            if ent is not None:
                return Party(ent.name, rng, ent.kind)
        # "the Spaniard said": a nationality stands for the person in view
        if len(words) == 2 and words[0].lower == "the" and head is words[1] and head.text in DEMONYMS:
            ent = self._person_in_view(rng[0], None)
            if ent is not None:
                return Party(ent.name, rng, ent.kind)
        # names
        if name_words:
            name = self.text[name_words[0].start:name_words[-1].end]
            sent = self.sentence_at(name_words[0].start)
            # "Kim said" after "Kim Yeon-chul told ...": the latest person of that name before here
            recent = self.reg.latest_with(name, pos, title_genders(w.lower for w in words))
            if sent is not None and sent.words and name_words[0] is sent.words[0]:
                k = self.sentence_index.get(id(sent), 0)
                glued = glued_name_start(self.text, self.sentences[k - 1] if k > 0 else None, sent)
                if glued is not None:  # "Kim Jong | Un said": a name the tokenizer cut in two
                    name = self.text[glued:name_words[-1].end]
                    rng = (glued, rng[1])
                    recent = None
            ent = recent or self.reg.lookup(name)
            if ent is not None:
                return Party(ent.name, rng, ent.kind)
            return Party(name, rng, self.reg.kind_of(name))
        # "the 44-year-old said": an age that stands for a person named before, as "she" would
        if _AGE_DESCRIPTION.fullmatch(mention):
            ent = self.reg.person_before(pos)
            if ent is not None:
                return Party(ent.name, rng, ent.kind)
        # role phrases: "the DPRK leader", "the president"
        if head.lower in self.lex.titles:
            party = self._role_phrase(words, head, rng, mention, pos)
            if party is not None:
                return party
        named = self._apposition_of(rng)
        if named is not None:
            return Party(named.name, rng, named.kind)
        # "China's foreign ministry on Monday": the parse hung the time on the noun; the name
        # is the description without it (the mention keeps it)
        return self._description(words, mention, head, rng)

    def _description(self, words: list[Word], mention: str, head: Word, rng: Range) -> Party:
        """A phrase that names nobody: named by its description, without the comma the mention
        may end in ("The newspaper, long an advocate of reform,")."""
        bare = _without_possessor(words, head)
        # (a placed thing that is no role takes no "she": "Their show of force in Rust Belt states")
        placed_thing = _placed(bare, head) and head.lower not in self.lex.titles
        return Party(without_article(self._described(words, mention, head)).rstrip(" ,;"), rng,
                     _description_kind(head, self.lex),
                     takes_pronouns=not self._modified_noun(bare, head) and not placed_thing)

    def _role_phrase(self, words: list[Word], head: Word, rng: Range, mention: str, pos: int) -> Optional[Party]:
        """"the president", "the Texas governor": the person introduced with the title, its
        capitalised words agreeing (`EntityRegistry.by_role`); "the City manager" where no one
        was introduced with the title: the person in view, as "he" would be, unless they hold
        another title or the role is held for someone else (`AGENT_ROLES`)."""
        words = _without_possessor(words, head)  # "the Democratic candidate's former doctor" is no candidate
        modifiers = frozenset(w.lower for w in words if w is not head and w.text[:1].isupper()
                              and w.upos in ("PROPN", "ADJ") and w.lower not in self.lex.titles)
        # (but "a Kremlin spokesman" is someone not named before, as far as the words go)
        indefinite = modifiers and words[0].lower in ("a", "an")
        ent = None if indefinite else self.reg.by_role(head.lower, pos, modifiers)
        if ent is None and modifiers and words[0].lower == "the" and next(self.reg.titled(head.lower, pos), None) is None \
                and not any(w.lower in AGENT_ROLES for w in words):  # ("the state attorney general")
            ent = self._person_in_view(rng[0], head.lower)
        if ent is not None:
            return Party(ent.name, rng, ent.kind)
        if modifiers and words[0].lower == "the":
            return Party(without_article(self._described(words, mention)), rng, "person", takes_pronouns=False)
        return None

    def _described(self, words: list[Word], mention: str, head: Optional[Word] = None) -> str:
        """A description without the time phrase the parse hung on its noun, nor a participle
        whose own words the mention left out ("a study published [on Wednesday]": "a study"), nor
        a clause after its noun ("engineers who inspected the bridge": "engineers")."""
        clause = _clause_start(words, head) if head is not None and head.upos == "NOUN" else None
        if clause is not None:
            return self.text[words[0].start:words[clause - 1].end]
        k = _time_tail(words)
        last = words[k - 1]
        if k > 2 and last.xpos == "VBN" and last.deprel == "acl" and self._governs_beyond(last, words[:k]):
            k -= 1
        return self.text[words[0].start:words[k - 1].end] if k < len(words) else mention

    def _governs_beyond(self, word: Word, words: list[Word]) -> bool:
        """Whether ``word`` has dependents in its sentence outside ``words``, and none inside."""
        sent = self.sentence_at(word.start)
        if sent is None:
            return False
        inside = {id(w) for w in words}
        deps = sent.children(word.id)
        return bool(deps) and not any(id(w) in inside for w in deps)

    def _person_in_view(self, pos: int, role: Optional[str]) -> Optional[Entity]:
        """The person a definite description at ``pos`` stands for (`EntityRegistry.person_before`),
        unless they hold a title that is not the description's ``role`` (none for a nationality)."""
        ent = self.reg.person_before(pos)
        # someone named in full: a first name we know, or a speaker already ("God", "So Donald"
        # or "Philippine lawmaker" are the registry's guesses, not the person in view)
        words = ent.name.split() if ent is not None else []
        if ent is None or len(words) < 2 or not (first_name_gender(words[0])
                                                 or any(e is ent and p < pos for p, e in self.reg.speakers)):
            return None
        if role is None:
            return ent
        titles = {r for r in ent.roles if r in self.lex.titles or r in TITLE_FORMS}
        return ent if not titles or titles & TITLE_FORMS.get(role, {role}) else None

    def _someone(self, words: list[Word], head: Word) -> bool:
        """Whether a phrase can make a document: a name, an organisation, a role ("from the
        ministry", "by Crowdpac"), not a place or an occasion ("reports from the convention")."""
        return head.upos in ("PROPN", "PRON") or head.lower in ORG_NOUNS or head.lower in self.lex.titles \
            or head.text.capitalize() in self.lex.org_words or any(w.upos == "PROPN" and w.head == head.id for w in words)

    def _made_by(self, maker: list[Word], head: Word, rng: Range, pos: int) -> Optional[Party]:
        """The maker's party, its mention the whole phrase (as the tagger and PolNeAR mark it)."""
        # one level: "a report from a report from ..." must not recurse as deep as it is long
        self._in_maker = True
        try:
            made = self.party(maker, head, pos)
        finally:
            self._in_maker = False
        return Party(made.name, rng, made.kind) if made is not None else None

    def _document_maker(self, words: list[Word], head: Word) -> Optional[list[Word]]:
        """The words of a document's maker, where ``head`` lies in them: "a statement from the
        ministry", "a report by the World Bank" (the phrase's root a document noun)."""
        root = _phrase_head(words)
        if self._in_maker or root is None or root is head or root.lemma not in self.lex.document_nouns:
            return None
        for nmod in (w for w in words if w.head == root.id and w.deprel == "nmod"):
            sub = _subtree(words, nmod)
            if any(w is head for w in sub) and any(w.deprel == "case" and w.head == nmod.id and w.lower in ("from", "by")
                                                   for w in sub) and self._someone(sub, nmod):
                return [w for w in sub if not (w.deprel == "case" and w.head == nmod.id)] or None
        return None

    def _modified_noun(self, ws: list[Word], head: Word) -> bool:
        """"the Democratic senator", "a Clinton aide", "the Trump campaign": a common noun with
        capitalised modifiers and no name.  A role resolves by its title ("Sen. Patty Murray"), and
        none is named by its modifiers (an aide is not Clinton); but a document is its maker's ("a
        CNN/ORC poll" is CNN/ORC's)."""
        inner = ws[1:-1]
        return len(ws) > 2 and ws[0].lower in ("the", "a", "an") and ws[-1] is head and head.upos == "NOUN" \
            and head.text[:1].islower() and head.lemma not in self.lex.document_nouns \
            and any(w.text[:1].isupper() for w in inner) \
            and all(w.text[:1].isupper() or w.upos in ("ADJ", "ADV", "NUM", "NOUN") for w in inner)

    def _staff_of_agency(self, words: list[Word], name_words: list[Word]) -> bool:
        """Whether the phrase names a person before the agency ("John Miller of the Associated
        Press"): its name words (`_name_words`) stop at the affiliation."""
        return bool(name_words) and name_words[-1].end < words[-1].end \
            and self.reg.kind_of(self.text[name_words[0].start:name_words[-1].end]) == "person"

    def _apposition_of(self, rng: Range) -> Optional[Entity]:
        """An apposition between commas is its name's ("Omar Sayed, a veteran of thirty years, spoke"):
        the person named just before the first comma. Between commas only: in "... met Ana Ruiz,
        the spokesman said" the spokesman is someone else."""
        before = self.text[:rng[0]].rstrip()
        if not before.endswith(",") or not self.text[rng[1]:].lstrip().startswith(","):
            return None
        ent = self.reg.mention_ending(len(before[:-1].rstrip()))
        return ent if ent is not None and ent.kind == "person" else None

    def _name_words(self, words: list[Word], head: Word) -> list[Word]:
        """The proper-name words of a phrase: the run of capitalised words around its head,
        without titles, possessors and a trailing acronym in parentheses."""
        ws = _without_clause(_without_possessor(words, head), head)
        if self._modified_noun(ws, head) or (head.lemma not in self.lex.document_nouns and _placed(ws, head)):
            return []
        # "China on Tuesday", "Pyongyang last week": a time phrase the parse hung on the name
        cut = next((i for i, w in enumerate(ws) if i > 0 and w.upos in ("ADP", "DET", "ADJ") and not w.text[:1].isupper()
                    and i + 1 < len(ws) and ws[i + 1].lower in TIME_WORDS), None)
        if cut is not None:
            ws = ws[:cut]
        # drop a parenthesised acronym / appositive, and an appositive after a comma or a dash
        # ("Brent Bozell, founder of the center": the name is before the comma)
        cut = next((i for i, w in enumerate(ws) if w.text == "(" and i > 0), None)
        if cut is not None:
            ws = ws[:cut]
        ws = _around_comma(ws, head)
        if len(ws) > 2 and ws[-1].upos == "NUM" and ws[-2].text == ",":
            ws = ws[:-2]  # an age after the name ("James York, 40")
        led = False  # by a title ("Secretary of State ...")
        while ws and (ws[0].upos in ("DET", "PUNCT") or ws[0].lower in self.lex.titles
                      or ws[0].text in ("'s", "’s")):
            led = led or ws[0].lower in self.lex.titles
            honorific = ws[0].lower.rstrip(".") in _TITLE_ONLY
            ws = ws[1:]
            if honorific and len(ws) == 1:
                break  # "Mr. King": after "Mr." a surname, though "king" is a title too
        while ws and (ws[-1].upos == "PUNCT" or ws[-1].text in ("'s", "’s")):
            ws = ws[:-1]
        # a sentence's first word has its capital from the sentence: "Aid groups warned" names no "Aid"
        # (an untagged word, upos X, may be a name: "Kim said" in a sentence left unparsed)
        if ws and ws[0].id == 1 and ws[0].upos in ("NOUN", "ADJ", "VERB", "ADV", "NUM") \
                and (len(ws) == 1 or not ws[1].text[:1].isupper()):
            ws = ws[1:]
            at = next((k for k, w in enumerate(ws) if w is head), None)
            # "Council member Tom Briggs": a role noun the name follows at once stays a title
            named = at is not None and at + 1 < len(ws) and ws[at + 1].upos == "PROPN" and ws[at + 1].text[:1].isupper()
            if (at is None or not head.text[:1].isupper()) and not named:
                return []  # "Experts on North Korea", "Recent polls in Ohio": a description, not the names in it
        if not ws or not any(w.text[:1].isupper() for w in ws):
            return []
        # titles inside: "U.S. President Donald Trump" -> "Donald Trump"
        titled = last_title(ws, self.lex.titles)
        surname = after_first_name(ws, titled)
        ws = title_object(ws[titled + 1:], self.lex.org_words)
        if (titled >= 0 or led) and ws and ws[0].lower in TITLE_OBJECT_LEADS and not surname:
            return []  # "the U.S. attorney in D.C.", "Secretary of State": the title's object, no name
        # lowercase words at the edges are not part of a name ("officials", "leader"), unless
        # hyphenated to it ("Moon Jae-[in]", "Abu Bakr [al]-Baghdadi")
        while ws and not ws[0].text[:1].isupper():
            ws = ws[1:]
        while len(ws) > 1 and not ws[-1].text[:1].isupper() and not ws[-1].text[:1].isdigit() \
                and not (ws[-2].text == "-" and ws[-2].end == ws[-1].start and ws[-1].text[:1].isalpha()
                         and len(ws) > 2 and ws[-3].end == ws[-2].start) \
                and not (self.text[ws[-2].end:ws[-1].start] == "-" and ws[-1].text[:1].isalpha()):
            # (the second: "Lee Jun-ho" whose hyphen the parse hung elsewhere, out of the phrase)
            ws = ws[:-1]
        if ws and not ws[-1].text[:1].isupper() and not ws[-1].text[:1].isdigit() and len(ws) == 1:
            ws = []
        # "City Council member Ana Ruiz": a common noun inside the run ends a description before
        # the name, which is the capitalised words after it
        inner = max((i for i, w in enumerate(ws[:-1]) if w.upos == "NOUN" and w.text[:1].islower()
                     and w.lower not in _CONNECTORS), default=-1)
        # (a number belongs to a name before it: "Channel 4 anchor Lisa Cheng")
        if inner >= 0 and all(w.text[:1].isupper() or w.text[:1].isdigit() for k, w in enumerate(ws) if k != inner):
            ws = ws[inner + 1:]  # (not across "and": "Irene Falk and her colleague Victor Lum")
        known = self.reg.lookup(self.text[ws[0].start:ws[-1].end]) if ws else None
        if ws and all(w.upos == "ADJ" for w in ws) and (known is None or known.kind != "person"):
            return []  # "the Chinese foreign ministry": an adjective is no name (but "Small" may be Marty Small)
        return person_part(ws, self.reg.kind_of)
