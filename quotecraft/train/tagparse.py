"""Train the ``minilm`` tagger and parser (`quotecraft.nlp.tagparse`) on UD English.

    python -m quotecraft.train tagparse features --ud-dir ../shared/data/ud   # encoder pass, resumable
    python -m quotecraft.train tagparse train --minutes 30                     # resumes the last sitting
    python -m quotecraft.train tagparse train --epochs 16 --lr 1e-3            # a later, annealing sitting
    python -m quotecraft.train tagparse install                                # best model -> package

The default model reads the parser's features from its one encoder pass over paragraphs
(`quotecraft.nlp.shared`), not one pass per sentence; to adapt the parser to that:

    python -m quotecraft.train tagparse features --one-pass --work build/tagparse-1p
    python -m quotecraft.train tagparse train --init-installed --lr 5e-4 --work build/tagparse-1p

The encoder is frozen, so its per-word features are computed once (``features``:
EWT + GUM non-NC train and dev, in parts of 500 sentences under
``build/tagparse/features``, float16; an interrupted run continues with the next
missing part) and every epoch reads them from memory.  ``train`` runs until
``--minutes`` are spent or ``--epochs`` are done, keeps its full state (model,
optimizer, epoch, best dev score) in ``build/tagparse/state.pt`` so the next
sitting continues, and saves the model with the best dev score (mean of UPOS
and LAS on EWT dev + GUM dev) as ``build/tagparse/best.pt``, float16, in the
shipped format.  ``install`` copies it to ``quotecraft/models/en_minilm/``.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .ud import load_split

REPO = Path(__file__).resolve().parents[2]  # the checkout: quotecraft/train/ is two floors down
DEFAULT_UD_DIR = REPO.parent / "shared" / "data" / "ud"
WORK = REPO / "build" / "tagparse"
PART = 500

#: sized for a CPU: an epoch of the first try (proj 256, 2 x 200 BiLSTM, relation scorer 128)
#: took 11 minutes on a shared core; this one does the same work in about half
CONFIG = {"feat_dim": 384 * 6, "proj": 192, "word_dim": 100, "char_emb": 32, "char_dim": 100,
          "hidden": 160, "layers": 2, "dropout": 0.33, "feat_dropout": 0.2, "arc": 256, "rel": 64}


def _say(msg: str) -> None:
    print(time.strftime("%H:%M:%S ") + msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- features

def one_pass_features(enc: Any, path: Path) -> list[Any]:
    """Per sentence of a UD file, its words' features as the default model reads them: one encoder
    pass over the document's paragraphs packed into windows (`quotecraft.nlp.shared`), each
    word's layers 1-6 averaged over the pieces that overlap it."""
    import torch

    from ..nlp.encoder import encoded_windows
    from ..nlp.parse import Word
    from ..nlp.shared import encode_pass
    from .ud import read_documents

    out = []
    for doc in read_documents(path):
        words = [Word(0, f, f, "X", "_", "_", -1, "_", a, b) for s in doc["sents"] for f, a, b in s]
        windows = encoded_windows(enc, doc["text"], doc["paras"])
        _, feats = encode_pass(enc, windows, words)
        out.extend(torch.split(feats.half(), [len(s) for s in doc["sents"]]))
    return out


def _one_pass_split(enc: Any, ud_dir: Path, split: str) -> list[Any]:
    from .ud import UD_SPLITS

    return [f for rel in UD_SPLITS[split] for f in one_pass_features(enc, ud_dir / rel)]


def cmd_features(opts: argparse.Namespace) -> None:
    import torch

    from ..nlp.encoder import load_encoder
    from ..nlp.tagparse import word_features

    enc = load_encoder()
    feat_dir = opts.work / "features"
    feat_dir.mkdir(parents=True, exist_ok=True)
    t_all = time.perf_counter()
    deadline = time.time() + 60 * opts.minutes if opts.minutes else None
    whole: dict[str, list[Any]] = {}
    for split in opts.splits.split(","):
        sents = load_split(opts.ud_dir, split)
        for k in range(0, len(sents), PART):
            dest = feat_dir / f"{split}-{k // PART:04d}.pt"
            if dest.exists():
                continue
            if deadline and time.time() > deadline:
                _say("time is up; run again to continue")
                return
            t0 = time.perf_counter()
            chunk = [[w[0] for w in s] for s in sents[k:k + PART]]
            if opts.one_pass:
                if split not in whole:  # documents, not parts of 500 sentences, make the windows
                    whole[split] = _one_pass_split(enc, opts.ud_dir, split)
                feats = whole[split][k:k + PART]
            else:
                feats = word_features(enc, chunk)
            tmp = dest.with_suffix(".tmp")
            torch.save({"lengths": [len(s) for s in chunk], "feats": torch.cat(feats).half()}, tmp)
            tmp.replace(dest)  # a part is there whole or not at all
            n = sum(len(s) for s in chunk)
            _say(f"{dest.name}: {n} words in {time.perf_counter() - t0:.1f} s")
    _say(f"features done in {time.perf_counter() - t_all:.0f} s")


def load_features(work: Path, split: str, sents: list[Any]) -> list[Any]:
    import torch

    parts = sorted((work / "features").glob(f"{split}-*.pt"))
    need = (len(sents) + PART - 1) // PART
    if len(parts) != need:
        raise SystemExit(f"{split}: {len(parts)} of {need} feature parts in {work / 'features'}; run `features` first")
    out = []
    for p in parts:
        d = torch.load(p, weights_only=True)
        out.extend(torch.split(d["feats"], d["lengths"]))
    if [len(f) for f in out] != [len(s) for s in sents]:
        raise SystemExit(f"{split}: feature parts do not match the treebank (delete {work / 'features'} and rerun)")
    return out


# --------------------------------------------------------------------------- training

def build_vocab(train: list[Any]) -> dict[str, Any]:
    words = Counter(w[0].lower() for s in train for w in s)
    chars = Counter(c for s in train for w in s for c in w[0])
    vocab = {"words": {w: i + 2 for i, w in enumerate(sorted(x for x, n in words.items() if n >= 2))},
             "chars": {c: i + 2 for i, c in enumerate(sorted(chars))}}
    for key, col in (("upos", 1), ("xpos", 2), ("feats", 3), ("rels", 5)):
        vocab[key] = sorted({w[col] for s in train for w in s})
    return vocab


def _gold(sents: list[Any], vocab: dict[str, Any]) -> list[Any]:
    import torch

    idx = {k: {x: i for i, x in enumerate(vocab[k])} for k in ("upos", "xpos", "feats", "rels")}
    out = []
    for s in sents:
        out.append({k: torch.tensor([idx[k].get(w[col], -100) for w in s])
                    for k, col in (("upos", 1), ("xpos", 2), ("feats", 3), ("rels", 5))}
                   | {"heads": torch.tensor([w[4] for w in s])})
    return out


def _batches(lengths: list[int], words: int, rng: random.Random) -> list[list[int]]:
    """Sentences of similar length together, about ``words`` words per batch, shuffled."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    out, cur, longest = [], [], 0
    for i in order:
        if cur and max(longest, lengths[i]) * (len(cur) + 1) > words:
            out.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, lengths[i])
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def _loss(model: Any, s: dict[str, Any], gold: list[Any], lens: Any) -> Any:
    import torch
    import torch.nn.functional as F

    B, T = s["upos"].shape[:2]
    dev = s["upos"].device
    lens = lens.to(dev)

    def pad(key: str, fill: int) -> Any:
        t = torch.full((B, T), fill, dtype=torch.long)
        for b, g in enumerate(gold):
            t[b, :len(g[key])] = g[key]
        return t.to(dev)  # built here, moved once (fine-tuning scores on a GPU)

    loss = sum(F.cross_entropy(s[k].reshape(B * T, -1), pad(k, -100).view(-1), ignore_index=-100)
               for k in ("upos", "xpos", "feats"))
    arc = s["arc"][:, 1:, :]  # [B, T, T+1]
    cols = torch.arange(T + 1, device=dev)
    bad = (cols[None, None, :] > lens[:, None, None]) | (cols[None, None, :] == torch.arange(1, T + 1, device=dev)[None, :, None])
    arc = arc.masked_fill(bad, -1e9)
    heads = pad("heads", -100)
    loss = loss + F.cross_entropy(arc.reshape(B * T, -1), heads.view(-1), ignore_index=-100)
    rels = model.rel_scores(s["rel_dep"], s["rel_head"], heads.clamp(min=0))
    return loss + F.cross_entropy(rels.reshape(B * T, -1), pad("rels", -100).view(-1), ignore_index=-100)


def evaluate(model: Any, vocab: dict[str, Any], sents: list[Any], feats: list[Any]) -> dict[str, float]:
    """UPOS, XPOS, UFeats accuracy and UAS/LAS (relations compared on their universal part, as
    conll18_ud_eval does) over all words."""
    from ..nlp.tagparse import predict

    model.eval()
    preds = predict(model, vocab, [[w[0] for w in s] for s in sents], feats)
    n = up = xp = fe = uas = las = 0
    for s, p in zip(sents, preds):
        for g, q in zip(s, p):
            n += 1
            up += g[1] == q[0]
            xp += g[2] == q[1]
            fe += g[3] == q[2]
            if g[4] == q[3]:
                uas += 1
                las += g[5].split(":")[0] == q[4].split(":")[0]
    return {k: round(100 * v / n, 2) for k, v in (("UPOS", up), ("XPOS", xp), ("UFeats", fe), ("UAS", uas), ("LAS", las))}


def ship_state(model: Any, vocab: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    from ..nlp.encoder import MODEL_SHA256
    from ..nlp.tagparse import FORMAT, LAYERS

    return {"format": FORMAT, "config": dict(model.cfg), "vocab": vocab, "layers": list(LAYERS),
            "encoder_sha256": MODEL_SHA256, "meta": meta,
            "state_dict": {k: v.detach().half().clone() for k, v in model.state_dict().items()}}


@dataclass
class _Sitting:
    """The training state carried from epoch to epoch, and saved in ``state.pt`` after each one so
    the next sitting continues where this one stopped."""
    model: Any
    opt: Any
    vocab: dict[str, Any]
    cfg: dict[str, Any]
    epoch: int = 0
    best: float = -1.0  # best dev score so far (mean of UPOS and LAS)
    bad_evals: int = 0  # dev scores since the last best one or learning-rate change
    history: list[dict[str, Any]] = field(default_factory=list)


def cmd_train(opts: argparse.Namespace) -> None:
    import torch

    torch.set_num_threads(opts.threads)
    t_start = time.time()
    deadline = t_start + 60 * opts.minutes
    train, dev = load_split(opts.ud_dir, "train"), load_split(opts.ud_dir, "dev")
    ftrain, fdev = load_features(opts.work, "train", train), load_features(opts.work, "dev", dev)
    state_path, best_path = opts.work / "state.pt", opts.work / "best.pt"
    sitting = _begin_sitting(opts, train, state_path)
    gold = _gold(train, sitting.vocab)
    rng = random.Random(opts.seed + sitting.epoch)
    gen = torch.Generator().manual_seed(opts.seed + sitting.epoch)
    last = 0.0  # seconds the last epoch took (training and dev scoring)
    while sitting.epoch < opts.epochs and time.time() + 0.9 * last < deadline:
        sitting.model.train()
        t0 = time.time()
        total, steps, n_batches = _train_epoch(sitting, opts, train, ftrain, gold, rng, gen, deadline)
        if steps < n_batches:
            _say(f"time is up inside epoch {sitting.epoch + 1} ({steps}/{n_batches} batches); not counted")
            break  # a partial epoch's weights are not saved as the state: the next sitting redoes it
        _end_epoch(sitting, dev, fdev, total / steps, t0, best_path)
        last = time.time() - t0
        _save_state(sitting, state_path)
    _say(f"sitting over after {(time.time() - t_start) / 60:.1f} min, {sitting.epoch} epochs in all, "
         f"best dev {sitting.best:.2f}")


def _begin_sitting(opts: argparse.Namespace, train: list[Any], state_path: Path) -> _Sitting:
    """A new model, or the one of the last sitting (``state_path``) with its optimizer and history."""
    import torch

    from ..nlp.tagparse import TagParser

    init = None
    if state_path.exists():
        st = torch.load(state_path, weights_only=False)
        vocab, cfg = st["vocab"], st["config"]
        _say(f"resuming at epoch {st['epoch']} (best dev {st['best']})")
    elif opts.init_installed:
        from ..nlp.paths import MINILM_FILE, MINILM_MODEL_DIR
        from ..nlp.tagparse import load_tagparser

        init, vocab = load_tagparser(MINILM_MODEL_DIR / MINILM_FILE)
        st, cfg = None, dict(init.cfg)
        _say("starting from the installed model (its weights and vocabularies)")
    else:
        st, vocab, cfg = None, build_vocab(train), dict(CONFIG)
    torch.manual_seed(opts.seed)
    model = TagParser(cfg, len(vocab["words"]) + 2, len(vocab["chars"]) + 2, len(vocab["upos"]),
                      len(vocab["xpos"]), len(vocab["feats"]), len(vocab["rels"]))
    if init is not None:
        model.load_state_dict(init.state_dict())
    opt = torch.optim.Adam(model.parameters(), lr=opts.lr or 2e-3, betas=(0.9, 0.9))
    sitting = _Sitting(model, opt, vocab, cfg)
    if st:
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["optimizer"])
        sitting.epoch, sitting.best, sitting.bad_evals, sitting.history = (
            st["epoch"], st["best"], st["bad_evals"], st["history"])
        if opts.lr is not None:  # a later sitting may anneal by hand; the saved optimizer keeps its own lr otherwise
            for g in opt.param_groups:
                g["lr"] = opts.lr
            sitting.bad_evals = 0
            _say(f"  lr set to {opts.lr}")
    return sitting


def _train_epoch(sitting: _Sitting, opts: argparse.Namespace, train: list[Any], ftrain: list[Any],
                 gold: list[Any], rng: random.Random, gen: Any, deadline: float) -> tuple[float, int, int]:
    """One pass over the training set, stopped early at *deadline*; returns the summed loss, the
    batches done and the batches there were."""
    import torch

    from ..nlp.tagparse import batch_inputs

    model, opt = sitting.model, sitting.opt
    total, steps = 0.0, 0
    batches = _batches([len(s) for s in train], opts.batch_words, rng)
    for bi, b in enumerate(batches):
        if time.time() > deadline:
            break
        forms = [[w[0] for w in train[i]] for i in b]
        f, w, c, lens = batch_inputs(forms, [ftrain[i] for i in b], sitting.vocab, word_dropout=0.25, gen=gen)
        s = model(f, w, c, lens)
        loss = _loss(model, s, [gold[i] for i in b], lens)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        total += float(loss.detach())
        steps += 1
        if bi % 50 == 0:
            _say(f"epoch {sitting.epoch + 1} batch {bi}/{len(batches)} loss {total / steps:.3f}")
    return total, steps, len(batches)


def _end_epoch(sitting: _Sitting, dev: list[Any], fdev: list[Any], loss: float, t0: float,
               best_path: Path) -> None:
    """Count a finished epoch: score it on dev, save the model as ``best_path`` when it is the best
    so far, and halve the learning rate after two that were not."""
    import torch

    sitting.epoch += 1
    epoch, opt = sitting.epoch, sitting.opt
    scores = evaluate(sitting.model, sitting.vocab, dev, fdev)
    sel = (scores["UPOS"] + scores["LAS"]) / 2
    sitting.history.append({"epoch": epoch, "loss": round(loss, 4), "minutes": round((time.time() - t0) / 60, 2),
                            "lr": opt.param_groups[0]["lr"], **scores})
    _say(f"epoch {epoch}: loss {loss:.3f}, dev {scores} ({(time.time() - t0) / 60:.1f} min)")
    if sel > sitting.best:
        sitting.best, sitting.bad_evals = sel, 0
        tmp = best_path.with_suffix(".tmp")
        torch.save(ship_state(sitting.model, sitting.vocab, {"epoch": epoch, "dev": scores, "history": sitting.history}),
                   tmp)
        tmp.replace(best_path)
        _say(f"  new best ({sel:.2f}) -> {best_path}")
    else:
        sitting.bad_evals += 1
        if sitting.bad_evals >= 2:  # a plateau: smaller steps
            for g in opt.param_groups:
                g["lr"] *= 0.5
            sitting.bad_evals = 0
            _say(f"  lr -> {opt.param_groups[0]['lr']}")


def _save_state(sitting: _Sitting, state_path: Path) -> None:
    """Everything the next sitting needs to continue, written whole or not at all."""
    import torch

    tmp = state_path.with_suffix(".tmp")
    torch.save({"model": sitting.model.state_dict(), "optimizer": sitting.opt.state_dict(), "epoch": sitting.epoch,
                "best": sitting.best, "bad_evals": sitting.bad_evals, "history": sitting.history,
                "vocab": sitting.vocab, "config": sitting.cfg}, tmp)
    tmp.replace(state_path)


def cmd_install(opts: argparse.Namespace) -> None:
    from ..nlp.paths import MINILM_MODEL_DIR

    src = opts.work / "best.pt"
    if not src.is_file():
        raise SystemExit(f"no {src}: train first")
    MINILM_MODEL_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, MINILM_MODEL_DIR / "tagparse.pt")
    _say(f"installed {src} -> {MINILM_MODEL_DIR / 'tagparse.pt'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quotecraft.train tagparse", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=("features", "train", "install"))
    ap.add_argument("--ud-dir", type=Path, default=DEFAULT_UD_DIR)
    ap.add_argument("--work", type=Path, default=WORK)
    ap.add_argument("--splits", default="train,dev", help="features: which splits (default %(default)s)")
    ap.add_argument("--minutes", type=float, default=30.0, help="wall-time budget of this sitting")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--batch-words", type=int, default=1000)
    ap.add_argument("--lr", type=float, default=None,
                    help="learning rate (default 2e-3 for a new model; a resumed sitting keeps the saved one unless given)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--one-pass", action="store_true",
                    help="features: as the default model reads them, one encoder pass over each document's "
                         "paragraphs (quotecraft.nlp.shared), not one per sentence; use its own --work folder")
    ap.add_argument("--init-installed", action="store_true",
                    help="train: a first sitting starts from the installed model instead of a new one")
    opts = ap.parse_args(argv)
    opts.work.mkdir(parents=True, exist_ok=True)
    {"features": cmd_features, "train": cmd_train, "install": cmd_install}[opts.command](opts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
