"""Does the attribution tagger lose what lies at the edge of its windows?  The tagger alone on
PolNeAR dev, its windows as the package cuts them or with a second, shifted set:

    OMP_NUM_THREADS=1 python benchmarks/window_context.py --mode shipped --out build/wc-shipped.jsonl
    OMP_NUM_THREADS=1 python benchmarks/window_context.py --mode pick --out build/wc-pick.jsonl
    python benchmarks/polnear.py --split dev --predictions build/wc-pick.jsonl --out build/wc-pick
    python benchmarks/window_context.py --edges build/wc-shipped.jsonl     # recall by paragraph place

`quotecraft.nlp.encoder.encoded_windows` packs whole paragraphs into windows of up to 254 pieces,
side by side, so the first paragraph of a window has no left context and the last none on its
right.  ``--mode pick`` adds a second set of windows, each packed from the middle paragraph of a
first-set window, and takes every piece's tag probabilities from the window where it lies
furthest from an edge; ``--mode avg`` averages them instead.  The rest is the package's: the
installed head (the pair), Viterbi with its O weight, linking, snapping and floors
(`quotecraft.attribution.tagger.attributions_from_tags`); speaker name = mention, as in ``python -m
quotecraft.train attribution --predict``, whose output ``--mode shipped`` reproduces.
``--edges`` prints the share of gold content fragments the predictions found by the place of
their paragraph in its shipped window (first, middle, last; the article's first window apart).
"""
from __future__ import annotations

import argparse
import bisect
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "polnear"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


def _window_probs(ctx: dict[str, Any], text: str, windows: list[Any], blocks: list[Any], quotes: list[Any]) -> list[Any]:
    """(offsets, paragraph indexes, tag probabilities) of every window."""
    import torch

    from quotecraft.attribution.tagger import inputs_from_windows

    head, config = ctx["head"], ctx["config"]
    inp = inputs_from_windows(text, windows, [], blocks, quotes, ctx["cue_forms"])
    feats = ctx["encoder"].encode(windows)
    out = []
    with torch.inference_mode():
        for i in range(len(windows)):
            n = len(inp.ids[i])
            f = feats[i].to(torch.float16).float().unsqueeze(0)  # float16 as in training
            fl = inp.flags[i][:, :config.get("flags", 5)].float().unsqueeze(0)
            p = torch.softmax(head(f, inp.ids[i].long().unsqueeze(0), fl, torch.tensor([n])), dim=-1)[0]
            out.append(([tuple(o) for o in inp.offsets[i].tolist()], inp.para[i].tolist(), p))
    return out


def _shifted(encoder: Any, text: str, blocks: list[Any], first: list[Any]) -> list[Any]:
    """One window per first-set window, packed from the paragraph holding its middle piece."""
    from quotecraft.nlp.encoder import encoded_windows

    starts = [s for s, _ in blocks]
    mids = sorted({bisect.bisect_right(starts, w.offsets[len(w.offsets) // 2][0]) - 1 for w in first})
    return [ws[0] for k in mids if (ws := encoded_windows(encoder, text, blocks[k:]))]


def _merge(cands: list[Any], mode: str) -> tuple[list[Any], list[int], Any]:
    """Per piece, in text order: its offsets, paragraph and tag probabilities."""
    import torch

    best: dict[Any, Any] = {}
    for offs, paras, p in cands:
        n = len(offs)
        for j, o in enumerate(offs):
            if mode == "avg":
                best.setdefault(o, (paras[j], []))[1].append(p[j])
            elif o not in best or min(j, n - 1 - j) > best[o][0]:
                best[o] = (min(j, n - 1 - j), paras[j], p[j])
    keys = sorted(best)
    if not keys:
        return [], [], torch.zeros(0, 3, 3)
    if mode == "avg":
        return keys, [best[o][0] for o in keys], torch.stack([torch.stack(best[o][1]).mean(0) for o in keys])
    return keys, [best[o][1] for o in keys], torch.stack([best[o][2] for o in keys])


def predict(data: Path, mode: str, out: Path, limit: int | None) -> None:
    import torch

    from quotecraft.attribution.layout import analyze_layout
    from quotecraft.attribution.quotes import find_quotes
    from quotecraft.attribution.tagger import attributions_from_tags, load_head, viterbi_tags
    from quotecraft.lexicon import Lexicon
    from quotecraft.nlp.encoder import encoded_windows, load_encoder
    from quotecraft.train.attribution import read_split

    torch.set_num_threads(1)
    lex = Lexicon.default()
    head, config = load_head()
    ctx = {"head": head, "config": config, "cue_forms": lex.forms(True), "encoder": load_encoder()}
    with out.open("w", encoding="utf-8") as f:
        for name, text, _ in read_split(data, "dev")[:limit]:
            blocks = analyze_layout(text, lex).prose
            quotes = find_quotes(text, blocks)
            first = encoded_windows(ctx["encoder"], text, blocks)
            cands = _window_probs(ctx, text, first, blocks, quotes)
            if mode != "shipped":
                cands += _window_probs(ctx, text, _shifted(ctx["encoder"], text, blocks, first), blocks, quotes)
            offsets, paras, probs = _merge(cands, mode)
            tags, chosen = viterbi_tags(probs, paras, config.get("o_weight", ()))
            atts = attributions_from_tags(text, config, (tags, chosen, offsets, paras), quotes)

            def span(r: Any) -> Any:
                return {"start": r[0], "end": r[1], "text": text[r[0]:r[1]]} if r else None

            qs = [{"content": [span(c) for c in a.content], "cue": span(a.cue),
                   "speaker": {"name": text[a.source[0]:a.source[1]], "mention": span(a.source), "kind": "unknown"}
                   if a.source else None, "addressee": None, "reported_by": [], "kind": a.kind,
                   "confidence": a.confidence} for a in atts]
            f.write(json.dumps({"id": name, "text": text, "quotes": qs, "credits": [], "error": None},
                               ensure_ascii=False) + "\n")


def edges(data: Path, predictions: Path) -> None:
    import polnear_score as ps

    from quotecraft.attribution.layout import analyze_layout
    from quotecraft.lexicon import Lexicon
    from quotecraft.nlp.encoder import encoded_windows, load_encoder

    lex, encoder = Lexicon.default(), load_encoder()
    preds = {json.loads(line)["id"]: json.loads(line) for line in predictions.open(encoding="utf-8")}
    found: Counter[tuple[str, bool]] = Counter()
    for doc in ps.read_split(data, "dev"):
        blocks = analyze_layout(doc.text, lex).prose
        starts = [s for s, _ in blocks]
        place: dict[int, str] = {}
        for wi, w in enumerate(encoded_windows(encoder, doc.text, blocks)):
            paras = sorted({bisect.bisect_right(starts, s) - 1 for s, _ in w.offsets})
            for i, p in enumerate(paras):
                where = "only" if len(paras) == 1 else "first" if i == 0 else "last" if i == len(paras) - 1 else "middle"
                place[p] = ("first window, " if wi == 0 else "") + where
        got = {f for a in ps.attributions_from_article(preds[doc.id]) for f in ps.normalize(doc.text, a.content)}
        for g in doc.gold:
            for frag in g.content:
                found[place.get(bisect.bisect_right(starts, frag[0]) - 1, "outside"), frag in got] += 1
    for where in sorted({w for w, _ in found}):
        n = found[where, True] + found[where, False]
        print(f"{where}: {n} gold content fragments, {100 * found[where, True] / n:.1f}% found")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--mode", choices=("shipped", "pick", "avg"), default="shipped")
    ap.add_argument("--out", type=Path, help="predictions JSONL (score it with polnear.py --predictions)")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--edges", type=Path, metavar="JSONL", help="instead: recall by paragraph place in the window")
    opts = ap.parse_args(argv)
    if opts.edges:
        edges(opts.data, opts.edges)
    elif opts.out:
        predict(opts.data, opts.mode, opts.out, opts.limit)
    else:
        ap.error("--out or --edges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
