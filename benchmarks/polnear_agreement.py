"""How far two PolNeAR annotators agree, scored as quotecraft is scored.

    python benchmarks/polnear_agreement.py                     # train and dev
    python benchmarks/polnear_agreement.py --splits dev --json agreement.json

Some PolNeAR articles were annotated by two annotators (two ``NAME_XXXX.ann`` files).  The
benchmark (`polnear.py`) takes the first file, by name, as the gold; here the second file is
scored against it with the same scorer (`polnear_score.score`), so the numbers say where the
annotation itself stops being one answer: a system that agreed with the first annotator as
well as the second one does would score this.  Exact F1 of one role is symmetric (the same
matched fragments either way); content+source F1 goes through the greedy content matching and
is symmetric up to its ties.  Only the train and dev splits are read: the test split is how the
project is judged and is never opened.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import polnear_score as ps  # noqa: E402  (a sibling script, not a package)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "polnear"


def doubly_annotated(data: Path, split: str) -> list[tuple[str, str, list[ps.Attribution], list[ps.Attribution]]]:
    """``(id, text, first annotator's, second annotator's)`` for every article with two files."""
    root = ps.split_dir(data, split)
    out = []
    for article, anns in sorted(ps.annotation_files(root).items()):
        if len(anns) < 2:
            continue
        text = (root / "text" / f"{article}.txt").read_text(encoding="utf-8")
        first, _ = ps.parse_ann(anns[0].read_text(encoding="utf-8"), text, article)
        second, _ = ps.parse_ann(anns[1].read_text(encoding="utf-8"), text, article)
        out.append((article, text, first, second))
    return out


#: the numbers issue 24's bars name (the ``all`` view: every attribution, beliefs included; the
#: strict view would count the second annotator's beliefs against the first one's speech)
KEYS = ("source", "cue", "content", "content+source")


def summary(scores: dict[str, Any]) -> dict[str, Any]:
    """Exact F1 per role and content+source F1, in percent, with the attributions counted."""
    v = scores["all"]
    res: dict[str, Any] = {role: 100 * v["roles"][role]["exact"]["f1"] for role in KEYS[:3]}
    cs = v["attribution"]["content+source"]
    res.update({"content+source": 100 * cs["f1"], "documents": scores["documents"], "first": cs["n_gold"],
                "second": cs["n_pred"]})
    return res


def bootstrap(docs: list[Any], reps: int, seed: int = 13) -> dict[str, tuple[float, float]]:
    """95% intervals of each number, resampling whole articles (a handful of long articles
    carry most attributions, so the spread is wide)."""
    rng = random.Random(seed)
    draws: dict[str, list[float]] = {k: [] for k in KEYS}
    for _ in range(reps):
        s = summary(ps.score([rng.choice(docs) for _ in docs], samples=0))
        for k in KEYS:
            draws[k].append(s[k])
    lo, hi = int(0.025 * reps), max(0, int(0.975 * reps) - 1)
    return {k: (sorted(v)[lo], sorted(v)[hi]) for k, v in draws.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR folder holding train/ and dev/")
    ap.add_argument("--splits", default="train,dev", help="comma-separated: train, dev (never test)")
    ap.add_argument("--json", type=Path, default=None, help="also write the summary here")
    ap.add_argument("--bootstrap", type=int, default=1000, help="resamples of the articles for the 95%% intervals (0: none)")
    opts = ap.parse_args(argv)
    splits = [s for s in opts.splits.split(",") if s]
    if "test" in splits:
        ap.error("the test split is withheld: it is how the project is judged")
    result: dict[str, Any] = {}
    pooled = []
    for split in splits:
        docs = doubly_annotated(opts.data, split)
        pooled.extend(docs)
        result[split] = summary(ps.score(docs)) if docs else {"documents": 0}
    if len(splits) > 1:
        result["pooled"] = summary(ps.score(pooled)) if pooled else {"documents": 0}
        if pooled and opts.bootstrap:
            result["pooled"]["interval95"] = bootstrap(pooled, opts.bootstrap)
    for name, res in result.items():
        if not res["documents"]:
            print(f"{name}: no article with two annotators")
            continue
        ci = res.get("interval95", {})
        nums = ", ".join(f"{k} {res[k]:.1f}" + (f" [{ci[k][0]:.1f}, {ci[k][1]:.1f}]" if k in ci else "") for k in KEYS)
        print(f"{name} ({res['documents']} articles; {res['first']} / {res['second']} attributions): exact F1 {nums}")
    if opts.json:
        opts.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
