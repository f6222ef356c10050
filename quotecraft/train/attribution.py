"""Train the learned attribution model on annotated articles in PolNeAR's brat format.

    python -m quotecraft.train attribution --data ../shared/data/polnear --minutes 20

``--data`` holds ``train/`` and ``dev/``, each with ``text/NAME.txt`` and
``attributions/NAME_XXXX.ann`` (brat: ``Source``/``Cue``/``Content`` T lines linked by
E lines, as in PolNeAR).  Three steps, each resumable:

1. *prepare*: every article is cut into word-piece windows over its prose paragraphs,
   labelled BIO per role (source, cue, content), and -- for the encoder design -- run
   through the frozen encoder once; the results are kept in ``--work-dir`` in parts of
   50 articles, so an interrupted run continues where it stopped.
2. *train*: the head (`quotecraft.attribution.tagger.build_head`) learns on the cached train split,
   one checkpoint per epoch (``runs/NAME/epoch-NN.pt``), within ``--minutes``; running
   again continues.
3. *install*: the best epoch on dev (mean exact span F1 over the three roles), or the
   checkpoints named by ``--install``, written as float16 to ``--out`` (the package's
   ``models/attribution/head.pt`` by default); several checkpoints make one file of heads
   whose tag probabilities are averaged (`quotecraft.attribution.tagger.ensemble`).

``--design encoder`` (default) reads the encoder's features; ``--design plain`` learns
its own word-piece embeddings instead (no pretrained features), for comparison.
"""
from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

from ..attribution.tagger import B, HEAD_PATH, I, N_FLAGS, ROLES, ArticleInputs, article_inputs, build_head, decode_spans, ensemble_config, token_flags

log = logging.getLogger("quotecraft.train.attribution")
PART = 50

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ((?:\d+ \d+;)*\d+ \d+)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_ANN = re.compile(r"^(?P<article>.+)_(?P<annotator>[0-9a-f]{4})\.ann$")


# --------------------------------------------------------------------------- brat

def read_brat(ann: str) -> list[dict[str, list[tuple[int, int]]]]:
    """Attributions of one .ann file: ``{"source": [...], "cue": [...], "content": [...]}`` fragments."""
    spans: dict[str, list[tuple[int, int]]] = {}
    out = []
    events = []
    for line in ann.splitlines():
        if m := _T_LINE.match(line):
            spans[m.group(1)] = [(int(a), int(b)) for a, b in (p.split() for p in m.group(3).split(";"))]
        elif m := _E_LINE.match(line):
            events.append([tuple(a.split(":", 1)) for a in m.group(2).split() if ":" in a])
    for args in events:
        roles: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for role, tid in args:
            base = re.sub(r"\d+$", "", role).lower()
            if base in ROLES and tid in spans:
                roles[base].extend(spans[tid])
        if roles["content"]:
            out.append(dict(roles))
    return out


def read_split(data: Path, split: str) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(name, text, attributions) of every article of ``data/split``, sorted by name."""
    root = data / split
    if not (root / "text").is_dir():
        raise SystemExit(f"no {root}/text folder: --data must hold {split}/text/*.txt and {split}/attributions/*.ann")
    anns: dict[str, list[Path]] = defaultdict(list)
    for p in (root / "attributions").glob("*.ann"):
        if m := _ANN.match(p.name):
            anns[m.group("article")].append(p)
        else:
            anns[p.stem].append(p)
    out = []
    for txt in sorted((root / "text").glob("*.txt")):
        files = sorted(anns.get(txt.stem, []))
        gold = read_brat(files[0].read_text(encoding="utf-8")) if files else []
        out.append((txt.stem, txt.read_text(encoding="utf-8"), gold))
    return out


def labels_for(offsets: Any, gold: list[dict[str, Any]]) -> Any:
    """BIO label per piece and role; a piece belongs to a fragment when their characters overlap.
    Longer fragments are laid down first and a fragment touching labelled pieces of its role is
    skipped, so a nested content (a quote inside a reported speech) leaves the outer one whole."""
    import torch

    n = offsets.shape[0]
    lab = torch.zeros(n, len(ROLES), dtype=torch.int8)
    if n == 0:
        return lab
    starts = offsets[:, 0].tolist()
    ends = offsets[:, 1].tolist()
    for r, role in enumerate(ROLES):
        frags = sorted({f for a in gold for f in a.get(role, ())}, key=lambda f: f[0] - f[1])
        for s, e in frags:
            idx = [k for k in range(n) if starts[k] < e and s < ends[k]]
            if not idx or any(lab[k, r] for k in idx):
                continue
            lab[idx[0], r] = B
            for k in idx[1:]:
                lab[k, r] = I
    return lab


# --------------------------------------------------------------------------- prepare

def prepare(data: Path, split: str, work: Path, with_features: bool, limit: Optional[int] = None) -> list[Path]:
    """Cache the split's windows (and encoder features) in parts; existing parts are kept."""
    import torch

    from ..nlp.encoder import fingerprint, load_encoder
    from ..attribution.layout import analyze_layout
    from ..lexicon import Lexicon
    from ..attribution.quotes import find_quotes

    docs = read_split(data, split)[:limit]
    # pieces depend on the tokenizer only; features on the encoder's weights, cached per encoder
    folder = work / "features" / fingerprint() / split if with_features else work / "pieces" / split
    folder.mkdir(parents=True, exist_ok=True)
    lex = Lexicon.default()
    cue_forms = lex.forms(True)
    encoder = load_encoder()
    parts = []
    t0 = time.monotonic()
    for p in range(0, len(docs), PART):
        path = folder / f"part-{p // PART:04d}-{min(len(docs), p + PART) - p}.pt"
        parts.append(path)
        if path.exists():
            continue
        rows = []
        for name, text, gold in docs[p:p + PART]:
            blocks = analyze_layout(text, lex).prose
            quotes = find_quotes(text, blocks)
            inp = article_inputs(text, blocks, quotes, encoder, cue_forms, with_features)
            rows.append({"id": name, "ids": inp.ids, "offsets": inp.offsets, "flags": inp.flags, "para": inp.para,
                         "feats": inp.feats, "labels": [labels_for(o, gold) for o in inp.offsets]})
        tmp = path.with_suffix(".tmp")
        torch.save(rows, tmp)
        tmp.rename(path)  # a part is either complete or absent
        log.info("%s: %d/%d articles prepared (%.1f min)", split, min(len(docs), p + PART), len(docs),
                 (time.monotonic() - t0) / 60)
    return parts


def load_parts(parts: list[Path], texts: Optional[dict[str, str]] = None) -> list[dict[str, Any]]:
    """The cached rows; with ``texts`` (name -> text), flags cached before `token_flags` grew
    are computed again (no encoder needed: the windows' offsets are in the cache)."""
    import torch

    rows: list[dict[str, Any]] = []
    for p in parts:
        rows.extend(torch.load(p, weights_only=False))
    if texts is not None:
        refresh_flags(rows, texts)
    return rows


def refresh_flags(rows: list[dict[str, Any]], texts: dict[str, str]) -> None:
    """Recompute every row's flags with today's `token_flags` where the cache holds fewer."""
    import torch

    from ..attribution.layout import analyze_layout
    from ..lexicon import Lexicon
    from ..attribution.quotes import find_quotes

    lex = Lexicon.default()
    cue_forms = lex.forms(True)
    for row in rows:
        if not row["flags"] or row["flags"][0].shape[-1] >= N_FLAGS:
            continue
        text = texts[row["id"]]
        quotes = find_quotes(text, analyze_layout(text, lex).prose)
        # paragraph starts as the cached windows have them (the layout may have changed since)
        pstarts: dict[int, int] = {}
        for off, par in zip(row["offsets"], row["para"]):
            for (s, _), q in zip(off.tolist(), par.tolist()):
                pstarts.setdefault(q, s)
        starts = sorted(pstarts.values())
        row["flags"] = [torch.tensor(token_flags(text, [tuple(o) for o in off.tolist()], quotes, starts, cue_forms),
                                     dtype=torch.float16).reshape(-1, N_FLAGS) for off in row["offsets"]]


# --------------------------------------------------------------------------- train

def _windows(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    out = []
    for row in rows:
        for k in range(len(row["ids"])):
            if len(row["ids"][k]):
                out.append((row["ids"][k], row["flags"][k], row["feats"][k] if row["feats"] else None, row["labels"][k]))
    return out


def _batch(items: list[tuple[Any, ...]], feat_dim: int, n_flags: int = 5):  # type: ignore[no-untyped-def]
    import torch

    lengths = [len(it[0]) for it in items]
    n = max(lengths)
    ids = torch.zeros(len(items), n, dtype=torch.long)
    flags = torch.zeros(len(items), n, n_flags)
    feats = torch.zeros(len(items), n, feat_dim) if feat_dim else None
    labels = torch.full((len(items), n, len(ROLES)), -100, dtype=torch.long)
    for r, (i, f, x, lab) in enumerate(items):
        m = lengths[r]
        ids[r, :m] = i.long()
        flags[r, :m] = f[:, :n_flags].float()
        if feats is not None:
            feats[r, :m] = x.float()
        labels[r, :m] = lab.long()
    return ids, flags, feats, labels, torch.tensor(lengths)


def _span_set(tags: Any, r: int) -> set[tuple[int, int]]:
    spans, start = set(), None
    for k, t in enumerate(tags + [0]):
        if t == B or (t == I and start is None) or t == 0:
            if start is not None:
                spans.add((start, k))
            start = k if t in (B, I) else None
    return spans


def evaluate_spans(head: Any, windows: list[tuple[Any, ...]], feat_dim: int, n_flags: int = 5) -> dict[str, float]:
    """Exact span F1 per role over the windows (pieces, not characters): the selection measure."""
    import torch

    tp = [0] * len(ROLES)
    npred = [0] * len(ROLES)
    ngold = [0] * len(ROLES)
    head.eval()
    with torch.inference_mode():
        for lo in range(0, len(windows), 32):
            ids, flags, feats, labels, lengths = _batch(windows[lo:lo + 32], feat_dim, n_flags)
            dev = next(head.parameters()).device  # a GPU in fine-tuning: the batch goes to the head
            pred = head(*(t.to(dev) if t is not None else None for t in (feats, ids, flags, lengths))).argmax(-1).cpu()
            for b in range(len(lengths)):
                m = int(lengths[b])
                for r in range(len(ROLES)):
                    p = _span_set(pred[b, :m, r].tolist(), r)
                    g = _span_set(labels[b, :m, r].tolist(), r)
                    tp[r] += len(p & g)
                    npred[r] += len(p)
                    ngold[r] += len(g)
    out = {}
    for r, role in enumerate(ROLES):
        prec = tp[r] / npred[r] if npred[r] else 0.0
        rec = tp[r] / ngold[r] if ngold[r] else 0.0
        out[role] = round(200 * prec * rec / (prec + rec), 2) if prec + rec else 0.0
    out["mean"] = round(sum(out[r] for r in ROLES) / len(ROLES), 2)
    return out


def warm_start(head: Any, init: Path) -> list[str]:
    """Copy the weights of an earlier head (``best.pt`` or an installed ``head.pt``; of an
    installed ensemble, its first head) into ``head`` where names match; a wider input
    projection (more flags) gets the old columns and zeros for the new ones, so training
    starts where the old head stood.  Returns the names of the parameters that kept their
    fresh initialisation."""
    import torch

    ckpt = torch.load(init, map_location="cpu", weights_only=False)
    if "members" in ckpt:  # an installed ensemble: start from its first head
        ckpt = ckpt["members"][0]
    old = {k: v.float() for k, v in ckpt.get("state", ckpt.get("model", {})).items()}
    own = head.state_dict()
    fresh = []
    for name, value in own.items():
        w = old.get(name)
        if w is None:
            fresh.append(name)
        elif w.shape == value.shape:
            own[name] = w
        elif name == "proj.weight" and w.shape[0] == value.shape[0] and w.shape[1] < value.shape[1]:
            value = torch.zeros_like(value)
            value[:, :w.shape[1]] = w
            own[name] = value
        elif name.startswith("out.") and w.shape[0] == value.shape[0] and w.dim() == 2 and w.shape[1] < value.shape[1]:
            # the output layer over [convolutions, BiLSTM]: the old layer reads the first part
            value = value.clone()
            value[:, :w.shape[1]] = w
            value[:, w.shape[1]:] *= 0.1
            own[name] = value
        else:
            fresh.append(name)
    head.load_state_dict(own)
    return fresh


def train(train_rows: list[dict[str, Any]], dev_rows: list[dict[str, Any]], work: Path, config: dict[str, Any],
          minutes: float, max_epochs: int, seed: int, init: Optional[Path] = None) -> Path:
    """Train (or continue training) the head; returns the path of the best checkpoint on dev."""
    import torch

    torch.manual_seed(seed)
    feat_dim = config["feat_dim"]
    n_flags = config.get("flags", 5)
    tr, dv = _windows(train_rows), _windows(dev_rows)
    ckpt_dir = work / "runs" / config["name"]
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    head = build_head(config)
    opt = torch.optim.Adam(head.parameters(), lr=config["lr"])
    last = ckpt_dir / "last.pt"
    state = {"epoch": 0, "best": -1.0, "history": []}
    if last.exists():
        saved = torch.load(last, weights_only=False)
        head.load_state_dict(saved["model"])
        opt.load_state_dict(saved["optimizer"])
        state = saved["state"]
        log.info("resuming %s after epoch %d (best dev %.2f)", config["name"], state["epoch"], state["best"])
    elif init is not None:
        fresh = warm_start(head, init)
        log.info("%s starts from %s (fresh: %s)", config["name"], init, ", ".join(fresh) or "none")
        opt = torch.optim.Adam(head.parameters(), lr=config["lr"])
    weights = torch.tensor(config.get("class_weights", [1.0, 1.0, 1.0]))
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights, ignore_index=-100)
    deadline = time.monotonic() + minutes * 60
    bs = config["batch"]
    while state["epoch"] < max_epochs and time.monotonic() < deadline:
        took = [h["minutes"] for h in state["history"][-1:]]
        if took and time.monotonic() + took[0] * 60 > deadline + 60:
            log.info("%s: another epoch (%.1f min) would overrun the budget; stopping", config["name"], took[0])
            break
        t0 = time.monotonic()
        head.train()
        g = torch.Generator().manual_seed(seed + state["epoch"])
        order = torch.randperm(len(tr), generator=g).tolist()
        # batches of similar length (less padding), in a shuffled order
        chunks = [order[i:i + bs * 20] for i in range(0, len(order), bs * 20)]
        batches = []
        for ch in chunks:
            ch.sort(key=lambda i: len(tr[i][0]))
            batches.extend(ch[i:i + bs] for i in range(0, len(ch), bs))
        perm = torch.randperm(len(batches), generator=g).tolist()
        total = 0.0
        for bi in perm:
            ids, flags, feats, labels, lengths = _batch([tr[i] for i in batches[bi]], feat_dim, n_flags)
            logits = head(feats, ids, flags, lengths)
            loss = loss_fn(logits.reshape(-1, 3), labels.reshape(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(head.parameters(), 5.0)
            opt.step()
            total += float(loss.detach())
        state["epoch"] += 1
        dev = evaluate_spans(head, dv, feat_dim, n_flags)
        state["history"].append({"epoch": state["epoch"], "loss": round(total / max(1, len(batches)), 4), "dev": dev,
                                 "minutes": round((time.monotonic() - t0) / 60, 2)})
        log.info("%s epoch %d: loss %.4f, dev span F1 %s (%.1f min)", config["name"], state["epoch"],
                 total / max(1, len(batches)), dev, (time.monotonic() - t0) / 60)
        snapshot = {"config": config, "state": head.state_dict(), "dev": dev, "epoch": state["epoch"]}
        # every epoch stays installable (--install): the span F1 here is measured on argmax tags,
        # and the epoch that decodes best (Viterbi, floor, merge) is not always its best one
        torch.save(snapshot, ckpt_dir / f"epoch-{state['epoch']:02d}.pt")
        if dev["mean"] > state["best"]:
            state["best"] = dev["mean"]
            torch.save(snapshot, ckpt_dir / "best.pt")
        torch.save({"model": head.state_dict(), "optimizer": opt.state_dict(), "state": state}, last)
        (ckpt_dir / "history.json").write_text(json.dumps(state["history"], indent=1))
    return ckpt_dir / "best.pt"


#: the decoding settings a head file stores beside its weights, each overridable on the command line
DECODING = ("decode", "min_confidence", "min_score", "o_weight")


def install(best: Path | Sequence[Path], out: Path, settings: Optional[dict[str, Any]] = None) -> None:
    """Write a checkpoint's weights as float16 (config kept alongside, no optimizer); with
    several checkpoints, all of them in one file whose heads' tag probabilities are averaged
    at prediction time (`quotecraft.attribution.tagger.ensemble`), the settings stored once on top.
    ``settings``: decoding settings (`DECODING`) stored with the head, over the checkpoint's own."""
    import torch

    paths = [Path(best)] if isinstance(best, (str, Path)) else [Path(p) for p in best]
    ckpts = [torch.load(p, weights_only=False) for p in paths]
    out.parent.mkdir(parents=True, exist_ok=True)
    config = dict(ckpts[0]["config"], **(settings or {}))
    # an installed head.pt (already float16, maybe without a training config's decode) can be a member too,
    # and an installed pair gives its members: "--install head.pt --o-weight W" re-sets its decoding
    members = [{"config": dict(m["config"]), "state": {k: v.half() for k, v in m["state"].items()}}
               for c in ckpts for m in (c["members"] if "members" in c else [c])]
    if len(members) == 1:
        torch.save({"config": config, "state": members[0]["state"]}, out)
    else:
        try:
            config["flags"] = ensemble_config([m["config"] for m in members])["flags"]
        except ValueError as e:
            raise SystemExit(f"cannot ensemble these checkpoints: {e}") from None
        torch.save({"config": config, "members": members}, out)
    log.info("installed %s (%.1f MB; %s)", out, out.stat().st_size / 1e6,
             "; ".join(f"{p}: epoch {c.get('epoch', '?')}, dev span F1 {c.get('dev', '?')}" for p, c in zip(paths, ckpts)))


# --------------------------------------------------------------------------- predictions from the cache

def predictions(rows: list[dict[str, Any]], texts: dict[str, str], head_path: Optional[Path | Sequence[Path]],
                settings: Optional[dict[str, Any]] = None) -> Iterator[dict[str, Any]]:
    """``Article.to_dict()``-shaped predictions straight from the tagger (speaker name = its
    mention; no parse, no resolver): for scoring the tagger alone with benchmarks/polnear.py.
    Several head files are ensembled (their tag probabilities averaged, `quotecraft.attribution.tagger.ensemble`;
    decoding settings from the first).  With no ``head_path`` the gold labels stand in for the
    tagger's (the ceiling of the decoding and linking).  ``settings`` override the head's decoding."""
    from ..attribution.layout import analyze_layout
    from ..attribution.tagger import ensemble, learned_attributions, link, load_head, snap_to_quotes
    from ..lexicon import Lexicon
    from ..attribution.quotes import find_quotes

    paths = [head_path] if isinstance(head_path, (str, Path)) else list(head_path or [])
    if len(paths) > 1:
        head, config = ensemble([load_head(p) for p in paths])
    else:
        head, config = load_head(paths[0]) if paths else (None, {})
    config = dict(config, **(settings or {}))
    lex = Lexicon.default()
    for row in rows:
        text = texts[row["id"]]
        inp = ArticleInputs(row["ids"], row["offsets"], row["flags"], row["para"], row["feats"])
        quotes = find_quotes(text, analyze_layout(text, lex).prose)
        if head is not None:
            atts = learned_attributions(text, head, config, inp, quotes)
        else:
            tags = [t for lab in row["labels"] for t in lab.tolist()]
            offsets = [tuple(o) for off in row["offsets"] for o in off.tolist()]
            paras = [p for par in row["para"] for p in par.tolist()]
            atts = link(decode_spans(tags, [[1.0] * len(ROLES)] * len(tags), offsets, paras))
            snap_to_quotes(text, atts, quotes)

        def span(r: Optional[tuple[int, int]]) -> Optional[dict[str, Any]]:
            return {"start": r[0], "end": r[1], "text": text[r[0]:r[1]]} if r else None

        quotes_out = [{"content": [span(c) for c in a.content], "cue": span(a.cue),
                       "speaker": {"name": text[a.source[0]:a.source[1]], "mention": span(a.source), "kind": "unknown"}
                       if a.source else None, "addressee": None, "reported_by": [], "kind": a.kind,
                       "confidence": a.confidence} for a in atts]
        yield {"id": row["id"], "text": text, "quotes": quotes_out, "credits": [], "error": None}


#: sized for one CPU core: an epoch over PolNeAR train takes minutes, not hours
DESIGNS = {
    "encoder": {"feat_dim": 768, "vocab": 0, "emb": 0, "proj": 128, "hidden": 0, "layers": 4, "arch": "conv",
                "dropout": 0.1, "lr": 2e-3, "batch": 32},
    # the same convolutions (warm-started from a conv head with --init) plus one BiLSTM over
    # them, the quote-edge and paragraph-end flags, and BIO-constrained Viterbi decoding
    "encoder-lstm": {"feat_dim": 768, "vocab": 0, "emb": 0, "proj": 128, "hidden": 96, "layers": 4,
                     "arch": "convlstm", "flags": 9, "decode": "viterbi", "dropout": 0.1, "lr": 1e-3, "batch": 32},
    "plain": {"feat_dim": 0, "vocab": 30522, "emb": 128, "proj": 128, "hidden": 0, "layers": 3, "arch": "conv",
              "dropout": 0.1, "lr": 2e-3, "batch": 32},
}


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quotecraft.train attribution", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="folder holding train/ and dev/ in brat format")
    ap.add_argument("--work-dir", type=Path, default=Path("build/attribution"),
                    help="cache, checkpoints (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=HEAD_PATH, help="where the best head is installed (default: the package's)")
    ap.add_argument("--design", choices=sorted(DESIGNS), default="encoder")
    ap.add_argument("--minutes", type=float, default=30.0, help="training wall-time budget of this sitting")
    ap.add_argument("--epochs", type=int, default=30, help="stop after this many epochs in all")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles of each split")
    ap.add_argument("--prepare-only", action="store_true", help="only build the caches")
    ap.add_argument("--no-install", action="store_true", help="train but leave --out alone")
    ap.add_argument("--predict", metavar="JSONL", type=Path, default=None,
                    help="instead of training: write the tagger's dev predictions (Article.to_dict lines) here")
    ap.add_argument("--head", type=Path, nargs="+", default=None,
                    help="with --predict: the head to use (default: --out); several: their tag probabilities "
                         "averaged (an ensemble)")
    ap.add_argument("--decode", choices=("argmax", "viterbi"), default=None,
                    help="with --predict: override the head's decoding; when installing: stored with the head "
                         "(default: the design's)")
    ap.add_argument("--min-confidence", type=float, default=None,
                    help="drop non-direct attributions under this confidence (with --predict: overrides the "
                         "head's; when installing: stored with the head; default: the design's)")
    ap.add_argument("--min-score", type=float, default=None,
                    help="drop contents whose mean tag probability is under this (with --predict: overrides the "
                         "head's; when installing: stored with the head; default 0.5)")
    ap.add_argument("--o-weight", type=_o_weight, default=None, metavar="W[,W,W]",
                    help="scale the probability of O (outside) by W before Viterbi decoding, for source, cue and "
                         "content alike or each its own: under 1 the spans lean to recall (with --predict: "
                         "overrides the head's; when installing: stored with the head; default 1)")
    ap.add_argument("--init", type=Path, default=None,
                    help="start a new run from this head's weights where they fit (e.g. the shipped conv head)")
    ap.add_argument("--install", metavar="CHECKPOINT", type=Path, nargs="+", default=None,
                    help="only install this checkpoint (a run's best.pt or epoch-NN.pt) as float16 to --out, then "
                         "stop; several: one file whose heads' tag probabilities are averaged (an ensemble)")
    ap.add_argument("--name", default=None, help="run name under --work-dir/runs (default: the design's)")
    ap.add_argument("--oracle", action="store_true",
                    help="with --predict: decode the gold labels instead of the head's (the decoding's ceiling)")
    opts = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stdout)

    import torch

    torch.set_num_threads(1)
    if opts.install:
        install(opts.install, opts.out, _settings(opts))
        return 0
    config = dict(DESIGNS[opts.design], name=opts.name or opts.design)
    with_features = config["feat_dim"] > 0
    dev_parts = prepare(opts.data, "dev", opts.work_dir, with_features, opts.limit)
    dev_texts = {name: text for name, text, _ in read_split(opts.data, "dev")}
    if opts.predict:
        rows = load_parts(dev_parts, dev_texts)
        texts = dev_texts
        opts.predict.parent.mkdir(parents=True, exist_ok=True)
        with opts.predict.open("w", encoding="utf-8") as f:
            for d in predictions(rows, texts, None if opts.oracle else (opts.head or opts.out), _settings(opts)):
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        return 0
    train_parts = prepare(opts.data, "train", opts.work_dir, with_features, opts.limit)
    if opts.prepare_only:
        return 0
    train_texts = {name: text for name, text, _ in read_split(opts.data, "train")}
    best = train(load_parts(train_parts, train_texts), load_parts(dev_parts, dev_texts), opts.work_dir, config,
                 opts.minutes, opts.epochs, opts.seed, opts.init)
    if not opts.no_install and best.exists():
        install(best, opts.out, _settings(opts))
    return 0


def _settings(opts: argparse.Namespace) -> dict[str, Any]:
    """The decoding settings given on the command line."""
    return {k: getattr(opts, k) for k in DECODING if getattr(opts, k) is not None}


def _o_weight(value: str) -> list[float]:
    """``W`` (every role) or ``W,W,W`` (source, cue, content), each above 0: 0 would forbid O."""
    try:
        ws = [float(x) for x in value.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or three comma-separated numbers: {value!r}") from None
    if len(ws) == 1:
        ws = ws * len(ROLES)
    if len(ws) != len(ROLES) or any(w <= 0 for w in ws):
        raise argparse.ArgumentTypeError(f"one weight or {len(ROLES)} (source, cue, content), each above 0: {value!r}")
    return ws
