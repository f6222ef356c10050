"""Which speaker names changed between two runs of `polnear.py` (their ``predictions.jsonl``).

PolNeAR scores a speaker's mention, not the name the resolver gives it, so a change to the
speakers' rules moves no PolNeAR score: this lists, for every quote both runs predict (the same
content, cue and mention), the names that differ.

    python benchmarks/name_diff.py OLD/predictions.jsonl NEW/predictions.jsonl
"""
from __future__ import annotations

import argparse
import json
from typing import Any


def _key(q: dict[str, Any]) -> tuple[Any, ...]:
    mention = (q.get("speaker") or {}).get("mention") or {}
    return (tuple((f["start"], f["end"]) for f in q.get("content", ())), (q.get("cue") or {}).get("start"),
            mention.get("start"))


def _read(path: str) -> dict[str, dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return {row["id"]: row for row in map(json.loads, fh)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    args = ap.parse_args()
    old, new = _read(args.old), _read(args.new)
    changed = 0
    for doc_id, row in new.items():
        before = {_key(q): q for q in old.get(doc_id, {}).get("quotes", ())}
        for q in row["quotes"]:
            o = before.get(_key(q))
            name_old = (o.get("speaker") or {}).get("name") if o else None
            name_new = (q.get("speaker") or {}).get("name")
            if o is not None and name_old != name_new:
                changed += 1
                mention = ((q.get("speaker") or {}).get("mention") or {}).get("text")
                print(f"{doc_id[:40]} | {mention!r}: {name_old!r} -> {name_new!r} | {q['text'][:60]!r}")
    print(f"{changed} speaker name(s) changed")


if __name__ == "__main__":
    main()
