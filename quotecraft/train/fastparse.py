"""Train the fast path's joint tagger and parser (`quotecraft.nlp.fastparse`).

    python -m quotecraft.train fastparse --ud-dir ../shared/data/ud --minutes 40

Resumable, bounded by ``--minutes``; EWT + GUM non-NC train, selected on their dev sets by
LAS with greedy heads.  See MODEL_CARD.md ("The fast model") for data, wall time and scores.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any, Optional

from ..nlp.fastparse import FAST_MODEL_DIR, FAST_MODEL_FILE, Vocab, _build_network, _tensors
from .ud import load_split

DEFAULTS = dict(word_dim=100, affix_dim=64, buckets=32768, hidden=128, layers=2, arc_dim=128, rel_dim=64, dropout=0.33)


def _batches(sents: list, max_words: int, shuffle: bool, rng: random.Random) -> list[list[int]]:
    order = sorted(range(len(sents)), key=lambda i: (len(sents[i]), rng.random() if shuffle else 0))
    out, cur, longest = [], [], 0
    for i in order:
        n = len(sents[i]) + 1
        if cur and max(longest, n) * (len(cur) + 1) > max_words:
            out.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        out.append(cur)
    if shuffle:
        rng.shuffle(out)
    return out


def _gold(batch: list, vocab: Vocab):  # type: ignore[no-untyped-def]
    import torch

    n = max(len(s) for s in batch) + 1
    t = {k: torch.full((len(batch), n), -100, dtype=torch.long) for k in ("upos", "xpos", "feats", "heads", "rels")}
    for b, s in enumerate(batch):
        for j, w in enumerate(s, start=1):
            t["upos"][b, j] = vocab.index["upos"].get(w[1], -100)
            t["xpos"][b, j] = vocab.index["xpos"].get(w[2], -100)
            t["feats"][b, j] = vocab.index["feats"].get(w[3], -100)
            t["heads"][b, j] = w[4]
            t["rels"][b, j] = vocab.index["rels"].get(w[5], -100)
    return t


def _loss(net: Any, batch: list, vocab: Vocab, cfg: dict, cache: dict, word_drop: float, rng: random.Random):  # type: ignore[no-untyped-def]
    import torch
    from torch.nn import functional as F

    forms = [[w[0] for w in s] for s in batch]
    words, affixes, lengths = _tensors(forms, vocab, cfg["buckets"], cache)
    if word_drop:  # rare words learn to lean on their affixes, as unseen words must
        drop = (torch.rand(words.shape) < word_drop) & (words > 2)
        words = words.masked_fill(drop, 1)
    mask = torch.arange(words.shape[1]).unsqueeze(0) < lengths.unsqueeze(1)
    g = _gold(batch, vocab)
    enc = net.encode(words, affixes, lengths)
    loss = sum(F.cross_entropy(getattr(net, k)(enc).flatten(0, 1), g[k].flatten(), ignore_index=-100)
               for k in ("upos", "xpos", "feats"))
    arcs = net.arcs(enc, mask)
    loss = loss + F.cross_entropy(arcs.flatten(0, 1), g["heads"].flatten(), ignore_index=-100)
    rels = net.rels(enc, g["heads"].clamp(min=0))
    return loss + F.cross_entropy(rels.flatten(0, 1), g["rels"].flatten(), ignore_index=-100)


def _evaluate(net: Any, sents: list, vocab: Vocab, cfg: dict) -> dict[str, float]:
    """UPOS and LAS/UAS with greedy heads (the cheap selection score)."""
    import torch

    net.eval()
    cache: dict = {}
    tot = upos_ok = uas = las = 0
    with torch.inference_mode():
        for idx in _batches(sents, 3000, False, random.Random(0)):
            batch = [sents[i] for i in idx]
            words, affixes, lengths = _tensors([[w[0] for w in s] for s in batch], vocab, cfg["buckets"], cache)
            mask = torch.arange(words.shape[1]).unsqueeze(0) < lengths.unsqueeze(1)
            enc = net.encode(words, affixes, lengths)
            g = _gold(batch, vocab)
            heads = net.arcs(enc, mask).argmax(-1)
            rels = net.rels(enc, heads).argmax(-1)
            ok = g["heads"] != -100
            tot += int(ok.sum())
            upos_ok += int(((net.upos(enc).argmax(-1) == g["upos"]) & ok).sum())
            hit = (heads == g["heads"]) & ok
            uas += int(hit.sum())
            las += int((hit & (rels == g["rels"])).sum())
    net.train()
    return {"upos": 100 * upos_ok / tot, "uas": 100 * uas / tot, "las": 100 * las / tot}


def _save_model(net: Any, cfg: dict, vocab: Vocab, path: Path, extra: dict) -> None:
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save({"config": cfg, "vocab": vocab.lists, "state_dict": {k: v.detach().half() for k, v in net.state_dict().items()},
                "info": extra}, tmp)
    tmp.replace(path)


def train(opts: argparse.Namespace) -> int:
    import torch

    t_start = time.time()
    work: Path = opts.work_dir
    work.mkdir(parents=True, exist_ok=True)
    ud = opts.ud_dir

    train_s, dev_s = load_split(ud, "train"), load_split(ud, "dev")
    if opts.limit:  # quick tries
        train_s, dev_s = train_s[:opts.limit], dev_s[:opts.limit]
    last = work / "last.pt"
    if last.is_file():
        state = torch.load(last, map_location="cpu", weights_only=False)
        cfg, vocab = state["config"], Vocab(state["vocab"])
        print(f"resuming from {last}: epoch {state['epoch']}, best dev LAS {state['best']:.2f}", file=sys.stderr)
    else:
        state = None
        vocab = Vocab.build(train_s)
        cfg = dict(DEFAULTS, n_words=len(vocab.lists["words"]), n_upos=len(vocab.lists["upos"]),
                   n_xpos=len(vocab.lists["xpos"]), n_feats=len(vocab.lists["feats"]), n_rels=len(vocab.lists["rels"]))
    torch.manual_seed(opts.seed)
    net = _build_network(cfg)
    if state is None:
        torch.nn.init.xavier_uniform_(net.arc_w)
    optim = torch.optim.Adam(net.parameters(), lr=opts.lr, betas=(0.9, 0.9))
    epoch, best, history = 0, -1.0, []
    rng = random.Random(opts.seed)
    if state is not None:
        net.load_state_dict(state["model"])
        optim.load_state_dict(state["optim"])
        epoch, best, history = state["epoch"], state["best"], state["history"]
        rng.setstate(state["rng"])
        torch.set_rng_state(state["torch_rng"])
    net.train()
    cache: dict = {}
    deadline = t_start + 60 * opts.minutes
    per_epoch = None
    while epoch < opts.epochs:
        if per_epoch is not None and time.time() + per_epoch > deadline:
            print(f"stopping: another epoch ({per_epoch / 60:.1f} min) would pass --minutes", file=sys.stderr)
            break
        t0 = time.time()
        total = 0.0
        for k, idx in enumerate(_batches(train_s, opts.batch_words, True, rng)):
            loss = _loss(net, [train_s[i] for i in idx], vocab, cfg, cache, opts.word_dropout, rng)
            optim.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            optim.step()
            total += float(loss.detach())
        epoch += 1
        scores = _evaluate(net, dev_s, vocab, cfg)
        per_epoch = time.time() - t0
        history.append({"epoch": epoch, "loss": round(total, 1), "seconds": round(per_epoch, 1), **{k: round(v, 2) for k, v in scores.items()}})
        print(json.dumps(history[-1]), file=sys.stderr, flush=True)
        if scores["las"] > best:
            best = scores["las"]
            _save_model(net, cfg, vocab, work / "best.pt", {"epoch": epoch, "dev": scores})
        tmp = work / "last.tmp"
        torch.save({"config": cfg, "vocab": vocab.lists, "model": net.state_dict(), "optim": optim.state_dict(),
                    "epoch": epoch, "best": best, "history": history, "rng": rng.getstate(),
                    "torch_rng": torch.get_rng_state()}, tmp)
        tmp.replace(last)
    (work / "history.json").write_text(json.dumps(history, indent=1), encoding="utf-8")
    if opts.install and (work / "best.pt").is_file():
        FAST_MODEL_DIR.mkdir(parents=True, exist_ok=True)
        (FAST_MODEL_DIR / FAST_MODEL_FILE).write_bytes((work / "best.pt").read_bytes())
        print(f"installed {work / 'best.pt'} (dev LAS {best:.2f}) as {FAST_MODEL_DIR / FAST_MODEL_FILE}", file=sys.stderr)
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quotecraft.train fastparse", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ud-dir", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "data" / "ud")
    ap.add_argument("--work-dir", type=Path, default=Path("build/fastparse"), help="checkpoints (resumed from)")
    ap.add_argument("--minutes", type=float, default=40.0, help="stop before an epoch would pass this wall time")
    ap.add_argument("--epochs", type=int, default=60, help="stop after this many epochs in all")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch-words", type=int, default=2000, help="padded words per training batch")
    ap.add_argument("--word-dropout", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--limit", type=int, default=None, help="first N train and dev sentences (quick tries)")
    ap.add_argument("--no-install", dest="install", action="store_false",
                    help="leave the package's model as it is (default: install the best dev epoch)")
    opts = ap.parse_args(argv)
    if not (opts.ud_dir / "ewt" / "en_ewt-ud-train.conllu").is_file():
        ap.error(f"no UD treebanks under {opts.ud_dir} (expects ewt/ and gum/ as in ../shared/data/ud)")
    return train(opts)


if __name__ == "__main__":
    sys.exit(main())
