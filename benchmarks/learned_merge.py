"""Replay the learned path's last two steps on saved predictions, for choosing their settings.

    python -m quotecraft.train attribution --data ../shared/data/polnear --predict build/tagger.jsonl --min-confidence 0
    python benchmarks/polnear.py --split dev --out build/rules-dev          # the rules' own predictions
    python benchmarks/learned_merge.py build/tagger.jsonl build/rules-dev/predictions.jsonl build/merged.jsonl \
        --floor 0.45 [--no-backfill] [--no-borrow]
    python benchmarks/polnear.py --split dev --predictions build/merged.jsonl

The tagger's predictions (`Article.to_dict()` lines, speaker mention = tagged source) get the
confidence floor of `quotecraft.attribution.tagger.learned_attributions` (direct and mixed contents
spared; the others are passed on as ``unsure``), then `quotecraft.attribution.merge.merge_with_rules` with the rules' predictions of the same
articles -- the extractor's own reconcile steps (`quotecraft.attribution.merge.STEPS`), on saved
spans, so a setting is scored in seconds instead of a run of the whole extractor; each quote says
which step decided it (``decided_by``).  Speaker names are the mentions' text (the benchmark
scores mentions, not names).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Optional

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _range(x: Optional[dict[str, Any]]) -> Optional[tuple[int, int]]:
    return (x["start"], x["end"]) if x else None


def merge_article(learned: dict[str, Any], rules: dict[str, Any], floor: float, backfill: bool,
                  borrow: bool) -> dict[str, Any]:
    from quotecraft.attribution.tagger import LearnedAttribution, over_floor
    from quotecraft.attribution.merge import merge_with_rules
    from quotecraft.attribution.resolve import Attribution, Party

    text = learned["text"]
    tagged = [LearnedAttribution([_range(c) for c in q["content"]], _range(q["cue"]),
                                 _range(q["speaker"]["mention"]) if q["speaker"] else None, q["confidence"], q["kind"])
              for q in learned["quotes"]]
    la = [a for a in tagged if over_floor(a, floor)]
    unsure = [a for a in tagged if not over_floor(a, floor)]
    # the extractor adds the dateline's wire to every quote's relays after the merge: leave it out here
    wires = {(c["name"], _range(c["mention"])) for c in rules.get("credits", []) if c.get("kind") == "dateline"}
    ra = [Attribution([_range(c) for c in q["content"]], q["kind"], _range(q["cue"]),
                      Party(q["speaker"]["name"], _range(q["speaker"]["mention"])) if q["speaker"] else None,
                      confidence=q["confidence"],
                      reported_by=[r for r in ((r["name"], _range(r.get("mention"))) for r in q.get("reported_by", []))
                                   if r not in wires])
          for q in rules.get("quotes", [])]
    merged = merge_with_rules(text, la, ra, lambda r: Party(text[r[0]:r[1]], r), backfill_direct=backfill,
                              borrow_source=borrow, unsure=unsure, floor=floor)

    def span(r: Optional[tuple[int, int]]) -> Optional[dict[str, Any]]:
        return {"start": r[0], "end": r[1], "text": text[r[0]:r[1]]} if r else None

    quotes = [{"content": [span(c) for c in a.content], "cue": span(a.cue),
               "speaker": {"name": a.speaker.name, "mention": span(a.speaker.mention), "kind": "unknown"}
               if a.speaker else None, "addressee": None, "reported_by": [], "kind": a.kind,
               "confidence": a.confidence, "decided_by": a.step} for a in merged]
    return {"id": learned["id"], "text": text, "quotes": quotes, "credits": [], "error": None}


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tagger", type=Path, help="the tagger's predictions (JSONL), made with --min-confidence 0")
    ap.add_argument("rules", type=Path, help="the rules' predictions of the same articles (JSONL)")
    ap.add_argument("out", type=Path, help="merged predictions (JSONL) to write")
    ap.add_argument("--floor", type=float, default=0.45, help="confidence floor (default: %(default)s)")
    ap.add_argument("--no-backfill", action="store_true", help="merge_with_rules(backfill_direct=False)")
    ap.add_argument("--no-borrow", action="store_true", help="merge_with_rules(borrow_source=False)")
    args = ap.parse_args(argv)
    rules = {}
    with args.rules.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                rules[row["id"]] = row
    args.out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with args.tagger.open(encoding="utf-8") as f, args.out.open("w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            if row["id"] not in rules:
                sys.exit(f"{args.rules} has no line for article {row['id']}")
            merged = merge_article(row, rules[row["id"]], args.floor, not args.no_backfill, not args.no_borrow)
            out.write(json.dumps(merged, ensure_ascii=False) + "\n")
            n += 1
    print(f"wrote {n} articles to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
