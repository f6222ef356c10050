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
dev by log-loss.  It never calls an unknown cue speech (``speech_floor`` None): on PolNeAR
dev every floor tried lost more speech precision than it gained recall (MODEL_CARD.md); it
tells the other types apart, and ``none`` at ``none_floor`` (`choose_none_floor`).  The caches (one file per split under ``--work-dir``, in a
folder named for the encoder and the installed tagger that made them) make a second run start at
training.
"""
from __future__ import annotations

import argparse
import hashlib
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


def _article_examples(text: str, gold: list[dict[str, Any]], tools: dict[str, Any]) -> list[tuple[Any, str, str]]:
    """(pooled features, label, cue word) of the article's labelled gold cues and of the tagger's cues that
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
        words = " ".join(text[s:e] for s, e in cue)
        told = cue_type(words, lex) if cue else None
        if told is None:
            continue
        f = pool_cue(inp.offsets, inp.feats, (min(s for s, _ in cue), max(e for _, e in cue)))
        if f is not None:
            out.append((f.half(), told.type, words.lower()))
    gold_spans = [sp for a in gold for role in ("cue", "content") for sp in a.get(role, [])]
    for la in learned_attributions(text, tools["head"], tools["config"], inp, quotes):
        if la.cue is None or _touches(la.cue, gold_spans) or any(_touches(c, gold_spans) for c in la.content):
            continue
        f = pool_cue(inp.offsets, inp.feats, la.cue)
        if f is not None:
            out.append((f.half(), NOT_A_REPORT, text[la.cue[0]:la.cue[1]].lower()))
    return out


def prepare(data: Path, split: str, work: Path, limit: Optional[int] = None) -> Path:
    """Cache ``split``'s examples as one file (kept: a second run reads it)."""
    import torch

    from ..attribution.tagger import HEAD_PATH, load_head
    from ..lexicon import Lexicon
    from ..nlp.encoder import fingerprint, load_encoder

    # the examples are the encoder's features of cues the installed tagger found: cached per both
    head_sha = hashlib.sha256(HEAD_PATH.read_bytes()).hexdigest()[:8] if HEAD_PATH.exists() else "none"
    path = work / f"{fingerprint()}-head-{head_sha}" / f"{split}.pt"
    if path.exists():
        return path
    head, config = load_head()
    tools = {"lex": Lexicon.default(), "encoder": load_encoder(), "head": head, "config": config}
    feats, labels, words = [], [], []
    t0 = time.monotonic()
    docs = read_split(data, split)[:limit]
    for k, (name, text, gold) in enumerate(docs, 1):
        for f, label, cue in _article_examples(text, gold, tools):
            feats.append(f)
            labels.append(label)
            words.append(cue)
        if k % 50 == 0 or k == len(docs):
            log.info("%s: %d/%d articles, %d examples (%.1f min)", split, k, len(docs), len(labels),
                     (time.monotonic() - t0) / 60)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save({"feats": torch.stack(feats), "labels": labels, "cues": words}, tmp)
    tmp.replace(path)
    return path


def _tensors(path: Path) -> tuple[Any, Any, list[str]]:
    """Features, label indexes and cue words of a cached split."""
    import torch

    d = torch.load(path, weights_only=False)
    y = torch.tensor([LABELS.index(lab) for lab in d["labels"]])
    return d["feats"].float(), y, d["cues"]


def _fit(x: Any, y: Any, dx: Any, dy: Any, epochs: int, seed: int) -> dict[str, Any]:
    """A linear head, full-batch AdamW; the epoch of least log-loss on (dx, dy)."""
    import torch
    from torch.nn import functional as F

    torch.manual_seed(seed)
    # a feature that never varies (some do, at zero) must not blow up when folded back
    mean, std = x.mean(0), x.std(0).clamp(min=1e-2)
    x, dx = (x - mean) / std, (dx - mean) / std
    lin = torch.nn.Linear(x.shape[1], len(LABELS))
    opt = torch.optim.AdamW(lin.parameters(), lr=1e-3, weight_decay=1e-2)
    best: dict[str, Any] = {"loss": float("inf")}
    for epoch in range(1, epochs + 1):
        opt.zero_grad()
        F.cross_entropy(lin(x), y).backward()
        opt.step()
        with torch.no_grad():
            dev_loss = float(F.cross_entropy(lin(dx), dy))
        if dev_loss < best["loss"]:
            # the normalisation folded into the layer: the runtime reads raw pooled features
            w = lin.weight.detach() / std
            b = lin.bias.detach() - (lin.weight.detach() * mean / std).sum(1)
            best = {"loss": dev_loss, "epoch": epoch, "weight": w.clone(), "bias": b.clone()}
    return best


def train(train_path: Path, dev_path: Path, epochs: int = 600, seed: int = 13) -> dict[str, Any]:
    """The head on all of train, selected on dev by log-loss.

    No class weights: weighting the rare types up made speech a coin toss on dev (recall 0.52
    against 0.94 unweighted), and a wrong ``speech`` is the costly error here."""
    x, y, _ = _tensors(train_path)
    dx, dy, _ = _tensors(dev_path)
    best = _fit(x, y, dx, dy, epochs, seed)
    log.info("best dev log-loss %.3f at epoch %d", best["loss"], best["epoch"])
    return best


def choose_none_floor(best: dict[str, Any], dev_path: Path) -> tuple[float, dict[str, Any]]:
    """The least probability of ``none`` at which 90% of the dev cues the head would drop are
    ``none`` (0.99, dropping next to nothing, where no floor is that sure), and a report."""
    import torch

    dx, dy, _ = _tensors(dev_path)
    p = torch.softmax(dx @ best["weight"].T + best["bias"], dim=-1)
    none = LABELS.index(NOT_A_REPORT)
    floor = next((f / 100 for f in range(30, 100, 5) if int((p[:, none] >= f / 100).sum()) >= 5
                  and float((dy[p[:, none] >= f / 100] == none).float().mean()) >= 0.9), 0.99)
    pred = p.argmax(-1)
    report = {"dev_accuracy": round(float((pred == dy).float().mean()), 3),
              "dev_examples": dict(Counter(LABELS[i] for i in dy.tolist())),
              "per_label_recall": {lab: round(float((pred[dy == k] == k).float().mean()), 3)
                                   for k, lab in enumerate(LABELS) if int((dy == k).sum())}}
    return floor, report


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
    none_floor, report = choose_none_floor(best, paths["dev"])
    log.info("none floor %.2f; %s", none_floor, report)
    save_type_head(opts.out, best["weight"], best["bias"], none_floor,
                   {"epoch": best["epoch"], "dev_loss": round(best["loss"], 4), **report})
    print(f"installed {opts.out}: {report}", file=sys.stderr)
    return 0


def save_type_head(path: Path, weight: Any, bias: Any, none_floor: float, info: dict[str, Any]) -> None:
    """The head in the file `quotecraft.attribution.speech.load_type_head` reads (this command's,
    and ``finetune --type-weight``'s)."""
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"labels": list(LABELS), "weight": weight.float().clone(), "bias": bias.float().clone(),
                # never speech: an unknown cue's type is one of the others (see TypeHead)
                "speech_floor": None, "none_floor": none_floor, "info": info}, path)


if __name__ == "__main__":
    raise SystemExit(main())
