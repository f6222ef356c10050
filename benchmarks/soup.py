"""A weight average ("model soup") of fine-tuned runs that started from the same weights: the
tagger's own PolNeAR dev scores for each average, and an installable run folder for one of them.

    OMP_NUM_THREADS=2 python benchmarks/soup.py --epochs build/ft-dld/epoch-04.pt build/ft-dld/epoch-03.pt
    OMP_NUM_THREADS=2 python benchmarks/soup.py --epochs build/ft-dld/epoch-04.pt --save build/soup-s4
    python -m quotecraft.train finetune --work-dir build/soup-s4 --install --epoch 1    # then as a shipped run

The package's fine-tuned run (its encoder layers, the pair's first head, the tagger-parser) is
the first member of every average; each ``--epochs`` checkpoint (`quotecraft.train.finetune`'s
``epoch-NN.pt``, trained from the same start: ``--init-from`` the same models) is averaged with it
half and half, and, given several, all of them in equal shares.  Averaging only makes sense for
runs from one start, whose weights lie in one basin; the type head stays the package's (it is
trained again after an install).  Scores: exact span F1 of the tagger's argmax tags on the dev
windows and UPOS / LAS on 400 UD dev windows, as each fine-tuning epoch is scored
(`finetune.dev_scores`, fp32).  ``--save DIR`` writes the half-and-half average with the first
``--epochs`` checkpoint as ``DIR/epoch-01.pt`` and ``DIR/history.json``, which ``finetune
--install`` reads as a run's epoch 1.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Mapping, Sequence

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

#: the parts of a `finetune.Joint.state` that are averaged (the type head is left as it is)
PARTS = ("encoder", "head", "parser")


def average(states: Sequence[Mapping[str, Any]], weights: Sequence[float]) -> dict[str, Any]:
    """The weighted average of `Joint.state` dicts over `PARTS`, in float32; the type head of the
    first.  Every state must hold the same tensors (runs of one design from one start)."""
    if len(states) != len(weights) or not states:
        raise ValueError("one weight per state, at least one state")
    if abs(sum(weights) - 1.0) > 1e-6:
        raise ValueError(f"the weights sum to {sum(weights)}, not 1")
    out: dict[str, Any] = {}
    for part in PARTS:
        keys = set(states[0][part])
        if any(set(s[part]) != keys for s in states[1:]):
            raise ValueError(f"the runs' {part} tensors differ: not runs of one design")
        out[part] = {k: sum(w * s[part][k].float() for s, w in zip(states, weights)) for k in states[0][part]}
    out["typer"] = states[0]["typer"]
    return out


def _mixes(names: list[str]) -> dict[str, dict[str, float]]:
    """The averages scored: the package alone, each checkpoint alone and half and half with the
    package, and (several checkpoints) all of them in equal shares."""
    mixes = {"package": {"package": 1.0}}
    for n in names:
        mixes[n] = {n: 1.0}
        mixes[f"1/2 package + 1/2 {n}"] = {"package": 0.5, n: 0.5}
    if len(names) > 1:
        mixes["equal shares"] = {n: 1.0 / (len(names) + 1) for n in ["package", *names]}
    return mixes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=Path, nargs="+", required=True, help="finetune epoch-NN.pt checkpoints")
    ap.add_argument("--data", type=Path, default=None, help="PolNeAR (default: finetune's)")
    ap.add_argument("--pieces", type=Path, default=REPO / "build" / "soup" / "pieces", help="dev windows' cache")
    ap.add_argument("--save", type=Path, default=None, metavar="DIR",
                    help="write 1/2 package + 1/2 the first checkpoint as an installable run instead of scoring")
    ap.add_argument("--threads", type=int, default=2)
    opts = ap.parse_args()
    import torch

    from quotecraft.train import finetune as ft

    torch.set_num_threads(opts.threads)
    joint = ft.build_joint(init=None)  # the package's run
    states = {"package": joint.state()}
    ckpts = {}
    for path in opts.epochs:
        if not path.is_file():
            raise SystemExit(f"no checkpoint {path}")
        ckpts[str(path)] = torch.load(path, map_location="cpu", weights_only=False)
        states[str(path)] = ckpts[str(path)]["weights"]
    if opts.save is not None:
        first = str(opts.epochs[0])
        opts.save.mkdir(parents=True, exist_ok=True)
        mixed = average([states["package"], states[first]], [0.5, 0.5])
        torch.save({"weights": mixed, "head_config": ckpts[first]["head_config"], "dev": {}, "epoch": 1,
                    "type_weight": 0, "init_from": ckpts[first].get("init_from")}, opts.save / "epoch-01.pt")
        (opts.save / "history.json").write_text(json.dumps(
            [{"epoch": 1, "dev": {}, "minutes": 0.0, "soup": {"package": 0.5, first: 0.5}}], indent=1))
        print(f"wrote {opts.save}/epoch-01.pt")
        return
    att_dev = ft.attribution_windows(opts.data or ft.DATA / "polnear", "dev", opts.pieces)
    ud_dev = ft.ud_windows(ft._tokenizer_encoder(), ft.DATA / "ud", "dev")[:400]
    for name, shares in _mixes([str(p) for p in opts.epochs]).items():
        joint.load(average([states[n] for n in shares], list(shares.values())))
        print(name, json.dumps(ft.dev_scores(joint, att_dev, ud_dev)), flush=True)


if __name__ == "__main__":
    main()
