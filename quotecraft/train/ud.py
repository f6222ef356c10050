"""Universal Dependencies treebanks read for training: EWT and GUM non-NC, by split."""
from __future__ import annotations

from pathlib import Path

__all__ = ["UD_SPLITS", "read_conllu", "load_split"]

#: the UD files the own taggers and parsers (fast path, minilm) train and select on
UD_SPLITS = {"train": ("ewt/en_ewt-ud-train.conllu", "gum/en_gum-nonnc-train.conllu"),
             "dev": ("ewt/en_ewt-ud-dev.conllu", "gum/en_gum-nonnc-dev.conllu")}


def read_conllu(path: Path) -> list[list[tuple[str, str, str, str, int, str]]]:
    """(form, upos, xpos, feats, head, deprel) of the syntactic words of each sentence of a UD file
    (the training data of `quotecraft.train.fastparse` and `quotecraft.train.tagparse`)."""
    sents, cur = [], []
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            if line.startswith("#"):
                continue
            c = line.split("\t")
            if not c[0].isdigit():
                continue  # MWT ranges, empty nodes
            cur.append((c[1], c[3], c[4], c[5], int(c[6]), c[7]))
    if cur:
        sents.append(cur)
    return sents


def load_split(ud_dir: Path, split: str) -> list[list[tuple[str, str, str, str, int, str]]]:
    """`read_conllu` of EWT + GUM non-NC ``split`` ("train" or "dev") under ``ud_dir``."""
    out = []
    for rel in UD_SPLITS[split]:
        p = ud_dir / rel
        if not p.is_file():
            raise SystemExit(f"missing {p}: pass --ud-dir (the folder holding ewt/ and gum/)")
        out.extend(read_conllu(p))
    return out
