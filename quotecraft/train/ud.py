"""Universal Dependencies treebanks read for training: EWT and GUM non-NC, by split."""
from __future__ import annotations

from pathlib import Path

__all__ = ["UD_SPLITS", "read_conllu", "load_split", "read_documents"]

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


def read_documents(path: Path) -> list[dict]:  # type: ignore[type-arg]
    """The documents of a UD file as running text: ``text`` rebuilt from the syntactic words
    (``SpaceAfter=No`` of the word lines; sentences joined by a space, paragraphs -- ``# newpar``
    -- by a blank line), ``paras`` (their character ranges) and ``sents`` (each word's form,
    start, end), in the file's order, the sentences the same as `read_conllu`'s.  The words of a
    multiword token are written apart ("Do n't"), as the parser's training and its benchmark
    (``benchmarks/ewt_shared.py``) read them."""
    docs: list[dict] = []  # type: ignore[type-arg]
    cur: dict = {}  # type: ignore[type-arg]
    sent: list[tuple[str, int, int]] = []

    def new_doc() -> None:
        nonlocal cur
        cur = {"parts": [], "pos": 0, "paras": [], "pstart": None, "sents": []}
        docs.append(cur)

    def close_para() -> None:
        if cur["pstart"] is not None:
            cur["paras"].append((cur["pstart"], cur["pos"]))
            cur["parts"].append("\n\n")
            cur["pos"] += 2
        cur["pstart"] = None

    new_doc()
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("# newdoc") and cur["sents"]:
            close_para()
            new_doc()
        elif line.startswith("# newpar"):
            close_para()
        elif not line.strip():
            if sent:
                cur["sents"].append(sent)
                cur["parts"].append(" ")
                cur["pos"] += 1
            sent = []
        elif not line.startswith("#") and line.split("\t")[0].isdigit():
            c = line.split("\t")
            if cur["pstart"] is None:
                cur["pstart"] = cur["pos"]
            start = cur["pos"]
            cur["parts"].append(c[1])
            cur["pos"] += len(c[1])
            sent.append((c[1], start, cur["pos"]))
            if "SpaceAfter=No" not in c[9]:
                cur["parts"].append(" ")
                cur["pos"] += 1
    for d in docs:
        cur = d
        close_para()
        d["text"] = "".join(d.pop("parts"))
    return [d for d in docs if d["sents"]]
