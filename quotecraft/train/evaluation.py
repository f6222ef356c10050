"""Measure quotecraft's embedded English Stanza model (the numbers of MODEL_CARD.md).

    python -m quotecraft.train evaluate                        # EWT, GUM and PUD test sets + speed
    python -m quotecraft.train evaluate --sets ewt --limit 30 --model-dir build/probe/out   # a quick try
    python -m quotecraft.train evaluate --model minilm --speed-models embedded,minilm        # the minilm model;
                                                       # both models timed in one run

For every test set (Universal Dependencies CoNLL-U, read from ``--ud-dir``):

* **Gold tokenization**: the gold syntactic words of each sentence are fed to
  ``tokenize,pos,lemma,depparse`` with ``tokenize_pretokenized=True`` (the MWT
  expander does not run: the words are already split), and UPOS, XPOS, UFeats,
  AllTags, lemmas, UAS, LAS and CLAS are scored.  The system file keeps the gold
  multi-word-token lines, so words align one to one and only tagging and parsing
  are measured.
* **Raw text**: the text of the test set, rebuilt with Stanza's own
  ``stanza.utils.datasets.conllu_to_text`` (the way the tokenizer's training text
  is made: a blank line at every ``# newdoc`` / ``# newpar``), goes through
  ``tokenize,mwt``; Tokens, Sentences and Words F1 are scored.

Scores come from Stanza's scorer (``stanza.models.common.utils.ud_scores``: the
CoNLL 2018 shared task script, ``conll18_ud_eval``, now shipped as
``udtools.udeval``), so they compare with published numbers.  F1 is reported;
with gold tokenization it equals accuracy.

**Speed**: the full pipeline (``tokenize,mwt,pos,lemma,depparse``) over the raw
text of one set (``--speed-set``, whole or its first ``--speed-kb`` KB), with
``torch.set_num_threads(1)`` and ``(2)`` in the same run; words are Stanza's
syntactic words.  When the whole text is timed, the first run is also scored
end to end (raw text in, all metrics out).  Other processes on the machine slow
it down badly (above all the 2-thread run): the load average at the start is
recorded beside the numbers.

Prints a Markdown table (progress goes to stderr) and writes JSON with ``--json``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

from ..nlp.loading import DEFAULT_PROCESSORS
from ..nlp.paths import PACKAGE_MODEL_DIR

REPO_GUESS = Path(__file__).resolve().parents[2]  # the checkout (quotecraft/train/ is two floors down)
DEFAULT_UD_DIR = REPO_GUESS.parent / "shared" / "data" / "ud"

#: test file of each set, relative to --ud-dir
TEST_SETS = {
    "ewt": "ewt/en_ewt-ud-test.conllu",
    "gum": "gum/en_gum-nonnc-test.conllu",
    "pud": "pud/en_pud-ud-test.conllu",
}
TAG_METRICS = ("UPOS", "XPOS", "UFeats", "AllTags", "Lemmas", "UAS", "LAS", "CLAS")
TOKEN_METRICS = ("Tokens", "Sentences", "Words")
E2E_METRICS = TOKEN_METRICS + TAG_METRICS


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- CoNLL-U

def read_blocks(path: Path, limit: Optional[int] = None) -> list[list[str]]:
    """Sentences of a CoNLL-U file as lists of lines (comments included), at most ``limit``."""
    blocks: list[list[str]] = []
    cur: list[str] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip():
                cur.append(line)
                continue
            if cur:
                blocks.append(cur)
                cur = []
                if limit and len(blocks) >= limit:
                    return blocks
    if cur and not (limit and len(blocks) >= limit):
        blocks.append(cur)
    return blocks


def write_blocks(blocks: list[list[str]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for b in blocks:
            f.write("\n".join(b) + "\n\n")


def _is_word(cols: list[str]) -> bool:
    return cols[0].isdigit()


def gold_words(block: list[str]) -> list[str]:
    """The syntactic words of a sentence (no MWT range lines, no empty nodes)."""
    out = []
    for line in block:
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if _is_word(cols):
            out.append(cols[1])
    return out


def system_block(block: list[str], predicted: list[Any]) -> list[str]:
    """The gold sentence with the predicted LEMMA..DEPREL of each word.

    MWT range lines are kept as in gold (forms only), empty nodes dropped."""
    out, i = [], 0
    for line in block:
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if _is_word(cols):
            w = predicted[i]
            i += 1
            out.append("\t".join([cols[0], cols[1], w.lemma or "_", w.upos or "_", w.xpos or "_",
                                  w.feats or "_", str(w.head if w.head is not None else 0),
                                  w.deprel or "_", "_", "_"]))
        elif "-" in cols[0]:
            out.append("\t".join([cols[0], cols[1]] + ["_"] * 8))
    return out


def ud_scores(gold: Path, system: Path) -> dict[str, Any]:
    from stanza.models.common.utils import ud_scores as stanza_ud_scores

    return stanza_ud_scores(str(gold), str(system))


def _pick(evaluation: dict[str, Any], metrics: tuple[str, ...]) -> dict[str, dict[str, float]]:
    out = {}
    for m in metrics:
        s = evaluation[m]
        out[m] = {"f1": round(100 * s.f1, 2), "precision": round(100 * s.precision, 2),
                  "recall": round(100 * s.recall, 2), "gold": s.gold_total, "system": s.system_total}
    return out


def conllu_text(gold: Path, dest: Path) -> str:
    from stanza.utils.datasets.conllu_to_text import convert_text

    convert_text(str(gold), str(dest))
    return dest.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- measures

def score_gold_tokens(blocks: list[list[str]], gold: Path, work: Path, model_dir: Optional[str],
                      batch: int = 500, model: str = "embedded") -> dict[str, Any]:
    from ..nlp.loading import load_stanza

    nlp = load_stanza(model, processors="tokenize,pos,lemma,depparse", model_dir=model_dir,
                      tokenize_pretokenized=True)
    sents = [gold_words(b) for b in blocks]
    sys_blocks: list[list[str]] = []
    t0 = time.perf_counter()
    for i in range(0, len(blocks), batch):
        doc = nlp(sents[i:i + batch])
        if len(doc.sentences) != len(sents[i:i + batch]):
            raise RuntimeError(f"Stanza returned {len(doc.sentences)} sentences for {len(sents[i:i + batch])}")
        for b, words, s in zip(blocks[i:i + batch], sents[i:i + batch], doc.sentences):
            if len(s.words) != len(words):
                raise RuntimeError(f"Stanza returned {len(s.words)} words for {len(words)}: {words}")
            sys_blocks.append(system_block(b, s.words))
        _say(f"  gold tokens: {min(i + batch, len(blocks))}/{len(blocks)} sentences")
    elapsed = time.perf_counter() - t0
    system = work / "gold-tok.system.conllu"
    write_blocks(sys_blocks, system)
    scores = _pick(ud_scores(gold, system), TAG_METRICS)
    return {"scores": scores, "seconds": round(elapsed, 2), "system_file": str(system)}


def score_raw_tokenizer(gold: Path, text: str, work: Path, model_dir: Optional[str]) -> dict[str, Any]:
    from stanza.utils.conll import CoNLL

    from ..nlp.loading import load_stanza

    # the minilm model tokenizes with the compact model's tokenizer: the same scores
    nlp = load_stanza(processors="tokenize,mwt", model_dir=model_dir,
                      tokenize_max_seqlen=100_000)  # EWT test has a URL longer than the default 1,000 characters, which Stanza turns into <UNK>
    t0 = time.perf_counter()
    doc = nlp(text)
    elapsed = time.perf_counter() - t0
    system = work / "raw-tok.system.conllu"
    CoNLL.write_doc2conll(doc, str(system))
    scores = _pick(ud_scores(gold, system), TOKEN_METRICS)
    return {"scores": scores, "seconds": round(elapsed, 2), "system_file": str(system)}


def _cut(text: str, kb: Optional[float]) -> str:
    """The first ``kb`` KB of ``text`` (characters), ending at a line break."""
    if not kb or len(text) <= kb * 1024:
        return text
    limit = int(kb * 1024)
    cut = text.rfind("\n", 0, limit)
    return text[: cut + 1 if cut > 0 else limit]


def measure_speed(text: str, gold: Optional[Path], work: Path, model_dir: Optional[str],
                  threads: tuple[int, ...] = (1, 2), model: str = "embedded") -> dict[str, Any]:
    import torch
    from stanza.utils.conll import CoNLL

    from ..nlp.loading import load_stanza

    t0 = time.perf_counter()
    nlp = load_stanza(model, processors=DEFAULT_PROCESSORS, model_dir=model_dir, cache=False,
                      tokenize_max_seqlen=100_000)
    load_s = time.perf_counter() - t0
    nlp(text[:2000])  # warm up: first calls allocate and fill caches
    before = torch.get_num_threads()
    runs = []
    e2e: Optional[dict[str, Any]] = None
    try:
        for n in threads:
            torch.set_num_threads(n)
            t0 = time.perf_counter()
            doc = nlp(text)
            sec = time.perf_counter() - t0
            runs.append({"threads": n, "seconds": round(sec, 2), "words": doc.num_words, "tokens": doc.num_tokens,
                         "sentences": len(doc.sentences), "words_per_s": round(doc.num_words / sec, 1)})
            _say(f"  speed ({model}): {n} thread(s): {doc.num_words} words in {sec:.1f} s = {doc.num_words / sec:.0f} words/s")
            if e2e is None and gold is not None:
                system = work / f"e2e.{model}.system.conllu"
                CoNLL.write_doc2conll(doc, str(system))
                e2e = _pick(ud_scores(gold, system), E2E_METRICS)
    finally:
        torch.set_num_threads(before)
    return {"model": model, "chars": len(text), "load_seconds": round(load_s, 2), "runs": runs, "end_to_end": e2e}


# --------------------------------------------------------------------------- report

def _f1(d: Optional[dict[str, Any]], m: str) -> str:
    if not d or m not in d:
        return "–"
    return f"{d[m]['f1']:.2f}"


def markdown(result: dict[str, Any]) -> str:
    lines = []
    cols = ("Tokens", "Sentences", "Words") + TAG_METRICS
    lines.append("| test set | sentences | words | " + " | ".join(cols) + " |")
    lines.append("| --- | ---: | ---: | " + " | ".join("---:" for _ in cols) + " |")
    for name, r in result["sets"].items():
        raw = r.get("raw_text", {}).get("scores")
        tag = r.get("gold_tokens", {}).get("scores")
        cells = [_f1(raw, m) for m in TOKEN_METRICS] + [_f1(tag, m) for m in TAG_METRICS]
        lines.append(f"| {name} | {r['sentences']} | {r['words']} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Tokens, Sentences, Words: `tokenize,mwt` on raw text. Tags, lemmas and parse: gold "
                 "syntactic words (`tokenize_pretokenized=True`). F1 ×100 by `conll18_ud_eval` (udtools.udeval).")
    lines[-1] += f" Model: `{result['meta'].get('model', 'embedded')}`."
    for sp in result.get("speed", []):
        lines.append("")
        lines.append(f"Speed of model `{sp['model']}`, `{DEFAULT_PROCESSORS}` on raw text of {sp['set']} "
                     f"({sp['chars'] / 1024:.0f} KB; model load {sp['load_seconds']:.1f} s; "
                     f"load average at start {sp['loadavg']}):")
        lines.append("")
        lines.append("| torch threads | words | seconds | words/s |")
        lines.append("| ---: | ---: | ---: | ---: |")
        for run in sp["runs"]:
            lines.append(f"| {run['threads']} | {run['words']} | {run['seconds']:.1f} | {run['words_per_s']:.0f} |")
        if sp.get("end_to_end"):
            e = sp["end_to_end"]
            lines.append("")
            lines.append(f"End to end on the same raw text ({sp['set']}): "
                         + ", ".join(f"{m} {_f1(e, m)}" for m in E2E_METRICS) + ".")
    return "\n".join(lines)



def main(argv: Optional[list[str]] = None) -> int:
    """Score the sets, time the models, print the report (and write the JSON); returns 0."""
    ap = _parser()
    opts = ap.parse_args(argv)
    sets, speed_models = _checked(ap, opts)
    result: dict[str, Any] = {"meta": _meta(opts), "sets": {}}
    work_root, tmp = _work_root(opts.work_dir)
    try:
        result["sets"], texts = _score_sets(opts, sets, work_root)
        if not opts.no_speed:
            result["speed"] = _measure_speeds(opts, speed_models, texts, work_root)
    finally:
        if tmp is not None:
            tmp.cleanup()
    _report(result, opts.json)
    return 0


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m quotecraft.train evaluate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ud-dir", type=Path, default=DEFAULT_UD_DIR,
                    help="folder holding ewt/, gum/ and pud/ (default: ../shared/data/ud beside the repository)")
    ap.add_argument("--sets", default="ewt,gum,pud", help="comma-separated subset of %s" % ",".join(TEST_SETS))
    ap.add_argument("--limit", type=int, default=None, help="first N sentences of each set (quick runs)")
    ap.add_argument("--model", default="embedded", choices=("embedded", "fast", "minilm"),
                    help="which model is scored: embedded (the compact one, default), fast (quotecraft.nlp.fastparse) "
                    "or minilm (quotecraft.nlp.tagparse); see quotecraft.nlp.loading")
    ap.add_argument("--model-dir", default=None,
                    help="model folder (default: the package's, %s; for fast the folder of fastparse.pt, "
                    "for minilm the folder of tagparse.pt)" % PACKAGE_MODEL_DIR)
    ap.add_argument("--speed-models", default=None,
                    help="comma-separated models to time, one after the other in this run "
                         "(default: --model); --model-dir applies to --model only")
    ap.add_argument("--json", type=Path, default=None, help="also write every number here")
    ap.add_argument("--speed-set", default="ewt", help="set whose raw text is timed (default: %(default)s)")
    ap.add_argument("--speed-kb", type=float, default=None,
                    help="time only the first N KB of that text (default: all of it)")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    ap.add_argument("--work-dir", type=Path, default=None,
                    help="keep gold/system CoNLL-U files here (default: a temporary folder)")
    return ap


def _checked(ap: argparse.ArgumentParser, opts: argparse.Namespace) -> tuple[list[str], list[str]]:
    """The sets to score and the models to time; a usage error (``ap.error``) for an unknown set or
    model or a missing test file, before anything slow is loaded."""
    sets = [s.strip() for s in opts.sets.split(",") if s.strip()]
    unknown = [s for s in sets if s not in TEST_SETS]
    if unknown:
        ap.error(f"unknown set(s) {unknown}; known: {', '.join(TEST_SETS)}")
    for s in sets:
        if not (opts.ud_dir / TEST_SETS[s]).is_file():
            ap.error(f"missing {opts.ud_dir / TEST_SETS[s]}: pass --ud-dir (the folder holding {', '.join(TEST_SETS)})")
    if not opts.no_speed and opts.speed_set not in TEST_SETS:
        ap.error(f"unknown --speed-set {opts.speed_set}")
    from ..nlp.loading import KNOWN_MODELS

    speed_models = [m.strip() for m in (opts.speed_models or opts.model).split(",") if m.strip()]
    for m in [opts.model, *speed_models]:
        if m not in KNOWN_MODELS:
            ap.error(f"unknown model {m!r}; known: {', '.join(KNOWN_MODELS)}")
    return sets, speed_models


def _meta(opts: argparse.Namespace) -> dict[str, Any]:
    """What the numbers were measured on: model, data, versions, machine and date."""
    import stanza
    import torch

    model_dir = opts.model_dir
    return {"model": opts.model, "model_dir": str(Path(model_dir).resolve() if model_dir else PACKAGE_MODEL_DIR),
            "ud_dir": str(opts.ud_dir.resolve()), "limit": opts.limit, "stanza": stanza.__version__,
            "torch": torch.__version__, "python": platform.python_version(),
            "cpu_count": os.cpu_count(), "scorer": "stanza.models.common.utils.ud_scores (udtools.udeval)",
            "date": time.strftime("%Y-%m-%d %H:%M:%S")}


def _work_root(work_dir: Optional[Path]) -> tuple[Path, Optional[tempfile.TemporaryDirectory[str]]]:
    """The folder of the gold and system files: ``--work-dir`` (kept), or a temporary one, returned
    too so the caller removes it at the end."""
    if work_dir:
        work_dir.mkdir(parents=True, exist_ok=True)
        return work_dir, None
    tmp = tempfile.TemporaryDirectory(prefix="quotecraft-eval-")
    return Path(tmp.name), tmp


def _score_sets(opts: argparse.Namespace, sets: list[str],
                work_root: Path) -> tuple[dict[str, Any], dict[str, tuple[str, Path]]]:
    """The scores of each set in *sets*, and the raw text and gold file of every set read: those,
    and the speed set, which is read (and turned into raw text) even when it is not scored."""
    scored: dict[str, Any] = {}
    texts: dict[str, tuple[str, Path]] = {}
    speed_sets = [] if opts.no_speed else [opts.speed_set]
    for name in dict.fromkeys(sets + speed_sets):
        path = opts.ud_dir / TEST_SETS[name]
        work = work_root / name
        work.mkdir(parents=True, exist_ok=True)
        blocks = read_blocks(path, opts.limit)
        gold = work / "gold.conllu"
        write_blocks(blocks, gold)
        text = conllu_text(gold, work / "raw.txt")
        texts[name] = (text, gold)
        if name in sets:
            scored[name] = _score_set(opts, name, path, blocks, gold, text, work)
    return scored, texts


def _score_set(opts: argparse.Namespace, name: str, path: Path, blocks: list[list[str]], gold: Path, text: str,
               work: Path) -> dict[str, Any]:
    """One test set scored twice: tagging and parsing on gold words, tokenization on raw text."""
    model_dir = opts.model_dir
    n_words = sum(len(gold_words(b)) for b in blocks)
    _say(f"{name}: {path} ({len(blocks)} sentences, {n_words} words)")
    r: dict[str, Any] = {"file": str(path), "sentences": len(blocks), "words": n_words}
    r["gold_tokens"] = score_gold_tokens(blocks, gold, work, model_dir, model=opts.model)
    _say(f"  gold tokens: LAS {r['gold_tokens']['scores']['LAS']['f1']:.2f} "
         f"({r['gold_tokens']['seconds']:.1f} s)")
    r["raw_text"] = score_raw_tokenizer(gold, text, work, model_dir if opts.model == "embedded" else None)
    _say(f"  raw text: Tokens {r['raw_text']['scores']['Tokens']['f1']:.2f}, "
         f"Sentences {r['raw_text']['scores']['Sentences']['f1']:.2f} ({r['raw_text']['seconds']:.1f} s)")
    if not opts.work_dir:  # the system files go with the temporary folder: do not name them
        for key in ("gold_tokens", "raw_text"):
            r[key].pop("system_file", None)
    return r


def _measure_speeds(opts: argparse.Namespace, speed_models: list[str], texts: dict[str, tuple[str, Path]],
                    work_root: Path) -> list[dict[str, Any]]:
    """Each of *speed_models* timed on the speed set's raw text (scored end to end too when the
    whole text is timed); ``--model-dir`` applies to ``--model`` only."""
    text, gold = texts[opts.speed_set]
    cut = _cut(text, opts.speed_kb)
    _say(f"speed: {opts.speed_set} raw text, {len(cut) / 1024:.0f} KB")
    speed = []
    for m in speed_models:
        # other processes slow the runs down badly: the load average goes beside the numbers
        loadavg = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
        sp = measure_speed(cut, gold if cut == text else None, work_root / opts.speed_set,
                           opts.model_dir if m == opts.model else None, model=m)
        sp.update(set=opts.speed_set, kb=opts.speed_kb, loadavg=loadavg)
        speed.append(sp)
    return speed


def _report(result: dict[str, Any], json_path: Optional[Path]) -> None:
    """The Markdown table on stdout, and every number as JSON in *json_path* when given."""
    print(markdown(result))
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        _say(f"wrote {json_path}")


if __name__ == "__main__":
    raise SystemExit(main())
