"""Train quotecraft's embedded English Stanza model.

Every stage calls one of Stanza's own training entry points
(``stanza.models.tokenizer``, ``mwt_expander``, ``lemmatizer``, ``tagger``,
``parser``) on Universal Dependencies data given by path; nothing is fetched.

    python -m quotecraft.train stanza --ud-dir ../shared/data/ud --stages all

Stages can run separately and resume: the parser continues from Stanza's own
checkpoint, the tagger from its best saved model, and either starts from the
installed model (``--seed-from``) when the work folder holds nothing yet, as in a
fresh clone.  The parser learns with noisy tags (``--tag-noise``) and is selected
on the dev set re-tagged by our tagger, i.e. on what it sees at run time.  ``--minutes`` bounds the
wall time of the tagger and parser stages, so a long training can be run in
sittings.  Finished models are copied into ``--out`` (the package's model
directory by default) without the large optimizer checkpoints.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from ..nlp.paths import MODEL_FILES, PACKAGE_MODEL_DIR, SHORTHAND

STAGES = ("tokenize", "mwt", "lemma", "pos", "depparse")
log = logging.getLogger("quotecraft.train.stanza")


def _concat(sources: list[Path], dest: Path) -> None:
    with dest.open("w", encoding="utf-8") as out:
        for src in sources:
            text = src.read_text(encoding="utf-8").rstrip("\n")
            out.write(text + "\n\n")


def prepare_data(ud_dir: Path, work: Path) -> dict[str, Path]:
    """Combine EWT and GUM (non-NC) splits and derive the tokenizer's label files."""
    data = work / "data"
    data.mkdir(parents=True, exist_ok=True)
    ewt, gum = ud_dir / "ewt", ud_dir / "gum"
    paths: dict[str, Path] = {}
    for split in ("train", "dev"):
        sources = [ewt / f"en_ewt-ud-{split}.conllu", gum / f"en_gum-nonnc-{split}.conllu"]
        for src in sources:
            if not src.exists():
                raise SystemExit(f"missing UD file {src}: pass --ud-dir pointing at the folder holding ewt/ and gum/")
        dest = data / f"{split}.conllu"
        if not dest.exists():
            _concat(sources, dest)
        paths[split] = dest
        txt, labels, mwt_json = (data / f"{split}.txt", data / f"{split}.toklabels", data / f"{split}-mwt.json")
        if not labels.exists():
            from stanza.utils.datasets import conllu_to_text, prepare_tokenizer_data

            conllu_to_text.main([str(dest), str(txt)])
            prepare_tokenizer_data.main([str(txt), str(dest), "-o", str(labels), "-m", str(mwt_json)])
        paths[f"{split}_txt"], paths[f"{split}_labels"], paths[f"{split}_mwt"] = txt, labels, mwt_json
    return paths


# --------------------------------------------------------------------------- speed patches

def _patch_bilinear() -> None:
    """Compute Stanza's BiaffineScorer with einsum instead of nn.Bilinear.

    nn.Bilinear's CPU backward is pathologically slow (seconds per step and GBs of
    page faults); the einsum below is the same function with the same parameters,
    so saved models load unchanged in a stock Stanza.
    """
    import torch
    from stanza.models.common import biaffine

    def forward(self, input1, input2):  # type: ignore[no-untyped-def]
        input1 = torch.cat([input1, input1.new_ones(*input1.size()[:-1], 1)], -1)
        input2 = torch.cat([input2, input2.new_ones(*input2.size()[:-1], 1)], -1)
        out = torch.einsum("...i,oij,...j->...o", input1, self.W_bilin.weight, input2)
        return out + self.W_bilin.bias

    biaffine.BiaffineScorer.forward = forward


def noisy_tags(tags, vocab_size: int, rate: float):  # type: ignore[no-untyped-def]
    """``tags`` (a batch of tag ids) with a share ``rate`` of the real tags (ids > 1; 0 pads,
    1 is unknown) replaced by random real tags."""
    import torch

    if tags.dim() != 2 or vocab_size <= 3:
        return tags
    hit = (torch.rand(tags.shape, device=tags.device) < rate) & (tags > 1)
    random = torch.randint(2, vocab_size, tags.shape, device=tags.device)
    return torch.where(hit, random, tags)


def _patch_tag_noise(rate: float) -> None:
    """Replace gold UPOS/XPOS ids by random tags at ``rate`` while the parser trains.

    At run time the parser reads the tagger's predictions, not gold tags; trained on
    gold tags only it trusts them completely (measured on EWT test: LAS 83.5 with gold
    tags, 76.8 with ours at UPOS 92.7).  Noisy tags teach it to lean on the words.
    """
    if rate <= 0:
        return
    from stanza.models.depparse import model as dep_model

    original = dep_model.EmbeddingParser.embed

    def embed(self, word, word_mask, wordchars, wordchars_mask, upos, xpos, *rest):  # type: ignore[no-untyped-def]
        if self.training:
            upos = noisy_tags(upos, len(self.vocab["upos"]), rate)
            xpos = noisy_tags(xpos, len(self.vocab["xpos"]), rate)
        return original(self, word, word_mask, wordchars, wordchars_mask, upos, xpos, *rest)

    dep_model.EmbeddingParser.embed = embed


# --------------------------------------------------------------------------- seeding and selection

def _seed_from(installed: Path, dest: Path, *, reset_history: bool) -> bool:
    """Start a sitting from an installed (float16) model when the work folder has none.

    The work folder (optimizer checkpoints included) does not survive a fresh clone;
    the installed models do, so training can go on from them instead of from scratch.
    """
    import torch

    if dest.exists() or not installed.exists():
        return False
    ckpt = torch.load(installed, map_location="cpu", weights_only=False)
    if isinstance(ckpt.get("model"), dict):
        ckpt["model"] = _cast_floats(ckpt["model"], torch.float32)
    if reset_history:
        ckpt["global_step"], ckpt["last_best_step"], ckpt["dev_score_history"] = 0, 0, []
    dest.parent.mkdir(parents=True, exist_ok=True)
    torch.save(ckpt, dest)
    log.info("seeded %s from the installed model %s", dest, installed)
    return True


def predicted_tag_dev(dev: Path, work: Path, tagger_model: Path) -> Path:
    """The dev set with UPOS/XPOS/FEATS from our tagger and gold trees.

    Selecting the parser on it scores what users get (predicted tags), not what the
    parser would do with perfect tags.
    """
    import stanza
    from stanza.utils.conll import CoNLL

    dest = work / "data" / "dev.predtags.conllu"
    if dest.exists() and dest.stat().st_mtime >= tagger_model.stat().st_mtime:
        return dest
    log.info("tagging %s with %s for parser selection", dev, tagger_model)
    doc = CoNLL.conll2doc(str(dev))
    nlp = stanza.Pipeline("en", dir=str(PACKAGE_MODEL_DIR), processors="tokenize,pos", tokenize_pretokenized=True,
                          tokenize_model_path=str(PACKAGE_MODEL_DIR / MODEL_FILES["tokenize"]),
                          pos_model_path=str(tagger_model), download_method=None,
                          allow_unknown_language=True, logging_level="WARN")
    tagged = nlp([[w.text for w in s.words] for s in doc.sentences])
    for gold, pred in zip(doc.sentences, tagged.sentences):
        for g, w in zip(gold.words, pred.words):
            g.upos, g.xpos, g.feats = w.upos, w.xpos, w.feats
    CoNLL.write_doc2conll(doc, str(dest))
    return dest


def _install_deadline(trainer_cls: type, args: dict, minutes: float | None) -> None:
    """Stop Stanza's training loop after ``minutes`` of wall time.

    Stanza's tagger and parser loops re-read ``args['max_steps']`` after every
    step, so lowering it ends the run cleanly (the best model is already saved).
    """
    if not minutes:
        return
    original = trainer_cls.update
    deadline: list[float] = []  # set at the first step, so data loading does not count

    def update(self, *a, **kw):  # type: ignore[no-untyped-def]
        if not deadline:
            deadline.append(time.monotonic() + minutes * 60)
        result = original(self, *a, **kw)
        if time.monotonic() > deadline[0] and args["max_steps"] > 0:
            log.info("time budget of %.0f minutes reached: stopping this sitting", minutes)
            args["max_steps"] = 0
        return result

    trainer_cls.update = update


# --------------------------------------------------------------------------- stages

def _common(work: Path, stage: str) -> list[str]:
    return ["--shorthand", SHORTHAND, "--save_dir", str(work / "models"),
            "--save_name", MODEL_FILES[stage]]


def train_tokenize(p: dict[str, Path], work: Path, opts: argparse.Namespace) -> None:
    from stanza.models import tokenizer

    tokenizer.main(["--mode", "train", "--lang", "en", *_common(work, "tokenize"),
                    "--txt_file", str(p["train_txt"]), "--label_file", str(p["train_labels"]),
                    "--dev_txt_file", str(p["dev_txt"]), "--dev_label_file", str(p["dev_labels"]),
                    "--dev_conll_gold", str(p["dev"]), "--conll_file", str(work / "tokenize.dev.pred.conllu"),
                    "--mwt_json_file", str(p["dev_mwt"]),
                    "--steps", str(opts.tokenize_steps), "--eval_steps", "500",
                    "--report_steps", "100", "--max_steps_before_stop", "3000"])


def train_mwt(p: dict[str, Path], work: Path, opts: argparse.Namespace) -> None:
    from stanza.models import mwt_expander

    mwt_expander.main(["--mode", "train", "--lang", "en", *_common(work, "mwt"),
                       "--train_file", str(p["train"]), "--eval_file", str(p["dev"]),
                       "--output_file", str(work / "mwt.dev.pred.conllu"), "--gold_file", str(p["dev"]),
                       "--num_epoch", "2"])


def train_lemma(p: dict[str, Path], work: Path, opts: argparse.Namespace) -> None:
    from stanza.models import lemmatizer

    lemmatizer.main(["--mode", "train", *_common(work, "lemma"), "--dict_only",
                     "--train_file", str(p["train"]), "--eval_file", str(p["dev"]),
                     "--output_file", str(work / "lemma.dev.pred.conllu")])


def train_pos(p: dict[str, Path], work: Path, opts: argparse.Namespace) -> None:
    from stanza.models import tagger
    from stanza.models.common import utils as stanza_utils
    from stanza.models.pos import trainer as pos_trainer

    args = tagger.parse_args(["--mode", "train", "--lang", "en", *_common(work, "pos"), "--no_pretrain",
                              "--train_file", str(p["train"]), "--eval_file", str(p["dev"]),
                              "--output_file", str(work / "pos.dev.pred.conllu"),
                              *(["--lr", str(opts.lr)] if opts.lr else []),
                              "--batch_size", "64", "--hidden_dim", "192", "--char_hidden_dim", "100",
                              "--word_emb_dim", "100", "--word_cutoff", "2",
                              "--eval_interval", "400", "--fix_eval_interval", "--max_steps", "100000",
                              "--max_steps_before_stop", "4000", "--log_step", "100"])
    saved = work / "models" / MODEL_FILES["pos"]
    _seed_from(opts.seed_from / MODEL_FILES["pos"], saved, reset_history=False)
    if saved.exists():
        # Resume a previous sitting from its best model (the tagger keeps no optimizer checkpoint).
        base = pos_trainer.Trainer

        class Resumed(base):  # type: ignore[misc, valid-type]
            def __init__(self, *a, **kw):  # type: ignore[no-untyped-def]
                if kw.get("model_file") is None:
                    log.info("resuming tagger from %s", saved)
                    kw["model_file"] = str(saved)
                super().__init__(*a, **kw)

        tagger.Trainer = Resumed
    _install_deadline(pos_trainer.Trainer, args, opts.minutes)
    stanza_utils.set_random_seed(args["seed"])
    try:
        tagger.train(args)
    except UnboundLocalError:
        # Stanza's tagger.train ends with `return trainer, _`, unbound when a sitting
        # ended before its first dev evaluation; the model is saved by then.
        pass


def train_depparse(p: dict[str, Path], work: Path, opts: argparse.Namespace) -> None:
    from stanza.models import parser
    from stanza.models.common import utils as stanza_utils
    from stanza.models.depparse import trainer as dep_trainer

    # A fresh clone has no optimizer checkpoint: continue from the installed model, with a
    # new score history since the selection set changes to predicted tags below.
    checkpoint = work / "models" / MODEL_FILES["depparse"].replace(".pt", "_checkpoint.pt")
    _seed_from(opts.seed_from / MODEL_FILES["depparse"], checkpoint, reset_history=True)
    tagger_model = work / "models" / MODEL_FILES["pos"]
    if not tagger_model.exists():
        tagger_model = opts.seed_from / MODEL_FILES["pos"]
    dev = predicted_tag_dev(p["dev"], work, tagger_model) if tagger_model.exists() else p["dev"]
    args = parser.parse_args(["--mode", "train", "--lang", "en", *_common(work, "depparse"), "--no_pretrain",
                              "--train_file", str(p["train"]), "--eval_file", str(dev),
                              "--output_file", str(work / "depparse.dev.pred.conllu"),
                              "--batch_size", "1000", "--hidden_dim", "256", "--char_hidden_dim", "100",
                              "--word_emb_dim", "100", "--word_cutoff", "2", "--num_layers", "2",
                              "--deep_biaff_hidden_dim", "256",
                              "--optim", "adam", "--lr", str(opts.lr or 0.002), "--beta2", "0.9", "--no_second_optim",
                              "--eval_interval", "300", "--checkpoint_interval", "300",
                              "--max_steps", "100000", "--max_steps_before_stop", "4000", "--log_step", "50"])
    _install_deadline(dep_trainer.Trainer, args, opts.minutes)
    _patch_tag_noise(opts.tag_noise)
    stanza_utils.set_random_seed(args["seed"])
    parser.train(args)


TRAINERS = {"tokenize": train_tokenize, "mwt": train_mwt, "lemma": train_lemma,
             "pos": train_pos, "depparse": train_depparse}


def _cast_floats(obj, dtype):  # type: ignore[no-untyped-def]
    """``obj`` with every floating-point tensor in it (nested dicts included) cast to ``dtype``."""
    import torch

    if isinstance(obj, torch.Tensor) and obj.is_floating_point():
        return obj.to(dtype)
    if isinstance(obj, dict):
        return {k: _cast_floats(v, dtype) for k, v in obj.items()}
    return obj


def install(work: Path, out: Path) -> None:
    """Copy the finished models into ``out``: weights stored as float16 (Stanza
    loads them into float32 parameters; it halves the package size), never the
    optimizer checkpoints."""
    import torch

    out.mkdir(parents=True, exist_ok=True)
    for stage, name in MODEL_FILES.items():
        src = work / "models" / name
        if not src.exists():
            continue
        ckpt = torch.load(src, map_location="cpu", weights_only=False)
        ckpt.pop("optimizer", None)
        if isinstance(ckpt.get("model"), dict):
            ckpt["model"] = _cast_floats(ckpt["model"], torch.float16)
        torch.save(ckpt, out / name)
        log.info("installed %s (%.1f MB)", out / name, (out / name).stat().st_size / 1e6)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(prog="python -m quotecraft.train stanza", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ud-dir", type=Path, default=Path("../shared/data/ud"),
                    help="folder holding ewt/ and gum/ CoNLL-U files (default: %(default)s)")
    ap.add_argument("--work-dir", type=Path, default=Path("build/train"),
                    help="scratch folder for prepared data, models and checkpoints (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=PACKAGE_MODEL_DIR,
                    help="where finished models are installed (default: the package's model folder)")
    ap.add_argument("--seed-from", type=Path, default=PACKAGE_MODEL_DIR,
                    help="installed models a tagger/parser sitting starts from when --work-dir holds none "
                         "(default: the package's model folder)")
    ap.add_argument("--stages", default="all",
                    help="comma-separated subset of %s, or 'all' (default)" % ",".join(STAGES))
    ap.add_argument("--minutes", type=float, default=None,
                    help="wall-time budget per tagger/parser sitting; resume later by running again")
    ap.add_argument("--tokenize-steps", type=int, default=6000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lr", type=float, default=None,
                    help="learning rate of the tagger/parser sitting (default: Stanza's for the tagger, 0.002 for the parser)")
    ap.add_argument("--tag-noise", type=float, default=0.15,
                    help="share of gold UPOS/XPOS replaced by random tags while the parser trains (default: %(default)s)")
    ap.add_argument("--install-only", action="store_true",
                    help="only copy the models trained so far into --out")
    opts = ap.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stdout)
    stages = STAGES if opts.stages == "all" else tuple(s.strip() for s in opts.stages.split(","))
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        ap.error(f"unknown stage(s) {unknown}; known: {', '.join(STAGES)}")

    import torch

    if opts.install_only:
        install(opts.work_dir, opts.out)
        return 0
    torch.set_num_threads(opts.threads)
    _patch_bilinear()
    work = opts.work_dir
    paths = prepare_data(opts.ud_dir, work)
    for stage in stages:
        t0 = time.monotonic()
        log.info("=== stage %s", stage)
        TRAINERS[stage](paths, work, opts)
        log.info("=== stage %s done in %.1f min", stage, (time.monotonic() - t0) / 60)
        install(work, opts.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
