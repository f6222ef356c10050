"""Long unsplit inputs: time and peak memory of one `extract` each, in a fresh process.

The inputs are the shapes that once ran Stanza's tree decoder out of memory (a
paragraph of short quotes the tokenizer leaves as one sentence, a long list,
unpunctuated clauses) plus a long Q&A transcript.  Each runs in its own process
so that its peak RSS is its own.

    python benchmarks/long_inputs.py                 # all inputs, a Markdown table
    python benchmarks/long_inputs.py --only quotes400 --threads 1
    python benchmarks/long_inputs.py --model embedded   # with Extractor(model="embedded")
    python benchmarks/long_inputs.py --attribution rules   # the rules path (default: the library's)
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time


def make_inputs() -> dict[str, str]:
    """Generated text only (nothing copied): the stress shapes named in issue 10."""
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet".split()
    return {
        "quotes400": " ".join(f'"q{i}," said A{i}.' for i in range(400)),
        "quotes1000": " ".join(f'"q{i}," said A{i}.' for i in range(1000)),
        "list2000": "The shopping list includes " + ", ".join(f"{words[i % 10]} item{i}" for i in range(2000)) + ".",
        "clauses3000": " ".join(f"{words[i % 10]} said the {words[(i * 3) % 10]} went home" for i in range(3000)),
        "qa800": "Maria Lopez, the mayor, spoke to us about the budget.\n\n" + "\n".join(
            (f"Q: What about item {i}?" if i % 2 == 0 else f"A: We will fund item {i - 1} next year, she said.")
            for i in range(800)),
        # embedded posts, one after another on one line (each read from the post before it)
        "posts2000": "Posts: " + " ".join(f"Point {i} stands. \u2014 Ann Lee (@annlee) May 1, 2026" for i in range(2000)),
    }


def run_one(name: str, model: str | None = None, attribution: str | None = None) -> dict:
    import resource

    import quotecraft

    text = make_inputs()[name]
    ex = quotecraft.Extractor(model=model, attribution=attribution)
    ex.extract("Warm up, he said.")
    t0 = time.perf_counter()
    art = ex.extract(text)
    dt = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"input": name, "attribution": ex.attribution, "chars": len(text), "words": len(text.split()), "seconds": round(dt, 2),
            "peak_rss_mb": round(rss_mb), "quotes": len(art.quotes)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", help="input names (default: all)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (OMP_NUM_THREADS) per run")
    ap.add_argument("--timeout", type=float, default=300, help="seconds before a run counts as failed")
    ap.add_argument("--model", default=None, help="Extractor(model=...) (default: the library's default)")
    ap.add_argument("--attribution", choices=("learned", "rules"), default=None,
                    help="Extractor(attribution=...) (default: the library's default)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.model, args.attribution)))
        return
    names = args.only or list(make_inputs())
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    print("| input | attribution | chars | words | quotes | seconds | peak RSS MB |\n|---|---|---:|---:|---:|---:|---:|")
    for name in names:
        try:
            child = [sys.executable, __file__, "--child", name] + (["--model", args.model] if args.model else [])
            if args.attribution:
                child += ["--attribution", args.attribution]
            out = subprocess.run(child, env=env, capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"| {name} | | | | | > {args.timeout:.0f} (timeout) | |", flush=True)
            continue
        if out.returncode != 0:
            print(f"| {name} | | | | | failed (exit {out.returncode}) {out.stderr.strip().splitlines()[-1:]} | |", flush=True)
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {name} | {r['attribution']} | {r['chars']:,} | {r['words']:,} | {r['quotes']} | {r['seconds']} | {r['peak_rss_mb']} |", flush=True)


if __name__ == "__main__":
    main()
