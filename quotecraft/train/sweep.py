"""Several fine-tuning runs side by side on one machine (a lent GPU), and what travels to and from it.

    python -m quotecraft.train sweep bundle DIR --init-from MODELS --windows FILE     # here: what the runs read
    python -m quotecraft.train sweep run DIR --out OUT --minutes 7 \\
        --config a "--lr 8e-5" --config b "--lr 1e-4 --dropout 0.1" -- --device cuda --epochs 6
    python -m quotecraft.train sweep unpack OUT NAME --work-dir W                    # here: then finetune --install

A GPU machine without network, the training data, the encoder package or the models before
fine-tuning gets them as one folder (``bundle``): the cut windows (``finetune --windows``), the
encoder's pretrained tensors in float16 with only the embedding rows those windows use (the
rest zero: the embeddings never train, and the 90 MB zip could not travel), and the models
folder the runs start from.  ``run`` starts one ``finetune`` per ``--config`` at once (the
options after ``--`` are common to all), each with its own work folder and log, waits, writes
every run's dev history to ``OUT/summary.json`` and keeps the ``--keep`` best epochs (by the
tagger's mean span F1 on dev, the measure ``finetune --install`` picks by) as float16
checkpoints cut into parts small enough to come back.  ``unpack`` joins one of them into a work
folder that ``finetune --install --work-dir`` installs from.
"""
from __future__ import annotations

import argparse
import json
import lzma
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Optional

#: a part of a kept checkpoint stays under what a lent machine sends back per file (16 MiB)
PART_BYTES = 15 * 2 ** 20
#: the models a run starts from: what `finetune.build_joint` reads of a models folder
INIT_FILES = ("attribution/head.pt", "attribution/cuetype.pt", "en_minilm/tagparse.pt", "encoder/config.json",
              "encoder/manifest.json", "encoder/finetuned.safetensors")


def bundle(out: Path, init: Path, windows: Path) -> dict[str, int]:
    """Write what the runs read into ``out``; the bytes of each file."""
    import torch

    from ..nlp.encoder import _read_archive, _read_safetensors, _zip_path

    for path, what in ((windows, "--windows (written by finetune --windows)"), (init / "attribution" / "head.pt",
                                                                              "--init-from (a models folder)")):
        if not path.is_file():
            raise SystemExit(f"no {path}: {what}")
    from .encoder_export import write_safetensors

    saved = torch.load(windows, map_location="cpu", weights_only=False)
    used = sorted({int(i) for k in ("att", "att_dev") for it in saved[k] for i in it[0].tolist()}
                  | {i for k in ("ud", "ud_dev") for w in saved[k] for i in w.ids} | {0, 100, 101, 102})
    data, _, _ = _read_archive(_zip_path())
    tensors = {k: v.half() for k, v in _read_safetensors(data, "model.safetensors").items()}
    emb = next(k for k in tensors if k.endswith("word_embeddings.weight"))
    keep = torch.zeros(tensors[emb].shape[0], dtype=torch.bool)
    keep[used] = True
    tensors[emb] = tensors[emb].masked_fill(~keep[:, None], 0)
    out.mkdir(parents=True, exist_ok=True)
    write_safetensors(tensors, out / "bert.safetensors")
    # the zeroed rows are what the compression takes away
    (out / "bert.safetensors.xz").write_bytes(lzma.compress((out / "bert.safetensors").read_bytes(), preset=6))
    (out / "bert.safetensors").unlink()
    (out / "windows.pt.xz").write_bytes(lzma.compress(windows.read_bytes(), preset=6))
    for rel in INIT_FILES:
        if (init / rel).is_file():
            (out / "init" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(init / rel, out / "init" / rel)
    (out / "bundle.json").write_text(json.dumps({"init_from": str(init), "windows": str(windows),
                                                  "embedding_rows_kept": len(used)}, indent=1))
    return {str(p.relative_to(out)): p.stat().st_size for p in sorted(out.rglob("*")) if p.is_file()}


def run(src: Path, out: Path, configs: list[tuple[str, str]], common: list[str], minutes: float, keep: int) -> int:
    """One ``finetune`` per config at once; then the summary and the kept parts in ``out``."""
    windows = src / "windows.pt"
    missing = [p.name for p in (windows, src / "bert.safetensors", src / "init")
               if not p.exists() and not p.with_name(p.name + ".xz").exists()]
    if missing:
        raise SystemExit(f"{src} is no bundle (no {', '.join(missing)}): make one with 'sweep bundle'")
    for path in (windows, src / "bert.safetensors"):
        if not path.exists():
            path.write_bytes(lzma.decompress(path.with_name(path.name + ".xz").read_bytes()))
    out.mkdir(parents=True, exist_ok=True)
    (src / "runs").mkdir(parents=True, exist_ok=True)
    procs = {}
    for name, extra in configs:
        argv = [sys.executable, "-m", "quotecraft.train", "finetune", "--work-dir", str(src / "runs" / name),
                "--windows", str(windows), "--bert", str(src / "bert.safetensors"), "--init-from", str(src / "init"),
                "--minutes", str(minutes), *common, *shlex.split(extra)]
        log = open(src / "runs" / f"{name}.log", "w")
        procs[name] = (subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT), log)
    t0 = time.monotonic()
    while any(p.poll() is None for p, _ in procs.values()):
        time.sleep(5)
    codes = {name: p.returncode for name, (p, _) in procs.items()}
    print(f"runs ended after {(time.monotonic() - t0) / 60:.1f} min: {codes}", flush=True)
    for name, (_, log) in procs.items():  # where a run failed, its log's end says why
        log.close()
        tail = (src / "runs" / f"{name}.log").read_text(encoding="utf-8", errors="replace").splitlines()[-4:]
        print(f"--- {name}:", *tail, sep="\n", flush=True)
    summary = {name: {"options": extra, "returncode": codes[name], "history": _history(src / "runs" / name)}
               for name, extra in configs}
    (out / "summary.json").write_text(json.dumps({"common": common, "runs": summary}, indent=1))
    ranked = sorted(((h["dev"]["spans"]["mean"], name, h["epoch"]) for name, r in summary.items()
                     for h in r["history"] if h["epoch"] > 0), reverse=True)
    for score, name, epoch in ranked[:keep]:
        _pack(src / "runs" / name / f"epoch-{epoch:02d}.pt", out, f"{name}-e{epoch:02d}")
        print(f"kept {name} epoch {epoch}: dev mean span F1 {score}", flush=True)
    return 0 if ranked else 1


def _history(work: Path) -> list[dict[str, Any]]:
    try:
        return json.loads((work / "history.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def _pack(path: Path, out: Path, stem: str) -> None:
    """The epoch's checkpoint with its tensors in float16 (as the package keeps them), in parts."""
    import io

    import torch

    ckpt = torch.load(path, map_location="cpu", weights_only=False)
    ckpt["weights"] = {part: {k: v.half() if v.is_floating_point() else v for k, v in d.items()}
                       for part, d in ckpt["weights"].items()}
    buf = io.BytesIO()
    torch.save(ckpt, buf)
    data = buf.getvalue()
    for k in range(0, len(data), PART_BYTES):
        (out / f"{stem}.part{k // PART_BYTES}").write_bytes(data[k:k + PART_BYTES])


def unpack(src: Path, stem: str, work: Path) -> Path:
    """Join a kept checkpoint's parts into ``work`` with its run's history, for ``--install``."""
    parts = sorted(src.glob(f"{stem}.part*"), key=lambda p: int(p.suffix.removeprefix(".part")))
    if not parts:
        raise SystemExit(f"no parts {stem}.part* in {src}")
    name, epoch = stem.rsplit("-e", 1)
    work.mkdir(parents=True, exist_ok=True)
    target = work / f"epoch-{int(epoch):02d}.pt"
    target.write_bytes(b"".join(p.read_bytes() for p in parts))
    summary = json.loads((src / "summary.json").read_text(encoding="utf-8"))
    (work / "history.json").write_text(json.dumps(summary["runs"][name]["history"], indent=1))
    return target


def _arguments() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m quotecraft.train sweep", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="verb", required=True)
    b = sub.add_parser("bundle", help="what the runs read, into one folder")
    b.add_argument("dir", type=Path)
    b.add_argument("--init-from", type=Path, required=True, metavar="MODELS")
    b.add_argument("--windows", type=Path, required=True, metavar="FILE", help="written by finetune --windows")
    r = sub.add_parser("run", help="the runs, side by side")
    r.add_argument("dir", type=Path, help="a bundle")
    r.add_argument("--out", type=Path, required=True, help="the summary and the kept checkpoints' parts")
    r.add_argument("--config", nargs=2, action="append", required=True, metavar=("NAME", "OPTIONS"))
    r.add_argument("--minutes", type=float, required=True, help="each run's wall time")
    r.add_argument("--keep", type=int, default=2, help="best epochs to keep (default: %(default)s)")
    u = sub.add_parser("unpack", help="one kept checkpoint into a work folder")
    u.add_argument("src", type=Path)
    u.add_argument("stem", help="NAME-eNN, as run printed it")
    u.add_argument("--work-dir", type=Path, required=True)
    return ap


def main(argv: Optional[list[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    common: list[str] = []
    if "--" in argv:
        argv, common = argv[:argv.index("--")], argv[argv.index("--") + 1:]
    opts = _arguments().parse_args(argv)
    if opts.verb == "bundle":
        for rel, size in bundle(opts.dir, opts.init_from, opts.windows).items():
            print(f"{size / 2 ** 20:8.2f} MiB  {rel}")
        return 0
    if opts.verb == "run":
        names = [n for n, _ in opts.config]
        if len(set(names)) != len(names) or any(not n.replace("_", "").isalnum() for n in names):
            raise SystemExit("--config names must be distinct letters, digits and underscores")
        return run(opts.dir, opts.out, [tuple(c) for c in opts.config], common, opts.minutes, opts.keep)
    print(unpack(opts.src, opts.stem, opts.work_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
