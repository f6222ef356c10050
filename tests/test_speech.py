"""Speech or not (`quotecraft.attribution.speech`): each step of the type, the filter, the head's
file, and the default extractor on passages written for this test."""
from __future__ import annotations

import pytest
import torch

import quotecraft
from quotecraft.attribution.resolve import Attribution
from quotecraft.attribution.speech import (NOT_A_REPORT, TypeHead, attribution_type, cue_type, load_type_head,
                                           type_attributions)
from quotecraft.errors import HeadError
from quotecraft.lexicon import Lexicon

LEX = Lexicon.default()


def at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.mark.parametrize("cue,expected", [
    ("said", ("speech", "lexicon")),
    ("has also urged", ("speech", "lexicon")),  # a directive is speech
    ("according to", ("speech", "speech_frame")),
    (":", ("speech", "speech_frame")),
    ("said in a statement", ("speech", "speech_frame")),
    ("believes", ("belief", "lexicon")),
    ("hopes", ("intention", "lexicon")),
    ("wants", ("intention", "lexicon")),
    ("seemed", ("perception", "lexicon")),
    ("showed", ("finding", "lexicon")),
    ("found", ("finding", "lexicon")),
])
def test_the_cue_tells_its_type(cue, expected):
    told = cue_type(cue, LEX)
    assert (told.type, told.step) == expected


def test_a_cue_the_lexicon_does_not_know_tells_nothing():
    assert cue_type("likened", LEX) is None
    assert cue_type("was named", LEX) is None


def test_a_quotes_only_cue_reports_speech_only_with_a_quotation():
    text = 'They signed a declaration that listed goals. She listed "three reasons to stay".'
    listed = at(text, "listed")
    assert attribution_type(text, "indirect", listed, LEX).type == "other"
    second = (text.rindex("listed"), text.rindex("listed") + 6)
    assert attribution_type(text, "mixed", second, LEX).type == "speech"


def test_a_direct_quote_is_speech_whatever_its_cue():
    text = '"We will win," the coach hoped.'
    typed = attribution_type(text, "direct", at(text, "hoped"), LEX)
    assert (typed.type, typed.step) == ("speech", "quote_marks")


@pytest.mark.parametrize("text,cue,content,unsaid", [
    ("The agency did not say when the inspection took place.", "say", "when the inspection", True),
    ("The club didn't explain why the match was moved.", "explain", "why the match", True),
    ("Police would not say how many people were held.", "say", "how many people", True),
    ("The firm has yet to disclose whether it will appeal.", "disclose", "whether it will", True),
    # the tagger's content may start after the question word
    ("The board did not say when the vote would be held.", "say", "the vote would", True),
    ("The brothers cannot agree on whether to sell the farm.", "agree", "whether to sell", True),
    # a request not to be named: nothing said on the record
    ("The people asked not to be identified because the talks are private.", "asked", "not to be", True),
    ("One engineer asked not to be named because she feared losing her severance.", "asked", "not to be", True),
    # a request for comment: the reporter's question, not the speaker's words
    ("The mayor's office did not respond to a request for comment.", "respond", "to a request", True),
    ("The company did not immediately return messages seeking comment.", "return", "messages seeking", True),
    ("A spokesman didn't reply to repeated requests for comment on Friday.", "reply", "repeated requests", True),
    # nothing as the content: silence, not words
    ("Asked about the merger, she said nothing.", "said", "nothing", True),
    ("The minister said little about the budget on Friday.", "said", "little about", True),
    ("Kim said nothing more to reporters.", "said", "nothing more", True),
    ("The coach said nothing had changed.", "said", "nothing had", False),
    ("The mayor said little could be done.", "said", "little could", False),
    ("The plan proposed little in the way of reform.", "proposed", "little in the way", False),
    # not negated, or negated but no open question: the cue's own type
    ("The mayor responded to questions about the budget.", "responded", "questions about", False),
    ("The coach said when the season ends, he will retire.", "said", "when the season", False),
    ("The mayor did not say the plan had failed.", "say", "the plan had failed", False),
])
def test_a_negated_cue_of_an_open_question_reports_nothing_said(text, cue, content, unsaid):
    typed = attribution_type(text, "indirect", at(text, cue), LEX, content_start=text.index(content))
    assert (typed.type, typed.step) == (("other", "unsaid") if unsaid else ("speech", "lexicon"))
    # a direct quote stays speech
    assert attribution_type(text, "direct", at(text, cue), LEX, content_start=text.index(content)).type == "speech"


def test_without_a_cue_only_a_quotation_is_speech():
    text = 'Prices rose. The "historic" deal stands.'
    assert attribution_type(text, "indirect", None, LEX).type == "other"
    assert attribution_type(text, "mixed", None, LEX).type == "speech"


class _FakeHead(TypeHead):
    def __init__(self, probs, speech_floor=None, none_floor=0.5):
        self._p, self.speech_floor, self.none_floor = probs, speech_floor, none_floor

    def probabilities(self, features):
        return dict(self._p)


def test_the_model_types_an_unknown_cue_and_never_calls_it_speech_by_default():
    text = "The minister likened the plan to a gamble."
    likened = at(text, "likened")
    sure_speech = _FakeHead({"speech": 0.97, "belief": 0.02, "none": 0.01})
    typed = attribution_type(text, "indirect", likened, LEX, sure_speech, lambda cue: [0.0])
    assert (typed.type, typed.step) == ("belief", "model")
    # a head given a speech floor may call it speech
    typed = attribution_type(text, "indirect", likened, LEX, _FakeHead(sure_speech._p, 0.9), lambda c: [0.0])
    assert typed.type == "speech"
    # no features for the cue: no evidence, never speech
    typed = attribution_type(text, "indirect", likened, LEX, sure_speech, lambda cue: None)
    assert (typed.type, typed.step) == ("other", "no_evidence")


def test_the_filter_keeps_speech_by_default_and_drops_what_reports_nothing():
    text = "Ann Lee said taxes rose. Bo Ames hopes to run. Cy Oduya was named the candidate."
    said = Attribution([at(text, "taxes rose")], "indirect", cue=at(text, "said"))
    hopes = Attribution([at(text, "to run")], "indirect", cue=at(text, "hopes"))
    named = Attribution([at(text, "the candidate")], "indirect", cue=at(text, "named"))
    head = _FakeHead({"speech": 0.1, "belief": 0.1, NOT_A_REPORT: 0.8})
    pieces = {at(text, "named"): torch.zeros(4)}
    kept = type_attributions(text, [said, hopes, named], LEX, False, head, pieces)
    assert kept == [said] and said.type == "speech"
    kept = type_attributions(text, [said, hopes, named], LEX, True, head, pieces)
    assert kept == [said, hopes] and hopes.type == "intention" and named.type == NOT_A_REPORT


def test_the_type_head_file(tmp_path):
    assert load_type_head(tmp_path / "missing.pt") is None
    bad = tmp_path / "cuetype.pt"
    bad.write_bytes(b"not a torch file")
    with pytest.raises(HeadError, match=str(bad)):
        load_type_head(bad)
    shipped = load_type_head()
    assert shipped is not None and shipped.speech_floor is None and "speech" in shipped.labels


PASSAGE = ("Mayor Ines Lindqvist said the ferry will run again in May. Lindqvist hopes to win a third term. "
           "A survey by the city found that most residents support the new harbour. Local shops, she believes, "
           "will gain the most.")


@pytest.mark.model
def test_the_default_extractor_returns_speech_only():
    article = quotecraft.extract(PASSAGE)
    assert [q.type for q in article.quotes] == ["speech"] * len(article.quotes)
    assert any("the ferry will run again" in q.text for q in article.quotes)
    for absent in ("third term", "most residents", "shops"):
        assert not any(absent in q.text for q in article.quotes), [q.text for q in article.quotes]


UNSAID = ("The port authority said the cranes would be back in service on Friday. It did not say when "
          "the damaged pier would reopen. Union leaders would not say whether a strike was planned.")


@pytest.mark.model
@pytest.mark.parametrize("attribution", ["learned", "rules"])
def test_what_was_not_said_is_no_quote(attribution):
    article = quotecraft.Extractor(attribution=attribution).extract(UNSAID)
    assert any("cranes would be back" in q.text for q in article.quotes)
    for absent in ("damaged pier", "a strike was planned"):
        assert not any(absent in q.text for q in article.quotes), [q.text for q in article.quotes]
    # with every attribution asked for, they are there as "other"
    every = quotecraft.Extractor(attribution=attribution, include_beliefs=True).extract(UNSAID)
    assert all(q.type == "other" for q in every.quotes if "damaged pier" in q.text or "strike" in q.text)


@pytest.mark.model
@pytest.mark.parametrize("attribution", ["learned", "rules"])
def test_include_beliefs_returns_every_attribution_typed(attribution):
    article = quotecraft.Extractor(include_beliefs=True, attribution=attribution).extract(PASSAGE)
    types = {q.type for q in article.quotes}
    assert "speech" in types and types & {"belief", "intention", "finding"}, \
        [(q.type, q.text) for q in article.quotes]
    assert all(q.type != "speech" for q in article.quotes if "most residents" in q.text)
    again = quotecraft.Article.from_dict(article.to_dict())
    assert [q.type for q in again.quotes] == [q.type for q in article.quotes]


@pytest.mark.parametrize("text,cue,passive", [
    ("Man charged after break-in at pharmacy\n\nA man was charged on Tuesday.", "charged", True),
    ("Senator slammed over remarks on veterans\n\nThe senator apologised.", "slammed", True),
    # a headline that reports words, or a cue outside the title line, keeps its type
    ("Trump says wall will be built\n\nThe president spoke.", "says", False),
    ("Mayor warned residents to leave\n\nThe river rose.", "warned", False),
    ("The river rose.\n\nThe mayor warned over the radio that it would flood.", "warned", False),
    ("Police said the man charged after the break-in had a record.", "charged", False),
])
def test_a_headline_passive_reports_no_words(text, cue, passive):
    typed = attribution_type(text, "indirect", at(text, cue), LEX, content_start=at(text, cue)[1] + 1)
    assert (typed.step == "headline_passive") == passive
