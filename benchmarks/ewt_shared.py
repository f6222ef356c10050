"""UD scores of the default parse: the minilm tagger and parser read from the one encoder pass.

    python benchmarks/ewt_shared.py [--sets ewt,pud] [--per-sentence] [--backend onnx|torch]

`quotecraft.nlp.shared` encodes paragraphs packed into windows (as the attribution tagger reads
them) and gives the minilm parser each word's layers 1-6 averaged over the pieces that overlap it;
the parser was trained on one encoder pass per sentence.  This script rebuilds each test set's
text from its gold words (``SpaceAfter=No``, ``# newpar``), runs exactly that code
(`SharedPass._encode`, `SharedPass._parse`) over the gold words, and scores UPOS, UAS and LAS
(universal relation, punctuation included) against the gold trees.  ``--per-sentence`` also
scores the parser on its own per-sentence features (`quotecraft.nlp.tagparse.word_features`), the
way its MODEL_CARD scores were measured, in the same run.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
UD = REPO.parent / "shared" / "data" / "ud"
FILES = {"ewt": "ewt/en_ewt-ud-test.conllu", "pud": "pud/en_pud-ud-test.conllu", "gum": "gum/en_gum-nonnc-test.conllu"}


class _Doc:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.paras: list[tuple[int, int]] = []
        self.pstart: Any = None
        self.sents: list[list[tuple[str, int, int, str, int, str]]] = []

    def close_para(self) -> None:
        if self.pstart is not None:
            self.paras.append((self.pstart, self.pos))
            self.parts.append("\n\n")
            self.pos += 2
        self.pstart = None


def read_docs(path: Path) -> list[_Doc]:
    """Documents of a CoNLL-U file: rebuilt text, paragraphs, and gold (form, start, end, upos,
    head, deprel) per word."""
    docs, cur, sent = [_Doc()], None, []
    cur = docs[0]
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("# newdoc") and cur.sents:
            cur.close_para()
            cur = _Doc()
            docs.append(cur)
        elif line.startswith("# newpar"):
            cur.close_para()
        elif not line.strip():
            if sent:
                cur.sents.append(sent)
                cur.parts.append(" ")
                cur.pos += 1
            sent = []
        elif not line.startswith("#"):
            c = line.split("\t")
            if "-" in c[0] or "." in c[0]:
                continue
            if cur.pstart is None:
                cur.pstart = cur.pos
            start = cur.pos
            cur.parts.append(c[1])
            cur.pos += len(c[1])
            sent.append((c[1], start, cur.pos, c[3], int(c[6]), c[7]))
            if "SpaceAfter=No" not in c[9]:
                cur.parts.append(" ")
                cur.pos += 1
    for d in docs:
        d.close_para()
    return [d for d in docs if d.sents]


def score(docs: list[_Doc], sp: Any, per_sentence: bool) -> dict[str, float]:
    from quotecraft.nlp.encoder import encoded_windows
    from quotecraft.nlp.parse import Sentence, Word
    from quotecraft.nlp.tagparse import predict, word_features

    counts = {"n": 0, "upos": 0, "uas": 0, "las": 0}
    for d in docs:
        text = "".join(d.parts)
        sents = [Sentence([Word(i + 1, f, f.lower(), "X", "_", "_", -1, "_", s, e) for i, (f, s, e, *_) in
                           enumerate(gold)], gold[0][1], gold[-1][2], parsed=False) for gold in d.sents]
        if per_sentence:
            forms = [[w.text for w in s.words] for s in sents]
            preds = predict(sp.model, sp.vocab, forms, word_features(sp.encoder, forms))
            for s, p in zip(sents, preds):
                for w, (upos, _, _, head, rel) in zip(s.words, p):
                    w.upos, w.head, w.deprel = upos, head, rel
        else:
            windows = encoded_windows(sp.encoder, text, d.paras)
            _, feats = sp._encode(windows, [w for s in sents for w in s.words])
            sp._parse(sents, feats)
        for s, gold in zip(sents, d.sents):
            for w, (_, _, _, gupos, ghead, grel) in zip(s.words, gold):
                counts["n"] += 1
                counts["upos"] += w.upos == gupos
                counts["uas"] += w.head == ghead
                counts["las"] += w.head == ghead and w.deprel.split(":")[0] == grel.split(":")[0]
    return {k: round(100 * v / counts["n"], 2) for k, v in counts.items() if k != "n"} | {"words": counts["n"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="ewt")
    ap.add_argument("--per-sentence", action="store_true", help="also the parser's own per-sentence features")
    ap.add_argument("--backend", default=None, help="encoder backend (default: as the extractor's)")
    args = ap.parse_args()
    import torch

    from quotecraft.nlp.shared import load_shared

    torch.set_num_threads(1)
    sp = load_shared(lambda words: True, backend=args.backend)
    print(f"encoder backend: {type(sp.encoder.bert).__name__}")
    print("| set | features | UPOS | UAS | LAS | words | s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name in args.sets.split(","):
        docs = read_docs(UD / FILES[name])
        for mode in (["one pass (default)", "per sentence"] if args.per_sentence else ["one pass (default)"]):
            t = time.monotonic()
            r = score(docs, sp, mode == "per sentence")
            print(f"| {name} | {mode} | {r['upos']} | {r['uas']} | {r['las']} | {r['words']} | "
                  f"{time.monotonic() - t:.0f} |")


if __name__ == "__main__":
    main()
