"""The ``minilm`` tagger and parser (`quotecraft.nlp.tagparse`): loading, output, errors.

Loads the shipped weights (``quotecraft/models/en_minilm/tagparse.pt``) and the encoder of
the ``learned`` extra, which ``make venv`` installs; nothing is fetched.
"""
from __future__ import annotations

import shutil

import pytest

from quotecraft.nlp.paths import MINILM_MODEL_DIR
from quotecraft.errors import ModelError
from quotecraft.nlp.loading import load_stanza

WEIGHTS = MINILM_MODEL_DIR / "tagparse.pt"
pytestmark = pytest.mark.skipif(not WEIGHTS.is_file(), reason="minilm weights not built")

TEXT = ("The harbour master said on Tuesday that the ferries would run again in May. "
        "\"We are not there yet,\" she told reporters. Critics doubt it.")


@pytest.fixture(scope="module")
def nlp():
    return load_stanza("minilm")


def _check_tree(sentence) -> None:
    words = sentence.words
    heads = [w.head for w in words]
    assert all(0 <= h <= len(words) for h in heads)
    assert heads.count(0) == 1
    for i in range(1, len(words) + 1):  # every word reaches the root without a cycle
        seen, j = set(), i
        while j != 0:
            assert j not in seen, f"cycle through word {j}"
            seen.add(j)
            j = heads[j - 1]


def test_fields_filled_and_trees_well_formed(nlp):
    doc = nlp(TEXT)
    assert len(doc.sentences) == 3
    for s in doc.sentences:
        _check_tree(s)
        for w in s.words:
            assert w.upos and w.xpos and w.deprel and w.lemma
            assert w.feats is None or all("=" in f for f in w.feats.split("|"))  # Stanza stores "_" as None
        assert [w.deprel for w in s.words].count("root") == 1
    assert sum(w.feats is not None for s in doc.sentences for w in s.words) > 5
    said = next(w for w in doc.sentences[0].words if w.text == "said")
    assert said.upos == "VERB" and said.deprel == "root"
    master = next(w for w in doc.sentences[0].words if w.text == "master")
    assert master.head == said.id and master.deprel == "nsubj"


def test_deterministic(nlp):
    def run():
        return [(w.upos, w.xpos, w.feats, w.head, w.deprel) for s in nlp(TEXT).sentences for w in s.words]
    assert run() == run()


def test_pretokenized_long_sentence_is_windowed():
    # 150 words of several pieces each: far past the encoder's 256-piece window
    words = ["Mr", "Quibbleworth", "said"] + ["antidisestablishmentarianism", "and"] * 73 + ["reforms", "."]
    nlp = load_stanza("minilm", processors="tokenize,pos,lemma,depparse", tokenize_pretokenized=True)
    doc = nlp([words])
    assert len(doc.sentences[0].words) == len(words)
    _check_tree(doc.sentences[0])


def test_missing_weights_named(tmp_path):
    with pytest.raises(ModelError, match="tagparse.pt"):
        load_stanza("minilm", model_dir=tmp_path, cache=False)


def test_corrupt_weights_named(tmp_path):
    (tmp_path / "tagparse.pt").write_bytes(b"not a model")
    with pytest.raises(ModelError, match=r"tagparse\.pt cannot be read"):
        load_stanza("minilm", model_dir=tmp_path, cache=False)


def test_truncated_weights_named(tmp_path):
    data = WEIGHTS.read_bytes()
    (tmp_path / "tagparse.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="cannot be read"):
        load_stanza("minilm", model_dir=tmp_path, cache=False)


def test_copied_weights_load_from_model_dir(tmp_path):
    shutil.copyfile(WEIGHTS, tmp_path / "tagparse.pt")
    text = "Critics doubt it."
    words = load_stanza("minilm", model_dir=tmp_path)(text).sentences[0].words
    # the copy reads exactly as the package's own file does
    reference = load_stanza("minilm")(text).sentences[0].words
    assert [(w.upos, w.head, w.deprel) for w in words] == [(w.upos, w.head, w.deprel) for w in reference]
    assert [(w.text, w.upos, w.head) for w in words if w.deprel == "root"] == [("doubt", "VERB", 0)]


def test_extractor_minilm_shares_the_encoder():
    from quotecraft import Extractor
    from quotecraft.nlp.encoder import load_encoder
    from quotecraft.nlp.tagparse import _encoder

    art = Extractor(model="minilm").extract(TEXT)
    speakers = {q.speaker.name for q in art.quotes if q.speaker}
    assert any("harbour master" in s for s in speakers)
    assert _encoder() is load_encoder()  # one encoder per process, whatever uses it
