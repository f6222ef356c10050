"""The default model's one encoder pass (`quotecraft.nlp.shared`, issue 22)."""
from __future__ import annotations

import pytest

import quotecraft
from quotecraft.nlp.bound import MAX_WORDS
from quotecraft.nlp.encoder import Encoder
from syntax import run  # noqa: F401  (the fixture)

pytestmark = pytest.mark.model

ARTICLE = ("The river rose overnight and the bridge stayed closed all morning.\n\n"
           "\"We will reopen it when the water drops,\" the mayor, Ida Brandt, said on Tuesday.\n\n"
           "Engineers inspected the pillars before noon.\n")


@pytest.fixture(scope="module")
def ex():
    return quotecraft.Extractor()


def test_the_default_is_the_one_pass_model_with_the_learned_spans(ex):
    assert "model='minilm'" in repr(ex) and ex.attribution == "learned" and ex._shared is not None


def test_one_encoder_run_per_window_and_none_by_the_tagger(ex, monkeypatch):
    calls = []
    bert = ex._shared.encoder.bert

    class Counting:
        width = bert.width

        def __call__(self, ids, mask, layers):
            calls.append(tuple(ids.shape))
            return bert(ids, mask, layers)

    monkeypatch.setattr(ex._shared.encoder, "bert", Counting())
    # the tagger reads the pass's features: a second encoding would go through Encoder.encode
    monkeypatch.setattr(Encoder, "encode", lambda *a, **k: pytest.fail("a second encoder pass"))
    art = ex.extract(ARTICLE)
    q = [q for q in art.quotes if "reopen" in q.text]
    assert q and q[0].speaker.name == "Ida Brandt"
    # the three short paragraphs are packed into one window: one run of the encoder, one window wide
    assert len(calls) == 1 and calls[0][0] == 1


def test_the_chunk_keeps_every_window_s_attribution_features(ex):
    blocks = [(0, ARTICLE.index("\n")), (ARTICLE.index("\"We"), ARTICLE.index("\n", ARTICLE.index("\"We"))),
              (ARTICLE.index("Engineers"), len(ARTICLE) - 1)]
    chunk = ex._shared.run(ARTICLE, blocks)
    covered = [o for w in chunk.windows for o in w.offsets]
    assert covered[0][0] == 0 and covered[-1][1] == len(ARTICLE) - 1  # every paragraph is encoded
    assert len(chunk.sentences) == 3
    assert [len(f) for f in chunk.feats] == [len(w.ids) for w in chunk.windows]
    assert chunk.feats[0].shape[1] == ex._shared.encoder.dim


def test_sentences_that_may_quote_are_tagged_parsed_and_lemmatized(ex):
    text = "Officials met on Monday. The minister said the talks would resume in May."
    first, second = ex.parse(text, [(0, len(text))])
    assert not first.parsed and all(w.upos == "X" and w.head == -1 for w in first.words)
    assert second.parsed and [w.head for w in second.words].count(0) == 1
    said = next(w for w in second.words if w.text == "said")
    assert said.lemma == "say" and said.upos == "VERB"
    assert all(text[w.start:w.end] == w.text for s in (first, second) for w in s.words)


def test_a_sentence_over_the_word_limit_is_cut(ex):
    text = "Officials said " + ", ".join(f"item{i}" for i in range(300)) + "."
    sents = ex.parse(text, [(0, len(text))])
    assert len(sents) > 1 and all(len(s.words) <= MAX_WORDS for s in sents)
    assert [s.continues for s in sents] == [False] + [True] * (len(sents) - 1)


def test_a_reporting_tail_the_parse_hung_as_a_complement_stays_out_of_the_content(run):  # noqa: F811
    """ "X told Y that Z, the agency reported.": the one-pass parser hangs "reported" on "told"
    (ccomp) and the comma on Z's verb; the content still ends before the tail."""
    text = "Lee told Kim that the talks would resume soon, the agency reported."
    a = run(text, "Lee/PROPN/2/nsubj told/VERB/0/root/tell Kim/PROPN/2/iobj that/SCONJ/8/mark the/DET/6/det "
                  "talks/NOUN/8/nsubj would/AUX/8/aux resume/VERB/2/ccomp/resume soon/ADV/8/advmod ,/PUNCT/8/punct "
                  "the/DET/12/det agency/NOUN/13/nsubj reported/VERB/2/ccomp/report ./PUNCT/2/punct")
    told = [q for q in a.quotes if q.cue.text == "told"]
    assert [q.text for q in told] == ["that the talks would resume soon"] and told[0].speaker.name == "Lee"


@pytest.mark.parametrize("text", ['"We are ready to talk," said Foreign\nMinister Ana Lopez on Monday.',
                                  "The talks will resume in May, Foreign Minister\nAna Lopez told reporters."])
def test_a_line_break_between_a_title_and_its_name_keeps_the_speaker_whole(ex, text):
    art = ex.extract(text)
    assert [q.speaker.name for q in art.quotes] == ["Ana Lopez"]
