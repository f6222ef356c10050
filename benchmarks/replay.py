"""Check that a change to the rules after the parse changes nothing it should not.

    python benchmarks/replay.py record            # parse + extract, keep the parses and the JSON
    python benchmarks/replay.py check             # extract again from the kept parses, compare

``record`` runs the whole extractor over the first ``--dev`` PolNeAR dev and ``--train`` train
articles and keeps each article's parse (polnear.py's parse cache) and its `Article.to_json()` under
``build/replay/``; ``check`` replays layout, cues and resolver on the kept parses (seconds instead
of minutes) and lists the articles whose JSON differs.  Use it for refactors that must not change
behaviour, and to see exactly which articles a rule change touches.  Exit status 1 when any differ.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from polnear import _cache_parses  # the parse cache of polnear.py --parse-cache, shared

REPO = Path(__file__).resolve().parent.parent
POLNEAR = REPO.parent / "shared" / "data" / "polnear"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("record", "check"))
    ap.add_argument("--dev", type=int, default=84, help="PolNeAR dev articles (default 84, all)")
    ap.add_argument("--train", type=int, default=160, help="PolNeAR train articles (default 160)")
    ap.add_argument("--dir", type=Path, default=REPO / "build" / "replay")
    args = ap.parse_args()
    from quotecraft.extractor import Extractor

    files = sorted((POLNEAR / "dev" / "text").glob("*.txt"))[:args.dev] + sorted((POLNEAR / "train" / "text").glob("*.txt"))[:args.train]
    texts = [f.read_text(encoding="utf-8") for f in files]
    expected = args.dir / "expected.jsonl"
    ex = Extractor()
    # record fills the cache, check reads it (a changed model file re-parses instead)
    _cache_parses(ex, args.dir / "parses", None)
    t0 = time.perf_counter()
    if args.mode == "record":
        outs = []
        for i, text in enumerate(texts, 1):
            outs.append(ex.extract(text).to_json())
            if i % 20 == 0:
                print(f"{i}/{len(texts)} articles, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        expected.write_text("\n".join(outs) + "\n", encoding="utf-8")
        print(f"recorded {len(texts)} articles in {args.dir} ({time.perf_counter() - t0:.0f} s)")
        return 0
    before = expected.read_text(encoding="utf-8").splitlines()
    if len(before) != len(texts):
        print(f"recorded {len(before)} articles, asked for {len(texts)}: record again", file=sys.stderr)
        return 2
    differ = [f.name for f, text, old in zip(files, texts, before) if ex.extract(text).to_json() != old]
    for name in differ:
        print("differs:", name)
    print(f"{len(texts)} articles replayed, {len(differ)} differ ({time.perf_counter() - t0:.1f} s)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
