"""Find speech cues in parsed sentences, with the words that are their source,
content and addressee.

Works on `parse.Sentence` records (no Stanza types).  One `CueMatch` per cue:
a verb whose lemma is in the cue lexicon ("said", "told", "urged", "blamed"),
"according to X", or "X was quoted as saying".

A cue verb's clause is read by the steps in `_VERB_CUE_STEPS`, in order: who spoke, where what
was said hangs, where it ends, the source tidied.  Each step is a short function whose docstring
gives the example it exists for; one may reject the verb as a cue.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable, Container, Iterable, Optional

from ..lexicon import CONTROL_VERBS, GROUP_NOUNS, REACTION_NOUNS, TIME_NAMES, TIME_WORDS, Cue, Lexicon
from ..nlp.parse import Sentence, Word
from .quotes import QUOTE_CHARS as QUOTE_MARKS

__all__ = ["CueMatch", "find_cues", "sentence_may_quote"]

_SUBJ = ("nsubj", "nsubj:pass", "nsubj:outer", "csubj")
_CLAUSE = ("ccomp", "xcomp", "parataxis")
_PUNCT_EDGE = set(",;:—–-")
# "continued to campaign" is not speech about campaigning
# cues whose "about X" names what was said or asked ("asked about the loan")
_ABOUT_CUES = {"ask", "question", "comment", "inquire", "testify", "complain", "joke", "boast", "brag", "warn"}
_NO_XCOMP = {"quote", "continue", "read", "react"}


@dataclass
class CueMatch:
    sentence: Sentence
    cue: list[Word]  # the cue words ("said"; "according", "to"; "quoted", "as", "saying")
    lemma: str
    cls: str  # a cue class of quotecraft.lexicon.CUE_CLASSES
    source: list[Word] = field(default_factory=list)
    source_head: Optional[Word] = None
    content: list[Word] = field(default_factory=list)
    addressee: list[Word] = field(default_factory=list)
    #: content is the clause the cue interrupts or follows ("..., X said.")
    content_is_host: bool = False
    #: set by a layout rule that already cut the content where it ends ("called for X, but ...")
    content_fixed: bool = False
    #: an attribution with no speaker to name ("Asked if he was bullied, ...": by someone unnamed)
    sourceless: bool = False
    #: who relays the speech: "X was quoted by [KCNA] as saying", "[KCNA] quoted X as saying"
    relay: list[Word] = field(default_factory=list)


def sentence_may_quote(words: list[Word], lex: Lexicon, quote_chars: str, include_beliefs: bool = True) -> bool:
    """Cheap test, on untagged words, of whether a sentence can hold an attribution:
    a quotation mark, or an inflected form of a cue lemma."""
    forms = lex.forms(include_beliefs)
    for w in words:
        if w.lower in forms or any(c in quote_chars for c in w.text):
            return True
    return False


def _span_words(sent: Sentence, head: Word, exclude: Iterable[int] = ()) -> list[Word]:
    return sent.subtree(head.id, exclude)


def _trim(words: list[Word], drop_mark: bool = True) -> list[Word]:
    """Strip edge punctuation and a leading complementizer ("that") from content words."""
    while words and (words[0].upos == "PUNCT" and words[0].text in _PUNCT_EDGE or
                     drop_mark and words[0].deprel == "mark" and words[0].lower in ("that", "whether", "if")):
        words = words[1:]
    # a closing mark, bracket, "?" or "!" belongs to what was said; ".", "," and ";" do not
    while words and words[-1].upos == "PUNCT" and words[-1].text not in ('"', "”", "’", "'", "»", ")", "?", "!"):
        words = words[:-1]
    return words


# verbs that go on with the same speaker's words ("... and added that", "..., noting that")
_GOES_ON = {"add", "say", "note", "stress", "insist", "explain", "continue"}


def _subject_of(sent: Sentence, verb: Word) -> Optional[Word]:
    subjects = [c for c in sent.children(verb.id) if c.deprel in _SUBJ]
    if subjects:
        # "Hours later, Trump returned ...": a time phrase the parse also made a subject
        return next((c for c in subjects if c.lower not in TIME_WORDS and c.upos != "NUM"), subjects[0])
    # "X said ... and added that ...": the conjunct shares its head's subject
    if verb.deprel == "conj" and verb.head > 0:
        head = sent.word(verb.head)
        # "The minister said the talks went well and added that ...": the parse coordinated "added"
        # inside the reported clause; a verb that goes on reporting is the reporter's
        if (verb.lemma in _GOES_ON or _not_of_a_kind(sent, verb, head)) and head.deprel == "ccomp" \
                and head.head > 0 and verb.id > head.id:
            return _subject_of(sent, sent.word(head.head))
        return _subject_of(sent, head)
    # "... X was quoted as saying", "X emailed supporters, telling them ...", "X rallied
    # supporters, saying: ...": a participle or infinitive shares its head's subject
    if verb.deprel in ("advcl", "xcomp") and verb.head > 0:
        head = sent.word(verb.head)
        # "pressed Halvorsen to admit ...": an infinitive after an object is the object's (not a
        # bare one: "let them know that ..." is hers, and "Let's say" no one's)
        obj = next((c for c in sent.children(head.id) if c.deprel == "obj" and c.id < verb.id), None)
        # (someone, not "offered Trump a platform to say")
        if (verb.deprel == "xcomp" or head.lemma in CONTROL_VERBS) and verb.xpos == "VB" and obj is not None \
                and (obj.upos in ("PROPN", "PRON") or obj.lower in GROUP_NOUNS) \
                and any(c.deprel == "mark" and c.lower == "to" for c in sent.children(verb.id)):
            return obj
        # "The governor said the state would pay, adding that ...": the parse hangs the
        # participle after the comma on the reported clause; it is the reporter's
        if verb.xpos == "VBG" and verb.id > head.id and head.deprel == "ccomp" and head.head > 0 \
                and sent.word(verb.id - 1).text == ",":
            return _subject_of(sent, sent.word(head.head))
        return _subject_of(sent, head)
    return None


def _not_of_a_kind(sent: Sentence, verb: Word, head: Word) -> bool:
    """"said the country would set out its terms and [suggested] that ...": a finite past verb
    cannot share the modal or "to" of the verb the parse coordinated it with, so it is no part of
    that clause but the reporter's own second report."""
    bound = head.xpos == "VB" and any(c.deprel in ("aux", "mark") and c.lower in _BINDING for c in sent.children(head.id))
    return bound and verb.xpos in ("VBD", "VBZ")


#: words that bind a verb to its base form: a conjunct in the past tense cannot share them
_BINDING = {"will", "would", "can", "could", "may", "might", "shall", "should", "must", "to"}


def _source_words(sent: Sentence, subj: Word) -> list[Word]:
    # relative clauses and appositive clauses are not part of the name
    skip = [c.id for c in sent.children(subj.id) if c.deprel in ("acl:relcl", "acl", "punct") and c.id > subj.id + 0]
    words = sent.subtree(subj.id, skip)
    while words and words[0].upos == "PUNCT":
        words = words[1:]
    # keep a closing bracket that balances one inside: "the Committee (CPRC)"
    while words and words[-1].upos == "PUNCT" and not (words[-1].text == ")" and any(w.text == "(" for w in words)):
        words = words[:-1]
    return words or [subj]


@dataclass
class _VerbCue:
    """What the steps of `_verb_cue` share while they read one cue verb's clause."""
    sent: Sentence
    w: Word  # the cue verb
    cue: Cue
    lex_cues: Container[str]
    m: CueMatch
    children: list[Word]
    subj: Optional[Word] = None
    passive_subject: Optional[Word] = None
    content_heads: list[Word] = field(default_factory=list)
    about_content: list[Word] = field(default_factory=list)
    objects: list[Word] = field(default_factory=list)
    as_phrase: Optional[Word] = None
    content: list[Word] = field(default_factory=list)  # sorted content words, from `_content_words` on


def _by_phrase(c: _VerbCue) -> Optional[Word]:
    return next((x for x in c.children if x.deprel == "obl:agent" or (x.deprel.startswith("obl") and any(
        g.deprel == "case" and g.lower == "by" for g in c.sent.children(x.id)))), None)


def _take_left_np(c: _VerbCue, left: list[Word], head: Optional[Word]) -> None:
    if head is not None:
        c.m.source_head, c.m.source = head, left
        c.subj = None


# ---- the source ---------------------------------------------------------------------------
def _passive_agent(c: _VerbCue) -> None:
    """ "O'Malley's move was first reported by MSNBC": the agent is the source."""
    c.subj = _subject_of(c.sent, c.w)
    if c.subj is not None and c.subj.deprel == "nsubj:pass" and c.w.lemma != "quote":
        c.passive_subject, c.subj = c.subj, _by_phrase(c)


def _lost_subject(c: _VerbCue) -> None:
    """ "Eric Holder announced": the parse lost the subject; the noun phrase right before the verb."""
    if c.subj is None and c.passive_subject is None and c.w.deprel not in ("xcomp", "acl", "amod") \
            and c.w.upos == "VERB":
        left = _np_left_of(c.sent, c.w)
        if left and any(x.upos in ("PROPN", "NOUN", "PRON") for x in left) and left[-1].id >= c.w.id - 3:
            _take_left_np(c, left, left[-1] if left[-1].upos in ("PROPN", "NOUN", "PRON") else None)


def _free_relative(c: _VerbCue) -> bool:
    """ "What he says is ...": a free relative, not a speaker (not a cue)."""
    return not (c.subj is not None and c.subj.lower in ("what", "whatever", "which", "this", "these", "those", "that")
                and c.subj.deprel.startswith("nsubj") and c.w.deprel != "acl:relcl")


def _misparsed_subject(c: _VerbCue) -> None:
    """ "Meanwhile, Kasich reminds us": a subject of the wrong kind; the noun phrase before the verb."""
    if c.subj is not None and c.subj.upos in ("ADV", "INTJ", "ADP", "SCONJ", "CCONJ", "PUNCT", "PART"):
        left = _np_left_of(c.sent, c.w)
        heads = [x for x in left if x.upos in ("PROPN", "NOUN", "PRON")]
        c.subj = None
        _take_left_np(c, left, heads[-1] if heads else None)


def _participle_subject(c: _VerbCue) -> None:
    """ "X rallied supporters, saying: ..." with the subject lost: the noun phrase before the main
    verb the participle follows ("Huma Abedin, vice chairwoman ..., emailed supporters, telling them":
    the name opening the sentence)."""
    sent, w = c.sent, c.w
    if c.subj is None and not c.m.source and w.xpos == "VBG" and w.id > 2 and sent.word(w.id - 1).text == ",":
        verb = next((x for x in reversed(sent.words[:w.id - 2]) if x.upos == "VERB" and x.xpos != "VBG"), None)
        left = _np_left_of(sent, verb) if verb is not None else []
        if not left and sent.words[0].upos == "PROPN":
            left = list(itertools.takewhile(lambda x: x.upos == "PROPN", sent.words))
        heads = [x for x in left if x.upos in ("PROPN", "NOUN", "PRON")]
        if heads:
            c.m.source_head, c.m.source = heads[-1], left


def _subject_source(c: _VerbCue) -> None:
    """ "Mayor Ana Ruiz of Springfield said": the subject's phrase, without its preposition."""
    if c.subj is not None:
        c.m.source_head = c.subj
        c.m.source = _with_capital_time([x for x in _source_words(c.sent, c.subj)
                                         if not (x.deprel == "case" and x.head == c.subj.id)], c.sent)


# ---- what was said: where the content hangs ------------------------------------------------
def _reporting_tail(sent: Sentence, x: Word, lex_cues: Container[str]) -> bool:
    """ "Kim blamed X for Y, [it added].": a cue verb after a comma, ending the sentence, with
    nothing reported of its own, is the reporting clause of what precedes even where the parse
    hangs it as a complement (a parser's ccomp for the usual parataxis)."""
    if x.lemma not in lex_cues or any(k.deprel in ("ccomp", "xcomp", "obj", "parataxis") for k in sent.children(x.id)):
        return False
    own = [y.id for y in sent.subtree(x.id) if y.upos != "PUNCT"]
    first, last = min(own), max(own)
    return first > 1 and sent.word(first - 1).text == "," and all(y.upos == "PUNCT" for y in sent.words[last:])


def _clause_complement(c: _VerbCue) -> bool:
    """ "said [that taxes would rise]": a clausal complement; a cue that reports only clauses
    has none in "the video showed the officer" (a sight, not a report: not a cue)."""
    c.content_heads = [x for x in c.children if (x.deprel == "ccomp" and not _reporting_tail(c.sent, x, c.lex_cues))
                       or (x.deprel == "xcomp" and c.w.lemma not in _NO_XCOMP)]
    return not (c.cue.content_clause and not any(x.deprel == "ccomp" for x in c.content_heads))


def _indirect_question(c: _VerbCue) -> None:
    """ "asked workers [if they planned to ...]": an indirect question the parse hung as an adverbial."""
    if not c.content_heads and c.cue.is_speech:
        c.content_heads = [x for x in c.children if x.deprel == "advcl" and x.id > c.w.id and any(
            g.deprel == "mark" and g.lower in ("if", "whether") for g in c.sent.children(x.id))]


def _about_phrase(c: _VerbCue) -> None:
    """ "Asked [about her vote], Sarandon ...", "warned [of the dangers of ...]": what it was about."""
    if (not c.content_heads and c.w.lemma in _ABOUT_CUES) or c.cue.content_about:
        about = [x for x in c.children if x.deprel.startswith("obl") and x.id > c.w.id and any(
            g.deprel == "case" and g.lower in ("about", "of") for g in c.sent.children(x.id))]
        if about:
            c.about_content = [x for x in c.sent.subtree(about[0].id) if not (x.deprel == "case" and x.head == about[0].id)]
            c.m.content = list(c.about_content)


#: prepositions of a place or an occasion after an addressee noun ("an audience at ...")
_WHERE_PREPOSITIONS = frozenset({"at", "in", "on", "during", "near", "outside", "inside", "after", "before"})


def object_addressee(sent: Sentence, w: Word, cue: Cue, children: Optional[list[Word]] = None) -> list[Word]:
    """ "told [Putin] that ...": the indirect object of cue word ``w``, or its object where the cue
    takes one as the addressee (``addressee=obj``); a clause the parse hung on it is left out."""
    for x in sent.children(w.id) if children is None else children:
        if x.deprel == "iobj" or (x.deprel == "obj" and cue.addressee_obj):
            words = _source_words(sent, x)
            cut = next((y.id for y in words if y.id > x.id and (y.lower in ("that", "whether", "to", "if") or (
                # "told an audience [at the headquarters in Cupertino, California]": where they were
                # is no part of whom (a name keeps its own: "the Council on Foreign Relations")
                x.upos == "NOUN" and y.upos == "ADP" and y.lower in _WHERE_PREPOSITIONS))), None)
            return _with_capital_time([y for y in words if cut is None or y.id < cut], sent)
    return []


def capital_time_of_name(prev: Word, w: Word) -> bool:
    """"USA Today": a time word with a capital right after a name's word ends the name (a
    weekday or a month has its capital anyway: "Reuters Monday" is a time)."""
    return prev.upos == "PROPN" and w.lower in TIME_WORDS and w.text not in TIME_NAMES \
        and w.text[:1].isupper() and w.start == prev.end + 1


def _with_capital_time(words: list[Word], sent: Sentence) -> list[Word]:
    """"told USA Today", "USA Today reported": the parse hangs "Today" on the verb as a time; it
    is the name's (`capital_time_of_name`). "told reporters today" keeps its time apart."""
    if not words or words[-1].id >= len(sent.words):
        return words
    nxt = sent.words[words[-1].id]  # ids are 1-based: this is the word after
    return words + [nxt] if capital_time_of_name(words[-1], nxt) else words


def _addressee(c: _VerbCue) -> None:
    """ "told [Putin] that ...", "said [to reporters]": the indirect object, or "to X" after a verb
    of telling; a clause the parse hung on the addressee ("told Putin that ...") is not part of it."""
    sent, m = c.sent, c.m
    obj = object_addressee(sent, c.w, c.cue, c.children)
    if obj:
        m.addressee = obj
        return
    for x in c.children:
        if x.deprel.startswith("obl") and any(g.deprel == "case" and g.lower == "to" for g in sent.children(x.id)) \
                and c.w.lemma in _TO_ADDRESSEE and x.upos in ("PROPN", "NOUN", "PRON") and x.lower not in REACTION_NOUNS:
            m.addressee = [y for y in _source_words(sent, x) if not (y.deprel == "case" and y.head == x.id)]


def _call_for(c: _VerbCue) -> None:
    """ "called for X", "called on Y to Z" (see `_call_for_on`)."""
    if c.w.lemma == "call" and not c.content_heads:
        _call_for_on(c.sent, c.w, c.m)


def _speech_clause_after(c: _VerbCue) -> None:
    """ "said Tuesday the plan would ...": a speech verb with no complement; the clause after it."""
    if not c.content_heads and not c.m.content and c.cue.cls == "speech":
        c.m.content.extend(_clause_after(c.sent, c.w, c.m.addressee))


def _directive_infinitive(c: _VerbCue) -> None:
    """ "urged X [to explore ...]" when the parse lost the infinitive; 'asked X to "cease and desist"'
    (the tagger may call it a noun); "asked [the campaign of candidate Bernie Sanders] to ...": the
    words between verb and "to" are the addressee."""
    sent, w, m = c.sent, c.w, c.m
    if c.content_heads or c.cue.cls != "directive":
        return
    for k in range(w.id, min(len(sent.words) - 1, w.id + 14)):
        x, nxt = sent.words[k], sent.words[k + 1]
        quoted = x.lower == "to" and nxt.upos == "PUNCT" and nxt.text in QUOTE_MARKS and k + 2 < len(sent.words)
        if quoted:
            nxt = sent.words[k + 2]
        if x.lower == "to" and (nxt.upos in ("VERB", "AUX") or (quoted and nxt.text.isalpha())):
            c.content_heads = [nxt]
            m.content.append(x)
            between = sent.words[w.id:k]
            if between and all(b.upos in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "PART", "NUM", "ADP")
                               for b in between) and between[0].upos != "ADP":
                m.addressee = between
            return
        if x.upos in ("VERB", "PUNCT"):
            return


def _object_and_predicate(c: _VerbCue) -> None:
    """ 'called [Trump "unhinged"]': object and predicate together are what was said."""
    if c.cue.content_obj and c.content_heads and all(x.deprel == "xcomp" for x in c.content_heads):
        c.content_heads = [x for x in c.children if x.deprel == "obj"] + c.content_heads


def _double_object(c: _VerbCue) -> None:
    """ 'calling [him] ["a total stiff"]': both objects are what was said; "accuses [Bernie]
    [Sanders] [of ...]": a name split in two objects, with the phrase completing it."""
    w = c.w
    c.objects = [x for x in c.children if x.deprel in ("obj", "iobj") and x.id > w.id]
    # 'described X as "Y"', 'accused X of Y': a phrase after the object completes what was said
    c.as_phrase = next((x for x in c.children if x.id > w.id and x.deprel.startswith(("obl", "advcl", "xcomp")) and any(
        g.deprel in ("case", "mark") and g.lower in ("as", "of") and g.id < x.id for g in c.sent.children(x.id))),
        None) if c.cue.content_obj or c.cue.content_as else None
    if c.cue.content_obj and not c.content_heads and len(c.objects) >= 2:
        c.content_heads = list(c.objects)
        if c.as_phrase is not None and c.as_phrase.id > c.objects[-1].id:
            c.content_heads.append(c.as_phrase)
            c.m.content_fixed = True


def _naming(c: _VerbCue) -> bool:
    """ "referred to [Rubio as 'a bright leader']": only the naming is reported; without "as" the
    verb reports nothing ("referred the case to a court": not a cue)."""
    if not c.cue.content_as:
        return True
    named = next((x for x in c.children if x.id > c.w.id and (x.deprel == "obj" or x.deprel.startswith("obl"))
                  and (c.as_phrase is None or x.id < c.as_phrase.id)), None)
    if c.as_phrase is None or named is None:
        return False
    c.content_heads = [named, c.as_phrase]
    c.m.content_fixed = True
    return True


def _object_content(c: _VerbCue) -> None:
    """ 'described [his skills as a "work in progress"]': the object (and what it was called) is
    what was said; "called Wednesday for ...": not a day the parse made the object; "the move was
    reported by X": the passive subject."""
    if not (c.cue.content_obj and not c.content_heads and not (c.m.content_fixed and c.m.content)):
        return
    objs = [x for x in c.children if x.deprel == "obj" and x.lower not in TIME_WORDS]
    if objs and c.as_phrase is not None and c.as_phrase.id > objs[0].id:
        c.content_heads = objs[:1] + [c.as_phrase]
        c.m.content_fixed = True  # the naming is complete: "..., telling reporters" is not part of it
    else:
        c.content_heads = [x for x in objs if x.upos not in ("PRON",)]
    if not c.content_heads and c.passive_subject is not None and c.passive_subject.upos != "PRON":
        c.content_heads = [c.passive_subject]


def _colon_parataxis(c: _VerbCue) -> None:
    """ `X said: "..."`; a parataxis that is itself a cue ("..., it added") is a relay, not content."""
    if c.cue.is_speech and not c.content_heads:
        c.content_heads = [x for x in c.children if x.deprel == "parataxis" and x.id > c.w.id and x.lemma not in c.lex_cues]


def _name_run(objs: list[Word]) -> list[Word]:
    """The first object, with the proper nouns right after it that the parser made objects of
    their own ("quoted [Trade] [Minister Wen Li] as saying": one name with its title)."""
    run = objs[:1]
    for x in objs[1:]:
        if x.upos != "PROPN" or run[-1].upos != "PROPN" or x.id != run[-1].id + 1:
            break
        run.append(x)
    return run


def _quoted_as_saying(c: _VerbCue) -> None:
    """ "X was quoted as saying ...": the content hangs off "saying"; "Kim was quoted by KCNA as
    saying": Kim speaks, KCNA relays; "KCNA quoted Kim as saying": the quoting one relays, its
    object speaks; "<clause>, Kim was quoted by KCNA as saying.": the clause before is what was said."""
    sent, w, m = c.sent, c.w, c.m
    if w.lemma != "quote":
        return
    for x in c.children:
        if x.deprel in ("advcl", "xcomp") and x.lemma in ("say", "tell", "add"):
            m.cue.append(x)
            c.content_heads += [g for g in sent.children(x.id) if g.deprel in ("ccomp", "parataxis", "obj")]
    saying = len(m.cue) > 1
    agent = _by_phrase(c)
    # (the parse may make the quoted one an indirect object: "quoted [Kim Yo Jong], the leader's
    # sister, as saying")
    objs = _name_run([x for x in c.children if x.deprel in ("obj", "iobj") and x.id > w.id])
    if saying and agent is not None and c.subj is not None and c.subj.deprel == "nsubj:pass":
        m.relay = [x for x in _source_words(sent, agent) if not (x.deprel == "case" and x.head == agent.id)]
    elif saying and objs and m.source:
        words = {x.id: x for o in objs for x in _source_words(sent, o)}
        m.relay, m.source, m.source_head = m.source, [words[i] for i in sorted(words)], objs[-1]
        m.addressee = [a for a in m.addressee if a.id not in words]  # the quoted one speaks, not hears
        c.content_heads = [h for h in c.content_heads if h not in objs]
    if saying and not c.content_heads and w.deprel in ("conj", "parataxis") and 0 < w.head < w.id:
        host = sent.word(w.head)
        first = min([x.id for x in m.source] + [w.id])
        m.content = [x for x in sent.subtree(host.id, [w.id]) if x.id < first]
        m.content_is_host = True


def _head_subtrees(c: _VerbCue) -> None:
    """The content: the subtrees of the heads found above; "referred to [Rubio as ...]": the
    preposition belongs to the cue."""
    for h in c.content_heads:
        c.m.content.extend(_span_words(c.sent, h))
    if c.cue.content_as and c.m.content:
        first = min(c.m.content, key=lambda x: x.id)
        c.m.content = [x for x in c.m.content if x is not first or x.deprel != "case"]


def _host_clause(c: _VerbCue) -> None:
    """ "..., X said." / "X said" as parataxis of the reported clause: the host clause is the
    content; "The city said it would respond": a cue reported by another cue has no host content."""
    sent, w, m = c.sent, c.w, c.m
    if not m.content and w.deprel in ("parataxis", "ccomp") and w.head > 0 and c.cue.is_speech:
        host = sent.word(w.head)
        if w.deprel == "parataxis" or (w.id > host.id and not (w.deprel == "ccomp" and host.lemma in c.lex_cues
                                                               and not _reporting_tail(sent, w, c.lex_cues))):
            m.content = [x for x in sent.subtree(host.id, [w.id]) if x.deprel != "punct" or x.head != w.id]
            m.content_is_host = True


def _empty_belief(c: _VerbCue) -> bool:
    """ "he thinks so", "she hopes": an attitude with nothing reported (not a cue)."""
    return not (not c.cue.is_speech and not c.m.content)


def _directive_addressee(c: _VerbCue) -> None:
    """ "urged [the United States to step up ...]": PolNeAR's content (and a reader's) spans both."""
    m = c.m
    if c.cue.cls == "directive" and m.addressee and m.content and m.addressee[-1].id < min(x.id for x in m.content) \
            and min(m.content, key=lambda x: x.id).lower == "to":
        m.content.extend(m.addressee)


# ---- what was said: where the content ends -------------------------------------------------
def _content_words(c: _VerbCue) -> None:
    c.content = sorted(set(c.m.content), key=lambda x: x.id)


def _fronted_clause(c: _VerbCue) -> None:
    """ '"X" are sickening, Hollande said Tuesday, noting Y "makes you retch"': clauses on both sides
    of the cue with another cue between; the fronted one is what this cue reports, the other belongs
    to "noting" ("In the long run, economists say, X": one clause, no second cue)."""
    sent, w, m, content = c.sent, c.w, c.m, c.content
    after = [x.id for x in content if x.id > w.id]
    if content and content[0].id < w.id < content[-1].id and not m.content_is_host and any(
            x.lemma in c.lex_cues and x.upos == "VERB" for x in sent.words[w.id:min(after) - 1]):
        src_start = min([x.id for x in m.source if x.id < w.id] + [w.id])
        content = [x for x in content if x.id < src_start]
        while content and content[-1].upos == "PUNCT" and content[-1].text not in QUOTE_MARKS:
            content = content[:-1]
        c.content = content
        m.content_fixed = True


def _coordinated_cue(c: _VerbCue) -> None:
    """ "said he found Trump charming and [called] his standing ...": a second cue verb the parse
    coordinated inside the content starts an attribution of its own."""
    sent, content = c.sent, c.content
    conj = _coordinated_report(sent, content, c.lex_cues)
    if conj is not None and content[0].id < conj.id:
        cut = conj.id - 1
        while cut > content[0].id and sent.word(cut).upos in ("CCONJ", "PUNCT", "ADV"):
            cut -= 1
        c.content = [x for x in content if x.id <= cut]


def _coordinated_report(sent: Sentence, words: Iterable[Word], lex_cues: Container[str]) -> Optional[Word]:
    """The first of ``words`` that is a cue verb coordinated with no subject of its own ("and
    [called] ...", "but [warned] ..."): it starts a report of its own."""
    return next((x for x in words if x.deprel == "conj" and x.lemma in lex_cues and x.upos == "VERB"
                 and not any(g.deprel in _SUBJ for g in sent.children(x.id))), None)


def _contiguous_stretch(c: _VerbCue) -> None:
    """One stretch of text, cut where the report ends (see `_contiguous`, `_cut_reported`,
    `_cut_object`); a speech verb reports a clause even where the parse made it a noun phrase
    ("says [the actions] ... aren't worth"); a fixed content keeps its words, with a final period
    the parse hung on the cue kept inside the closing mark."""
    sent, w, m, content = c.sent, c.w, c.m, c.content
    if content and not m.content_is_host and not m.content_fixed:
        object_only = bool(c.content_heads) and all(h.deprel == "obj" for h in c.content_heads)
        content = _contiguous(sent, w, m, content, c.lex_cues, c.cue.cls == "speech")
        if content and content[0].id > w.id:
            content = _cut_reported(content)
            if object_only and w.lemma != "say":
                content = _cut_object(sent, content)
    elif content and m.content_fixed and content[0].id > w.id:
        content = sent.words[content[0].id - 1:content[-1].id]
    if w.lemma == "quote" and len(m.cue) > 1 and content and content[0].id < m.cue[-1].id < content[-1].id:
        content = [x for x in content if x.id > m.cue[-1].id]  # "quoted Kim [as saying] that ..."
    m.content = _trim(_one_sentence(content), drop_mark=False)


def _not_a_report(c: _VerbCue) -> None:
    """Contents that report nothing: "tell [who would ...]" (a relative clause), "tweeted live",
    "says despite" (no content word), "continued, Sanders says" (another cue clause)."""
    m = c.m
    if m.content and m.content[0].lower in ("who", "which", "whom", "whose") and m.content[0].upos == "PRON":
        m.content = []
    if m.content and sum(1 for x in m.content if x.upos in ("NOUN", "PROPN", "PRON", "VERB", "NUM", "ADJ", "AUX")) < 1:
        m.content = []
    if m.content and len(m.content) <= 3 and any(x.lemma in c.lex_cues for x in m.content if x.upos == "VERB") \
            and all(x.upos in ("VERB", "PRON", "PROPN", "NOUN", "PUNCT", "AUX") for x in m.content):
        m.content = []


def _talked_about(c: _VerbCue) -> None:
    """ "talked [about immigration]": what was talked about and nothing else ("talked to Kim");
    "will be talked about today": nothing."""
    if c.cue.content_about:
        c.m.content, c.m.content_is_host = _trim(c.about_content, drop_mark=False), False
        if all(x.lower in TIME_WORDS or x.upos == "PUNCT" for x in c.m.content):
            c.m.content = []


# ---- the source, tidied ----------------------------------------------------------------------
def _source_edges(c: _VerbCue) -> None:
    """ "and NBC News accused ...": not the conjunction; "Greenfield Energy Inc. today announced":
    not the day; "a week ago, Pyongyang demanded": a time phrase mis-parsed as the subject gives
    way to the noun phrase before the verb."""
    m = c.m
    while m.source and m.source[0].upos in ("CCONJ", "ADP", "SCONJ"):
        m.source = m.source[1:]
    while len(m.source) > 1 and m.source[-1].lower in ("today", "yesterday", "tonight") \
            and m.source[-1].upos in ("NOUN", "ADV") and not capital_time_of_name(m.source[-2], m.source[-1]):
        m.source = m.source[:-1]
    if m.source_head is not None and (m.source_head.lower in TIME_WORDS or m.source_head.upos == "NUM"):
        src = _np_left_of(c.sent, c.w)
        m.source, m.source_head = (src, src[-1]) if src else ([], None)


#: The steps of reading one cue verb's clause, in order.  Each reads and updates the shared
#: `_VerbCue`; one that returns False rejects the verb as a cue (None from `_verb_cue`).
_VERB_CUE_STEPS: tuple[Callable[[_VerbCue], Optional[bool]], ...] = (
    # who spoke
    _passive_agent, _lost_subject, _free_relative, _misparsed_subject, _participle_subject, _subject_source,
    # where what was said hangs
    _clause_complement, _indirect_question, _about_phrase, _addressee, _call_for, _speech_clause_after,
    _directive_infinitive, _object_and_predicate, _double_object, _naming, _object_content, _colon_parataxis,
    _quoted_as_saying, _head_subtrees, _host_clause, _empty_belief, _directive_addressee,
    # where it ends
    _content_words, _fronted_clause, _coordinated_cue, _contiguous_stretch, _not_a_report, _talked_about,
    _source_edges,
)


def _verb_cue(sent: Sentence, w: Word, cue: Cue, lex_cues: Container[str] = ()) -> Optional[CueMatch]:
    """The source, content and addressee of cue verb ``w`` (None: ``w`` is not a cue here)."""
    c = _VerbCue(sent, w, cue, lex_cues, CueMatch(sent, [w], w.lemma, cue.cls), sent.children(w.id))
    for step in _VERB_CUE_STEPS:
        if step(c) is False:
            return None
    return c.m


# verbs whose "to X" names the addressee ("said to reporters"); "expressed commitment to X" does not
_TO_ADDRESSEE = {"say", "speak", "talk", "explain", "write", "complain", "report", "announce", "apologize",
                 "apologise", "admit", "confess", "mention", "reply", "respond", "declare", "state", "suggest",
                 "propose", "recommend", "describe", "boast", "lie", "tweet", "post", "send"}

def _call_for_on(sent: Sentence, w: Word, m: CueMatch) -> None:
    """'called for more flexibility' (content after "for"); 'called on the U.S. to lead'
    (addressee after "on", content from "to")."""
    ws = sent.words
    k = w.id  # word after the cue
    end = len(ws)
    while end > k and ws[end - 1].upos == "PUNCT":
        end -= 1
    m.content_fixed = True  # "called him a 'nice guy' and ...": the naming ends where its words end
    if k + 1 < end and ws[k].lower in TIME_WORDS and ws[k + 1].lower in ("for", "on"):
        k += 1  # "called Wednesday for ..."
    if k < end and ws[k].lower == "for":
        # "called for a ban on X following the shooting", "..., even though ...", "..., saying ...":
        # a phrase hung on "called" itself, after what was called for, is the reporter's
        tail = [c for c in sent.children(w.id) if c.id > k + 2 and c.deprel.split(":")[0] in ("obl", "advcl", "advmod")]
        for c in tail:
            first = next(x for x in sent.subtree(c.id) if x.upos != "PUNCT" or x.id == c.id)
            if first.id > k + 2 and (ws[first.id - 2].text == "," or first.lower in _AFTERTHOUGHT):
                end = min(end, first.id - 1)
                while end > k + 1 and ws[end - 1].upos == "PUNCT" and ws[end - 1].text not in QUOTE_MARKS:
                    end -= 1
                break
        m.content = _cut_new_thought(sent, ws[k + 1:end])
    elif k < end and ws[k].lower == "on":
        to = next((j for j in range(k + 1, min(end, k + 8)) if ws[j].lower == "to"), None)
        if to is not None and to > k + 1:
            m.addressee = ws[k + 1:to]
            # PolNeAR (like "urged X to ...") takes whom it was called on as part of the content
            m.content = _cut_new_thought(sent, ws[k + 1:end])


def _cut_at_break(sent: Sentence, words: list[Word], is_break: Callable[[Word, Optional[Word]], bool]) -> list[Word]:
    """Cut a stretch before the first word outside quotation marks (and not the first word) for
    which ``is_break(word, next word in the sentence)`` holds, with the punctuation and
    conjunctions left dangling before it."""
    marks = 0
    for k, x in enumerate(words):
        if x.upos == "PUNCT" and x.text in '"“”':
            marks += 1
            continue
        if marks % 2 or k == 0:
            continue
        if is_break(x, sent.words[x.id] if x.id < len(sent.words) else None):
            out = words[:k]
            while out and out[-1].upos in ("PUNCT", "CCONJ") and out[-1].text not in '"“”':
                out = out[:-1]
            return out
    return words


def _new_thought(x: Word, nxt: Optional[Word]) -> bool:
    return x.text in (";", "—", "–", "--") or (x.text == "," and nxt is not None and nxt.lower in _NEW_THOUGHT) \
        or (x.upos == "CCONJ" and nxt is not None and (nxt.upos in ("VERB", "AUX") or (
            nxt.upos == "PRON" and nxt.deprel.startswith("nsubj"))))


def _cut_new_thought(sent: Sentence, words: list[Word]) -> list[Word]:
    """Cut a stretch at the first break outside quotation marks that starts another thought:
    "called for X, but his battles ...", "called them rapists and vowing to ...", "X; Y"."""
    return _cut_at_break(sent, words, _new_thought)


def _another_predicate(x: Word, nxt: Optional[Word]) -> bool:
    if nxt is None:
        return False
    finite = nxt.upos == "AUX" or nxt.xpos in ("VBD", "VBZ", "VBP", "MD") or (
        nxt.upos == "VERB" and nxt.xpos == "_" and not nxt.lower.endswith("ing"))  # "and speaking fees" goes on
    return (x.upos == "CCONJ" and finite) or (x.text == "," and nxt.lower in _CONTRAST | {"but", "yet"})


def _cut_object(sent: Sentence, words: list[Word]) -> list[Word]:
    """What was mentioned, praised, tweeted ends where another predicate starts, outside
    quotation marks: "did not mention his rivals by name but did note that ...", "tweeted a
    photo and said she ...", "... its defense of X, while ..."."""
    return _cut_at_break(sent, words, _another_predicate)


# after a comma, these open another thought rather than continue the content
_NEW_THOUGHT = {"but", "however", "while", "although", "though", "whereas", "which", "who", "something", "yet"}


def _clause_after(sent: Sentence, w: Word, addressee: list[Word]) -> list[Word]:
    """The reported clause after a cue when the parse lost it: "claimed that he and Kim have
    ...", "said on Friday he met ...", "told the Times that ...".  Runs to the end of the
    sentence; empty unless what follows looks like a clause."""
    words = sent.words
    skip = {x.id for x in addressee}
    j = w.id  # 0-based index of the word after the cue
    while j < len(words):
        x = words[j]
        if x.id in skip or x.upos == "ADV" or x.lower in TIME_WORDS:
            j += 1
        elif x.upos == "ADP" and x.lower not in ("that",) and j + 1 < len(words):
            j += 1  # "in a statement", "during a news conference"
            while j < len(words) and words[j].upos in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "PART"):
                j += 1
        else:
            break
    if j >= len(words) or j - w.id > 10:
        return []
    end = len(words)
    # stop before a cue clause hung on this cue (", the KCNA reported earlier")
    tail = next((x for x in words[j:] if x.deprel == "parataxis" and x.head == w.id), None)
    if tail is not None:
        end = min(y.id for y in sent.subtree(tail.id)) - 1
    while end > j and words[end - 1].upos == "PUNCT":
        end -= 1
    first = words[j]
    if first.lower == "that" and first.upos in ("SCONJ", "PRON", "DET"):
        return words[j:end]
    if first.upos in ("PRON", "PROPN", "DET", "NOUN", "NUM", "ADJ"):
        for x in words[j + 1:min(end, j + 9)]:
            if x.upos == "PUNCT":
                break
            if x.upos in ("VERB", "AUX"):
                # a finite verb makes a clause; "voters, telling them" or "the plan approved" do not
                if x.xpos not in ("VBG", "VBN"):
                    return words[j:end]
                break
    return []


def _np_left_of(sent: Sentence, w: Word) -> list[Word]:
    out: list[Word] = []
    i = w.id - 2
    while i >= 0 and sent.words[i].upos in ("ADV", "AUX"):
        i -= 1
    if i >= 0 and sent.words[i].text == ",":
        i -= 1  # "Gov. John Kasich (R-OH), said"
    if i >= 0 and sent.words[i].text == ")":
        # a party label or an acronym between the name and the verb: "Sen. Elizabeth Warren (D-MA) said"
        j = next((k for k in range(i - 1, max(-1, i - 8), -1) if sent.words[k].text == "("), None)
        if j is not None:
            i = j - 1
    while i >= 0 and sent.words[i].upos in ("PROPN", "NOUN", "PRON", "DET", "ADJ") and len(out) < 6:
        out.insert(0, sent.words[i])
        i -= 1
    return [x for x in out if x.lower not in TIME_WORDS and x.upos != "NUM"] if out else out


def _contiguous(sent: Sentence, cue: Word, m: CueMatch, content: list[Word], lex_cues: Container[str],
                speech: bool) -> list[Word]:
    """Content as one stretch of text: fill the holes a wrong attachment leaves
    ("he welcomed Russian [and] Chinese [help]"), and start it right after the cue
    when only a noun phrase stands between ("said [Pyongyang] is braced")."""
    lo, hi = content[0].id, content[-1].id
    if lo > cue.id:
        # clause-final content runs to the end of the sentence ("said he welcomed [help with ...]")
        end = len(sent.words)
        while end > hi and sent.words[end - 1].upos == "PUNCT" and sent.words[end - 1].text in ".!?":
            end -= 1
        # ", the KCNA reported earlier." is another cue's clause however the parse hung it (as a
        # complement, with the comma left on the content's own verb): cut as at a parataxis
        # "said the fire was out but warned ...", "said the talks went well and added that ...": a
        # cue verb coordinated after the content, with no subject of its own, reports on its own
        conj = _coordinated_report(sent, sent.words[hi:end], lex_cues)
        if conj is not None:
            end = conj.id - 1
            while end > hi and sent.words[end - 1].upos in ("CCONJ", "PUNCT"):
                end -= 1
        tail_cue = any(_reporting_tail(sent, x, lex_cues) for x in sent.words[hi:end])
        # neither quotation marks nor a misattached tail end it ('said the campaign will "compete
        # vigorously"', 'says the actions aren't worth the paper'); another cue does (", he added")
        if not tail_cue and all(x.upos != "PUNCT" and x.deprel != "parataxis" for x in sent.words[hi:end]):
            hi = end
        else:
            stop = next((x.id for x in sent.words[hi:end] if x.lemma in lex_cues or x.lower == "according"), None)
            if stop is not None:  # cut before the next cue's clause and the comma before it
                end = stop - 1
                # ('has "kept us safe" on Twitter before claiming ...': the circumstance goes too)
                while end > hi and sent.words[end - 1].upos in ("PUNCT", "PRON", "PROPN", "NOUN", "DET", "ADV", "CCONJ",
                                                                "ADP", "SCONJ") \
                        and sent.words[end - 1].text not in QUOTE_MARKS:
                    end -= 1
            tail = sent.words[hi:end]
            ids = {x.id for x in content}
            clausal = content[0].lower == "that" or any(
                x.deprel in ("ccomp", "xcomp", "parataxis") or x.upos in ("VERB", "AUX")
                for x in content if x.head not in ids) or (speech and any(
                    x.upos in ("VERB", "AUX") and x.xpos not in ("VBG", "VBN") for x in tail))
            if clausal and all(x.deprel != "parataxis" or x.lemma not in lex_cues for x in tail):
                hi = max(hi, end)
    if lo > cue.id and not m.addressee:
        skip = {x.id for x in m.addressee} | {x.id for x in m.source}
        j = lo - 1
        if j > cue.id and sent.word(j).text in QUOTE_MARKS and sent.word(j).upos == "PUNCT":
            j -= 1  # 'said things "should be wrapped up"': the mark opens the clause
        while j > cue.id and j not in skip and sent.word(j).upos in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM", "CCONJ"):
            j -= 1
        if j == cue.id:  # only a noun phrase between the cue and the clause: it is the clause's subject
            lo = j + 1
    if lo > cue.id + 1 and speech:
        # 'says [a violent hit that used to be ...] now draws': a subject the parse hung on the cue
        # leaves the reported clause without one; it starts right after the cue (or its addressee)
        ids = {x.id for x in content}
        head = next((x for x in content if x.head not in ids and x.deprel == "ccomp" and x.head == cue.id), None)
        first = max([cue.id] + [x.id for x in m.addressee if x.id < lo]) + 1
        between = sent.words[first - 1:lo - 1]
        if head is not None and not any(c.deprel in _SUBJ or c.deprel == "expl" for c in sent.children(head.id)) \
                and between and (between[0].upos in ("DET", "NOUN", "PROPN", "PRON", "ADJ", "NUM")
                                 or between[0].lower in ("much", "most", "many", "more", "none", "all")) \
                and not any(x.upos == "PUNCT" or x.id in {s.id for s in m.source} for x in between):
            lo = first
    own = {x.id for x in m.source} | {x.id for x in m.addressee} | {x.id for x in m.cue}
    words = [x for x in sent.words[lo - 1:hi] if x.id not in own or x.id >= content[0].id]
    # a cue clause at the end of the stretch ("..., it added") is not content
    return [x for x in words if not (x.id > cue.id and x.id not in {c.id for c in content}
                                     and x.deprel == "parataxis" and x.lemma in lex_cues)] if words else content


def _one_sentence(words: list[Word]) -> list[Word]:
    """Content ends with its sentence where the tokenizer missed the break after a closing
    mark: 'Trump is "unelectable now." Sen. Ted Cruz ... called ...'."""
    for k in range(2, len(words) - 1):
        x, prev, nxt = words[k], words[k - 1], words[k + 1]
        if x.text in '"”' and prev.text in (".", "!", "?") and nxt.text[:1].isupper() and nxt.id == x.id + 1:
            return words[:k + 1]
    return words


def _cut_reported(words: list[Word]) -> list[Word]:
    """End reported content where the reporter's own words take over, outside quotation marks:
    "said they prefer X, while about 4 in 10 want Y", 'said things "should be wrapped up,"
    referring to ...' (a participle right after the closing mark).  "but", dashes, semicolons
    and participles elsewhere ("..., bringing its total to") as often go on reporting on
    PolNeAR train ("tried to put me away, but a judge refused"), so they do not cut."""
    marks = 0
    for k, x in enumerate(words):
        if x.upos == "PUNCT" and x.text in '"“”':
            marks += 1
            nxt = words[k + 1] if k + 1 < len(words) else None
            if not marks % 2 and k >= 3 and nxt is not None and nxt.upos == "VERB" and nxt.lower.endswith("ing") \
                    and words[k - 1].text == ",":
                return words[:k + 1]  # 'things "should be wrapped up by Cleveland," referring to ...'
        elif not marks % 2 and k >= 3 and x.text == "," and k + 1 < len(words) and (
                words[k + 1].lower in _CONTRAST or (words[k + 1].lower == "according" and k + 2 < len(words)
                                                    and words[k + 2].lower == "to")):
            return words[:k]  # "said X, according to Yonhap": the relay's words, not Kim's
    return words


# prepositions that open a circumstance of the call, not what was called for
_AFTERTHOUGHT = {"following", "after", "before", "during", "amid", "since", "because", "as"}

# after a comma outside quotation marks, these turn from what was said to the reporter's comment
_CONTRAST = {"however", "while", "although", "though", "whereas"}


def _according_layout(sent: Sentence, w: Word) -> Optional[CueMatch]:
    """'According to X, CLAUSE.' and 'CLAUSE, according to X.': the comma decides."""
    ws = sent.words
    i = w.id - 1
    if i + 1 >= len(ws) or ws[i + 1].lower != "to":
        return None
    end = len(ws)
    while end > 0 and ws[end - 1].upos == "PUNCT":
        end -= 1
    m = CueMatch(sent, [w, ws[i + 1]], "according to", "speech", content_is_host=True)
    if i == 0 or (i > 0 and all(x.upos in ("PUNCT", "CCONJ", "ADV") for x in ws[:i])):
        comma = next((k for k in range(i + 2, end) if ws[k].text == ","), None)
        if comma is None or comma == i + 2:
            return None
        m.source = ws[i + 2:comma]
        m.content = _trim(ws[comma + 1:end])
    elif i > 0 and ws[i - 1].text == "," and not any(x.text == "," for x in ws[i + 2:end]):
        m.source = ws[i + 2:end]
        m.content = _trim(ws[:i - 1])
    elif i > 1 and ws[i - 1].text == ",":
        # "Shelter residents, according to the preliminary findings, are fearful of ...": the
        # source is set off by commas and the clause runs on both sides of it
        comma = next(k for k in range(i + 2, end) if ws[k].text == ",")
        src, right = ws[i + 2:comma], ws[comma + 1:end]
        if not _inserted_source(src) or not _runs_on(ws[:i - 1], right):
            return None
        m.source = src
        m.content = _trim(ws[:i - 1]) + _trim(right)
    else:
        return None
    # the source's head is in its noun phrase, never in a relative clause after it ("who")
    phrase = m.source[:_relative_at(m.source)]
    heads = [x for x in phrase if x.upos in ("PROPN", "NOUN", "PRON")]
    m.source_head = _clause_host(phrase, heads[-1]) if heads else (phrase[-1] if phrase else None)
    return m if m.source and m.content else None


def _clause_host(phrase: list[Word], last: Word) -> Word:
    """The noun a clause after it modifies, where the phrase's last noun lies in that clause
    ("a study published Wednesday in the journal Cardiology Today": "study", not "Today")."""
    ids = {x.id for x in phrase}
    roots = [x for x in phrase if x.head not in ids]
    if len(roots) == 1 and roots[0].upos == "NOUN" and roots[0] is not last and any(
            x.deprel in ("acl", "acl:relcl") and x.head == roots[0].id and x.id < last.id for x in phrase):
        return roots[0]
    return last


# the relative pronouns that open a clause inside a source ("an official who asked not to be named")
_RELATIVE = {"who", "whom", "whose", "which", "that"}


def _relative_at(src: list[Word]) -> int:
    """Where a relative clause starts inside a source's words (their length if none does)."""
    return next((k for k, x in enumerate(src) if x.lower in _RELATIVE and k > 0), len(src))


def _inserted_source(src: list[Word]) -> bool:
    """Whether the words between the commas of "X, according to SRC, Y" are a source: a short
    noun phrase ("the preliminary findings") with no verb outside capitalised names, or one
    followed by a relative clause ("a senior official at the ministry who asked not to be named")."""
    # a verb outside a relative clause means the commas set off more than the source, and the
    # parse decides; the relative clause of the wires' anonymous sources is their fixed form
    rel = _relative_at(src)
    head, clause = src[:rel], src[rel:]
    if not head or len(head) > 12 or len(clause) > 12:
        return False
    return not any(x.upos in ("VERB", "AUX") and not x.text[:1].isupper() for x in head)


def _according(sent: Sentence, w: Word) -> Optional[CueMatch]:
    layout = _according_layout(sent, w)
    if layout is not None:
        return layout
    # UD: "according to X": X is obl of the clause, "according" its case with fixed "to"
    if w.head <= 0 and w.deprel != "root":
        return None
    if w.deprel == "case":
        src = sent.word(w.head)
    else:
        # parsed as a verb: "according" heads its obl "to X" and hangs off the host clause
        src = next((c for c in sent.children(w.id) if c.deprel.startswith(("obl", "nmod", "obj"))), None)
        if src is None:
            return None
    to = next((c for c in sent.children(w.id) if c.lower == "to"), None) or next(
        (c for c in sent.children(src.id) if c.lower == "to" and c.deprel in ("case", "fixed")), None)
    cue_words = [w] + ([to] if to is not None else [])
    m = CueMatch(sent, cue_words, "according to", "speech")
    m.source_head = src
    m.source = [x for x in sent.subtree(src.id) if x not in cue_words and x is not w]
    # "X, according to a long source who ..., Y": the comma before "according" hangs off the source
    while m.source and m.source[0].upos == "PUNCT":
        m.source.pop(0)
    top = src if w.deprel == "case" else w
    host = sent.word(top.head) if top.head > 0 else None
    if host is None:  # "according" as the root: the rest of the sentence is the content
        host = next((c for c in sent.children(w.id) if c.deprel in ("parataxis", "ccomp", "advcl", "conj")), None)
        if host is not None:
            m.content = _trim(sent.subtree(host.id))
    else:
        m.content = _trim([x for x in sent.subtree(host.id, [top.id]) if x.deprel != "punct" or x.head != top.id])
    m.content_is_host = True
    return m


def _final_cue_layout(sent: Sentence, lex: Lexicon) -> Optional[tuple[Word, list[Word], int]]:
    """'<clause>, the KCNA reported earlier.' / '<clause>, said the report.': the cue clause
    closing the sentence after a comma.  Returns (cue, source words, index of the comma)."""
    ws = sent.words
    end = len(ws)
    while end > 0 and ws[end - 1].upos == "PUNCT" and ws[end - 1].text in ".!?":
        end -= 1
    comma = max((i for i in range(end) if ws[i].text == ","), default=-1)
    # a parenthesised acronym and hyphens do not lengthen the cue clause: ", the state-run
    # Korean Central News Agency (KCNA) reported Tuesday" is as short as without them
    depth, size = 0, 0
    for k in range(comma + 1, end):
        x = ws[k]
        depth += (x.text == "(") - (x.text == ")")
        glued = ws[k - 1].text == "-" and ws[k - 1].end == x.start  # "semi-[official]"
        size += depth == 0 and x.upos != "PUNCT" and not glued
    if comma < 3 or size > 9 or end - comma > 16:
        return None
    tail = ws[comma + 1:end]
    for k, w in enumerate(tail):
        cue = lex.cue_for(w.lemma, w.text)
        if cue is None or not cue.is_speech or w.upos not in ("VERB", "AUX"):
            continue
        if cue.content_clause:
            break  # "X, the video showed": a sight, not a report
        before, after = tail[:k], tail[k + 1:]
        np_tags = ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM", "PART", "PUNCT")
        if before and all(x.upos in np_tags + ("ADV", "AUX") for x in before) and \
                any(x.upos in ("PROPN", "NOUN", "PRON") for x in before) and \
                all(x.upos in ("ADV", "ADP", "DET", "NOUN", "PROPN", "NUM", "ADJ") for x in after):
            src = [x for x in before if x.upos not in ("ADV", "AUX", "PUNCT") or x.text in "()"]
            if src:
                return w, src, comma
            break
        after_src = [x for x in after if x.upos != "PUNCT"]
        # ", said the report" inverts; ", calling him a liar" does not (a participle and its objects)
        if not before and after_src and all(x.upos in np_tags for x in after) and w.xpos not in ("VBG", "VB") \
                and after_src[0].lower not in ("him", "her", "them", "me", "us", "it", "you"):
            return w, after_src, comma
        break
    return None


_QUESTION_WORDS = {"if", "whether", "about", "what", "who", "whom", "how", "why", "when", "where", "which", "specifically"}


def _asked_layout(sent: Sentence, found: list[CueMatch]) -> None:
    """'Asked if he was bullied, the candidate said no.', 'When asked about Trump, Obama said ...':
    the question runs from "asked" to the comma, was put by someone unnamed, and is no part of
    what the main clause reports.  The parse of these openings is rarely right (a root "Asked"
    with "said" as parataxis), so the layout decides."""
    ws = sent.words
    i = 0
    while i < len(ws) and ws[i].lower in ("and", "but", "when", "once", "after", "if"):
        i += 1
    if i + 1 >= len(ws) or ws[i].lower != "asked" or ws[i + 1].lower not in _QUESTION_WORDS:
        return
    marks, comma = 0, None
    for x in ws[i + 1:]:
        if x.text in '"“”':
            marks += 1
        elif x.text == "," and not marks % 2:
            comma = x.id
            break
    if comma is None or comma <= ws[i + 1].id + 1:
        return
    start = ws[i + 2].id if ws[i + 1].lower == "about" else ws[i + 1].id
    question = ws[start - 1:comma - 1]
    ids = {x.id for x in question}
    for m in found:
        if m.cue[0] is ws[i]:
            continue
        if not any(x.id in ids for x in m.content):
            continue
        m.content = _trim([x for x in m.content if x.id not in ids], drop_mark=False)
        if any(x in m.content for x in m.cue + m.source):
            # what is left holds the reporting clause itself: "[the candidate said] no"
            m.content = _trim([x for x in m.content if x.id > m.cue[-1].id], drop_mark=False)
        if all(x.upos == "PUNCT" for x in m.content):
            m.content = []
        if m.content_is_host and not m.content:
            m.content_is_host = False
    found[:] = [m for m in found if m.cue[0] is not ws[i]]
    found.append(CueMatch(sent, [ws[i]], "ask", "directive", content=question, content_fixed=True, sourceless=True))


def _parenthetical_layout(sent: Sentence, lex: Lexicon) -> Optional[tuple[Word, list[Word], list[Word]]]:
    """'Too often, he says, they get it wrong.', 'Police, Sinclair says, have no policies',
    'The plan, said Ortiz, was never funded': a short cue clause set off by commas inside the
    reported sentence.  Returns (cue, source words, content words on both sides)."""
    ws = sent.words
    end = len(ws)
    while end > 0 and ws[end - 1].upos == "PUNCT" and ws[end - 1].text in ".!?":
        end -= 1
    marks = 0
    for i, x in enumerate(ws[:end]):
        if x.text in QUOTE_MARKS and x.upos == "PUNCT":
            marks += 1
        if x.text != "," or marks % 2 or i == 0:
            continue
        close = next((k for k in range(i + 2, min(end, i + 8)) if ws[k].text == ","), None)
        if close is None or close + 1 >= end:
            continue
        mid = ws[i + 1:close]
        verbs = [k for k, y in enumerate(mid) if (c := lex.cue_for(y.lemma, y.text)) is not None
                 and c.is_speech and not c.quotes_only and not c.content_clause and y.upos in ("VERB", "AUX")]
        if len(verbs) != 1 or mid[verbs[0]].xpos in ("VBG", "VBN"):
            continue
        cue = mid[verbs[0]]
        before, after = mid[:verbs[0]], mid[verbs[0] + 1:]
        np_tags = ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM")
        if before and before[0].lower in ("who", "which", "that", "whose"):
            continue  # ", who says so," is a relative clause about the word before
        if before and all(y.upos in np_tags for y in before) and any(y.upos in ("PROPN", "NOUN", "PRON") for y in before) \
                and all(y.upos == "ADV" or y.lower in TIME_WORDS for y in after):
            src = before  # ", he says,", ", Sinclair said Tuesday,"
        elif not before and after and all(y.upos in np_tags for y in after) and cue.lemma in _INVERTING:
            src = after  # ", said Ortiz," (", called the Legacy Fund," names, it does not report)
        else:
            continue
        left = [y for y in ws[:i] if not (y.upos == "PUNCT" and y.text in QUOTE_MARKS)]
        right = ws[close + 1:end]
        if not left or left[0].upos in ("CCONJ", "SCONJ") or ws[i - 1].lower in ("who", "which", "that", "whom") \
                or ws[i - 1].upos == "CCONJ":
            continue  # "..., who works for RT and, Mr. King said, has ...": inside a relative clause
        if not _runs_on(left, right):
            continue
        return cue, src, _trim(ws[:i]) + _trim(right)
    return None


# cues that invert around their speaker inside a sentence: ", said Ortiz,", ", added the mayor,"
_INVERTING = {"say", "add", "write", "explain", "insist", "argue", "note", "continue", "conclude"}


def _runs_on(left: list[Word], right: list[Word]) -> bool:
    """Whether the words after an inserted source ("X, according to Y, Z", "X, he says, Z")
    continue the sentence before it: the predicate of a subject on the left ("Police, Sinclair
    says, [have] no policies"), or a whole clause after an adverbial opening ("Too often, he says,
    [they get it wrong]") -- not an apposition of the source ("..., said Brian Baker, [a longtime
    adviser who] ...")."""
    if not right or not any(y.upos in ("VERB", "AUX") for y in right):
        return False
    if right[0].upos in ("CCONJ", "SCONJ") or right[0].lower in ("who", "which", "that", "whose"):
        return False
    return right[0].upos in ("VERB", "AUX", "ADV", "PART") or left[0].upos in ("ADP", "SCONJ", "ADV", "PART") \
        or left[0].lower.endswith("ing")  # "To understand X, he said, one should ...", "Speaking ..., ..."


def _layout_source(sent: Sentence, lex: Lexicon, found: list[CueMatch], cue: Word, src: list[Word]) -> CueMatch:
    """The match of ``cue`` (the parsed one, or a new one) with the source a layout found for it."""
    m = next((x for x in found if x.cue[0] is cue), None)
    if m is None:
        c = lex.cue_for(cue.lemma, cue.text) or Cue(cue.lemma)
        m = CueMatch(sent, [cue], cue.lemma, c.cls)
        found.append(m)
    heads = [x for x in src if x.upos in ("PROPN", "NOUN", "PRON")]
    m.source, m.source_head = src, (heads[-1] if heads else src[-1])
    return m


def _apply_parenthetical(sent: Sentence, lex: Lexicon, found: list[CueMatch]) -> None:
    hit = _parenthetical_layout(sent, lex)
    if hit is None:
        return
    cue, src, content = hit
    m = _layout_source(sent, lex, found, cue, src)
    m.content, m.content_is_host, m.content_fixed, m.addressee = content, True, True, []


def _apply_final_cue(sent: Sentence, lex: Lexicon, found: list[CueMatch]) -> None:
    hit = _final_cue_layout(sent, lex)
    if hit is None:
        return
    cue, src, comma = hit
    m = _layout_source(sent, lex, found, cue, src)
    m.content = _trim(sent.words[:comma])
    m.content_is_host = True
    m.addressee = []


def find_cues(sentences: Iterable[Sentence], lex: Lexicon, inside_quote=lambda pos: False) -> list[CueMatch]:
    """All cue matches of the parsed sentences, in text order.

    ``inside_quote(offset)`` tells whether a character lies inside a direct quote;
    cues there belong to the quoted speech and are skipped.
    """
    out: list[CueMatch] = []
    # what ends a reported clause is another report ("..., he added"), not an attitude ("he thinks")
    speech_lemmas = {lemma for lemma, cue in lex.cues.items() if cue.is_speech}
    for sent in sentences:
        if not sent.parsed:
            continue
        found: list[CueMatch] = []
        for w in sent.words:
            if inside_quote(w.start):
                continue
            m: Optional[CueMatch] = None
            if w.lower == "according" and any(c.lower == "to" for c in sent.children(w.id)) or (
                    w.lower == "according" and w.id < len(sent.words) and sent.words[w.id].lower == "to"):
                m = _according(sent, w)
            elif (cue := lex.cue_for(w.lemma, w.text)) is not None and w.upos in ("VERB", "AUX") \
                    and cue.lemma != "quote" and not (
                    w.head > 0 and sent.word(w.head).lemma == "quote"):  # "quoted as saying": one cue
                w.lemma = cue.lemma
                m = _verb_cue(sent, w, cue, speech_lemmas)
                if m is not None and m.source_head is not None and inside_quote(m.source_head.start):
                    # '"..., folks," Trump told a rally, saying ...': the parse took a word of the
                    # quote for the subject; the name before the (governing) verb is the speaker
                    verb = sent.word(w.head) if w.deprel in ("advcl", "xcomp", "conj") and w.head > 0 else w
                    left = [x for x in _np_left_of(sent, verb) if not inside_quote(x.start)]
                    heads = [x for x in left if x.upos in ("PROPN", "NOUN", "PRON")]
                    m.source, m.source_head = (left, heads[-1]) if heads else ([], None)
            elif w.lemma == "quote" and w.upos == "VERB" and any(
                    c.lemma == "say" for c in sent.children(w.id)):
                m = _verb_cue(sent, w, lex.cues.get("quote", Cue("quote")), speech_lemmas)
            if m is not None:
                found.append(m)
        if not inside_quote(sent.end - 1):
            _apply_final_cue(sent, lex, found)
        if not any(inside_quote(w.start) for w in sent.words):
            _apply_parenthetical(sent, lex, found)
        _asked_layout(sent, found)
        found.sort(key=lambda m: m.cue[0].start)
        out.extend(found)
    return out
