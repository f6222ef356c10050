"""UD scores of the default parse: the minilm tagger and parser read from the one encoder pass.

    python benchmarks/ewt_shared.py [--sets ewt,pud] [--per-sentence] [--backend onnx|torch] [--model-dir DIR]

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


def read_docs(path: Path) -> list[Any]:
    """The test set's documents as running text (`quotecraft.train.ud.read_documents`, the reader
    the parser's one-pass training uses), with each word's gold UPOS, head and relation."""
    from quotecraft.train.ud import read_conllu, read_documents

    docs = read_documents(path)
    gold = iter(read_conllu(path))
    for d in docs:
        d["gold"] = [next(gold) for _ in d["sents"]]
    return docs


def score(docs: list[Any], sp: Any, per_sentence: bool) -> dict[str, float]:
    from quotecraft.nlp.encoder import encoded_windows
    from quotecraft.nlp.parse import Sentence, Word
    from quotecraft.nlp.tagparse import predict, word_features

    counts = {"n": 0, "upos": 0, "uas": 0, "las": 0}
    for d in docs:
        text = d["text"]
        sents = [Sentence([Word(i + 1, f, f.lower(), "X", "_", "_", -1, "_", s, e) for i, (f, s, e) in
                           enumerate(words)], words[0][1], words[-1][2], parsed=False) for words in d["sents"]]
        if per_sentence:
            forms = [[w.text for w in s.words] for s in sents]
            preds = predict(sp.model, sp.vocab, forms, word_features(sp.encoder, forms))
            for s, p in zip(sents, preds):
                for w, (upos, _, _, head, rel) in zip(s.words, p):
                    w.upos, w.head, w.deprel = upos, head, rel
        else:
            windows = encoded_windows(sp.encoder, text, d["paras"])
            _, feats = sp._encode(windows, [w for s in sents for w in s.words])
            sp._parse(sents, feats)
        for s, gold in zip(sents, d["gold"]):
            for w, (_, gupos, _, _, ghead, grel) in zip(s.words, gold):
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
    ap.add_argument("--model-dir", type=Path, default=None, help="a folder holding another tagparse.pt")
    args = ap.parse_args()
    import torch

    from quotecraft.nlp.shared import load_shared

    torch.set_num_threads(1)
    sp = load_shared(lambda words: True, model_dir=args.model_dir, backend=args.backend)
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
