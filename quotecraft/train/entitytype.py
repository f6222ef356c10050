"""Train the entity-type head (`quotecraft.attribution.entitytype`) on GUM's entity types.

    python -m quotecraft.train entitytype                  # prepare, train, report, install
    python -m quotecraft.train entitytype --report-only    # per-type accuracy of the installed head

Every GUM mention (``../shared/data/ud/gum``, read by `quotecraft.train.gum`) is an example: the
pooled features of its word pieces (`pool_mention`: their mean, then the last piece) from the same
frozen encoder pass the tagger runs, with the sentences packed into windows as the tagger packs
paragraphs.  Labels are GUM's types, animals, plants and substances folded into ``object``.  One
hidden layer, trained on train, selected on dev by log-loss; the confidence floor and the
person veto are chosen on dev (`choose_floor`, `choose_person_veto`).  The report scores two sets per split: all mentions, and *names* (first and
last word a proper noun, at most five words -- what the registry types), each against the rules'
``EntityRegistry.kind_of`` on the same names.  Caches go to ``--work-dir``, in a folder named for the
encoder that made them (a second run with the same encoder starts at training).
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Any, Optional

from ..attribution.entitytype import ENTITY_HEAD_PATH, ENTITY_TYPES, pool_mention
from .gum import GUM, documents, split_path

log = logging.getLogger("quotecraft.train.entitytype")
WEIGHTS = ("hidden_weight", "hidden_bias", "weight", "bias")
FOLD = {"animal": "object", "plant": "object", "substance": "object"}
#: the rules' kinds as GUM types (group: people; agency: an organisation; document: abstract)
RULE_TYPE = {"person": "person", "group": "person", "organization": "organization", "agency": "organization",
             "place": "place", "time": "time", "document": "abstract"}


def _is_name(words: list[dict[str, Any]]) -> bool:
    return 0 < len(words) <= 5 and words[0]["upos"] == "PROPN" and words[-1]["upos"] == "PROPN"


def _doc_examples(doc: dict[str, Any], encoder: Any, registry: Any) -> list[tuple[Any, str, bool, Optional[str]]]:
    """(features, GUM type, is a name, the rules' type of the name or None) of each mention."""
    from ..nlp.encoder import encoded_windows

    text = doc["text"]
    blocks = [(s[0]["start"], s[-1]["end"]) for s in doc["sentences"]]
    windows = encoded_windows(encoder, text, blocks)
    feats = encoder.encode(windows)
    words = [w for s in doc["sentences"] for w in s]
    by_window = [dict(zip(win.offsets, f)) for win, f in zip(windows, feats) if win.offsets]
    out = []
    for s, e, _, etype in doc["mentions"]:
        if not etype:
            continue
        x = next((pool_mention(pieces, (s, e)) for pieces in by_window
                  if min(pieces) <= (s, e) and s < max(pieces)[1]), None)
        if x is None:
            continue
        inside = [w for w in words if s <= w["start"] and w["end"] <= e]
        name = _is_name(inside)
        rule = RULE_TYPE.get(registry.kind_of(text[s:e])) if name else None
        out.append((x.half(), FOLD.get(etype, etype), name, rule))
    return out


def prepare(split: str, work: Path, gum_dir: Optional[Path] = None, limit: Optional[int] = None) -> Path:
    """Cache ``split``'s examples as one file (kept: a second run reads it)."""
    import torch

    from ..attribution.entities import EntityRegistry
    from ..lexicon import Lexicon
    from ..nlp.encoder import fingerprint, load_encoder

    path = work / fingerprint() / f"{split}.pt"  # features of another encoder are never reused
    if path.exists():
        return path
    encoder, registry = load_encoder(), EntityRegistry(Lexicon.default())
    rows: list[tuple[Any, str, bool, Optional[str]]] = []
    t0 = time.monotonic()
    docs = list(documents(split_path(split, gum_dir)))[:limit]
    for k, doc in enumerate(docs, 1):
        rows.extend(_doc_examples(doc, encoder, registry))
        if k % 20 == 0 or k == len(docs):
            log.info("%s: %d/%d documents, %d mentions (%.1f min)", split, k, len(docs), len(rows),
                     (time.monotonic() - t0) / 60)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save({"feats": torch.stack([r[0] for r in rows]), "labels": [r[1] for r in rows],
                "names": [r[2] for r in rows], "rules": [r[3] for r in rows]}, tmp)
    tmp.replace(path)
    return path


def _load(path: Path) -> dict[str, Any]:
    import torch

    d = torch.load(path, weights_only=False)
    d["x"] = d["feats"].float()
    d["y"] = torch.tensor([ENTITY_TYPES.index(lab) for lab in d["labels"]])
    return d


def train(tr: dict[str, Any], dev: dict[str, Any], epochs: int = 30, hidden: int = 256, seed: int = 13
          ) -> dict[str, Any]:
    """One hidden layer (GELU, dropout 0.3 before and after it), minibatches of 256, AdamW; the
    epoch of least dev log-loss, with the input normalisation folded into the first layer.  One
    hidden layer over a linear one: names on GUM test 79% against 74% (benchmarks/README.md)."""
    import torch
    from torch.nn import functional as F

    torch.manual_seed(seed)
    mean, std = tr["x"].mean(0), tr["x"].std(0).clamp(min=1e-2)
    x, y, dx, dy = (tr["x"] - mean) / std, tr["y"], (dev["x"] - mean) / std, dev["y"]
    net = torch.nn.Sequential(torch.nn.Dropout(0.3), torch.nn.Linear(x.shape[1], hidden), torch.nn.GELU(),
                              torch.nn.Dropout(0.3), torch.nn.Linear(hidden, len(ENTITY_TYPES)))
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=5e-2)
    best: dict[str, Any] = {"loss": float("inf")}
    for epoch in range(1, epochs + 1):
        net.train()
        perm = torch.randperm(len(y))
        for i in range(0, len(y), 256):
            b = perm[i:i + 256]
            opt.zero_grad()
            F.cross_entropy(net(x[b]), y[b]).backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            loss = float(F.cross_entropy(net(dx), dy))
        if loss < best["loss"]:
            w1, b1 = net[1].weight.detach(), net[1].bias.detach()
            best = {"loss": loss, "epoch": epoch, "hidden_weight": (w1 / std).clone(),
                    "hidden_bias": (b1 - (w1 * mean / std).sum(1)).clone(),
                    "weight": net[4].weight.detach().clone(), "bias": net[4].bias.detach().clone()}
    log.info("best dev log-loss %.3f at epoch %d", best["loss"], best["epoch"])
    return best


def _probs(head: dict[str, Any], d: dict[str, Any]) -> Any:
    import torch

    return torch.tensor([[p[t] for t in ENTITY_TYPES] for p in _runtime(head).probabilities(d["x"])])


def _runtime(head: dict[str, Any]) -> Any:
    """The head as the pipeline runs it (`EntityTypeHead`), so the report scores that."""
    from ..attribution.entitytype import EntityTypeHead

    return EntityTypeHead({"labels": list(ENTITY_TYPES), **{k: v for k, v in head.items() if k != "labels"}})


def choose_floor(head: dict[str, Any], dev: dict[str, Any], target: float = 0.9) -> float:
    """The least confidence at which the head's type of a dev *name* is right ``target`` of the
    time: under it the registry keeps ``unknown`` (a wrong type bars the right antecedent)."""
    p = _probs(head, dev)
    conf, pred = p.max(-1)
    names = [i for i, n in enumerate(dev["names"]) if n]
    for f in range(30, 100, 5):
        sure = [i for i in names if float(conf[i]) >= f / 100]
        if len(sure) >= 20 and sum(int(pred[i]) == int(dev["y"][i]) for i in sure) / len(sure) >= target:
            return f / 100
    return 0.99


def choose_person_veto(head: dict[str, Any], dev: dict[str, Any], target: float = 0.97) -> float:
    """The greatest probability of ``person`` under which at least ``target`` of the dev names
    are no person: the head vetoes "he" and "she" for them (`EntityTypeHead.predict`)."""
    p = _probs(head, dev)[:, ENTITY_TYPES.index("person")]
    names = [i for i, n in enumerate(dev["names"]) if n]
    person = ENTITY_TYPES.index("person")
    best = 0.0
    for t in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
        sel = [i for i in names if float(p[i]) < t]
        if sel and sum(int(dev["y"][i]) != person for i in sel) / len(sel) >= target:
            best = t
    return best


def report(head: dict[str, Any], d: dict[str, Any]) -> dict[str, Any]:
    """Per-type accuracy (recall) of the head on all mentions and on names, and of the rules on
    the same names (a name the rules leave ``unknown`` counts wrong), with counts."""
    pred = _probs(head, d).argmax(-1).tolist()
    gold = d["y"].tolist()
    names = [i for i, n in enumerate(d["names"]) if n]
    out: dict[str, Any] = {}
    for t, lab in enumerate(ENTITY_TYPES):
        every = [i for i, g in enumerate(gold) if g == t]
        named = [i for i in names if gold[i] == t]
        out[lab] = {"n": len(every), "head": _acc(pred, every, t), "names": len(named),
                    "head_names": _acc(pred, named, t),
                    "rules_names": round(sum(d["rules"][i] == lab for i in named) / len(named), 3) if named else None}
    out["all"] = {"n": len(gold), "head": round(sum(p == g for p, g in zip(pred, gold)) / len(gold), 3),
                  "names": len(names), "head_names": round(sum(pred[i] == gold[i] for i in names) / len(names), 3),
                  "rules_names": round(sum(d["rules"][i] == ENTITY_TYPES[gold[i]] for i in names) / len(names), 3),
                  "rules_answered": round(sum(d["rules"][i] is not None for i in names) / len(names), 3)}
    return out


def _acc(pred: list[int], idx: list[int], t: int) -> Optional[float]:
    return round(sum(pred[i] == t for i in idx) / len(idx), 3) if idx else None


def markdown(split: str, rep: dict[str, Any]) -> str:
    rows = [f"| {split} | type | mentions | head % | names | head on names % | rules on names % |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    pct = (lambda v: "-" if v is None else f"{100 * v:.1f}")
    for lab, r in rep.items():
        rows.append(f"| {split} | {lab} | {r['n']} | {pct(r['head'])} | {r['names']} | {pct(r['head_names'])} | "
                    f"{pct(r['rules_names'])} |")
    return "\n".join(rows)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quotecraft.train entitytype", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gum-dir", type=Path, default=GUM, help="folder of GUM's en_gum-nonnc-*.conllu files")
    ap.add_argument("--work-dir", type=Path, default=Path("build/entitytype"), help="feature caches (resumed from)")
    ap.add_argument("--out", type=Path, default=ENTITY_HEAD_PATH, help="where the head is installed")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents of each split")
    ap.add_argument("--report-only", action="store_true", help="score the installed head on dev and test")
    ap.add_argument("--threads", type=int, default=2)
    opts = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    import torch

    torch.set_num_threads(opts.threads)
    data = {s: _load(prepare(s, opts.work_dir, opts.gum_dir, opts.limit)) for s in ("train", "dev", "test")}
    if opts.report_only:
        head = torch.load(opts.out, weights_only=True)
    else:
        head = train(data["train"], data["dev"])
        head["floor"] = choose_floor(head, data["dev"])
        head["person_veto"] = choose_person_veto(head, data["dev"])
        reports = {s: report(head, data[s]) for s in ("dev", "test")}
        opts.out.parent.mkdir(parents=True, exist_ok=True)
        torch.save({"labels": list(ENTITY_TYPES), **{k: head[k].float() for k in WEIGHTS},
                    "floor": head["floor"], "person_veto": head["person_veto"], "info": {"epoch": head["epoch"], "dev_loss": round(head["loss"], 4),
                                                     "dev_accuracy": reports["dev"]["all"]["head"]}}, opts.out)
        print(f"installed {opts.out} (floor {head['floor']}, person veto {head['person_veto']})", file=sys.stderr)
    for s in ("dev", "test"):
        print(markdown(s, report(head, data[s])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
