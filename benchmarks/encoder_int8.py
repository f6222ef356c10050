"""Speed and fidelity of the encoder's backends: torch fp32 (`_Bert`, today's), torch dynamic
int8 (nn.Linear), ONNX Runtime fp32, fp16 weights and int8 variants (issue 22).

    OMP_NUM_THREADS=1 python benchmarks/encoder_int8.py                  # PolNeAR dev windows
    OMP_NUM_THREADS=1 python benchmarks/encoder_int8.py --text kim       # the test article, repeated
    OMP_NUM_THREADS=1 python benchmarks/encoder_int8.py --variants torch-fp32,ort-int8-pc --reps 5

Windows of real text (up to 126 pieces + [CLS]/[SEP], as `encoded_windows` cuts them) go through
`Encoder.encode` in batches of 16, the path the extractor uses.  Every variant runs in this one
process, interleaved (variant A, B, C, ... then again), best of ``--reps``: on a shared machine a
background job then slows every variant alike rather than whichever ran at the wrong moment.
Fidelity: cosine similarity of each piece's 768 features to torch fp32's (mean, 1st percentile,
minimum).  The ONNX files are built into ``--work-dir`` by `quotecraft.train.encoder_export`.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
POLNEAR_DEV = REPO.parent / "shared" / "data" / "polnear" / "dev" / "text"
KIM = REPO / "tests" / "data" / "kim-returns-from-russia.txt"

#: ONNX Runtime int8 variants: name -> `quantize` keyword arguments
ORT_INT8 = {
    "ort-int8-pt": {"per_channel": False, "weight_type": "qint8"},
    "ort-int8-pt-u8": {"per_channel": False, "weight_type": "quint8"},
    "ort-int8-pt-rr": {"per_channel": False, "reduce_range": True},
    "ort-int8-pc": {"per_channel": True, "weight_type": "qint8"},
    "ort-int8-pc-u8": {"per_channel": True, "weight_type": "quint8"},
    "ort-int8-pc-rr": {"per_channel": True, "reduce_range": True},
    "ort-int8-pc-fp32emb": {"per_channel": True, "quantize_embeddings": False},
    "ort-int8-pc-keep-ffn-out": {"per_channel": True, "keep": "ffn-output"},
    "ort-int8-pc-keep-layer1": {"per_channel": True, "keep": "layer1"},
    "ort-int8-pc-keep-layer6": {"per_channel": True, "keep": "layer6"},
    "ort-int8-pc-smooth": {"per_channel": True, "smooth": "ffn-input", "alpha": 0.7},
    "ort-int8-pc-smooth-keep-ffn-out12": {"per_channel": True, "smooth": "ffn-input", "alpha": 0.7,
                                          "keep": "ffn-output:1,2"},
    # the shipped file's settings (encoder_export.DEFAULT_QUANT)
    "ort-int8-pc-smooth-keep-ffn-out123": {"per_channel": True, "smooth": "ffn-input", "alpha": 0.7,
                                           "keep": "ffn-output:1,2,3"},
}
VARIANTS = ["torch-fp32", "torch-int8", "ort-fp32", "ort-fp16w", *ORT_INT8]


def windows(source: str, count: int, encoder: Any) -> list[Any]:
    """``count`` windows of real text: PolNeAR dev articles in name order, or the test article."""
    from quotecraft.nlp.encoder import encoded_windows
    from quotecraft.train.encoder_export import line_blocks

    texts = ([p.read_text(encoding="utf-8") for p in sorted(POLNEAR_DEV.glob("*.txt"))]
             if source == "polnear" else [KIM.read_text(encoding="utf-8")] * 1000)
    out: list[Any] = []
    for text in texts:
        out += encoded_windows(encoder, text, line_blocks(text), limit=126)
        if len(out) >= count:
            break
    return out[:count]


def torch_int8(bert: Any) -> Any:
    """`_Bert` whose Linear layers are torch dynamic int8 (`quantize_dynamic` wants nn.Linear)."""
    import torch

    from quotecraft.nlp.encoder import _Bert

    linears = torch.nn.ModuleDict()
    for key, value in bert.w.items():
        if key.endswith(".weight") and value.dim() == 2 and "embeddings" not in key:
            lin = torch.nn.Linear(value.shape[1], value.shape[0])
            lin.weight.data.copy_(value)
            lin.bias.data.copy_(bert.w[key.removesuffix(".weight") + ".bias"])
            linears[key.removesuffix(".weight").replace(".", "_")] = lin
    qlinears = torch.ao.quantization.quantize_dynamic(linears, {torch.nn.Linear}, dtype=torch.qint8)

    class QBert(_Bert):
        def _lin(self, x, prefix):  # type: ignore[no-untyped-def]
            return qlinears[prefix.replace(".", "_")](x)

    q = QBert.__new__(QBert)
    q.__dict__.update(bert.__dict__)
    return q


def quantized(bert: Any, tok_json: str, fp32: Path, path: Path, quant: dict[str, Any]) -> Path:
    """The int8 file of one variant, smoothed first (calibrated on the exporter's default text)
    when the variant says so, as `encoder_export.build` does."""
    from quotecraft.train import encoder_export as ex

    groups, alpha = quant.pop("smooth", ""), quant.pop("alpha", 0.5)
    source = fp32
    if groups:
        ranges = ex.activation_ranges(bert, tok_json, [ex.DEFAULT_CALIBRATION.read_text(encoding="utf-8")])
        source = ex.smooth(fp32, path.with_suffix(".smooth.onnx"), ranges, groups, alpha)
    return ex.quantize(source, path, **quant)


def build_variants(names: list[str], work: Path) -> dict[str, Any]:
    """name -> an `Encoder` for each variant asked for (sharing one tokenizer)."""
    from quotecraft.nlp.encoder import Encoder, _OnnxBert, _tokenizer, onnx_session, read_bert
    from quotecraft.train import encoder_export as ex

    bert, config, tok_json = read_bert()
    tokenizer = _tokenizer(tok_json)
    work.mkdir(parents=True, exist_ok=True)
    fp32 = work / "fp32.onnx"
    if any(n.startswith("ort") for n in names) and not fp32.exists():
        ex.export_fp32(bert, fp32)
    out: dict[str, Any] = {}
    for name in names:
        if name == "torch-fp32":
            out[name] = Encoder(tokenizer, bert)
        elif name == "torch-int8":
            out[name] = Encoder(tokenizer, torch_int8(bert))
        else:
            path = fp32 if name == "ort-fp32" else work / f"{name}.onnx"
            if name == "ort-fp16w" and not path.exists():
                ex.fp16_weights(fp32, path)
            elif name in ORT_INT8 and not path.exists():
                quantized(bert, tok_json, fp32, path, dict(ORT_INT8[name]))
            out[name] = Encoder(tokenizer, _OnnxBert(onnx_session(str(path)), config, Encoder.LAYERS))
            out[name].file_mb = path.stat().st_size / 1e6
    return out


def fidelity(ref: list[Any], got: list[Any]) -> dict[str, float]:
    """Cosine of each piece's features to the reference's: mean, 1st percentile, minimum."""
    import torch

    a, b = torch.cat(ref), torch.cat(got)
    cos = torch.nn.functional.cosine_similarity(a, b, dim=-1)
    return {"cos_mean": cos.mean().item(), "cos_p1": cos.quantile(0.01).item(), "cos_min": cos.min().item(),
            "max_abs": (a - b).abs().max().item()}


def timed(run: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0


def measure(encoders: dict[str, Any], wins: list[Any], reps: int) -> dict[str, dict[str, Any]]:
    """Fidelity (the first, untimed pass warms each session up) and best-of-``reps`` speed."""
    pieces = sum(len(w.ids) for w in wins)
    ref = encoders["torch-fp32"].encode(wins, batch_size=16)
    rows = {}
    for name, enc in encoders.items():
        rows[name] = {"file_mb": getattr(enc, "file_mb", None), **fidelity(ref, enc.encode(wins, batch_size=16))}
    best = {name: float("inf") for name in encoders}
    for rep in range(reps):
        this = {name: timed(lambda: enc.encode(wins, batch_size=16)) for name, enc in encoders.items()}
        best = {name: min(best[name], this[name]) for name in encoders}
        print(f"pass {rep + 1}/{reps}, pieces/s: " + ", ".join(f"{n} {pieces / this[n]:.0f}" for n in encoders),
              file=sys.stderr)
    for name in encoders:
        rows[name]["pieces_per_s"] = pieces / best[name]
        rows[name]["ratio"] = best["torch-fp32"] / best[name]
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", choices=("polnear", "kim"), default="polnear" if POLNEAR_DEV.exists() else "kim")
    ap.add_argument("--windows", type=int, default=96, help="windows encoded per pass (default: %(default)s)")
    ap.add_argument("--reps", type=int, default=3, help="timed passes per variant; the best counts")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated, from: " + ", ".join(VARIANTS))
    ap.add_argument("--work-dir", type=Path, default=Path("/tmp/quotecraft-encoder-int8"),
                    help="where the ONNX variants are built (reused when there)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    import torch

    names = [n for n in args.variants.split(",") if n]
    unknown = set(names) - set(VARIANTS)
    if unknown:
        ap.error(f"unknown variants: {', '.join(sorted(unknown))}")
    names = ["torch-fp32"] + [n for n in names if n != "torch-fp32"]
    encoders = build_variants(names, args.work_dir)
    wins = windows(args.text, args.windows, encoders["torch-fp32"])
    pieces = sum(len(w.ids) for w in wins)
    rows = measure(encoders, wins, args.reps)
    print(f"{len(wins)} windows ({args.text}), {pieces} pieces, batches of 16; torch threads "
          f"{torch.get_num_threads()}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}; "
          f"interleaved, best of {args.reps}\n")
    print("| variant | file MB | pieces/s | × torch fp32 | cos mean | cos p1 | cos min |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in rows.items():
        mb = f"{r['file_mb']:.1f}" if r["file_mb"] else "–"
        print(f"| {name} | {mb} | {r['pieces_per_s']:.0f} | {r['ratio']:.2f} | {r['cos_mean']:.4f} | "
              f"{r['cos_p1']:.4f} | {r['cos_min']:.4f} |")
    if args.json:
        args.json.write_text(json.dumps({"text": args.text, "windows": len(wins), "pieces": pieces,
                                         "reps": args.reps, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
