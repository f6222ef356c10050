"""The cue word and its phrase (quotecraft.attribution.cue_phrase), on hand-written parses."""
from __future__ import annotations

import json

import pytest

from quotecraft.attribution.cue_phrase import head_word, settle_cues, whole_according
from quotecraft.lexicon import Lexicon
from quotecraft.objects import Article, Quote, Span
from quotecraft.attribution.resolve import Attribution
from syntax import one, run, sent  # noqa: F401  (run is a fixture)

HAS_ALSO = "The mayor has also said that taxes will rise."
HAS_ALSO_PARSE = ("The/DET/2/det mayor/NOUN/5/nsubj has/AUX/5/aux also/ADV/5/advmod said/VERB/0/root/say "
                  "that/SCONJ/9/mark taxes/NOUN/9/nsubj will/AUX/9/aux rise/VERB/5/ccomp ./PUNCT/5/punct")


def _at(s):
    return lambda pos: s


def _rng(text, words):
    i = text.index(words)
    return (i, i + len(words))


#: one case per widening rule of quotecraft.attribution.cue_phrase: text, parse, cue word, content, phrase (None: none)
WIDEN_CASES = {
    "auxiliaries and adverbs": (HAS_ALSO, HAS_ALSO_PARSE, "said", "that taxes will rise", "has also said"),
    # a colon right after the cue is the cue's, as PolNeAR marks it
    "colon": ("Ruiz said: taxes will rise.",
              "Ruiz/PROPN/2/nsubj said/VERB/0/root/say :/PUNCT/2/punct taxes/NOUN/6/nsubj will/AUX/6/aux "
              "rise/VERB/2/ccomp ./PUNCT/2/punct", "said", "taxes will rise", "said:"),
    # a sentence adverb set off by a comma is not the cue's
    "sentence adverb": ("Also, she said rents would fall.",
                        "Also/ADV/4/advmod ,/PUNCT/1/punct she/PRON/4/nsubj said/VERB/0/root rents/NOUN/7/nsubj "
                        "would/AUX/7/aux fall/VERB/4/ccomp ./PUNCT/4/punct", "said", "rents would fall", None),
    "prepositions before the content": (
        "The minister called on donors to act.",
        "The/DET/2/det minister/NOUN/3/nsubj called/VERB/0/root/call on/ADP/5/case donors/NOUN/3/obl "
        "to/PART/7/mark act/VERB/3/xcomp ./PUNCT/3/punct", "called", "donors to act", "called on"),
    # the particle joins; no word of the subject does
    "particle": ("Critics pointed out that the plan was late.",
                 "Critics/NOUN/2/nsubj pointed/VERB/0/root/point out/ADP/2/compound:prt that/SCONJ/8/mark "
                 "the/DET/6/det plan/NOUN/8/nsubj was/AUX/8/cop late/ADJ/2/ccomp ./PUNCT/2/punct",
                 "pointed", "that the plan was late", "pointed out"),
}


@pytest.mark.parametrize("case", sorted(WIDEN_CASES))
def test_widen_grows_the_phrase_by_its_rules(case):
    text, parse, cue, content, phrase = WIDEN_CASES[case]
    a = Attribution([_rng(text, content)], "indirect", cue=_rng(text, cue))
    settle_cues(text, [a], _at(sent(text, parse)), lambda w: True)  # the resolver's word: widen, then the colon
    assert (text[slice(*a.cue_phrase)] if a.cue_phrase else None) == phrase
    assert text[slice(*a.cue)] == cue  # the cue itself stays the word


def test_a_tagged_phrase_gives_its_cue_word():
    s = sent(HAS_ALSO, HAS_ALSO_PARSE)
    phrase = _rng(HAS_ALSO, "has also said")
    word = head_word(s, phrase, lambda w: w.lemma == "say")
    assert HAS_ALSO[slice(*word)] == "said"
    text = "Police are investigating, according to the statement."
    s2 = sent(text, "Police/NOUN/3/nsubj are/AUX/3/aux investigating/VERB/0/root ,/PUNCT/8/punct "
                    "according/VERB/8/case/accord to/ADP/5/fixed the/DET/8/det statement/NOUN/3/obl ./PUNCT/3/punct")
    assert text[slice(*head_word(s2, _rng(text, "according to"), lambda w: w.lemma == "accord"))] == "according to"
    # no parse to go on: the phrase stays what the tagger said, unless a word of it is a cue form
    assert head_word(None, phrase, lambda w: True) == phrase
    assert HAS_ALSO[slice(*head_word(None, phrase, lambda w: True, HAS_ALSO, frozenset({"said"})))] == "said"


@pytest.mark.parametrize("text, tagged, phrase", [
    # a verb of saying: the place or occasion after it is no part of the cue
    ("The ministry also said in a statement that talks failed.", "also said in a statement", "also said"),
    ("Lopez told reporters at a briefing that the plan was dead.", "told reporters at", "told reporters"),
    ("The senator wrote on Twitter that the vote was rigged.", "wrote on", None),
    ("The coach said of his players that they never gave up.", "said of", None),
    ("Lopez added in Ohio: the plan was dead.", "added in Ohio", None),
    # other verbs keep it, as PolNeAR's cues do ("focus on", "comment on", "call on")
    ("The mayor commented on the plan.", "commented on", "commented on"),
])
def test_a_tagged_phrase_leaves_out_the_setting_of_a_verb_of_saying(text, tagged, phrase):
    from quotecraft.attribution.cue_phrase import tagged_cue

    words = {"said", "told", "wrote", "commented", "added"}
    saying = Lexicon.default().verb_phrase_forms
    word, got = tagged_cue(text, _rng(text, tagged), None, lambda w: True, frozenset(words), saying)
    assert text[slice(*word)] in words
    assert (text[slice(*got)] if got else None) == phrase


def test_the_verbs_of_saying_are_a_cue_option_users_can_set():
    from quotecraft.attribution.cue_phrase import tagged_cue

    text = "The mayor commented on the plan."
    own = Lexicon.default().extended(["comment\tspeech\tphrase=verb"])
    assert "commented" not in Lexicon.default().verb_phrase_forms and "commented" in own.verb_phrase_forms
    assert {"said", "told", "wrote", "tweeted", "asked"} <= Lexicon.default().verb_phrase_forms
    word, phrase = tagged_cue(text, _rng(text, "commented on"), None, lambda w: True, frozenset({"commented"}),
                              own.verb_phrase_forms)
    assert text[slice(*word)] == "commented" and phrase is None


@pytest.mark.parametrize("origin, cue, phrase, want", [
    ("tagger", "added", "added", "added:"),  # the tagger left the colon out
    ("tagger", "added", "has added", "has added:"),
    ("resolver", "added", None, "added:"),  # the resolver's word, in a sentence left unparsed
    ("resolver", "said", None, None),  # no colon after it
])
def test_a_colon_after_the_cue_joins_its_phrase_whoever_read_it(origin, cue, phrase, want):
    text = 'Lopez has added: "We will act." Kim said "no" today.'
    tagged_phrase = _rng(text, phrase) if phrase else None
    a = Attribution([_rng(text, "We will act.")], "direct", cue=tagged_phrase if origin == "tagger" else _rng(text, cue),
                    origin=origin)
    settle_cues(text, [a], lambda pos: None, lambda w: True, frozenset({"added", "said"}))
    assert text[slice(*a.cue)] == cue
    assert (text[slice(*a.cue_phrase)] if a.cue_phrase else None) == want


@pytest.mark.parametrize("text, tagged, cue", [
    ("Prices rose, according to the survey.", "according", "according to"),
    ("Prices rose, According\nto the survey.", "According", "According\nto"),
    ("Prices rose, according to the survey.", "according to", "according to"),
    ("Prices rose accordingly, the survey said.", "said", "said"),
    ("It was according, to be fair.", "according", "according"),
])
def test_according_is_read_with_its_to(text, tagged, cue):
    assert text[slice(*whole_according(text, _rng(text, tagged)))] == cue


def test_the_extractor_reports_both(run):
    art = run(HAS_ALSO, HAS_ALSO_PARSE)
    q = one(art, "taxes will rise")
    assert q.cue.text == "said" and q.cue_phrase.text == "has also said"
    again = Article.from_dict(json.loads(json.dumps(art.to_dict())))
    assert again.quotes[0].cue_phrase == q.cue_phrase


def test_a_phrase_must_hold_its_cue():
    text = "He has said so."
    with pytest.raises(ValueError, match="does not contain the cue"):
        Quote(content=(Span.of(text, 12, 14),), cue=Span.of(text, 7, 11), cue_phrase=Span.of(text, 3, 6))
    with pytest.raises(ValueError, match="needs a cue"):
        Quote(content=(Span.of(text, 12, 14),), cue_phrase=Span.of(text, 3, 11))
