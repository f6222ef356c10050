"""Score the type head's speech floor on PolNeAR dev: which unknown cues to call speech.

    python benchmarks/speech_floor.py [--floors 0.3,0.5,0.8,0.95] [--out build/speech_floor]

Runs ``Extractor(include_beliefs=True)`` over the dev articles once, keeping for every quote the
type head typed (a cue the lexicon does not know) its probability of speech; then, for each
floor, keeps the speech quotes (a head-typed one only at or over the floor; "never" keeps none of
them) and scores them with polnear.py's views.  Prints the strict speech view's content+source
P / R / F1 per floor (MODEL_CARD.md, "The attribution type head").
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO))


def predict(data: Path, out: Path) -> list[dict]:
    """Dev predictions with every type, each head-typed quote with ``p_speech``."""
    import polnear_score as ps

    import quotecraft
    from quotecraft.attribution import speech

    probs: dict = {}
    plain = speech.attribution_type

    def keeping(text, kind, cue, lex, head=None, features_of=None):  # type: ignore[no-untyped-def]
        typed = plain(text, kind, cue, lex, None, None)
        if typed.step == "no_evidence" and cue is not None and head is not None and features_of is not None:
            f = features_of(cue)
            if f is not None:
                probs[cue] = head.probabilities(f)["speech"]
                return speech.Typed("speech", "model")  # kept as speech here, judged per floor below
        return typed

    speech.attribution_type = keeping
    ex = quotecraft.Extractor(include_beliefs=True)
    rows = []
    for doc in ps.read_split(data, "dev"):
        probs.clear()
        d = ex.extract(doc.text).to_dict()
        d["id"] = doc.id
        for q in d["quotes"]:
            c = q.get("cue")
            q["p_speech"] = probs.get((c["start"], c["end"])) if c else None
        rows.append(d)
    out.mkdir(parents=True, exist_ok=True)
    (out / "typed.jsonl").write_text("".join(json.dumps(d) + "\n" for d in rows), encoding="utf-8")
    return rows


def strict(rows: list[dict], floor: float, data: Path, out: Path) -> list[str]:
    path = out / f"floor-{floor}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for d in rows:
            keep = [q for q in d["quotes"] if q["type"] == "speech" and (q["p_speech"] is None or q["p_speech"] >= floor)]
            f.write(json.dumps(dict(d, quotes=keep)) + "\n")
    report = subprocess.run([sys.executable, str(REPO / "benchmarks" / "polnear.py"), "--split", "dev", "--data",
                             str(data), "--predictions", str(path), "--out", str(out / "scores")],
                            capture_output=True, text=True, check=True).stdout
    lines = [ln for ln in report.splitlines() if ln.startswith("attribution content+source ")]
    return lines[2].split()[-6:-3]  # the strict view, third of the three


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "polnear")
    ap.add_argument("--floors", default="0.3,0.5,0.8,0.95")
    ap.add_argument("--out", type=Path, default=REPO / "build" / "speech_floor")
    args = ap.parse_args()
    rows = predict(args.data, args.out)
    typed = sum(1 for d in rows for q in d["quotes"] if q["p_speech"] is not None)
    print(f"head-typed quotes: {typed} of {sum(len(d['quotes']) for d in rows)}")
    print("| speech floor | strict speech view content+source P / R / F1 |\n| --- | ---: |")
    for floor in [float(x) for x in args.floors.split(",")] + [1.01]:
        p, r, f1 = strict(rows, floor, args.data, args.out)
        print(f"| {'never' if floor > 1 else floor} | {p} / {r} / {f1} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
