"""Where the fast path's time goes, A/B against the default model in one process.

    OMP_NUM_THREADS=1 python benchmarks/fast_parts.py --limit 20

On the first ``--limit`` PolNeAR dev articles, one torch thread, CPU time of the
process (``time.process_time``, less sensitive to other jobs than wall time;
every row runs in the same minute, so compare rows, not runs on other days):
the embedded tokenizer alone (shared by both paths), a full parse with each
model, and ``Extractor(...).extract`` with each model, each after a warm-up.
The official one-core comparison with textacy is ``benchmarks/speed.py``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_POLNEAR = REPO.parent / "shared" / "data" / "polnear" / "dev" / "text"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--polnear-dir", type=Path, default=DEFAULT_POLNEAR)
    ap.add_argument("--limit", type=int, default=20)
    ap.add_argument("--fast-model-dir", default=None, help="folder of fastparse.pt (default: the package's)")
    ap.add_argument("--rounds", type=int, default=2, help="alternating rounds (default: %(default)s)")
    opts = ap.parse_args()
    sys.path.insert(0, str(REPO))
    import torch

    torch.set_num_threads(1)
    from quotecraft import Extractor
    from quotecraft.nlp.loading import load_stanza

    texts = [f.read_text(encoding="utf-8") for f in sorted(opts.polnear_dir.glob("*.txt"))[:opts.limit]]
    words = sum(len(t.split()) for t in texts)
    runs = {
        "tokenize,mwt (shared)": load_stanza("embedded", processors="tokenize,mwt"),
        "full parse, default": load_stanza("embedded"),
        "full parse, fast": load_stanza("fast", model_dir=opts.fast_model_dir),
        "extract, default": Extractor(attribution="rules").extract,  # the embedded model's parse, rules as before
        "extract, fast": Extractor(model="fast", model_dir=opts.fast_model_dir).extract,
    }
    for fn in runs.values():
        fn(texts[0])  # warm-up (and lazy model loads)
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    with torch.inference_mode():
        for _ in range(opts.rounds):
            for name, fn in runs.items():
                t0 = time.process_time()
                for t in texts:
                    fn(t)
                cpu[name].append(time.process_time() - t0)
    print(f"{len(texts)} PolNeAR dev articles, {words} words (whitespace), 1 torch thread, CPU seconds per round\n")
    print("| run | CPU s (each round) | words per CPU s (best round) |")
    print("| --- | --- | ---: |")
    for name, secs in cpu.items():
        print(f"| {name} | {' / '.join(f'{s:.2f}' for s in secs)} | {words / min(secs):.0f} |")
    print(json.dumps({"words": words, "cpu_s": cpu}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
