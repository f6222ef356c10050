"""Train the attribution type head (`quotecraft.attribution.speech`): speech or not, for cues the
lexicon does not know.

    python -m quotecraft.train cuetype --data ../shared/data/polnear            # prepare, train, install
    python -m quotecraft.train cuetype --data DIR --prepare-only                # only the feature caches

Examples come from brat-annotated articles (``DIR/train``, ``DIR/dev``, as PolNeAR):

* every annotated cue whose words the cue lexicon knows, labelled with its lexicon class
  (speech and directive -> ``speech``; ``belief``, ``intention``, ``perception``, ``finding``)
  or ``speech`` for a colon, "according to" or a speech noun (`cue_type`); a cue the lexicon
  does not know has no label and is left out -- the head exists to generalise from known cue
  words to unknown ones through the encoder's features;
* ``none``: every cue the shipped tagger finds that touches no annotated cue or content (a tagged
  "cue" that reports nothing, like "was named the party's candidate").

Each example is the mean of the frozen encoder's features over the cue's word pieces (the
features the tagger reads).  The head is one linear layer, trained on train and selected on
dev by log-loss; its two floors (``speech_floor``, ``none_floor``) are chosen on dev for the
precision of the speech it adds.  The caches (one file per split under ``--work-dir``) make a
second run start at training.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Optional

from ..attribution.speech import NOT_A_REPORT, TYPE_HEAD_PATH, TYPES, cue_type, pool_cue
from .attribution import read_split

log = logging.getLogger("quotecraft.train.cuetype")
LABELS = tuple(t for t in TYPES if t != "other") + (NOT_A_REPORT,)


def _touches(r: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s < r[1] and r[0] < e for s, e in spans)


def _article_examples(text: str, gold: list[dict[str, Any]], tools: dict[str, Any]) -> list[tuple[Any, str]]:
    """(pooled features, label) of the article's labelled gold cues and of the tagger's cues that
    touch nothing annotated."""
    from ..attribution.layout import analyze_layout
    from ..attribution.quotes import find_quotes
    from ..attribution.tagger import article_inputs, learned_attributions

    lex = tools["lex"]
    blocks = analyze_layout(text, lex).prose
    quotes = find_quotes(text, blocks)
    inp = article_inputs(text, blocks, quotes, tools["encoder"], lex.forms(True), True)
    out = []
    for a in gold:
        cue = a.get("cue") or []
        told = cue_type(" ".join(text[s:e] for s, e in cue), lex) if cue else None
        if told is None:
            continue
        f = pool_cue(inp.offsets, inp.feats, (min(s for s, _ in cue), max(e for _, e in cue)))
        if f is not None:
            out.append((f.half(), told.type))
    gold_spans = [sp for a in gold for role in ("cue", "content") for sp in a.get(role, [])]
    for la in learned_attributions(text, tools["head"], tools["config"], inp, quotes):
        if la.cue is None or _touches(la.cue, gold_spans) or any(_touches(c, gold_spans) for c in la.content):
            continue
        f = pool_cue(inp.offsets, inp.feats, la.cue)
        if f is not None:
            out.append((f.half(), NOT_A_REPORT))
    return out


def prepare(data: Path, split: str, work: Path, limit: Optional[int] = None) -> Path:
    """Cache ``split``'s examples as one file (kept: a second run reads it)."""
    import torch

    from ..attribution.tagger import load_head
    from ..lexicon import Lexicon
    from ..nlp.encoder import load_encoder

    path = work / f"{split}.pt"
    if path.exists():
        return path
    head, config = load_head()
    tools = {"lex": Lexicon.default(), "encoder": load_encoder(), "head": head, "config": config}
    feats, labels = [], []
    t0 = time.monotonic()
    docs = read_split(data, split)[:limit]
    for k, (name, text, gold) in enumerate(docs, 1):
        for f, label in _article_examples(text, gold, tools):
            feats.append(f)
            labels.append(label)
        if k % 50 == 0 or k == len(docs):
            log.info("%s: %d/%d articles, %d examples (%.1f min)", split, k, len(docs), len(labels),
                     (time.monotonic() - t0) / 60)
    work.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save({"feats": torch.stack(feats), "labels": labels}, tmp)
    tmp.replace(path)
    return path


def _tensors(path: Path) -> tuple[Any, Any]:
    import torch

    d = torch.load(path, weights_only=False)
    y = torch.tensor([LABELS.index(lab) for lab in d["labels"]])
    return d["feats"].float(), y


def train(train_path: Path, dev_path: Path, epochs: int = 200, seed: int = 13) -> dict[str, Any]:
    """A linear head, full-batch Adam with weight decay; the epoch of least dev log-loss."""
    import torch
    from torch.nn import functional as F

    torch.manual_seed(seed)
    x, y = _tensors(train_path)
    dx, dy = _tensors(dev_path)
    mean, std = x.mean(0), x.std(0) + 1e-6
    # class weights: `none` and the rarer types would otherwise vanish under speech
    counts = torch.bincount(y, minlength=len(LABELS)).float().clamp(min=1)
    weights = (counts.sum() / counts) / len(LABELS)
    lin = torch.nn.Linear(x.shape[1], len(LABELS))
    opt = torch.optim.Adam(lin.parameters(), lr=1e-2, weight_decay=1e-3)
    best: dict[str, Any] = {"loss": float("inf")}
    for epoch in range(1, epochs + 1):
        opt.zero_grad()
        loss = F.cross_entropy(lin((x - mean) / std), y, weight=weights)
        loss.backward()
        opt.step()
        with torch.no_grad():
            dev_loss = float(F.cross_entropy(lin((dx - mean) / std), dy, weight=weights))
        if dev_loss < best["loss"]:
            # the normalisation folded into the layer: the runtime reads raw pooled features
            w = lin.weight.detach() / std
            b = lin.bias.detach() - (lin.weight.detach() * mean / std).sum(1)
            best = {"loss": dev_loss, "epoch": epoch, "weight": w.clone(), "bias": b.clone()}
    log.info("best dev log-loss %.3f at epoch %d", best["loss"], best["epoch"])
    return best


def choose_floors(best: dict[str, Any], dev_path: Path) -> tuple[float, float, dict[str, Any]]:
    """The speech floor: the least at which the dev examples it calls speech are at least 90%
    speech; the none floor: likewise for ``none`` (a drop must be right to be worth it)."""
    import torch

    dx, dy = _tensors(dev_path)
    p = torch.softmax(dx @ best["weight"].T + best["bias"], dim=-1)
    floors = []
    for label in ("speech", NOT_A_REPORT):
        k = LABELS.index(label)
        chosen = 0.99
        for floor in [x / 100 for x in range(30, 100, 5)]:
            picked = p[:, k] >= floor
            if int(picked.sum()) >= 5 and float((dy[picked] == k).float().mean()) >= 0.9:
                chosen = floor
                break
        floors.append(chosen)
    pred = p.argmax(-1)
    report = {"dev_accuracy": round(float((pred == dy).float().mean()), 3),
              "dev_examples": dict(Counter(LABELS[i] for i in dy.tolist())),
              "per_label_recall": {lab: round(float((pred[dy == k] == k).float().mean()), 3)
                                   for k, lab in enumerate(LABELS) if int((dy == k).sum())}}
    return floors[0], floors[1], report


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quotecraft.train cuetype", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="folder holding train/ and dev/ in brat format")
    ap.add_argument("--work-dir", type=Path, default=Path("build/cuetype"), help="feature caches (resumed from)")
    ap.add_argument("--out", type=Path, default=TYPE_HEAD_PATH, help="where the head is installed")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles of each split")
    ap.add_argument("--prepare-only", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    opts = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    import torch

    torch.set_num_threads(opts.threads)
    paths = {split: prepare(opts.data, split, opts.work_dir, opts.limit) for split in ("train", "dev")}
    if opts.prepare_only:
        return 0
    best = train(paths["train"], paths["dev"])
    speech_floor, none_floor, report = choose_floors(best, paths["dev"])
    log.info("floors: speech %.2f, none %.2f; %s", speech_floor, none_floor, report)
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"labels": list(LABELS), "weight": best["weight"].half(), "bias": best["bias"].half(),
                "speech_floor": speech_floor, "none_floor": none_floor,
                "info": {"epoch": best["epoch"], "dev_loss": round(best["loss"], 4), **report}}, opts.out)
    print(f"installed {opts.out}: {report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
