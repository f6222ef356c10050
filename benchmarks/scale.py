"""Throughput at scale: one corpus through a serial run, ``Extractor.pipe(n_process=2)`` and Dask.

    python benchmarks/scale.py                       # 1,000 PolNeAR dev articles (84, repeated)
    python benchmarks/scale.py --articles 40         # a quick try
    python benchmarks/scale.py --corpus generated    # generated news-like text instead of PolNeAR

Modes, each in a fresh process of its own (this script with ``--mode``), on the same texts:

* ``serial``: ``Extractor().extract(text)`` for each article, in one process (the default path:
  learned attribution where the ``learned`` extra is installed, since issue 12's fifth sitting;
  the rows measured before it ran the rules);
* ``pipe``: ``list(Extractor().pipe(texts, n_process=2))`` (its worker processes each load the model);
* ``dask``: ``quotecraft.io.dask.extract_to_parquet(paths, out, client=...)`` on
  ``LocalCluster(n_workers=2, threads_per_worker=1)`` (``quotecraft.io.dask.local_cluster(2)``: Dask's
  profiler off in the workers, unless ``--dask-profiler``), the path ``quotecraft FILES --scheduler
  local --out DIR.parquet`` takes: the workers read the article files, extract, and write Parquet.

The articles are written to a temporary folder first (one file each), so every mode reads the
same bytes; ``serial`` and ``pipe`` read them in the main process and keep the results in memory,
``dask`` also writes its Parquet output (its cost is reported apart).

Reported per mode: wall time from the start of the mode (process pool / cluster start and model
loading included), the start-up (``serial``: loading the model; ``dask``: starting the cluster and
the slowest worker's model load; not seen from outside ``pipe``'s pool, so not given) and the rate
after it, articles/s and words/s on the full wall time, peak resident memory of each worker process (``ru_maxrss``; for ``serial``
the one process, for ``pipe`` the largest of its workers, read after they exit), and for ``dask``
where the time went: model load, extraction and Parquet writes summed over the tasks (as timed
inside them), the scheduler's overhead per article (compute wall time minus the busiest worker's
task time, divided by the articles: scheduling, transfers, the idle tail), and the round trip of
an empty task on the same cluster.  The quote count of each mode is printed as a check that all
three did the same work.  Markdown goes to stdout, progress to stderr, every number to ``--json``.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_POLNEAR = REPO.parent / "shared" / "data" / "polnear" / "dev" / "text"
MODES = ("serial", "pipe", "dask")
WORKERS = 2


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _mb(kb: float) -> float:
    return round(kb / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)  # bytes on macOS, KB on Linux


# --------------------------------------------------------------------------- corpus
FIRST = ["Maria", "James", "Aiko", "Pedro", "Fatima", "Lars", "Chen", "Amara", "Ivan", "Grace"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Haddad", "Novak", "Reyes", "Brennan", "Kowalski", "Adeyemi"]
ROLES = ["the finance minister", "a union leader", "the city's mayor", "a spokeswoman for the ministry",
         "the company's chief executive", "an opposition lawmaker", "a senior diplomat"]
TOPICS = ["the budget", "the new rail line", "the trade talks", "water prices", "the hospital strike",
          "the election date", "the port expansion", "fishing quotas"]
CUES = ["said", "told reporters", "said on Tuesday", "added", "warned", "insisted"]


def generated(n: int, seed: int = 7) -> list[str]:
    """``n`` news-like articles of a few hundred words, with direct and indirect quotes."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        people = [(f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(ROLES)) for _ in range(3)]
        topic = rng.choice(TOPICS)
        paras = [f"Talks on {topic} went on late into the night, officials said, as both sides looked for a deal."]
        for name, role in people:
            surname = name.split()[1]
            paras.append(f'"We have waited long enough for {topic}," {name}, {role}, {rng.choice(CUES)}. '
                         f'"People want answers, and they want them now."')
            paras.append(f"{surname} said the plan would cost more than expected and that the vote should wait "
                         f"until {rng.choice(['spring', 'next month', 'after the summer'])}.")
            paras.append(f"According to {surname}, the first results of {topic} would be known within weeks. "
                         + " ".join(rng.choice(["The meeting ran for hours.", "Markets were calm.",
                                                "Several groups protested outside.", "No date was set.",
                                                "Critics called the process slow."]) for _ in range(rng.randint(3, 8))))
        paras.append(f'"It is not over," {people[0][0].split()[1]} told the Harbor Wire agency.')
        texts.append("\n\n".join(paras) + "\n")
    return texts


def polnear(n: int, folder: Path) -> list[str]:
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"no PolNeAR articles in {folder} (--polnear-dir), or use --corpus generated")
    base = [f.read_text(encoding="utf-8") for f in files]
    return [base[i % len(base)] for i in range(n)]


# --------------------------------------------------------------------------- modes (child processes)
def _extractor() -> Any:
    sys.path.insert(0, str(REPO))
    from quotecraft.extractor import Extractor

    return Extractor()


def _texts(paths: list[str]) -> list[str]:
    return [Path(p).read_text(encoding="utf-8") for p in paths]


def run_serial(paths: list[str]) -> dict[str, Any]:
    import torch

    torch.set_num_threads(1)  # one core, as each worker of the other modes
    t0 = time.perf_counter()
    ex = _extractor()
    ex.extract("Officials met. \"We will talk,\" the minister said.")  # the model loads lazily: load it now
    t1 = time.perf_counter()
    quotes = errors = 0
    for text in _texts(paths):
        art = ex._safe(text)
        quotes += len(art.quotes)
        errors += art.error is not None
    t2 = time.perf_counter()
    return {"wall_s": t2 - t0, "startup_s": t1 - t0, "quotes": quotes, "errors": errors,
            "worker_peak_mb": [_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)]}


def run_pipe(paths: list[str]) -> dict[str, Any]:
    t0 = time.perf_counter()
    ex = _extractor()
    texts = _texts(paths)
    quotes = errors = 0
    for art in ex.pipe(texts, n_process=WORKERS, progress=False):
        quotes += len(art.quotes)
        errors += art.error is not None
    t2 = time.perf_counter()
    # the pool's workers have exited and been waited for: the largest child's peak.  Their start-up
    # cannot be seen from here (results come back a chunk at a time), so it is not reported
    return {"wall_s": t2 - t0, "startup_s": None, "quotes": quotes, "errors": errors,
            "worker_peak_mb": [_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)]}


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _noop(i: int) -> int:
    return i


def run_dask(paths: list[str], partition_size: int, profiler: bool) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    from distributed import Client

    import quotecraft.io.dask as qd

    t0 = time.perf_counter()
    cluster = qd.local_cluster(WORKERS, profiler=profiler)
    client = Client(cluster)
    t1 = time.perf_counter()
    out = Path(tempfile.mkdtemp(prefix="quotecraft-scale-")) / "out.parquet"
    try:
        summary = qd.extract_to_parquet(paths, out, client=client, partition_size=partition_size)
        t2 = time.perf_counter()
        infos = qd.last_task_info
        peaks = client.run(_peak_kb)
        # the scheduler's own cost per task, without any work in it
        n_noop = 500
        t3 = time.perf_counter()
        client.gather(client.map(_noop, range(n_noop), pure=False))
        noop_ms = (time.perf_counter() - t3) * 1000 / n_noop
        written = sum(f.stat().st_size for f in out.rglob("*.parquet"))
    finally:
        client.close()
        cluster.close()
        shutil.rmtree(out.parent, ignore_errors=True)
    busy: dict[int, float] = {}
    for info in infos:
        busy[info["pid"]] = busy.get(info["pid"], 0.0) + sum(info["seconds"].values())
    sums = {k: sum(i["seconds"][k] for i in infos) for k in ("load", "extract", "write")}
    loads = [i["seconds"]["load"] for i in infos if i["seconds"]["load"] > 0]
    return {"wall_s": t2 - t0, "startup_s": (t1 - t0) + max(loads, default=0.0), "cluster_start_s": t1 - t0,
            "compute_s": t2 - t1, "quotes": summary.quotes, "errors": summary.errors,
            "worker_peak_mb": [_mb(v) for v in peaks.values()], "model_load_s": loads,
            "task_seconds": sums, "tasks": len(infos), "worker_processes_used": len(busy),
            "busiest_worker_s": max(busy.values(), default=0.0),
            "overhead_ms_per_article": ((t2 - t1) - max(busy.values(), default=0.0)) * 1000 / max(1, summary.articles),
            "noop_task_ms": noop_ms, "parquet_bytes": written,
            "note": "startup = cluster start + the slowest model load"}


def child(mode: str, paths_file: Path, out_file: Path, partition_size: int, profiler: bool) -> None:
    paths = json.loads(paths_file.read_text(encoding="utf-8"))
    if mode == "serial":
        res = run_serial(paths)
    elif mode == "pipe":
        res = run_pipe(paths)
    else:
        res = run_dask(paths, partition_size, profiler)
    out_file.write_text(json.dumps(res), encoding="utf-8")


# --------------------------------------------------------------------------- driver
def table(results: dict[str, dict[str, Any]], n: int, words: int) -> str:
    lines = ["| mode | articles | wall s | start-up s | articles/s | words/s | articles/s after start-up "
             "| peak MB per worker | quotes |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for mode, r in results.items():
        startup, steady = "–", "–"
        if r["startup_s"] is not None:
            startup = f"{r['startup_s']:.1f}"
            steady = f"{n / max(1e-9, r['wall_s'] - r['startup_s']):.2f}"
        lines.append(f"| {mode} | {n} | {r['wall_s']:.1f} | {startup} | {n / r['wall_s']:.2f} "
                     f"| {words / r['wall_s']:.0f} | {steady} "
                     f"| {', '.join(f'{m:.0f}' for m in r['worker_peak_mb'])} | {r['quotes']} |")
    out = "\n".join(lines)
    if "dask" in results:
        d = results["dask"]
        t = d["task_seconds"]
        out += ("\n\n| dask detail | value |\n|---|---:|\n"
                f"| cluster start s | {d['cluster_start_s']:.1f} |\n"
                f"| model load s per worker | {', '.join(f'{x:.1f}' for x in d['model_load_s'])} |\n"
                f"| tasks (articles per task) | {d['tasks']} ({n / max(1, d['tasks']):.1f}) |\n"
                f"| task time: load / extract / write s (summed) | {t['load']:.1f} / {t['extract']:.1f} / {t['write']:.2f} |\n"
                f"| write share of task time | {100 * t['write'] / max(1e-9, sum(t.values())):.2f}% |\n"
                f"| scheduler overhead ms per article | {d['overhead_ms_per_article']:.1f} |\n"
                f"| empty task round trip ms | {d['noop_task_ms']:.2f} |\n"
                f"| Parquet written KB | {d['parquet_bytes'] / 1024:.0f} |\n")
        if "pipe" in results:
            out += f"\ndask / pipe throughput (full wall time): {results['pipe']['wall_s'] / d['wall_s']:.2f}x\n"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000, help="number of articles (default 1000)")
    ap.add_argument("--corpus", choices=("polnear", "generated"), default="polnear",
                    help="PolNeAR dev articles repeated to --articles, or generated text")
    ap.add_argument("--polnear-dir", type=Path, default=DEFAULT_POLNEAR)
    ap.add_argument("--modes", default=",".join(MODES), help="comma-separated subset of serial,pipe,dask")
    ap.add_argument("--partition-size", type=int, default=8, help="articles per Dask task (default 8, as the CLI)")
    ap.add_argument("--dask-profiler", action="store_true",
                    help="leave Dask's statistical profiler on in the workers (off by default, see local_cluster)")
    ap.add_argument("--json", type=Path, help="write every number here")
    ap.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)
    ap.add_argument("--paths-file", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out-file", type=Path, help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.mode:
        child(opts.mode, opts.paths_file, opts.out_file, opts.partition_size, opts.dask_profiler)
        return
    if opts.articles < 1:
        ap.error("--articles must be >= 1")
    modes = [m.strip() for m in opts.modes.split(",") if m.strip()]
    if not modes or any(m not in MODES for m in modes):
        ap.error(f"--modes: choose from {', '.join(MODES)}")
    texts = polnear(opts.articles, opts.polnear_dir) if opts.corpus == "polnear" else generated(opts.articles)
    words = sum(len(t.split()) for t in texts)
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="quotecraft-corpus-") as tmp:
        folder = Path(tmp)
        paths = []
        for i, text in enumerate(texts):
            p = folder / f"a{i:06d}.txt"
            p.write_text(text, encoding="utf-8")
            paths.append(str(p))
        (folder / "paths.json").write_text(json.dumps(paths), encoding="utf-8")
        for mode in modes:
            _say(f"{mode}: {len(texts)} articles, {words} words ...")
            out_file = folder / f"{mode}.json"
            subprocess.run([sys.executable, __file__, "--mode", mode, "--paths-file", str(folder / "paths.json"),
                            "--out-file", str(out_file), "--partition-size", str(opts.partition_size)]
                           + (["--dask-profiler"] if opts.dask_profiler else []),
                           check=True, env=env)
            results[mode] = json.loads(out_file.read_text(encoding="utf-8"))
            _say(f"{mode}: {results[mode]['wall_s']:.1f} s")
    quotes = {m: r["quotes"] for m, r in results.items()}
    print(f"corpus: {opts.corpus}, {len(texts)} articles, {words} words; {WORKERS} workers, 1 torch thread each\n")
    print(table(results, len(texts), words))
    if len(set(quotes.values())) > 1:
        print(f"\nWARNING: the modes found different numbers of quotes: {quotes}")
    if opts.json:
        opts.json.write_text(json.dumps({"corpus": opts.corpus, "articles": len(texts), "words": words,
                                         "results": results}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
