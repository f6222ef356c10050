"""The fast path (`quotecraft.nlp.fastparse`, ``load_stanza(model="fast")``, ``Extractor(model="fast")``).

Well-formedness is checked both on the shipped model and on an untrained one
(random weights, built here), whose scores give the tree decoder no help.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from quotecraft import Extractor
from quotecraft.nlp import loading
from quotecraft.nlp.fastparse import FAST_MODEL_DIR, FAST_MODEL_FILE, N_AFFIX, Vocab, _build_network, affix_ids
from quotecraft.train.fastparse import _save_model
from quotecraft.errors import ModelError
from quotecraft.nlp.loading import load_stanza

TEXT = ("“We will not back down,” the mayor said on Tuesday.\n\n"
        "Officials said they’d respond — eventually. \"It's complicated,\" added Dana Ortiz, a spokeswoman.\n"
        "The council, which met for three hours, voted 7-2 to approve the plan.")


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    monkeypatch.setattr(loading, "_cache", {})


def _check_doc(doc, text: str) -> None:
    for s in doc.sentences:
        roots = [w for w in s.words if w.head == 0]
        assert len(roots) == 1 and roots[0].deprel == "root"
        n = len(s.words)
        for w in s.words:
            assert w.upos and w.xpos and w.lemma is not None and w.deprel
            assert 0 <= w.head <= n and w.head != w.id
            assert (w.deprel == "root") == (w.head == 0)
            seen, i = set(), w.id  # the head chain reaches the root without a cycle
            while i != 0:
                assert i not in seen
                seen.add(i)
                i = s.words[i - 1].head
        for t in s.tokens:
            assert text[t.start_char:t.end_char] == t.text


def _random_model(folder: Path, seed: int = 0) -> Path:
    """A fastparse.pt with the shipped format and random weights (small dimensions)."""
    import torch

    vocab = Vocab({"words": ["<pad>", "<unk>", "<root>", "the", "said"], "upos": ["NOUN", "PUNCT", "VERB"],
                   "xpos": ["NN", "VBD", "."], "feats": ["_", "Number=Sing"], "rels": ["nsubj", "punct", "root"]})
    cfg = dict(word_dim=8, affix_dim=8, buckets=64, hidden=8, layers=1, arc_dim=8, rel_dim=4, dropout=0.0,
               n_words=5, n_upos=3, n_xpos=3, n_feats=2, n_rels=3)
    torch.manual_seed(seed)
    net = _build_network(cfg)
    for p in net.parameters():
        torch.nn.init.normal_(p, std=2.0)
    _save_model(net, cfg, vocab, folder / FAST_MODEL_FILE, {})
    return folder


def test_affix_ids_are_stable_and_bounded():
    # crc32, not Python's salted hash: the ids must be those seen in training, in any process
    assert affix_ids("Said", 1000) == affix_ids("Said", 1000)
    ids = affix_ids("Ortiz-Garcia", 50)
    assert len(ids) == N_AFFIX and all(0 <= i < 50 for i in ids)
    assert affix_ids("said", 10**6)[-1] != affix_ids("Said", 10**6)[-1]  # case kept in the form feature


def test_untrained_model_still_gives_trees(tmp_path):
    nlp = load_stanza("fast", model_dir=_random_model(tmp_path), cache=False)
    long = " ".join(f"word{i}" for i in range(90)) + "."  # past the exact decoder's limit
    text = TEXT + "\n\n" + long
    doc = nlp(text)
    _check_doc(doc, text)
    assert max(len(s.words) for s in doc.sentences) > 60


def test_missing_and_corrupt_weights_are_clear_errors(tmp_path):
    with pytest.raises(ModelError, match="fast model file is missing.*python -m quotecraft.train fastparse"):
        load_stanza("fast", model_dir=tmp_path, cache=False)
    (tmp_path / FAST_MODEL_FILE).write_bytes(b"not a model")
    with pytest.raises(ModelError, match="cannot be read"):
        load_stanza("fast", model_dir=tmp_path, cache=False)
    with pytest.raises(ModelError, match="missing"):
        Extractor(model="fast", model_dir=str(tmp_path / "..")).extract("“Yes,” she said.")


# ---------------------------------------------------------------- the shipped model

def test_shipped_model_is_small_float16():
    import torch

    path = FAST_MODEL_DIR / FAST_MODEL_FILE
    assert path.stat().st_size < 15 * 2**20
    blob = torch.load(path, map_location="cpu", weights_only=True)
    assert {v.dtype for v in blob["state_dict"].values()} == {torch.float16}


def test_fields_trees_and_offsets():
    nlp = load_stanza("fast")
    doc = nlp(TEXT)
    _check_doc(doc, TEXT)
    # the tokenizer is the embedded model's: the same tokens and sentence breaks
    ref = load_stanza("embedded", processors="tokenize,mwt")(TEXT)
    assert [[(t.start_char, t.end_char) for t in s.tokens] for s in doc.sentences] == \
           [[(t.start_char, t.end_char) for t in s.tokens] for s in ref.sentences]
    said = next(w for s in doc.sentences for w in s.words if w.text == "said")
    assert said.lemma == "say" and said.upos == "VERB"


def test_deterministic():
    nlp = load_stanza("fast")
    a = [(w.upos, w.xpos, w.feats, w.lemma, w.head, w.deprel) for s in nlp(TEXT).sentences for w in s.words]
    order = TEXT.split("\n")
    random.Random(1).shuffle(order)  # other sentences in the batch must not change a sentence's parse
    nlp("\n\n".join(order))
    b = [(w.upos, w.xpos, w.feats, w.lemma, w.head, w.deprel) for s in nlp(TEXT).sentences for w in s.words]
    assert a == b


def test_extractor_fast_finds_quotes_with_exact_offsets():
    art = Extractor(model="fast").extract(TEXT)
    contents = [TEXT[f.start:f.end] for q in art.quotes for f in q.content]
    assert "“We will not back down,”" in contents
    assert "\"It's complicated,\"" in contents
    for q in art.quotes:
        for f in q.content:
            assert TEXT[f.start:f.end] == f.text
    mayor = next(q for q in art.quotes if q.content[0].text.startswith("“We"))
    assert mayor.speaker is not None and "mayor" in mayor.speaker.name
