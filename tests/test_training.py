"""Training helpers that need no UD data: seeding from installed models, tag noise."""
from __future__ import annotations

import pytest
import torch

from quotecraft.train.stanza import _seed_from, noisy_tags


def test_noisy_tags_replaces_only_real_tags_at_about_the_rate():
    torch.manual_seed(0)
    tags = torch.randint(2, 20, (50, 40))
    tags[:, -5:] = 0  # padding
    tags[:, 0] = 1  # unknown
    out = noisy_tags(tags, 20, 0.3)
    changed = out != tags
    assert not changed[:, -5:].any() and not changed[:, 0].any()
    share = changed[:, 1:-5].float().mean().item()
    assert 0.2 < share < 0.32  # a replacement may draw the same tag again
    assert int(out.min()) >= 0 and int(out.max()) < 20
    assert torch.equal(noisy_tags(tags, 20, 0.0), tags)


def test_seed_from_installed_model_widens_weights_and_resets_history(tmp_path):
    installed = tmp_path / "installed.pt"
    torch.save({"model": {"w": torch.ones(2, 2, dtype=torch.float16), "ids": torch.arange(3)},
                "global_step": 900, "dev_score_history": [0.8], "config": {"a": 1}}, installed)
    dest = tmp_path / "work" / "depparse_checkpoint.pt"
    assert _seed_from(installed, dest, reset_history=True)
    ckpt = torch.load(dest, weights_only=False)
    assert ckpt["model"]["w"].dtype == torch.float32 and ckpt["model"]["ids"].dtype == torch.int64
    assert ckpt["global_step"] == 0 and ckpt["dev_score_history"] == [] and ckpt["config"] == {"a": 1}
    # an existing work file is never overwritten: a later sitting resumes it instead
    assert not _seed_from(installed, dest, reset_history=True)
    assert not _seed_from(tmp_path / "missing.pt", tmp_path / "other.pt", reset_history=False)


CONLLU = """# newdoc id = a
# newpar
# text = Mia said it rained.
1	Mia	Mia	PROPN	NNP	_	2	nsubj	_	_
2	said	say	VERB	VBD	_	0	root	_	_
3	it	it	PRON	PRP	_	4	nsubj	_	_
4	rained	rain	VERB	VBD	_	2	ccomp	_	SpaceAfter=No
5	.	.	PUNCT	.	_	2	punct	_	_

# text = Don't.
1-2	Don't	_	_	_	_	_	_	_	SpaceAfter=No
1	Do	do	AUX	VBP	_	0	root	_	_
2	n't	not	PART	RB	_	1	advmod	_	SpaceAfter=No
3	.	.	PUNCT	.	_	1	punct	_	_

# newpar
# text = Yes
1	Yes	yes	INTJ	UH	_	0	root	_	_

# newdoc id = b
# text = No
1	No	no	INTJ	UH	_	0	root	_	_
"""


def _ud_file(tmp_path):
    p = tmp_path / "t.conllu"
    p.write_text(CONLLU, encoding="utf-8")
    return p


def test_ud_documents_are_running_text_with_the_treebank_s_sentences(tmp_path):
    from quotecraft.train.ud import read_conllu, read_documents

    p = _ud_file(tmp_path)
    docs = read_documents(p)
    assert len(docs) == 2 and len(docs[0]["paras"]) == 2
    sents = [s for d in docs for s in d["sents"]]
    assert [[w[0] for w in s] for s in sents] == [[w[0] for w in s] for s in read_conllu(p)]
    text = docs[0]["text"]
    # a multiword token's words stand apart, as the one-pass parser was trained and scored on them
    assert " ".join(text.split()).startswith("Mia said it rained. Do n't. Yes") and all(text[a:b] == f for s in docs[0]["sents"] for f, a, b in s)
    first, second = docs[0]["paras"]
    assert text[first[0]:first[1]].split() == "Mia said it rained. Do n't.".split()
    assert text[second[0]:second[1]].strip() == "Yes"


@pytest.mark.model
def test_one_pass_features_give_each_word_the_parser_s_width(tmp_path):
    from quotecraft.nlp.encoder import load_encoder
    from quotecraft.nlp.tagparse import LAYERS
    from quotecraft.train.tagparse import one_pass_features

    enc = load_encoder()
    feats = one_pass_features(enc, _ud_file(tmp_path))
    assert [f.shape[0] for f in feats] == [5, 3, 1, 1]
    assert all(f.shape[1] == enc.bert.width * len(LAYERS) and bool((f.float().abs().sum(1) > 0).all()) for f in feats)
