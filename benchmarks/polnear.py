"""Accuracy of quotecraft on PolNeAR (attribution relations in US political news).

    python benchmarks/polnear.py --split dev                  # run quotecraft, then score
    python benchmarks/polnear.py --split dev --baseline regex # floor: every "..." is a quote
    python benchmarks/polnear.py --split dev --predictions benchmarks/out/predictions.jsonl

Writes ``predictions.jsonl`` (one line per article: ``{"id": ..., **Article.to_dict()}``)
and ``scores.json`` into the out folder and prints a report.  Metrics are
defined in ``polnear_score.py`` and described in ``benchmarks/README.md``.

Default paths are relative to the repository root, so the command works from
any folder; paths given on the command line are relative to the current folder
as usual.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
import polnear_score as ps  # noqa: E402  (a sibling script, not a package)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "polnear"
DEFAULT_OUT = REPO / "benchmarks" / "out"

Predictor = Callable[[str], dict[str, Any]]

# Curly, straight and guillemet double quotes, each closed by its own kind and
# kept within a paragraph: a quote running over a paragraph break reopens its
# marks in news style, so each paragraph's part is found on its own.
_QUOTED = re.compile(r"“[^“”\n]+”|\"[^\"\n]+\"|«[^«»\n]+»")


def regex_baseline(text: str) -> dict[str, Any]:
    """The floor: every double-quoted stretch is a direct quote with no cue or
    speaker.  Shaped like ``Article.to_dict()`` without importing quotecraft, so
    the benchmark pipeline can be tested before (and apart from) the extractor."""
    quotes = [
        {
            "text": m.group(),
            "content": [{"start": m.start(), "end": m.end(), "text": m.group()}],
            "cue": None, "speaker": None, "addressee": None, "reported_by": [],
            "kind": "direct", "confidence": 1.0,
        }
        for m in _QUOTED.finditer(text)
    ]
    return {"text": text, "quotes": quotes, "credits": [], "error": None}


def quotecraft_predictor(model_dir: Optional[str] = None, include_beliefs: bool = False,
                         parse_cache: Optional[Path] = None, attribution: str = "rules",
                         model: str = "embedded") -> Predictor:
    """`quotecraft.Extractor().extract`, built once (loading the models is slow).

    With ``parse_cache`` every sentence is parsed (not only those that may quote, so a
    changed lexicon needs no new parse) and the parses are kept on disk by text: a
    resolver or lexicon change then re-scores a split in seconds.  A development aid:
    the numbers to report come from a run without it.
    """
    # the checkout's package, not some other installed version: we benchmark this tree
    sys.path.insert(0, str(REPO))
    try:
        from quotecraft import Extractor  # type: ignore[attr-defined]
    except ImportError as e:
        sys.exit(f"cannot import quotecraft.Extractor ({e}); try --baseline regex, or --predictions FILE")
    extractor = Extractor(model=model, model_dir=model_dir, include_beliefs=include_beliefs,
                          selective_parse=parse_cache is None, attribution=attribution)
    if parse_cache is not None:
        _cache_parses(extractor, parse_cache, model_dir, model)
    return lambda text: extractor.extract(text).to_dict()


def _cache_parses(extractor: Any, folder: Path, model_dir: Optional[str], model: str = "embedded") -> None:
    import hashlib
    import pickle

    from quotecraft.nlp.loading import PACKAGE_MODEL_DIR, model_folder

    folder.mkdir(parents=True, exist_ok=True)
    parse = extractor.parse
    # a new model invalidates the cache: key on the model's name and the sizes and times of the files
    # it reads (its own folder, and the compact model's, whose tokenizer every embedded model uses),
    # so the parses of one model never stand in for another's
    folders = {model_folder(model, model_dir), PACKAGE_MODEL_DIR}
    stamp = model + repr(sorted((d.name, f.name, f.stat().st_size, int(f.stat().st_mtime))
                                for d in folders for f in d.glob("*.pt")))

    def cached(text: str, blocks: Any) -> Any:
        key = hashlib.sha1((stamp + repr(list(blocks)) + text).encode("utf-8")).hexdigest()
        path = folder / f"{key}.pickle"
        if path.exists():
            return pickle.loads(path.read_bytes())
        result = parse(text, blocks)
        path.write_bytes(pickle.dumps(result))
        return result

    extractor.parse = cached


def _progress(items: list[Any], desc: str) -> Iterator[Any]:
    try:
        from tqdm import tqdm
    except ImportError:
        for i, item in enumerate(items, 1):
            print(f"\r{desc}: {i}/{len(items)}", end="", file=sys.stderr, flush=True)
            yield item
        print(file=sys.stderr)
        return
    yield from tqdm(items, desc=desc, unit="article")


def predict(docs: list[ps.Document], predictor: Predictor, path: Path) -> list[dict[str, str]]:
    """Run the predictor over every article, writing JSONL as it goes (so a
    crash late in a long run keeps the earlier lines); returns the failures."""
    failures: list[dict[str, str]] = []
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for doc in _progress(docs, "predicting"):
            try:
                article = predictor(doc.text)
            except Exception as e:  # one bad article must not end a corpus run
                article = {"text": doc.text, "quotes": [], "credits": [], "error": f"{type(e).__name__}: {e}"}
                failures.append({"id": doc.id, "error": article["error"], "traceback": traceback.format_exc()})
            else:
                if article.get("error"):  # the extractor caught it itself (Article.error)
                    failures.append({"id": doc.id, "error": article["error"], "traceback": ""})
            out.write(json.dumps({"id": doc.id, **article}, ensure_ascii=False) + "\n")
    return failures


def load_predictions(path: Path) -> dict[str, dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                row = json.loads(line)
                if "id" not in row:
                    sys.exit(f"{path}:{n}: prediction line without an 'id'")
                by_id[row["id"]] = row
    return by_id


def scored_docs(
    docs: list[ps.Document], predictions: dict[str, dict[str, Any]], problems: list[str]
) -> Iterable[tuple[str, str, list[ps.Attribution], list[ps.Attribution]]]:
    for doc in docs:
        row = predictions.get(doc.id)
        if row is None:
            problems.append(f"{doc.id}: no prediction line, article not scored")
            continue
        if "text" in row and row["text"] != doc.text:
            # offsets into another text would score as nonsense: say so and score it as empty
            problems.append(f"{doc.id}: predicted text differs from the PolNeAR text, predictions ignored")
            row = {"quotes": []}
        yield doc.id, doc.text, doc.gold, ps.attributions_from_article(row)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev", "test"))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR folder holding train/, dev/ (default: ../shared/data/polnear from the repo root)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (sorted by name)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for predictions.jsonl and scores.json (default: benchmarks/out)")
    parser.add_argument("--predictions", type=Path, default=None, help="score this JSONL instead of running a predictor")
    parser.add_argument("--baseline", choices=("regex",), default=None, help="predict with a floor baseline instead of quotecraft")
    parser.add_argument("--model", default=None, choices=("embedded", "fast", "minilm", "stanza"),
                        help="Extractor(model=...) (default: the library's, minilm: the rule tokenizer and one encoder "
                             "pass for the parse and the learned heads; embedded: the compact Stanza model; "
                             "fast: quotecraft.nlp.fastparse)")
    parser.add_argument("--model-dir", default=None, help="quotecraft model folder (default: the package's)")
    parser.add_argument("--include-beliefs", action="store_true",
                        help="also predict belief/intention attributions (Extractor(include_beliefs=True))")
    parser.add_argument("--attribution", choices=("rules", "learned"), default="rules",
                        help="Extractor(attribution=...): the resolver's spans or the learned model's (default: rules)")
    parser.add_argument("--samples", type=int, default=15, help="error samples kept in scores.json")
    parser.add_argument("--parse-cache", type=Path, default=None,
                        help="development aid: parse every sentence once and keep the parses in this folder, "
                             "so resolver and lexicon changes re-score in seconds (report numbers from a run without it)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    docs = ps.read_split(args.data, args.split, args.limit)
    failures: list[dict[str, str]] = []
    if args.predictions:
        pred_path, system = args.predictions, f"predictions from {args.predictions}"
    else:
        if args.baseline == "regex":
            predictor, system = regex_baseline, "baseline regex"
        else:
            predictor = quotecraft_predictor(args.model_dir, args.include_beliefs, args.parse_cache, args.attribution,
                                             args.model)
            system = ("quotecraft" + (f" (model {args.model})" if args.model else "") + (" (cached full parses)" if args.parse_cache else "")
                      + (" (learned attribution)" if args.attribution == "learned" else ""))
        pred_path = args.out / "predictions.jsonl"
        failures = predict(docs, predictor, pred_path)
    predictions = load_predictions(pred_path)

    problems: list[str] = []
    scores = ps.score(scored_docs(docs, predictions, problems), samples=args.samples)
    gold_warnings = [w for d in docs for w in d.warnings]
    scores["meta"] = {
        "system": system,
        "split": args.split,
        "data": str(args.data),
        "limit": args.limit,
        "parse_cache": str(args.parse_cache) if args.parse_cache else None,
        "attribution": None if args.predictions or args.baseline else args.attribution,
        "model": None if args.predictions or args.baseline else args.model,
        "predictions": str(pred_path),
        "articles": len(docs),
        "gold_attributions": sum(len(d.gold) for d in docs),
        "gold_speech_attributions": sum(a.speech for d in docs for a in d.gold),
        "exceptions": failures,
        "scoring_problems": problems,
        "gold_warnings": gold_warnings,
        "seconds": round(time.perf_counter() - started, 1),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scores.json").write_text(json.dumps(scores, indent=1, ensure_ascii=False), encoding="utf-8")

    meta = scores["meta"]
    print(f"{system} on PolNeAR {args.split}: {meta['articles']} articles, {meta['gold_attributions']} gold attributions ({meta['gold_speech_attributions']} speech)")
    print(ps.format_report(scores))
    if failures:
        print(f"\n{len(failures)} article(s) raised or returned an error:")
        for f in failures:
            print(f"  {f['id']}: {f['error']}")
    for p in problems:
        print(f"warning: {p}")
    if gold_warnings:
        print(f"({len(gold_warnings)} gold annotation warning(s), see scores.json meta.gold_warnings)")
    print(f"\nwrote {pred_path} and {args.out / 'scores.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
