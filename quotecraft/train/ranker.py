"""Train the pronoun antecedent ranker (`quotecraft.attribution.ranker`) on GUM's coreference.

    python -m quotecraft.train ranker                     # prepare, train, select on dev, install

Each "he", "she", "they" and "it" of GUM train that is a one-word mention of an entity mentioned
before it is an example, read as ``benchmarks/gum_coref.py`` reads it: the article's registry is
built on GUM's gold tokens and trees, the entity-type head types the names the rules leave open,
the rules' resolver notes its speakers, and the candidates are those the registry's agreement
constraints allow (`EntityRegistry.allowed`).  A candidate is right when one of its entity's
mentions before the pronoun lies in a gold mention of the pronoun's entity.  A linear softmax over
each pronoun's candidates is fitted on train; the L2 weight, whether a close speaker stays a hard
first choice, and which pronoun classes the ranker answers at all (the rule tiers keep the
others) are chosen on dev.  The entity-type head's answers are cached in ``--work-dir`` (the
encoder pass is the slow part; a second run starts from the cache: delete it when the encoder or
the head changes, since their answers move the registry's kinds and so the candidates).
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Optional

from ..attribution.ranker import RANKER_PATH, Ranker, candidate_features, pronoun_class
from .gum import GUM, documents, split_path

log = logging.getLogger("quotecraft.train.ranker")
PRONOUNS = ("he", "she", "they", "it")
CLASSES = ("hs", "they", "it")


def _head_types(split: str, work: Path, gum_dir: Optional[Path]) -> dict[str, list[list[Any]]]:
    """The entity-type head's answer for each name it is asked about, by document (cached)."""
    path = work / f"{split}_types.json"
    if path.exists():
        return json.loads(path.read_text())
    from ..attribution.entitytype import load_entity_type_head, typer
    from ..nlp.encoder import encoded_windows, load_encoder

    head, enc = load_entity_type_head(), load_encoder()
    out: dict[str, list[list[Any]]] = {}
    for doc in documents(split_path(split, gum_dir)):
        reg, sentences = _registry(doc)
        windows = encoded_windows(enc, doc["text"], [(s.start, s.end) for s in sentences])
        pieces = {o: row for w, f in zip(windows, enc.encode(windows)) for o, row in zip(w.offsets, f)}
        type_of = typer(head, pieces)
        out[doc["id"]] = [[s, e, type_of(s, e)] for s, e in reg.unsure_spans()]
    work.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out))
    return out


def _registry(doc: dict[str, Any]) -> tuple[Any, list[Any]]:
    from ..attribution.entities import EntityRegistry
    from ..lexicon import Lexicon
    from ..nlp.parse import Sentence, Word

    sentences = [Sentence([Word(**w) for w in s], s[0]["start"], s[-1]["end"]) for s in doc["sentences"]]
    reg = EntityRegistry(Lexicon.default())
    reg.ranker = None  # the rules' resolver, as the examples were read with it
    reg.add_sentences(doc["text"], sentences)
    return reg, sentences


def build(doc: dict[str, Any], types: list[list[Any]]) -> Any:
    """The registry as ``benchmarks/gum_coref.py`` builds it: names, the head's kinds, the speakers."""
    from ..attribution.cues import find_cues
    from ..attribution.quotes import find_quotes
    from ..attribution.resolve import _Resolver
    from ..lexicon import Lexicon

    reg, sentences = _registry(doc)
    known = {(s, e): t for s, e, t in types}
    reg.type_unsure(lambda s, e: known.get((s, e)))
    text, lex = doc["text"], Lexicon.default()
    _Resolver(text, sentences, find_quotes(text, [(0, len(text))]), find_cues(sentences, lex), reg, lex, False).run()
    return reg


def _gold_entity(mentions: list[tuple[int, int, str, str]], s: int, e: int) -> Optional[str]:
    around = [m for m in mentions if m[0] <= s and e <= m[1]]
    return min(around, key=lambda m: m[1] - m[0])[2] if around else None


def doc_examples(doc: dict[str, Any], types: list[list[Any]]) -> list[dict[str, Any]]:
    """One example per pronoun: its registry, position, allowed candidates, their features and
    labels, and the entities that are right."""
    reg = build(doc, types)
    gold = doc["mentions"]
    first_of: dict[str, int] = {}
    for s, _, eid, _ in gold:
        first_of[eid] = min(first_of.get(eid, s), s)
    out = []
    for s, e, eid, _ in sorted(gold):
        p = doc["text"][s:e].lower()
        if p not in PRONOUNS or first_of[eid] >= s:
            continue
        right = {id(m.entity) for m in reg.mentions if m.end <= s and _gold_entity(gold, m.start, m.end) == eid}
        ok = reg.allowed(p, s)
        feats = candidate_features(reg, p, s, ok)
        out.append({"p": p, "pos": s, "reg": reg, "ok": ok, "right": right,
                    "feats": [f for _, f in feats], "labels": [id(ent) in right for ent, _ in feats]})
    return out


def examples(split: str, work: Path, gum_dir: Optional[Path]) -> list[dict[str, Any]]:
    types = _head_types(split, work, gum_dir)
    out = []
    for doc in documents(split_path(split, gum_dir)):
        out += doc_examples(doc, types.get(doc["id"], []))
    log.info("%s: %d pronouns", split, len(out))
    return out


def fit(train: list[dict[str, Any]], l2: float, steps: int = 300) -> dict[str, float]:
    """A linear softmax over each pronoun's candidates: the probability of the right ones is
    maximised (examples with no right candidate or no choice teach nothing and are left out)."""
    import torch

    useful = [x for x in train if any(x["labels"]) and len(x["labels"]) > 1]
    names = sorted({k for x in useful for f in x["feats"] for k in f})
    col = {k: i for i, k in enumerate(names)}
    width = max(len(x["feats"]) for x in useful)
    feats = torch.zeros(len(useful), width, len(names))
    mask = torch.zeros(len(useful), width, dtype=torch.bool)
    right = torch.zeros(len(useful), width, dtype=torch.bool)
    for n, x in enumerate(useful):
        for c, (f, label) in enumerate(zip(x["feats"], x["labels"])):
            for k, v in f.items():
                feats[n, c, col[k]] = v
            mask[n, c], right[n, c] = True, label
    w = torch.zeros(len(names), requires_grad=True)
    opt = torch.optim.LBFGS([w], max_iter=steps, line_search_fn="strong_wolfe")

    def closure() -> Any:
        opt.zero_grad()
        scores = feats @ w
        loss = (torch.logsumexp(scores.masked_fill(~mask, -1e9), 1)
                - torch.logsumexp(scores.masked_fill(~right, -1e9), 1)).mean() + l2 * (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return {k: round(float(v), 5) for k, v in zip(names, w.detach()) if abs(float(v)) > 1e-6}


def accuracy(choose: Any, exs: list[dict[str, Any]]) -> dict[str, Counter]:
    """Right and all per pronoun, for ``choose(example) -> entity or None``."""
    out: dict[str, Counter] = {p: Counter() for p in (*PRONOUNS, "all")}
    for x in exs:
        ent = choose(x)
        ok = ent is not None and id(ent) in x["right"]
        for p in (x["p"], "all"):
            out[p]["n"] += 1
            out[p]["right"] += ok
    return out


def _rules(x: dict[str, Any]) -> Any:
    return x["reg"]._by_tiers(x["p"], x["pos"], x["ok"])


def _with(ranker: Ranker) -> Any:
    def choose(x: dict[str, Any]) -> Any:
        if x["p"] in ranker.pronouns and x["ok"]:
            return ranker.choose(x["reg"], x["p"], x["pos"], x["ok"])
        return _rules(x)
    return choose


def select(train: list[dict[str, Any]], dev: list[dict[str, Any]], l2s: list[float]) -> tuple[Ranker, list[str]]:
    """The ranker best on dev over all pronouns: its L2 weight, whether a close speaker stays a hard
    first choice, and per pronoun the ranker or the rule tiers (the rules kept where they beat it)."""
    rules = accuracy(_rules, dev)
    lines = [f"rule tiers: dev {_fmt(rules)}"]
    best: Optional[tuple[int, Ranker]] = None
    for l2 in l2s:
        weights = fit(train, l2)
        for first in ((), CLASSES):
            acc = accuracy(_with(Ranker(weights, PRONOUNS, first)), dev)
            keep = tuple(p for p in PRONOUNS if acc[p]["right"] >= rules[p]["right"])
            r = Ranker(weights, keep, tuple(c for c in first if any(pronoun_class(p) == c for p in keep)))
            mixed = accuracy(_with(r), dev)
            lines.append(f"l2 {l2} first speaker {'yes' if first else 'no'}: ranker alone {_fmt(acc)}; "
                         f"ranker for {'/'.join(keep)} {mixed['all']['right']}/{mixed['all']['n']}")
            if best is None or mixed["all"]["right"] > best[0]:
                best = (mixed["all"]["right"], r)
    assert best is not None
    lines.append(f"chosen: {_fmt(accuracy(_with(best[1]), dev))}")
    return best[1], lines


def _fmt(acc: dict[str, Counter]) -> str:
    return " ".join(f"{p} {100 * c['right'] / max(c['n'], 1):.1f}" for p, c in acc.items())


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quotecraft.train ranker", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gum-dir", type=Path, default=GUM, help="folder of GUM's en_gum-nonnc-*.conllu files")
    ap.add_argument("--work-dir", type=Path, default=Path("build/ranker"), help="the head's answers (resumed from)")
    ap.add_argument("--out", type=Path, default=RANKER_PATH, help="where the ranker is installed")
    ap.add_argument("--l2", default="0.003,0.01,0.03,0.1", help="L2 weights tried (chosen on dev)")
    ap.add_argument("--threads", type=int, default=1)
    opts = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    import torch

    torch.set_num_threads(opts.threads)
    train, dev = (examples(s, opts.work_dir, opts.gum_dir) for s in ("train", "dev"))
    ranker, lines = select(list(train), list(dev), [float(v) for v in opts.l2.split(",")])
    for line in lines:
        print(line, file=sys.stderr)
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(ranker.to_json(), indent=1, sort_keys=True) + "\n")
    print(f"installed {opts.out}: pronouns {sorted(ranker.pronouns)}, first speaker {sorted(ranker.first_speaker)}",
          file=sys.stderr)
    return 0
