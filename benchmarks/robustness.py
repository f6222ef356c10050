"""Run quotecraft over every PolNeAR article (train and dev) and count exceptions.

    python benchmarks/robustness.py [--data ../shared/data/polnear] [--splits train,dev] [--jobs 2]
                                    [--attribution rules|learned] [--model minilm|embedded|fast]

Uses `Extractor.pipe`, which captures a failing article as an `Article` with
``error`` set; this script lists those and checks every span slices back.
Exit status 1 when any article failed.  Texts stay outside the repository.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "polnear")
    ap.add_argument("--splits", default="train,dev")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=None, help="first N articles of each split")
    ap.add_argument("--model-dir", default=None)
    ap.add_argument("--predictions", type=Path, default=None,
                    help="also write every article's Article.to_dict() line here (score a split with "
                         "benchmarks/polnear.py --predictions)")
    ap.add_argument("--attribution", choices=("rules", "learned"), default=None,
                    help="Extractor(attribution=...): the resolver's spans or the learned model's (default: the library's)")
    ap.add_argument("--model", default=None, help="Extractor(model=...) (default: the library's)")
    args = ap.parse_args(argv)

    from quotecraft import Extractor

    files: list[Path] = []
    for split in args.splits.split(","):
        folder = args.data / split / "text"
        if not folder.is_dir():
            ap.error(f"no PolNeAR texts in {folder}")
        files.extend(sorted(folder.glob("*.txt"))[: args.limit])
    texts = [f.read_text(encoding="utf-8") for f in files]
    ex = Extractor(model=args.model, model_dir=args.model_dir, attribution=args.attribution)
    started = time.perf_counter()
    failed, bad_spans, quotes = [], [], 0
    dump = None
    if args.predictions:
        import json

        args.predictions.parent.mkdir(parents=True, exist_ok=True)
        dump = args.predictions.open("w", encoding="utf-8")
    for path, text, art in zip(files, texts, ex.pipe(texts, n_process=args.jobs, progress=True, batch_size=4)):
        if dump is not None:
            dump.write(json.dumps(dict(art.to_dict(), id=path.stem), ensure_ascii=False) + "\n")
        if art.error:
            failed.append((path.name, art.error))
            continue
        quotes += len(art.quotes)
        for q in art.quotes:
            for s in q.content:
                if text[s.start:s.end] != s.text:
                    bad_spans.append((path.name, s))
    if dump is not None:
        dump.close()
    elapsed = time.perf_counter() - started
    print(f"{len(files)} articles ({args.splits}, model={args.model}, attribution={args.attribution}), {quotes} quotes, {len(failed)} exceptions, "
          f"{len(bad_spans)} spans not slicing back, {elapsed:.0f} s with {args.jobs} process(es)")
    for name, err in failed:
        print(f"  FAILED {name}: {err}")
    return 1 if failed or bad_spans else 0


if __name__ == "__main__":
    raise SystemExit(main())
