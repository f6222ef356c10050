"""Where a run of `polnear.py` loses on PolNeAR: each role's gold spans by how the predictions meet
them, and the gold attributions no prediction stands for, by the lemma of their cue.

For each role (source, cue, content), every distinct gold fragment is ``exact`` (predicted as is,
as the benchmark's exact scores count it), ``bounds`` (a predicted fragment overlaps it: the
classes say which edge differs -- ``S+`` the prediction starts earlier, ``S-`` later, ``E+`` ends
later, ``E-`` earlier, ``=`` the same) or ``none``; predicted fragments that overlap no gold one
are ``spurious``.  Then the gold attributions whose content no prediction matches (greedily, at
the benchmark's Jaccard threshold), speech and other, counted by cue lemma.

    python benchmarks/polnear_gap.py build/s12/fin7-all/predictions.jsonl --split dev
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
import polnear_score as ps  # noqa: E402

Frag = tuple[int, int]


def edge_class(gold: Frag, pred: Frag) -> str:
    """How ``pred`` differs from the ``gold`` fragment it overlaps: "S+E=" and the like."""
    s = "S=" if pred[0] == gold[0] else ("S+" if pred[0] < gold[0] else "S-")
    e = "E=" if pred[1] == gold[1] else ("E+" if pred[1] > gold[1] else "E-")
    return s + e


def fragment_classes(gold: Sequence[ps.Attribution], pred: Sequence[ps.Attribution], role: str) -> Counter[str]:
    """One article's counts for ``role``: exact, an edge class per overlapped gold fragment,
    none, and spurious."""
    g, p = ps._role_fragments(gold, role), ps._role_fragments(pred, role)
    out: Counter[str] = Counter()
    predicted = set(p)
    for f in g:
        if f in predicted:
            out["exact"] += 1
            continue
        over = [q for q in p if q[0] < f[1] and f[0] < q[1]]
        if not over:
            out["none"] += 1
            continue
        q = max(over, key=lambda q: min(q[1], f[1]) - max(q[0], f[0]))
        out[edge_class(f, q)] += 1
    out["spurious"] += sum(1 for q in p if not any(q[0] < f[1] and f[0] < q[1] for f in g))
    return out


def missed_by_lemma(text: str, gold: Sequence[ps.Attribution], pred: Sequence[ps.Attribution]) -> Counter[tuple[bool, str]]:
    """The gold attributions whose content no prediction matches, by (speech, cue lemma)."""
    matched = set(ps.greedy_match([a.content for a in gold], [a.content for a in pred]).values())
    out: Counter[tuple[bool, str]] = Counter()
    for i, a in enumerate(gold):
        if i not in matched:
            out[(a.speech, ps.cue_lemma(ps.frag_text(text, a.cue)) if a.cue else "-")] += 1
    return out


def _predictions(path: str) -> dict[str, dict]:
    with open(path, encoding="utf-8") as fh:
        return {row["id"]: row for row in map(json.loads, fh)}


def _table(counts: dict[str, Counter[str]]) -> Iterable[str]:
    for role, c in counts.items():
        bounds = sum(v for k, v in c.items() if k.startswith("S"))
        edges = ", ".join(f"{k} {v}" for k, v in c.most_common() if k.startswith("S"))
        yield (f"{role}: gold {c['exact'] + bounds + c['none']}, exact {c['exact']}, other bounds {bounds} "
               f"({edges}), none {c['none']}; spurious predictions {c['spurious']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("predictions", help="predictions.jsonl of a polnear.py run")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"))
    ap.add_argument("--top", type=int, default=12, help="cue lemmas listed per class")
    args = ap.parse_args()
    preds = _predictions(args.predictions)
    counts = {role: Counter() for role in ps.ROLES}
    missed: Counter[tuple[bool, str]] = Counter()
    for doc in ps.read_split(args.data, args.split):
        if doc.id not in preds:
            sys.exit(f"{args.predictions} has no prediction for {doc.id}: not a run of this split?")
        pred = [ps._normalized(doc.text, a) for a in ps.attributions_from_article(preds[doc.id])]
        for role in ps.ROLES:
            counts[role] += fragment_classes(doc.gold, pred, role)
        missed += missed_by_lemma(doc.text, doc.gold, pred)
    print("\n".join(_table(counts)))
    for speech, label in ((True, "speech"), (False, "other")):
        c = Counter({lemma: n for (s, lemma), n in missed.items() if s == speech})
        top = ", ".join(f"{lemma} {n}" for lemma, n in c.most_common(args.top))
        print(f"missed {label} attributions: {sum(c.values())} over {len(c)} cue lemmas ({top})")


if __name__ == "__main__":
    main()
