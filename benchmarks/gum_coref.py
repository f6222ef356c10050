"""Pronoun antecedent accuracy of the speaker resolver on GUM coreference (issue 25).

    python benchmarks/gum_coref.py [--splits dev,test] [--genre news] [--baseline DIR] [--json OUT]

GUM (``../shared/data/ud/gum/en_gum-nonnc-{dev,test}.conllu``) marks every mention in the MISC
column (``Entity=(12-person-...`` opens one, ``12)`` closes it, ``(12-person-...)`` is one word).
For each "he", "she", "they" and "it" that is a one-word mention of an entity mentioned before it,
the script asks the article's entity registry (`quotecraft.attribution.entities.EntityRegistry`,
built as `quotecraft.Extractor` builds it, with the rules' cues and speakers run first: the
speakers before a pronoun are its most salient candidates) for the pronoun's antecedent, and
counts it right when one of that entity's mentions before the pronoun lies in a GUM mention of the
pronoun's entity (the smallest GUM mention around it).  "reachable" counts the pronouns whose
entity the registry holds at all before it (a name, or a group or organisation named as a subject):
the ceiling of a resolver that only ranks the registry's candidates.

The registry reads GUM's gold tokens, tags and trees (not the Stanza parse the pipeline runs), so
the numbers measure the resolver's choice, not the parser.  ``--baseline DIR`` runs the same
script on another checkout's code (``git worktree add /tmp/qc-base <commit>``) and prints both
in one table: this repository's resolver against that one.  ``--no-ranker`` (or
``GUM_COREF_NO_RANKER=1``) leaves the learned antecedent ranker out (`quotecraft.attribution.ranker`):
the registry's rule tiers choose, in the resolver's run as in the count; ``--compare-ranker`` prints
the rule tiers as the baseline column of the ranker's table (one process each).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Optional

REPO = Path(__file__).resolve().parent.parent
PRONOUNS = ("he", "she", "they", "it")


def _gum_reader() -> Any:
    """quotecraft/train/gum.py of this checkout, read by its path: with ``--baseline`` the
    quotecraft package imported is the other checkout's, which may have no GUM reader."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_gum_reader", REPO / "quotecraft" / "train" / "gum.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


_READER = _gum_reader()
GUM, documents = _READER.GUM, _READER.documents


def _gold_entity(mentions: list[tuple[int, int, str, str]], s: int, e: int) -> Optional[str]:
    """The entity of the smallest gold mention around [s, e)."""
    around = [m for m in mentions if m[0] <= s and e <= m[1]]
    return min(around, key=lambda m: m[1] - m[0])[2] if around else None


def type_unsure(reg: Any, text: str, sentences: list[Any]) -> None:
    """The entity-type head's kinds for the names the rules leave open, as on the default path (the
    encoder run over the document's sentences packed into windows); nothing on a checkout without it."""
    try:
        from quotecraft.attribution.entitytype import load_entity_type_head, typer
    except ImportError:
        return
    from quotecraft.nlp.encoder import encoded_windows, load_encoder

    head = load_entity_type_head()
    if head is None or os.environ.get("GUM_COREF_NO_HEAD"):
        return
    enc = load_encoder()
    windows = encoded_windows(enc, text, [(s.start, s.end) for s in sentences])
    pieces = {o: row for w, f in zip(windows, enc.encode(windows)) for o, row in zip(w.offsets, f)}
    reg.type_unsure(typer(head, pieces))


def score_document(doc: dict[str, Any], counts: dict[str, Counter]) -> None:
    """Run the registry (and the rules' cues and speakers) on one document; count each pronoun."""
    from quotecraft.attribution.cues import find_cues
    from quotecraft.attribution.entities import EntityRegistry
    from quotecraft.attribution.quotes import find_quotes
    from quotecraft.attribution.resolve import _Resolver
    from quotecraft.lexicon import Lexicon
    from quotecraft.nlp.parse import Sentence, Word

    lex = Lexicon.default()
    text = doc["text"]
    sentences = [Sentence([Word(**w) for w in s], s[0]["start"], s[-1]["end"]) for s in doc["sentences"]]
    reg = EntityRegistry(lex)
    if os.environ.get("GUM_COREF_NO_RANKER"):
        reg.ranker = None  # the rule tiers (a checkout without a ranker reads the attribute never)
    reg.add_sentences(text, sentences)
    type_unsure(reg, text, sentences)
    quotes = find_quotes(text, [(0, len(text))])
    _Resolver(text, sentences, quotes, find_cues(sentences, lex), reg, lex, False).run()
    gold = doc["mentions"]
    first_of: dict[str, int] = {}
    for s, _, eid, _ in gold:
        first_of[eid] = min(first_of.get(eid, s), s)
    for s, e, eid, _ in sorted(gold):
        p = text[s:e].lower()
        if p not in PRONOUNS or first_of[eid] >= s:
            continue
        c = counts.setdefault(p, Counter())
        c["n"] += 1
        before = [m for m in reg.mentions if m.end <= s]
        if any(_gold_entity(gold, m.start, m.end) == eid for m in before):
            c["reachable"] += 1
        ent = reg.antecedent(p, s)
        if ent is None:
            continue
        c["answered"] += 1
        if any(m.entity is ent and _gold_entity(gold, m.start, m.end) == eid for m in before):
            c["right"] += 1


def evaluate(splits: list[str], genre: Optional[str]) -> dict[str, dict[str, dict[str, int]]]:
    out: dict[str, dict[str, dict[str, int]]] = {}
    for split in splits:
        counts: dict[str, Counter] = {}
        for doc in documents(GUM / f"en_gum-nonnc-{split}.conllu"):
            if genre is None or doc["genre"] == genre:
                score_document(doc, counts)
        out[split] = {p: dict(counts.get(p, Counter())) for p in PRONOUNS}
    return out


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}" if b else "   - "


def table(ours: dict, base: Optional[dict]) -> str:
    rows = ["| split | pronoun | n | reachable % | baseline right % | right % | answered % |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for split, per in ours.items():
        tot: Counter = Counter()
        btot: Counter = Counter()
        for p in [*PRONOUNS, "all"]:
            c = Counter(per.get(p, {})) if p != "all" else tot
            b = Counter((base or {}).get(split, {}).get(p, {})) if p != "all" else btot
            if p != "all":
                tot.update(c)
                btot.update(b)
            rows.append(f"| {split} | {p} | {c['n']} | {_pct(c['reachable'], c['n'])} | "
                        f"{_pct(b['right'], b['n']) if base else '  -  '} | {_pct(c['right'], c['n'])} | "
                        f"{_pct(c['answered'], c['n'])} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--splits", default="dev,test")
    ap.add_argument("--genre", default=None, help="only documents of this GUM genre (news, interview, ...)")
    ap.add_argument("--baseline", default=None, help="another checkout whose resolver is the baseline")
    ap.add_argument("--json", default=None, help="write the counts here (and print nothing else)")
    ap.add_argument("--no-ranker", action="store_true", help="the registry's rule tiers, not the learned ranker")
    ap.add_argument("--compare-ranker", action="store_true", help="the rule tiers as the baseline column")
    args = ap.parse_args()
    if args.no_ranker:
        os.environ["GUM_COREF_NO_RANKER"] = "1"
    splits = args.splits.split(",")
    ours = evaluate(splits, args.genre)
    if args.json:
        Path(args.json).write_text(json.dumps(ours))
        return
    base = None
    if args.baseline or args.compare_ranker:
        out = Path(os.environ.get("TMPDIR", "/tmp")) / "gum_coref_baseline.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--splits", args.splits, "--json", str(out)]
        if args.genre:
            cmd += ["--genre", args.genre]
        env = {**os.environ, "PYTHONPATH": str(Path(args.baseline).resolve())} if args.baseline else \
            {**os.environ, "GUM_COREF_NO_RANKER": "1"}
        subprocess.run(cmd, check=True, env=env)
        base = json.loads(out.read_text())
    print(f"GUM pronoun antecedents ({args.genre or 'all genres'}; gold tokens, tags and trees)")
    print(table(ours, base))


if __name__ == "__main__":
    main()
