"""Check that a change to the rules after the parse changes nothing it should not.

    python benchmarks/replay.py record            # parse + extract, keep the parses and the JSON
    python benchmarks/replay.py check             # extract again from the kept parses, compare

``record`` runs the whole extractor over the first ``--dev`` PolNeAR dev and ``--train`` train
articles and keeps each article's parse (pickled) and its `Article.to_json()` under
``build/replay/``; ``check`` replays layout, cues and resolver on the kept parses (seconds instead
of minutes) and lists the articles whose JSON differs.  Use it for refactors that must not change
behaviour, and to see exactly which articles a rule change touches.  Exit status 1 when any differ.
"""
from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POLNEAR = REPO.parent / "shared" / "data" / "polnear"


def _key(text: str, blocks: object) -> str:
    return hashlib.sha1((text + repr(list(blocks))).encode("utf-8")).hexdigest()  # type: ignore[call-overload]


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
    parses, expected = args.dir / "parses.pkl", args.dir / "expected.jsonl"
    ex = Extractor()
    t0 = time.perf_counter()
    if args.mode == "record":
        real, kept = ex.parse, {}

        def parse(text, blocks, *rest):  # type: ignore[no-untyped-def]
            out = real(text, blocks, *rest)
            kept[_key(text, blocks)] = pickle.dumps(out)
            return out

        ex.parse = parse  # type: ignore[method-assign]
        outs = []
        for i, text in enumerate(texts, 1):
            outs.append(ex.extract(text).to_json())
            if i % 20 == 0:
                print(f"{i}/{len(texts)} articles, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        args.dir.mkdir(parents=True, exist_ok=True)
        parses.write_bytes(pickle.dumps(kept))
        expected.write_text("\n".join(outs) + "\n", encoding="utf-8")
        print(f"recorded {len(texts)} articles in {args.dir} ({time.perf_counter() - t0:.0f} s)")
        return 0
    kept = pickle.loads(parses.read_bytes())
    ex.parse = lambda text, blocks, *rest: pickle.loads(kept[_key(text, blocks)])  # type: ignore[method-assign]
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
