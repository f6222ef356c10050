"""The lexicons: speech cues, news agencies, titles, pronouns -- read from data files.

The files live in ``quotecraft/data/``; users extend them with
``Lexicon.default().extended(extra_cues=..., extra_agencies=...)`` or through
`quotecraft.Extractor`'s options.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping, Optional, Union

import regex

__all__ = ["Cue", "Lexicon", "TIME_WORDS", "TIME_NAMES", "PLACE_WORDS", "ABSTRACT_NOUNS", "GENDER_WORDS", "GROUP_NOUNS", "ORG_NOUNS",
           "CUE_CLASSES", "SPEECH_CLASSES", "is_speech_class", "first_names", "first_name_gender", "fold_name"]

#: what a cue reports: words said or written (``speech``; ``directive`` asks someone to act), or
#: not words at all -- an attitude (``belief``: think, fear, support), an aim (``intention``: want,
#: plan, hope), what someone perceives (``perception``: see, seem, realize) or what a study or a
#: count shows (``finding``: find, show, conclude)
CUE_CLASSES = ("speech", "directive", "belief", "intention", "perception", "finding")
#: the classes that report speech: the only ones ``Extractor(include_beliefs=False)`` reports
SPEECH_CLASSES = frozenset({"speech", "directive"})


def is_speech_class(cls: str) -> bool:
    """Whether a cue class reports words said or written (`SPEECH_CLASSES`)."""
    return cls in SPEECH_CLASSES


_IRREGULAR = {
    "say": ("said",), "tell": ("told",), "write": ("wrote", "written"), "speak": ("spoke", "spoken"),
    "think": ("thought",), "know": ("knew", "known"), "feel": ("felt",), "seek": ("sought",),
    "swear": ("swore", "sworn"), "forbid": ("forbade", "forbidden"), "find": ("found",),
    "understand": ("understood",), "show": ("shown",), "mean": ("meant",), "hear": ("heard",),
    "teach": ("taught",), "bring": ("brought",), "lead": ("led",), "read": ("read",), "put": ("put",),
    "give": ("gave", "given"), "take": ("took", "taken"), "see": ("saw", "seen"), "make": ("made",),
    "hold": ("held",), "fight": ("fought",), "sing": ("sang", "sung"), "deal": ("dealt",),
    "broadcast": ("broadcast",), "quip": ("quipped", "quipping"), "rip": ("ripped", "ripping"), "forecast": ("forecast",), "bet": ("bet",), "cast": ("cast",),
}


def _inflections(lemma: str) -> set[str]:
    forms = {lemma, *_IRREGULAR.get(lemma, ())}
    stem_e = lemma[:-1] if lemma.endswith("e") else lemma
    forms |= {lemma + "s", lemma + "es", lemma + "ed", lemma + "d", stem_e + "ing", stem_e + "ed"}
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) >= 3 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # admitted, planning
    return forms


@dataclass(frozen=True)
class Cue:
    """A cue word and what it licenses: one line of ``quotecraft/data/cues.tsv``.

    Pass these (or the same lines as strings) to ``Extractor(extra_cues=...)``.

    Attributes:
        lemma: The word's lemma, lower case ("say", "grumble").
        cls: The cue class, one of ``CUE_CLASSES`` ("speech", "directive", "belief",
            "intention", "perception", "finding"); the cues of the last four, which report no
            words, are used only with ``Extractor(include_beliefs=True)``.
        addressee_obj: The object is the addressee ("told *Putin* that ...").
        content_obj: The object is the content ("demanded *the removal*").
        quotes_only: Introduces a quotation but reports nothing on its own ("spoke").
        content_as: Reports only a naming, "X as Y" ("referred to X as Y").
        content_about: Reports only what it was about ("talked about X").
        content_clause: Reports only a clause ("showed that X"; "showed the damage" reports nothing).
        phrase_verb: A verb of saying whose cue phrase ends at the verb ("said in a statement"
            -> "said").
    """

    lemma: str
    cls: str = "speech"
    addressee_obj: bool = False  # "told Putin that": the object is the addressee
    content_obj: bool = False  # "demanded the removal": the object is the content
    quotes_only: bool = False  # "spoke", "repeated": introduces a quotation, reports nothing on its own
    content_as: bool = False  # "referred to X as Y": reports only a naming, "X as Y"
    content_about: bool = False  # "talked about X": reports only what it was about
    content_clause: bool = False  # "showed that X": reports only a clause ("showed the damage" reports nothing)
    phrase_verb: bool = False  # "said in a statement": the cue phrase is "said"

    @property
    def is_speech(self) -> bool:
        """Whether the cue reports words said or written (its class is in `SPEECH_CLASSES`)."""
        return is_speech_class(self.cls)


def _data_lines(name: str) -> list[str]:
    text = resources.files("quotecraft").joinpath("data", name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _word_list(name: str, lower: bool = False) -> frozenset[str]:
    """A data file of one word or name a line, stripped (and lower-cased)."""
    return frozenset(ln.strip().lower() if lower else ln.strip() for ln in _data_lines(name))


#: words of time that are never a speaker or an addressee (``data/time_words.txt``)
TIME_WORDS = _word_list("time_words.txt")
#: capitalised day, month and holiday names (``data/time_names.txt``): a name of these is a time
TIME_NAMES = _word_list("time_names.txt")
#: words that open a time phrase ("on Monday", "last week", "early Tuesday"; ``data/time_leads.txt``)
TIME_LEADS = _word_list("time_leads.txt", lower=True)
#: last words of place names ("Elm Street"; ``data/place_words.txt``)
PLACE_WORDS = _word_list("place_words.txt")
#: last words of names of documents, laws, plans and events ("Climate Pledge"; ``data/abstract_nouns.txt``)
ABSTRACT_NOUNS = _word_list("abstract_nouns.txt", lower=True)
#: plural nouns of groups of people ("teachers"; ``data/group_nouns.txt``)
GROUP_NOUNS = _word_list("group_nouns.txt", lower=True)
#: common nouns of organisations ("the airline"; ``data/org_nouns.txt``)
ORG_NOUNS = _word_list("org_nouns.txt", lower=True)
#: verbs whose object does the infinitive after it ("pressed Halvorsen to admit"; ``data/control_verbs.txt``)
CONTROL_VERBS = _word_list("control_verbs.txt", lower=True)
#: nouns of one person's nationality ("Spaniard"; ``data/demonyms.txt``): "the Spaniard said" is the person in view
DEMONYMS = _word_list("demonyms.txt")
#: roles held for someone else ("spokesman", "aide"; ``data/agent_roles.txt``): never the person in view
AGENT_ROLES = _word_list("agent_roles.txt", lower=True)
#: adjectives of nationality ("French"; ``data/nationalities.txt``): "the French president" is someone of that nation
NATIONALITIES = _word_list("nationalities.txt", lower=True)
#: an audience's reactions ("to jeers", "to applause"): never an addressee (``data/reaction_nouns.txt``)
REACTION_NOUNS = _word_list("reaction_nouns.txt", lower=True)
#: gender evidence: titles and kinship nouns -> "f" or "m" (``data/gender_words.tsv``)
GENDER_WORDS = {w.strip(): g.strip() for w, g in (ln.split("\t") for ln in _data_lines("gender_words.tsv"))}


def _title_forms() -> dict[str, frozenset[str]]:
    forms: dict[str, frozenset[str]] = {}
    for ln in _data_lines("title_forms.tsv"):
        words = frozenset(w.strip().lower() for w in ln.split("\t") if w.strip())
        for w in words:
            forms[w] = words
    return forms


#: a title's forms ("senator", "sen.", "sen") -> all of them, so that "the senator" finds "Sen. Ron
#: Wyden" (``data/title_forms.tsv``); a title on no line has only itself
TITLE_FORMS = _title_forms()


def fold_name(name: str) -> str:
    """A first name as `first_names` keys it: lower case, accents dropped ("François" -> "francois")."""
    decomposed = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@functools.lru_cache(maxsize=None)
def first_names() -> dict[str, str]:
    """The weakest gender evidence: first names borne by one sex nearly always -> "f" or "m", keyed
    by `fold_name` (``data/first_names.tsv``: a consensus of name lists from many countries, the US
    Census 1990 lists where it is thin; built by ``python -m quotecraft.train firstnames``).  Read
    on first use: 45,000 lines a process that names no one need not fold."""
    return {fold_name(w.strip()): g.strip() for w, g in (ln.split("\t") for ln in _data_lines("first_names.tsv"))}


def first_name_gender(word: str) -> Optional[str]:
    """"f" or "m" where the first-name list gives the word one sex, else None."""
    return first_names().get(fold_name(word))


def _check_patterns(lines: list[str], where: str) -> list[str]:
    """The patterns, each checked to compile, so a bad line fails at load with its text."""
    out = []
    for ln in lines:
        if not isinstance(ln, str):
            raise TypeError(f"{where}: patterns must be str, not {type(ln).__name__}")
        pat = ln.strip()
        try:
            regex.compile(pat)
        except regex.error as exc:
            raise ValueError(f"{where}: bad pattern {pat!r}: {exc}") from None
        out.append(pat)
    return out


def _parse_cue(line: str, where: str) -> Cue:
    cols = line.split("\t")
    lemma = cols[0].strip().lower()
    cls = cols[1].strip() if len(cols) > 1 and cols[1].strip() else "speech"
    if not lemma or cls not in CUE_CLASSES:
        raise ValueError(f"{where}: bad cue line {line!r} (want: lemma<TAB>{'|'.join(CUE_CLASSES)}<TAB>options)")
    opts = {o.strip() for o in cols[2].split(",") if o.strip()} if len(cols) > 2 else set()
    unknown = opts - {"addressee=obj", "content=obj", "content=as", "content=about", "content=clause", "quotes-only",
                      "phrase=verb"}
    if unknown:
        raise ValueError(f"{where}: unknown cue option(s) {sorted(unknown)} in {line!r}")
    return Cue(lemma, cls, "addressee=obj" in opts, "content=obj" in opts, "quotes-only" in opts, "content=as" in opts,
               "content=about" in opts, "content=clause" in opts, "phrase=verb" in opts)


@dataclass(frozen=True)
class Lexicon:
    """The word lists an `quotecraft.Extractor` works with, read from ``quotecraft/data/``.

    Build one with `Lexicon.default`, `Lexicon.from_files` or `Lexicon.extended`;
    ``Extractor(extra_cues=..., extra_agencies=..., cue_file=..., agency_file=...)``
    does this for you.
    """

    cues: Mapping[str, Cue]
    agencies: Mapping[str, str]  # alias -> canonical name
    titles: frozenset[str]
    pronouns: Mapping[str, frozenset[str]]
    document_nouns: frozenset[str]
    places: frozenset[str] = frozenset()
    org_words: frozenset[str] = frozenset()
    #: lower-cased line openers that are never a speaker ("The Latest: ...", "WATCH: ...")
    section_labels: frozenset[str] = frozenset()
    #: patterns of whole lines that are page furniture, not prose (``data/furniture.txt``)
    furniture: tuple[str, ...] = ()
    #: nouns of words said or written ("statement", "interview"; ``data/speech_nouns.txt``): a
    #: learned cue holding one reports speech
    speech_nouns: frozenset[str] = frozenset()
    _agency_re: Optional["regex.Pattern[str]"] = field(default=None, compare=False, repr=False)

    @classmethod
    @functools.lru_cache(maxsize=1)
    def default(cls) -> "Lexicon":
        """The shipped lexicon (read once per process, then shared)."""
        cues: dict[str, Cue] = {}
        for ln in _data_lines("cues.tsv"):
            cue = _parse_cue(ln, "cues.tsv")
            cues.setdefault(cue.lemma, cue)
        agencies: dict[str, str] = {}
        for ln in _data_lines("agencies.tsv"):
            cols = ln.split("\t")
            canonical = cols[0].strip()
            for alias in [canonical, *(cols[1].split("|") if len(cols) > 1 else [])]:
                if alias.strip():
                    agencies[alias.strip()] = canonical
        pronouns = {}
        for ln in _data_lines("pronouns.tsv"):
            word, kinds = ln.split("\t")
            pronouns[word.strip()] = frozenset(k.strip() for k in kinds.split(","))
        return cls(cues=cues, agencies=agencies,
                   titles=_word_list("titles.txt", lower=True),
                   pronouns=pronouns,
                   document_nouns=_word_list("document_nouns.txt", lower=True),
                   places=_word_list("places.txt"),
                   org_words=_word_list("org_words.txt"),
                   section_labels=_word_list("section_labels.txt", lower=True),
                   furniture=tuple(_check_patterns(_data_lines("furniture.txt"), "furniture.txt")),
                   speech_nouns=_word_list("speech_nouns.txt", lower=True))

    def extended(self, extra_cues: Iterable[Union[str, Cue]] = (),
                 extra_agencies: Optional[Mapping[str, Iterable[str]]] = None,
                 extra_furniture: Iterable[str] = ()) -> "Lexicon":
        """A copy with more cues (lemmas, ``"lemma<TAB>class<TAB>options"`` lines or `Cue`s),
        more agencies (canonical name -> aliases) and more page-furniture patterns (regexes
        matched against whole lines, as in ``data/furniture.txt``)."""
        if isinstance(extra_furniture, str):
            raise TypeError("extra_furniture must be a list of patterns, not a single string")
        furniture = self.furniture + tuple(_check_patterns(list(extra_furniture), "extra_furniture"))
        cues = dict(self.cues)
        for item in extra_cues:
            if isinstance(item, Cue):
                cue = item
            elif isinstance(item, str):
                cue = _parse_cue(item, "extra_cues")
            else:
                raise TypeError(f"extra_cues items must be str or Cue, not {type(item).__name__}")
            cues[cue.lemma] = cue
        agencies = dict(self.agencies)
        for canonical, aliases in (extra_agencies or {}).items():
            if isinstance(aliases, str):
                aliases = [aliases]
            for alias in [canonical, *aliases]:
                agencies[alias] = canonical
        return replace(self, cues=cues, agencies=agencies, furniture=furniture, _agency_re=None)

    @classmethod
    def from_files(cls, cues: Optional[Union[str, Path]] = None, agencies: Optional[Union[str, Path]] = None) -> "Lexicon":
        """The default lexicon extended by user files in the shipped formats."""
        lex = cls.default()
        extra_cues = [ln for ln in Path(cues).read_text(encoding="utf-8").splitlines()
                      if ln.strip() and not ln.startswith("#")] if cues else []
        extra_ag: dict[str, list[str]] = {}
        if agencies:
            for ln in Path(agencies).read_text(encoding="utf-8").splitlines():
                if ln.strip() and not ln.startswith("#"):
                    cols = ln.split("\t")
                    extra_ag[cols[0].strip()] = [a.strip() for a in (cols[1].split("|") if len(cols) > 1 else [])
                                                 if a.strip()]
        return lex.extended(extra_cues, extra_ag)

    # ----------------------------------------------------------------- cue word forms
    @property
    def cue_forms(self) -> frozenset[str]:
        """Inflected forms of the cue lemmas ("said", "tells", "urging"), to spot sentences
        that may hold a quote before tagging them.  Over-generation is harmless."""
        return self.forms(include_beliefs=True)

    def forms(self, include_beliefs: bool) -> frozenset[str]:
        """`cue_forms`, with or without the belief verbs ("think", "want")."""
        key = "_forms_all" if include_beliefs else "_forms_speech"
        cached = self.__dict__.get(key)
        if cached is None:
            cached = frozenset(f for lemma, cue in self.cues.items() if include_beliefs or cue.is_speech
                               for f in _inflections(lemma)) | {"according", "quoted"}
            object.__setattr__(self, key, cached)
        return cached

    @property
    def verb_phrase_forms(self) -> frozenset[str]:
        """Inflected forms of the cues marked ``phrase=verb`` ("said", "told", "wrote"): a cue
        phrase of one of them ends at the verb."""
        cached = self.__dict__.get("_verb_phrase_forms")
        if cached is None:
            cached = frozenset(f for lemma, cue in self.cues.items() if cue.phrase_verb for f in _inflections(lemma))
            object.__setattr__(self, "_verb_phrase_forms", cached)
        return cached

    def is_section_label(self, label: str) -> bool:
        """Whether a line opener is a section label or kicker ("The Latest", "WATCH"), or ends
        like one ("Storm Ciara live": a line ``*live`` of ``data/section_labels.txt``)."""
        low = label.strip().lower()
        return low in self.section_labels or any(
            e[0] == "*" and low.endswith(" " + e[1:].strip()) for e in self.section_labels)

    @property
    def addressed_forms(self) -> frozenset[str]:
        """Past participles of the cues whose object is the addressee (``addressee=obj``: "told",
        "asked"): the subject of their passive is whom it was said to."""
        cached = self.__dict__.get("_addressed_forms")
        if cached is None:
            # the past participles only: "was told", not "was telling"; and not the attitudes a
            # passive reports ("we are convinced this is ...": we believe, nobody spoke to us), nor
            # "address", whose passive is mostly dealt with ("the issue was addressed")
            cached = frozenset(f for lemma, cue in self.cues.items()
                               if cue.addressee_obj and lemma not in ("convince", "persuade", "address")
                               for f in _inflections(lemma) if f.endswith("ed") or f == "told")
            object.__setattr__(self, "_addressed_forms", cached)
        return cached

    def cue_for(self, lemma: str, form: str) -> Optional[Cue]:
        """The cue of a word, by its lemma or, when the lemmatizer did not know the
        word ("blamed" -> "blamed"), by its inflected form."""
        cue = self.cues.get(lemma)
        if cue is not None:
            return cue
        table = self.__dict__.get("_form_lemma")
        if table is None:
            table = {}
            for lem in self.cues:
                for f in _inflections(lem):
                    table.setdefault(f, lem)
            object.__setattr__(self, "_form_lemma", table)
        lem = table.get(form.lower())
        return self.cues[lem] if lem else None

    # ----------------------------------------------------------------- page furniture
    def is_furniture(self, line: str) -> bool:
        """Whether a whole line is page furniture ("Story continues below advertisement",
        "READ MORE: ...", a caption with its picture credit, a byline, a heading in capitals)."""
        pattern = self.__dict__.get("_furniture_re")
        if pattern is None:
            alts = "|".join(f"(?:{p})" for p in self.furniture) or r"(?!)"
            pattern = regex.compile(alts)
            object.__setattr__(self, "_furniture_re", pattern)
        return pattern.fullmatch(line.strip()) is not None

    # ----------------------------------------------------------------- agencies
    @property
    def agency_re(self) -> "regex.Pattern[str]":
        """One pattern matching every agency alias as a whole word, longest first."""
        if self._agency_re is None:
            alts = sorted(self.agencies, key=len, reverse=True)
            pat = r"(?<![\w-])(?:" + "|".join(regex.escape(a) for a in alts) + r")(?![\w-])"
            object.__setattr__(self, "_agency_re", regex.compile(pat))
        return self._agency_re  # type: ignore[return-value]

    def find_agencies(self, text: str, start: int = 0, end: Optional[int] = None) -> list[tuple[str, int, int]]:
        """(canonical name, start, end) of each agency alias in text[start:end]."""
        end = len(text) if end is None else end
        return [(self.agencies[m.group()], m.start(), m.end()) for m in self.agency_re.finditer(text, start, end)]

    def agency_of(self, name: str) -> Optional[str]:
        """The canonical agency for a mention such as "the official Korean Central News Agency"."""
        name = name.strip()
        if name in self.agencies:
            return self.agencies[name]
        hits = self.find_agencies(name)
        if hits:
            return max(hits, key=lambda h: h[2] - h[1])[0]
        return None
