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
from typing import Any, Callable, Iterable, Iterator, Optional

import regex

from ..lexicon import (ABSTRACT_NOUNS, GENDER_WORDS, GROUP_NOUNS, NATIONALITIES, ORG_NOUNS, PLACE_WORDS, TIME_NAMES,
                       TIME_WORDS, TITLE_FORMS, Lexicon, first_name_gender)
from ..nlp.parse import Sentence, Word
from .entitytype import KIND_OF_TYPE
from .ranker import load_ranker

__all__ = ["Entity", "EntityRegistry", "name_tokens"]

_CONNECTORS = {"of", "for", "the", "and", "de", "on", "'s", "’s", "&"}
_STOP_CAPS = {"I", "The", "A", "An", "This", "That", "These", "Those", "But", "And", "Or", "On", "In", "At",
              "During", "After", "Before", "While", "When", "If", "As", "For", "It", "He", "She", "They", "We",
              "His", "Her", "Their", "Its", "Our", "Mr", "Mr.", "Mrs.", "Ms.", "Dr.",
              # never a name's word, and capitalised at a sentence's start or in a title-case
              # headline: "Wherever Hillary Clinton goes", "Donald Trump Just Did What?"
              "Wherever", "Whenever", "Although", "Though", "Because", "Since", "Until", "Unless", "Yet",
              "Meanwhile", "However", "Even", "Also", "Despite", "Why", "How", "What", "Where", "Which",
              "Instead", "Perhaps", "Maybe", "Indeed", "Thus", "Just", "Both", "Each", "Every", "Some", "Many",
              "Most", "Several", "Any", "My", "Your", "You", "Me", "Us", "Him", "Them"}
#: words that open a sentence the parse skipped (no tags to say so) but may be a name's elsewhere
#: ("So Donald Trump", "Now Sembler"; but "Al From", "Larry King Now")
_OPENING_WORDS = {"So", "Now", "Then", "Still", "Here", "There", "Once", "Like", "With", "Without", "From", "To",
                  "By", "Only", "Who"}
_PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "i"}
_GROUP_PRONOUNS = {"they", "them", "their", "we", "us", "our"}
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
_OPEN_QUOTES = {'"', "“", "‘", "'", "``"}


@dataclass
class Entity:
    name: str
    kind: str = "unknown"
    tokens: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    first: int = 0
    #: gender evidence from the text itself ("f", "m"; both when the evidence conflicts)
    genders: set[str] = field(default_factory=set)
    #: what the first name suggests ("f", "m" or None: `lexicon.first_name_gender`), used only without `genders`
    name_gender: Optional[str] = None
    #: two or more people ("Smith and Jones") or a group ("teachers")
    plural: bool = False
    #: whether the kind rests on evidence (a title, a list, a date); a name's capitals alone
    #: ("Digital Domain" as a person) leave it open to the entity-type head
    sure: bool = True


@dataclass
class _Mention:
    entity: Entity
    start: int
    end: int
    subject: bool = False


#: name particles written before a hyphen: "al-Baghdadi", "el-Sisi", "bin-Talal"
_PARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "bin", "ibn", "bint", "abu", "abd", "ul"}


def _title_case(words: list[Word], cue_forms: frozenset[str]) -> bool:
    """A headline in title case ("Obama Says African-American Museum Explains America"): its
    capitals say nothing of names, so verbs and connectors end them there. Most of its longer
    words have capitals, and so does a verb or a function word, which no name holds ("Says",
    "Is", "After": "Police questioned Mark Doyle and Helen Price" is a sentence)."""
    # the words of four letters or more: a title leaves "if", "for", "of" in lower case
    alpha = [w for w in words if w.text[:1].isalpha() and len(w.text) > 3]
    if len(alpha) < 3 or sum(w.text[:1].isupper() for w in alpha) < 0.8 * len(alpha):
        return False
    return any(w.text[:1].isupper() and (w.upos in ("VERB", "AUX") or w.lower in cue_forms or w.lower in _TITLE_FUNCTION)
               for w in words[1:])


#: function words a headline capitalises and a name never holds
_TITLE_FUNCTION = frozenset("is are was were be been with to for from after over as not will can has have had who her "
                            "his their its at by into amid against before than".split())


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


#: possessive determiners: in an apposition they name someone else ("Ingrid, his daughter")
_POSSESSIVES = frozenset({"his", "her", "their", "its", "our", "my", "your"})
#: what may lead a description of a person before or after a name ("his daughter", "a nurse")
_DETERMINERS = _POSSESSIVES | {"a", "an", "the"}


def _apposed_to_subject(words: list[Word], name_words: list[Word]) -> bool:
    """"Lund's daughter, Ingrid Berg, disagreed": a name set off by commas in apposition to the
    subject is the subject (a later "she" means her, not the speaker of the paragraph before)."""
    # not "Sen. Claire McCaskill (D-Mo.)", and not a name inside the quotation the sentence opens
    # with ('"My top science adviser, John Holdren, will ..." he said': the quote's speaker stays)
    first = name_words[0]
    head = first.head if first.deprel == "appos" else 0
    # (a name apposed to a name is its alias or translation: "Athens (Greek: Athina), is ...")
    if not 0 < head <= len(words) or not words[head - 1].deprel.startswith("nsubj") \
            or words[head - 1].upos != "NOUN" or first.id < 2 or words[first.id - 2].text != ",":
        return False
    return sum(w.text in _QUOTE_MARKS for w in words[:first.id - 1]) % 2 == 0


def _apposed_person(words: list[Word]) -> bool:
    """"Ingrid, his daughter, sees it differently": a sentence opening with one capitalised word and
    an apposition of a person's gendered noun -- the word is a name, even where the sentence was
    left unparsed and its capital alone says nothing."""
    k = 2
    if len(words) < 5 or words[1].text != ",":
        return False
    while k < 4 and words[k].lower in _DETERMINERS:
        k += 1
    return k > 2 and k + 1 < len(words) and _person_noun_gender(words[k].lower) is not None \
        and words[k + 1].text == ","


def _after_opening_description(words: list[Word], first: Word) -> bool:
    """"His daughter Ingrid sees ...", "Lund's daughter, Ingrid, sees ...": the name follows the
    sentence's opening description of a person (a determiner or possessor, a gendered noun)."""
    pre = words[:first.id - 1]
    if pre and pre[-1].text == ",":
        pre = pre[:-1]
    if not 1 < len(pre) <= 4 or _person_noun_gender(pre[-1].lower) is None:
        return False
    return all(w.lower in _DETERMINERS or w.text in ("'s", "’s") or w.text[:1].isupper() for w in pre[:-1])


def _gender_around(words: list[Word], run: list[Word], roles: list[str]) -> set[str]:
    """Gender evidence at a name: a gendered title ("Ms. Clara Holm"), a gendered noun just before
    it ("his wife Priya Shah", "businesswoman Ann Lee"), or one in an apposition just after it
    ("Maria Santos, a mother of three")."""
    found = {GENDER_WORDS[r] for r in roles if r in GENDER_WORDS and r not in ("his", "her")}
    k = run[0].id - 2
    if k >= 1 and words[k].text == ",":
        k -= 1  # "His daughter, Lucia, keeps the accounts"
    if k >= 0 and words[k].upos in ("NOUN", "X") and words[k].lower in GENDER_WORDS \
            and words[k].lower not in ("his", "her"):
        found.add(GENDER_WORDS[words[k].lower])
    k = run[-1].id
    if k + 1 < len(words) and words[k].text == ",":
        for w in words[k + 1:k + 5]:
            # (another's possessive too: "Ingrid, his daughter," is a woman)
            if w.upos in ("DET", "ADJ", "NUM") or (w.upos == "X" and w.lower in ("a", "an", "the")) \
                    or w.lower in _POSSESSIVES:
                continue
            if w.upos in ("NOUN", "X") and w.lower in GENDER_WORDS and w.lower not in ("his", "her"):
                found.add(GENDER_WORDS[w.lower])
            break
    return found


def _person_noun_gender(word: str) -> Optional[str]:
    """The gender of a noun that names a person ("mother", "spokesman"); None for any other word
    (titles with a period and the possessives "his" and "her" are no nouns)."""
    g = GENDER_WORDS.get(word)
    return g if g and word not in ("his", "her") and not word.endswith(".") and word not in _TITLE_ONLY else None


#: gendered words that are titles before a name, not nouns a subject is made of
_TITLE_ONLY = {"mr", "mrs", "ms", "miss", "sir", "dame", "lord", "lady"}


def description_genders(name: str) -> set[str]:
    """The gender a description's own nouns give ("spokeswoman for the agency", "a mother of
    three"), read up to its first "of", "for", "at" or comma (not "the wife's lawyer")."""
    head = regex.split(r",|\b(?:of|for|at|from|with|in)\b", name, maxsplit=1)[0]
    return {GENDER_WORDS[w] for w in head.lower().split()
            if w in GENDER_WORDS and w not in ("his", "her") and not w.endswith(".")} if head else set()


_QUOTE_MARKS = {'"', "“", "”", "``", "''"}


def _quoted(words: list[Word], i: int) -> bool:
    """Whether words[i] is inside quotation marks opened in its sentence (an odd number before it)."""
    return sum(1 for w in words[:i] if w.text in _QUOTE_MARKS) % 2 == 1


def _is_cap(w: Word) -> bool:
    return w.text[:1].isupper() or (w.text[:1].isdigit() and False)


# the words that open a person's affiliation after their name ("Maria Costa of the Red Cross")
_AFFILIATION = {"of", "for", "from", "at"}


def person_part(name_words: list[Word], kind_of: Callable[[str], str]) -> list[Word]:
    """A person's name without their affiliation: "Maria Costa of the Red Cross" is Maria Costa,
    where the two words or more before "of" ("for", "from", "at") name a person on their own; one
    word before it ("Bank of America") or an organisation or place ("Federal Bureau of
    Investigation", "United States of America") is the whole name."""
    cut = next((k for k, w in enumerate(name_words) if w.lower in _AFFILIATION), None)
    if cut is None or cut < 2 or kind_of(" ".join(w.text for w in name_words[:cut])) != "person":
        return name_words
    return name_words[:cut]


def _opening_word(word: str) -> bool:
    """A sentence's untagged first word that opens it as no name does: "So", "Now", or an adverb
    in -ly ("Certainly Donald Trump ..."; not a first name: "Kelly", "Emily")."""
    return word in _OPENING_WORDS or (len(word) > 4 and word.endswith("ly") and first_name_gender(word) is None)


def is_title(word: str, titles: frozenset[str] | set[str]) -> bool:
    """A role word before a name ("President", "Sen.", "Forecaster")."""
    return word in titles or word.rstrip(".") in titles


def last_title(words: list[Word], titles: frozenset[str] | set[str]) -> int:
    """The index of the last title before a name's last word, -1 for none: "U.S. President Donald
    Trump" -> 1.  A title word that ends a name before "and" is a surname ("Larry King and Ed
    Schultz" are two people, not a king called Ed Schultz), one before "'s" a possessor's name
    ("Paul Ames of King's College London"), and one after a first name a surname ("Barbara Boxer
    of California")."""
    return max((i for i, w in enumerate(words[:-1]) if is_title(w.lower, titles)
                and words[i + 1].lower not in ("and", "&", "'s", "’s") and not after_first_name(words, i)), default=-1)


#: words that open a title's object ("Secretary [of] State", "the U.S. attorney [in] Boston")
TITLE_OBJECT_LEADS = ("of", "for", "in")


def after_first_name(words: list[Word], i: int) -> bool:
    """Whether the title word ``words[i]`` is a surname after a first name ("Barbara [Boxer] of
    California"): then the words after it are no title's object.  Not where a name follows it:
    "Charlotte Mayor Jennifer Roberts", "German Chancellor Angela Merkel" ("Charlotte" and
    "German" are first names too)."""
    return 0 < i and words[i].text[:1].isupper() and first_name_gender(words[i - 1].text) is not None \
        and not (i + 1 < len(words) and words[i + 1].text[:1].isupper())


def title_object(name_words: list[Word], org_words: frozenset[str] = frozenset()) -> list[Word]:
    """The name after a title's object: "[Secretary] of State Ann Kerr" is Ann Kerr, "[Minister]
    for Foreign Affairs Lena Dahl" Lena Dahl, "[attorney] in Boston, Rachel Kimura" Rachel Kimura
    -- the last two words (three with a middle initial,
    "Charles B. Rangel") once the words after a title open with "of" or "for"; but "[a
    spokesperson] for the Free Speech Coalition" names the organisation whole (it ends in one of
    ``org_words``)."""
    if len(name_words) < 3 or name_words[0].lower not in TITLE_OBJECT_LEADS:
        return name_words
    if name_words[1].lower == "the" and name_words[-1].text in org_words:
        return name_words[2:]
    keep = 3 if len(name_words) >= 4 and regex.fullmatch(r"\p{Lu}\.", name_words[-2].text) else 2
    return name_words[-keep:]


def is_time_name(toks: list[str]) -> bool:
    """"Sunday", "May 4", "June": a date is never a speaker nor the antecedent of a pronoun
    ('met the players on Sunday. "...," she said' is the coach speaking, not Sunday)."""
    return any(t in TIME_NAMES for t in toks) and all(
        t in TIME_NAMES or t.rstrip(",.").isdigit() or t.lower() in TIME_WORDS or t.lower() in ("of", "the")
        for t in toks)


def is_place_name(name: str, toks: list[str], lex: Lexicon) -> bool:
    """"Elm Street", "Nairobi and Kampala": a place, or places coordinated, never the antecedent of
    "he" or "she" ("toured Nairobi and Kampala. '...,' she said")."""
    if name in lex.places or (len(toks) > 1 and toks[-1] in PLACE_WORDS):
        return True
    parts = [p for p in regex.split(r",\s*|\s+and\s+", name) if p]
    return len(parts) > 1 and all(p in lex.places for p in parts)


def is_document_name(toks: list[str], lex: Lexicon) -> bool:
    """"the Safety Report", "the Climate Pledge", "the World Cup": a text, law, plan or event, never
    the antecedent of a person pronoun ("studied the Safety Report. '...,' she said")."""
    last = toks[-1].lower() if toks else ""
    # one word alone only where it is no first name ("Bill", "Will")
    return (len(toks) > 1 or last not in ("bill", "will", "deal")) and (last in lex.document_nouns or last in ABSTRACT_NOUNS)


def is_coordination(toks: list[str]) -> bool:
    """"Smith and Jones": two names coordinated are plural ("they", never "he" or "she")."""
    return "and" in toks[1:-1] and "&" not in toks


def type_agrees(pronoun: str, e: Entity) -> bool:
    """Entity type: a date, a document or a thing (an event, idea or object, as the entity-type
    head reads a name) never takes a pronoun; "he", "she", "I" take a person (or a
    name of unknown kind), never an organisation, group or place; "it" takes an organisation, an
    agency or a place speaking for its government, never a person; "they" and "we" take a group,
    an organisation or an agency, and people only when plural ("Smith and Jones")."""
    if e.kind in ("time", "document", "thing"):
        return False
    if pronoun in _PERSON_PRONOUNS:
        return e.kind in ("person", "unknown")
    if pronoun == "it":
        return e.kind in ("organization", "agency", "place")
    if pronoun in _GROUP_PRONOUNS:
        return e.kind in ("group", "organization", "agency") or e.plural or pronoun in ("we", "us", "our")
    return True


def number_agrees(pronoun: str, e: Entity) -> bool:
    """Number: "he", "she", "it" never take a plural ("Raj Mehta and Priya Shah", "teachers")."""
    return not (pronoun in _PERSON_PRONOUNS or pronoun == "it") or not (e.plural or e.kind == "group")


def _salient_speaker(pronoun: str, e: Entity) -> bool:
    """A speaker is a salient antecedent, but for "he" and "she" only a person or a name: a
    description of unknown kind ("the one", "sources") comes after the names before it."""
    return pronoun not in _PERSON_PRONOUNS or e.kind == "person" or e.name[:1].isupper()


def _gender_evidence(e: Entity, names: bool = True) -> set[str]:
    """What is known of ``e``'s gender: the text's evidence, else (with ``names``) its first name's."""
    return e.genders or ({e.name_gender} if e.name_gender and names else set())


def _gender_conflict(genders: frozenset[str] | set[str], e: Entity) -> bool:
    """Whether a short name's own gender evidence (its title: "Mr. Obama") rules out ``e``."""
    theirs = _gender_evidence(e)
    return bool(genders and theirs and not set(genders) & theirs)


def title_genders(words: Iterable[str]) -> set[str]:
    """The gender a name's titles give ("mr.", "ms.", "sir"; lower-case words or roles)."""
    return {GENDER_WORDS[w] for w in words if w in GENDER_WORDS and w.rstrip(".") in _TITLE_ONLY}


def gender_agrees(pronoun: str, e: Entity, names: bool = True) -> bool:
    """Gender evidence from the text: "she" never takes a name the text calls a man ("Mr. Ben
    Carter", "her husband Karim Nasser", "he" earlier), "he" never one it calls a woman; where the
    text says nothing, the first name decides ("she" is not "Mark Osei"), unless ``names`` is False."""
    g = _PRONOUN_GENDER.get(pronoun)
    evidence = _gender_evidence(e, names)
    return g is None or not evidence or g in evidence


#: the dependents of a common noun that belong to its description ("the state health ministry",
#: "the governor's office": the possessor with its "'s")
_NOUN_MODIFIERS = ("det", "amod", "compound", "nummod", "nmod:poss")
#: possessors that are the writer's or the reader's, not part of a name ("our leaders")
_OWN_POSSESSORS = frozenset({"our", "my", "your", "their", "his", "her", "its"})


def without_article(phrase: str) -> str:
    """A description without its article ("the health ministry" -> "health ministry")."""
    return regex.sub(r"^(?i:the|a|an)\s+", "", phrase)


def _description_name(phrase: str, first_upos: str) -> str:
    """A group's or organisation's name from its description, as a speaker's description is
    named (`quotecraft.attribution.speakers`): without the article, a common noun in lower case
    ("The health ministry" -> "health ministry")."""
    name = without_article(phrase)
    # after an article a capital is the word's own ("The Hartley brothers"); first, the sentence's
    return name if first_upos == "PROPN" or not name or name != phrase else name[:1].lower() + name[1:]


class EntityRegistry:
    """Entities of one article and the order in which they were mentioned."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.entities: list[Entity] = []
        self.mentions: list[_Mention] = []
        self._by_alias: dict[str, Entity] = {}
        self.speakers: list[tuple[int, Entity]] = []  # (offset, entity), in the order resolved
        self._surnames: set[str] = set()
        self._surnames_seen = 0  # how many of `entities` `_surnames` has read
        self._starts: list[int] = []  # mention starts, for bisecting (see latest_with)
        self._sentence_starts: list[int] = []
        self._nouns: dict[str, Entity] = {}  # groups and organisations named by a common noun
        #: the learned antecedent ranker (`quotecraft.attribution.ranker`): "installed" reads the
        #: shipped one at the first pronoun; None keeps the rule tiers (benchmarks compare both)
        self.ranker: Any = "installed"

    # ------------------------------------------------------------------ kinds
    def kind_of(self, name: str, roles: set[str] = frozenset()) -> str:  # type: ignore[assignment]
        if self.lex.agency_of(name) and self.lex.agencies.get(name) or name in self.lex.agencies.values():
            return "agency"
        toks = name.replace("'s", "").split()
        if is_place_name(name, toks, self.lex) or any(t in ("Republic", "Kingdom", "Emirates", "States") for t in toks):
            return "place"
        if any(t in self.lex.org_words for t in toks) or (len(toks) == 1 and toks[0].isupper() and len(toks[0]) > 1):
            return "organization"
        if is_time_name(toks):
            return "time"
        if is_document_name(toks, self.lex):
            return "document"
        if roles & self.lex.titles:
            return "person"
        if 2 <= len(toks) <= 4 and all(t[:1].isupper() for t in toks):
            return "person"
        return "unknown"

    # ------------------------------------------------------------------ building
    def add_sentences(self, text: str, sentences: list[Sentence]) -> None:
        prev: Optional[Sentence] = None
        for sent in sentences:
            self._sentence_starts.append(sent.start)
            self._add_sentence(text, sent, glued_name_start(text, prev, sent))
            prev = sent
        self._merge_surnames_first()

    def _merge_surnames_first(self) -> None:
        """"Flynn said ... Retired general Michael Flynn spoke": a one-word name met before the
        full name is that person, where the article names exactly one person so; its mentions
        and aliases join the full name's entity (two Okafors leave "Okafor" apart)."""
        for short in [e for e in self.entities if len(e.tokens) == 1 and not e.plural
                      and e.kind in ("person", "unknown")]:
            full = self.by_surname(short.name, short.genders)
            if full is None:
                continue
            for m in self.mentions:
                if m.entity is short:
                    m.entity = full
            for alias, e in list(self._by_alias.items()):
                if e is short:
                    self._by_alias[alias] = full
            full.aliases |= short.aliases
            full.roles |= short.roles
            full.genders |= short.genders
            full.name_gender = full.name_gender or short.name_gender
            full.first = min(full.first, short.first)
            self.entities.remove(short)

    def _runs(self, sent: Sentence) -> list[list[Word]]:
        """Runs of capitalised words (names), allowing connectors between them."""
        runs: list[list[Word]] = []
        cur: list[Word] = []
        words = sent.words
        titled = _title_case(words, self.lex.cue_forms)
        for i, w in enumerate(words):
            if cur and _hyphen_joined(words, i, cur[-1]):
                cur.append(w)  # "Moon Jae-in", "Kim Yeon-chul", "Abu Bakr al-Baghdadi": one name
                continue
            cap = _is_cap(w) and w.upos not in ("PUNCT", "PRON", "DET", "AUX", "SCONJ", "CCONJ", "ADP") \
                and w.text not in _STOP_CAPS
            if cap and titled and (w.upos == "VERB" or w.lower in self.lex.cue_forms or w.lower in self.lex.speech_nouns):
                cap = False  # "Obama Says African-American Museum Explains America": no name "Obama Says ..."
            if bool(cur) and name_tokens(w.text) - {w.text}:
                cap = True  # "al-Baghdadi" as one token
            # (but "Chairman of the Senate Armed Services Committee Roger Wicker": a title and its object)
            if cap and i == 0 and w.upos not in ("PROPN",) and not (i + 1 < len(words) and _is_cap(words[i + 1])) \
                    and not self._known_name(w.text) and not (w.lower in self.lex.titles and self._cap_after(words, 1)) \
                    and not _apposed_person(words):
                cap = False
            if cap and i == 0 and (w.upos in ("ADV", "INTJ") or w.upos == "X" and _opening_word(w.text)) \
                    and not self._known_name(w.text):
                cap = False  # "Certainly Donald Trump ...", "So Clinton ...": an opening adverb, no name's
            if cap and self._quote_opener(words, i):
                cap = False
            if cap:
                cur.append(w)
            elif cur and w.lower in _CONNECTORS and w.text not in ("'s", "’s") and self._cap_after(words, i) \
                    and not titled:
                cur.append(w)  # (not in a title: "Obama on Climate Change" is Obama, on a subject)
            else:
                if cur:
                    runs.append(cur)
                cur = []
        if cur:
            runs.append(cur)
        return [r for r in runs if any(x.text[:1].isupper() for x in r)]

    def _titled_conjuncts(self, run: list[Word]) -> list[list[Word]]:
        """"Finance Minister Ana Ruiz and NDP Leader Jon Bell": two people each with a title, two
        names (the second title would otherwise cut the first person off as part of a role)."""
        cut = next((k for k, w in enumerate(run) if w.lower in ("and", "&") and 0 < k < len(run) - 2
                    and any(is_title(x.lower, self.lex.titles) for x in run[k + 1:-1])), None)
        if cut is None:
            return [run]
        return [run[:cut]] + self._titled_conjuncts(run[cut + 1:])

    def _known_name(self, word: str) -> bool:
        """A name the article has already given ("Whitfield" after "Dana Whitfield"): at the start
        of a sentence left unparsed, where its capital says nothing, it is still that name."""
        if word in self._by_alias:
            return self._by_alias[word].kind in ("person", "unknown")
        # the last names of the people named in full so far, grown as entities come (linear in all)
        for e in self.entities[self._surnames_seen:]:
            if e.kind == "person" and not e.plural and len(e.tokens) > 1:
                self._surnames.add(e.name.split()[-1])
        self._surnames_seen = len(self.entities)
        return word in self._surnames

    def _quote_opener(self, words: list[Word], i: int) -> bool:
        """A quotation's first word is capitalised as a sentence's is ('"Rates will stay flat," he
        said'): alone, and not a name or place the article already knows, it is no name."""
        w = words[i]
        return i > 0 and words[i - 1].text in _OPEN_QUOTES and words[i - 1].end == w.start \
            and not (i + 1 < len(words) and _is_cap(words[i + 1])) and w.text not in self._by_alias \
            and w.text not in self.lex.places

    @staticmethod
    def _cap_after(words: list[Word], i: int) -> bool:
        """Whether connectors from i on ("for the") lead to a capitalised word."""
        j = i
        while j < len(words) and words[j].lower in _CONNECTORS and words[j].text not in ("'s", "’s"):
            j += 1
        # "Ohio on Thursday": a date after a connector is no part of the name
        return j < len(words) and j > i and _is_cap(words[j]) and words[j].text not in TIME_NAMES

    def _split_title(self, run: list[Word]) -> tuple[list[str], list[Word]]:
        """("U.S. President", "Donald Trump") -> roles, name words."""
        last_title_at = last_title(run, self.lex.titles)
        # "Republican National Committee" is an organisation's name, not a Republican called "National
        # Committee"; but in "Analyst Priyanka Menon of the Observer Research Foundation" the
        # organisation is her affiliation, after the name
        rest = run[last_title_at + 1:]
        own = next((k for k, w in enumerate(rest) if k > 0 and w.lower in _AFFILIATION), len(rest))
        # ("Speaker of the House Mike Johnson": an organisation as the title's object, then a name)
        named_after = bool(rest) and rest[0].lower in TITLE_OBJECT_LEADS and rest[-1].text not in self.lex.org_words
        if last_title_at >= 0 and any(w.text in self.lex.org_words for w in rest[:own]) and not named_after:
            last_title_at = -1
        # ... and the capitalised words before the title are its modifiers ("Russian President
        # Vladimir Putin", "Texas Gov. Greg Abbott"), which "the Russian president" must agree with
        roles = [w.lower for w in run[: last_title_at + 1]
                 if w.lower in self.lex.titles or not is_title(w.lower, self.lex.titles) and w.text[:1].isupper()]
        name = title_object(run[last_title_at + 1:], self.lex.org_words)
        if last_title_at >= 0 and name and name[0].lower in TITLE_OBJECT_LEADS and not after_first_name(run, last_title_at):
            return roles, []  # "the Secretary of State": a title and its object, no name
        return roles, name

    def _add_sentence(self, text: str, sent: Sentence, glued: Optional[int] = None) -> None:
        first_mention = len(self.mentions)
        self._add_names(text, sent, glued)
        self._add_nouns(text, sent)
        # mentions stay in text order (latest_with bisects them)
        self.mentions[first_mention:] = sorted(self.mentions[first_mention:], key=lambda m: m.start)
        self._possessor_genders(sent, first_mention)

    def _apposed_titles(self, words: list[Word], name_words: list[Word]) -> list[str]:
        """"Rachel Reeves, the chancellor, said": a title in apposition to a name is a role of its
        too, so that "the chancellor" later finds her."""
        ids = {w.id for w in name_words}
        return [w.lower for w in words if w.deprel == "appos" and w.head in ids and w.text[:1].islower()
                and w.lower in self.lex.titles and w.upos == "NOUN"]

    def _add_names(self, text: str, sent: Sentence, glued: Optional[int]) -> None:
        covered = self._acronyms(text, sent)
        words = sent.words
        for run in (part for r in self._runs(sent) for part in self._titled_conjuncts(r)):
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
            while name_words and name_words[0].lower in _CONNECTORS:
                name_words = name_words[1:]  # "Queen and Ed Ross": a title's pair, the second named alone
            if not name_words:
                continue
            person = person_part(name_words, self.kind_of)
            if len(person) < len(name_words):
                self._add_affiliation(text, name_words[len(person) + 1:])
                name_words = person
            name = text[name_words[0].start:name_words[-1].end]
            roles += self._apposed_titles(words, name_words)
            ent = self._intern(name, set(roles), name_words[0].start)
            if "Number=Plur" in name_words[-1].feats and ent.kind in ("person", "unknown"):
                ent.plural = True  # "Republican Senators", "the Smiths": plural
            subject = any(w.deprel.startswith("nsubj") for w in name_words) \
                or _apposed_to_subject(words, name_words)
            if not sent.parsed and (run[0] is words[0] or _after_opening_description(words, run[0])):
                subject = True  # a sentence left unparsed: the name opening it is its subject, mostly
            self.mentions.append(_Mention(ent, name_words[0].start, name_words[-1].end, subject))
            ent.genders |= _gender_around(words, run, roles)
            if len(name_words) > 1 and ent.name_gender is None:
                ent.name_gender = first_name_gender(name_words[0].text)
            if ent.plural and ent.kind in ("person", "unknown"):
                self._add_members(text, name_words, subject)

    def _add_affiliation(self, text: str, words: list[Word]) -> None:
        """The organisation after a person's name ("... of the Red Cross") is an entity of its own:
        a later "it" or "the group" can mean it."""
        while words and words[0].lower in _CONNECTORS:
            words = words[1:]
        if words and words[0].text[:1].isupper():
            ent = self._intern(text[words[0].start:words[-1].end], set(), words[0].start)
            self.mentions.append(_Mention(ent, words[0].start, words[-1].end))

    def _add_members(self, text: str, name_words: list[Word], subject: bool) -> None:
        """Each person of "Mario Lucero and Isabel Ruiz" is an entity too: "they" takes the pair,
        a later "she" takes Isabel Ruiz.  A member's affiliation stays out of its name ("Isabel
        Ruiz of Heaven Sent Gaming" is Isabel Ruiz) where two words or more come before it."""
        parts: list[list[Word]] = [[]]
        for w in name_words:
            if w.lower in ("and", ",", "&"):
                parts.append([])
            else:
                parts[-1].append(w)
        for part in parts:
            cut = next((k for k, w in enumerate(part) if w.lower in _AFFILIATION), len(part))
            if cut >= 2:
                part = part[:cut]
            while part and part[-1].lower in _CONNECTORS:
                part = part[:-1]
            if not part or not part[0].text[:1].isupper():
                continue
            if len(part) == 1 and self.lookup(part[0].text) is None:
                continue  # one word is a person only when the article named them before ("Growth and Structure of ...")
            ent = self._intern(text[part[0].start:part[-1].end], set(), part[0].start)
            self.mentions.append(_Mention(ent, part[0].start, part[-1].end, subject))

    def _add_nouns(self, text: str, sent: Sentence) -> None:
        """Groups and organisations named by a common noun as a subject ("Teachers rallied", "The
        school board voted"): the antecedents of "they" and "it", named by their description."""
        words = sent.words
        if words and words[0].upos == "X":
            self._add_opening_noun(text, words)
            return
        for i, w in enumerate(words):
            if w.upos != "NOUN" or not w.deprel.startswith("nsubj") or w.lower in TIME_WORDS or _quoted(words, i) \
                    or w.lemma in self.lex.document_nouns or w.lemma in ABSTRACT_NOUNS or w.lemma in self.lex.speech_nouns:
                continue
            plural = "Number=Plur" in w.feats
            gender = _person_noun_gender(w.lower) if not plural else None
            if gender is not None and any(c.deprel == "appos" and c.upos == "PROPN" for c in sent.children(w.id)):
                continue  # "His daughter, Lucia, keeps the accounts": the name is the mention
            if not plural and gender is None and w.text.capitalize() not in self.lex.org_words \
                    and w.lower not in ORG_NOUNS:
                continue
            k = w.id - 1
            while k > 0 and (words[k - 1].head == w.id and words[k - 1].deprel in _NOUN_MODIFIERS
                             or words[k - 1].deprel == "case" and words[k - 1].lower in ("'s", "’s")):
                k -= 1
            if words[k].deprel == "case" or (words[k].lower in _OWN_POSSESSORS and gender is None):
                # a possessor the parse hung elsewhere ("'s" alone), or a pronoun ("our leaders"; but
                # "my mother" is who she is)
                k += 1
            first = words[k]
            self._add_noun(_description_name(text[first.start:w.end], first.upos), plural, first.start, w.end,
                           gender)

    def _add_noun(self, name: str, plural: bool, start: int, end: int, gender: Optional[str] = None) -> None:
        ent = self._nouns.get(name)
        if ent is None:
            # "My mother has softened": a person a later "she" can mean, by the noun's gender
            kind = "group" if plural else "person" if gender else "organization"
            ent = Entity(name, kind, first=start, plural=plural, genders={gender} if gender else set())
            self._nouns[name] = ent
            self.entities.append(ent)
        self.mentions.append(_Mention(ent, start, end, True))

    def _add_opening_noun(self, text: str, words: list[Word]) -> None:
        """A sentence the parser skipped: its opening noun phrase, when it ends in a group noun
        ("Teachers rallied", "The residents of Hill Road met") or an organisation word ("The school
        board voted") within its first three words (the last such word: "school board")."""
        head = None
        for k, w in enumerate(words[:3]):
            if (k > 0 and w.lower in ("of", "and", ",")) or w.text in _QUOTE_MARKS:
                break
            if w.lower in GROUP_NOUNS or w.lower in ORG_NOUNS or w.text.capitalize() in self.lex.org_words \
                    or (k > 0 and _person_noun_gender(w.lower)):
                head = k
        if head is None or any(x.text[:1].isupper() for x in words[1:head + 1]) \
                and words[head].lower not in GROUP_NOUNS:
            return  # none, or a name ("the Hill Road Council"), not a description ("The Hartley brothers" is)
        w = words[head]
        gender = _person_noun_gender(w.lower)
        name_at = head + 2 if head + 1 < len(words) and words[head + 1].text == "," else head + 1
        if gender and name_at < len(words) and words[name_at].text[:1].isupper():
            return  # "His daughter, Lucia, keeps the accounts", "His daughter Lucia ...": the name is the mention
        self._add_noun(_description_name(text[words[0].start:w.end], words[0].upos), w.lower in GROUP_NOUNS,
                       words[0].start, w.end, gender)

    def _possessor_genders(self, sent: Sentence, first_mention: int) -> None:
        """The entity's own pronoun: "Raj Mehta and his wife ...": "his" right after a name (at most
        three words on) is that person's, and says he is a man."""
        for w in sent.words:
            nxt = sent.words[w.id] if w.id < len(sent.words) else None
            poss = w.lower == "his" or (w.lower == "her" and (w.deprel == "nmod:poss" or (
                w.upos == "X" and nxt is not None and nxt.lower in GENDER_WORDS)))  # unparsed: "her husband"
            g = _PRONOUN_GENDER.get(w.lower) if poss else None
            if g is None:
                continue
            before = [m for m in self.mentions[first_mention:] if m.end <= w.start and m.entity.kind in ("person", "unknown")]
            between = [x for x in sent.words if before[-1].end <= x.start < w.start] if before else []
            # "Ingrid, his daughter,": an apposition's possessive is another person's
            if before and len(between) <= 3 and [x.text for x in between] != [","]:
                before[-1].entity.genders.add(g)

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
        if ent is not None and len(name.split()) < len(ent.name.split()) and _gender_conflict(title_genders(roles), ent):
            # "Mr. Obama" after "Michelle Obama": the title says he is someone else
            ent = self._by_alias.get(name) if self._by_alias.get(name) is not ent else None
        if ent is None:
            agency = self.lex.agency_of(name)
            if agency and self.lex.agencies.get(name.removeprefix("the ").strip()) == agency:
                name = agency
            ent = Entity(name, tokens=name_tokens(name), first=pos)
            ent.kind = self.kind_of(name, roles)
            ent.sure = ent.kind not in ("unknown", "person") or bool(roles & self.lex.titles)
            ent.plural = is_coordination(name.split())
            self.entities.append(ent)
            self._by_alias[name] = ent
        elif len(name.split()) > len(ent.name.split()) and set(ent.name.split()) <= set(name.split()) \
                and ent.kind in ("person", "unknown"):
            # "Trump" first, "Donald Trump" later: the fuller name becomes canonical
            ent.name = name
            ent.tokens |= name_tokens(name)
            self._by_alias[name] = ent
        ent.roles |= roles
        if ent.kind in ("unknown", "person") and roles & self.lex.titles:
            ent.kind, ent.sure = "person", True
        return ent

    def unsure_spans(self) -> list[tuple[int, int]]:
        """The first mention of each entity `type_unsure` would type, in text order."""
        seen: set[int] = set()
        out = []
        for m in self.mentions:
            if not (m.entity.sure or m.entity.plural or id(m.entity) in seen):
                seen.add(id(m.entity))
                out.append((m.start, m.end))
        return sorted(out)

    def type_unsure(self, type_of: Callable[[int, int], Optional[str]]) -> None:
        """Give each entity whose kind the rules could not settle ("Yakutsk" unknown, "Digital
        Domain" a person for its capitals alone) the kind ``type_of(start, end)`` reads at its first
        mention (the entity-type head, `quotecraft.attribution.entitytype`), where it answers."""
        seen: set[int] = set()
        for m in self.mentions:
            e = m.entity
            if e.sure or id(e) in seen or e.plural:
                continue
            seen.add(id(e))
            t = type_of(m.start, m.end)
            if t is not None:
                e.kind = KIND_OF_TYPE[t]

    def by_surname(self, word: str, genders: frozenset[str] | set[str] = frozenset()) -> Optional[Entity]:
        """The one person the article names in full with ``word`` last ("Obama" -> "Barack Obama";
        None where it names two or none so), of the short name's ``genders`` where the text gives
        them ("Mr. Obama" is not "Michelle Obama", the one Obama named in full)."""
        people: dict[str, Entity] = {}
        for e in self.entities:
            if e.kind == "person" and not e.plural and len(e.tokens) > 1 and e.name.split()[-1] == word:
                people.setdefault(e.name, e)
        if len(people) != 1:
            return None
        full = next(iter(people.values()))
        return None if _gender_conflict(genders, full) else full

    def lookup(self, name: str) -> Optional[Entity]:
        """The entity a name refers to: exact, acronym, or a part of a person's full name."""
        name = name.strip()
        toks = name.split()
        if name in self._by_alias:
            exact = self._by_alias[name]
            # "Pence: ..." in a headline, "Gov. Mike Pence" in the story: one person, named in full
            # where the article names one person so (two Clintons leave "Clinton" as it is)
            full = self.by_surname(exact.name, exact.genders) if len(toks) == 1 and exact.kind in ("person", "unknown") \
                else None
            return full if full is not None else exact
        if not toks:
            return None
        if name in self.lex.places:
            return None
        # "Kim" -> "Kim Jong Un"; "Trump" -> "Donald Trump": prefer persons, then the most recent
        # (not a pair: "Lucero" is Mario Lucero, not "Mario Lucero and Isabel Ruiz")
        cands = [e for e in self.entities if set(toks) <= e.tokens and e.kind in ("person", "unknown")
                 and len(e.tokens) > len(toks) and not e.plural]
        if cands:
            # a surname before a first name ("Trump" is Donald Trump, not a headline's "Trump Supporter")
            return max(cands, key=lambda e: (e.kind == "person", e.name.split()[-len(toks):] == toks,
                                             len(e.tokens), -e.first))
        return None

    def mention_ending(self, pos: int) -> Optional[Entity]:
        """The entity of a name mention ending at ``pos`` (spaces aside)."""
        ending = [m for m in self.mentions[-400:] if m.end == pos]
        if not ending or any(m.entity.plural for m in ending):
            return None  # "Smith and Jones, the founders,": the pair's, not Jones's
        return ending[-1].entity

    def latest_with(self, name: str, pos: int, genders: frozenset[str] | set[str] = frozenset()) -> Optional[Entity]:
        """For a short name ("Kim"), the person with a fuller name containing it mentioned
        last before ``pos`` ("Kim Yeon-chul" rather than the "Kim Jong Un" of three paragraphs up),
        of the short name's ``genders`` where its title gives them ("Mr. Obama" is not Michelle Obama)."""
        toks = set(name.split())
        if not toks or len(toks) > 2:
            return None
        # bounded look-back (mentions are in text order): a long article stays linear
        k = self._mentions_before(pos)
        for m in reversed(self.mentions[max(0, k - 400):k]):
            e = m.entity
            if m.start < pos and e.kind == "person" and toks <= e.tokens and len(e.tokens) > len(toks) \
                    and not e.plural and not _gender_conflict(genders, e):
                return e
        return None

    # ------------------------------------------------------------------ resolving
    def note_speaker(self, pos: int, ent: Entity) -> None:
        self.speakers.append((pos, ent))

    def antecedent(self, pronoun: str, pos: int) -> Optional[Entity]:
        """The entity a pronoun at ``pos`` most likely refers to, of the candidates that agree with
        it in entity type, number and gender evidence (the speakers of the cues before it and the
        mentions before it): the learned ranker's choice where one is installed, else the rule
        tiers (`_by_tiers`)."""
        p = pronoun.lower()
        ok = self.allowed(p, pos)
        if isinstance(self.ranker, str):
            self.ranker = load_ranker()
        if self.ranker is not None and p in self.ranker.pronouns and ok:
            return self.ranker.choose(self, p, pos, ok)
        return self._by_tiers(p, pos, ok)

    def allowed(self, p: str, pos: int) -> list[tuple[int, Entity, int]]:
        """`_candidates` that agree with pronoun ``p`` in type, number and gender evidence."""
        agree = [c for c in self._candidates(p, pos) if type_agrees(p, c[1]) and number_agrees(p, c[1])]
        by_name = [c for c in agree if gender_agrees(p, c[1])]
        if by_name or p not in _PRONOUN_GENDER:
            return by_name
        # the first-name list is the weakest evidence: where it leaves no one ("Andrea Pirlo ...
        # He added"; Andrea is a man's name in Italy), the text's own evidence alone decides
        return [c for c in agree if gender_agrees(p, c[1], names=False)]

    def person_before(self, pos: int) -> Optional[Entity]:
        """The person a description at ``pos`` ("the 44-year-old") most likely stands for: as
        "he" or "she" would be resolved by the rule tiers, without gender evidence."""
        return self._by_tiers("he", pos, [c for c in self._candidates("he", pos)
                                          if c[1].kind == "person" and number_agrees("he", c[1])])

    def _by_tiers(self, p: str, pos: int, ok: list[tuple[int, Entity, int]]) -> Optional[Entity]:
        """The latest speaker in the pronoun's sentence and the one before, else the latest subject
        in its sentence and the two before, else the latest person there for "he" and "she", else
        the latest that agrees (speakers first: in 'The CPRC said the U.S. is putting pressure on
        Seoul. It also urged ...' "It" is the CPRC, not the subject of what it said)."""
        near, nearer = self._window_start(pos, 2), self._window_start(pos, 1)
        tiers = (lambda q, e, salient: salient > 1 and q >= nearer,
                 lambda q, e, salient: salient > 0 and q >= near,
                 lambda q, e, salient: q >= near and (p not in _PERSON_PRONOUNS or e.kind == "person"),
                 lambda q, e, salient: salient > 0,
                 lambda q, e, salient: True)
        # (a resolved pronoun is no gender evidence: one wrong guess would bar the right one later;
        # on GUM dev it did: "Mary Chaworth, whom he met" made her a man)
        return next((c[1] for tier in tiers for c in ok if tier(*c)), None)

    def _candidates(self, p: str, pos: int) -> list[tuple[int, Entity, int]]:
        """(position, entity, salience: 2 a speaker, 1 a subject, else 0) of the speakers and
        mentions before ``pos``, latest first (bounded look-back: a long article stays linear)."""
        k = self._mentions_before(pos)
        cands = [(m.start, m.entity, int(m.subject)) for m in self.mentions[max(0, k - 200):k]]
        cands += [(q, e, 2 if _salient_speaker(p, e) else 0) for q, e in self.speakers[-200:] if q < pos]
        return sorted(cands, key=lambda c: -c[0])

    def sentence_index(self, pos: int) -> int:
        """The index of the sentence holding ``pos`` (0 before the first)."""
        return max(0, bisect.bisect_right(self._sentence_starts, pos) - 1)

    def starts_sentence(self, pos: int) -> bool:
        i = bisect.bisect_left(self._sentence_starts, pos)
        return i < len(self._sentence_starts) and self._sentence_starts[i] == pos

    def _window_start(self, pos: int, back: int) -> int:
        """Where the sentence ``back`` sentences before the one at ``pos`` starts."""
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        return self._sentence_starts[max(0, i - back)] if self._sentence_starts else 0

    def titled(self, role: str, pos: int) -> Iterator[Entity]:
        """The people introduced before ``pos`` with any form of a title, the latest first (lazily:
        "the president" needs only the first)."""
        forms = TITLE_FORMS.get(role, {role})
        mentions = self.mentions
        return (mentions[i].entity for i in range(self._mentions_before(pos) - 1, -1, -1)
                if not forms.isdisjoint(mentions[i].entity.roles))

    def _mentions_before(self, pos: int) -> int:
        """How many mentions start before ``pos`` (mentions are in text order)."""
        if len(self._starts) != len(self.mentions):
            self._starts = [m.start for m in self.mentions]
        return bisect.bisect_left(self._starts, pos)

    def by_role(self, role: str, pos: int, modifiers: frozenset[str] = frozenset()) -> Optional[Entity]:
        """"the president" -> the latest person introduced with that title ("the senator": "Sen. Ron
        Wyden", any of the title's `TITLE_FORMS`).  With capitalised ``modifiers`` ("the Democratic
        senator": {"democratic"}) the latest one introduced with one of them too, else the only
        one with the title, introduced with that title alone ("Republican nominee Donald Trump" is
        never "the Democratic nominee"), unless a modifier is a nationality (`NATIONALITIES`: "the
        French president" is not Joe Biden)."""
        if not modifiers:
            return next(self.titled(role, pos), None)
        found = list(self.titled(role, pos))
        agreeing = next((e for e in found if not modifiers.isdisjoint(e.roles)), None)
        if agreeing is not None or not found:
            return agreeing
        if not modifiers.isdisjoint(NATIONALITIES):
            return None  # "the French president" is not the one president named with the title alone
        only = found[0]
        alone = all(e is only for e in found) and only.roles <= TITLE_FORMS.get(role, {role})
        return only if alone else None

    def latest_agency(self, pos: int) -> Optional[Entity]:
        for spos, e in reversed(self.speakers):
            if spos < pos and e.kind == "agency":
                return e
        for m in reversed(self.mentions):
            if m.start < pos and m.entity.kind == "agency":
                return m.entity
        return None
